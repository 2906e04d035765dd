/**
 * What every concern of sky-burn-engine is built from, and what it offers agent.ts.
 */
import type { BlockEvent, Finding, TransactionEvent } from "forta-agent";
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

export interface Watcher {
  onBlock?(block: BlockEvent): Promise<Finding[]>;
  onTransaction?(tx: TransactionEvent): Promise<Finding[]>;
}

export const lc = (v: unknown): string => String(v).toLowerCase();
export const str = (v: unknown): string => (v as { toString(): string }).toString();
