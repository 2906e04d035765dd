/**
 * What every concern (watcher, shared/watchers.ts) of sky-burn-engine is built from, and two
 * small readers of decoded arguments they share.
 */
import type { BotContext } from "../../../shared/bot";
import type { CallerAttribution } from "../../../shared/maker/callers";
import type { AddressBook } from "../../../shared/maker/chainlog";
import type { BurnConfig } from "./config";

export interface WatcherDeps {
  ctx: BotContext;
  config: BurnConfig;
  book: AddressBook;
  callers: CallerAttribution;
}

export const lc = (v: unknown): string => String(v).toLowerCase();
export const str = (v: unknown): string => (v as { toString(): string }).toString();
