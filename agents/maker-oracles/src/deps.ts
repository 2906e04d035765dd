/**
 * What every watcher of maker-oracles (shared/watchers.ts) is built from: the bot context, its config,
 * the ChainLog address book, and the pieces the concerns share: the watch list (oracles.ts), the
 * attribution of controls (attribution.ts) and the lasting conditions an oracle leaving the
 * watch list must close (staleness, no price, divergence, a capped oracle's cap binding).
 */
import type { BotContext } from "../../../shared/bot";
import type { CapBindingCheck } from "./cap-binding";
import type { AddressBook } from "../../../shared/maker/chainlog";
import type { ControlAttribution } from "./attribution";
import type { Config } from "./config";
import type { DivergenceCheck } from "./divergence";
import type { NoPriceCheck } from "./no-price";
import type { Oracles } from "./oracles";
import type { StalenessCheck } from "./staleness";

export interface Deps {
  ctx: BotContext;
  config: Config;
  book: AddressBook;
  oracles: Oracles;
  controls: ControlAttribution;
  staleness: StalenessCheck;
  noPrice: NoPriceCheck;
  divergence: DivergenceCheck;
  capBinding: CapBindingCheck;
}
