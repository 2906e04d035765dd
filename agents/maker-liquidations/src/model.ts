/**
 * What every maker-liquidations watcher shares: the bot's persistent state, the deps a watcher is
 * built from, the per-transaction view of the bot's contracts (decoded once: view.ts), and how
 * amounts read for people.
 */
import type { ethers } from "forta-agent";
import type { BotContext } from "../../../shared/bot";
import type { EpisodeState } from "../../../shared/episodes";
import type { BlockRef } from "../../../shared/findings";
import type { DecodedEvent } from "../../../shared/logs";
import type { AddressBook } from "../../../shared/maker/chainlog";
import type { CallerAttribution, TxCallers } from "../../../shared/maker/callers";
import { formatAmount, formatPercent, fromRad, fromRay, fromWad } from "../../../shared/math";
import type { TransactionEvent } from "forta-agent";
import type { LiquidationsConfig } from "./config";
import { daiToRad, type CascadeLevel, type DirtLevel, type WindowEntry } from "./detectors";

export interface ClipInfo {
  ilk: string;
  ilkWord: string;
  stopped: number;
  tail: number;
  /** where the bot learnt of it: a ChainLog key, "Dog.bark" or "Dog.file" */
  source: string;
}

export interface Auction {
  clip: string;
  id: string;
  ilk: string;
  /** start (or last redo) time */
  tic: number;
  top: string;
  tab: string;
  lot: string;
  usr: string;
  /** block time since which the auction has needed a redo; null while it does not */
  since: number | null;
}

export interface LiqState {
  clips: Record<string, ClipInfo>;
  auctions: Record<string, Auction>;
  window: WindowEntry[];
  cascadeIlk: EpisodeState<CascadeLevel>;
  cascadeGlobal: EpisodeState<CascadeLevel>;
  dirtIlk: EpisodeState<DirtLevel>;
  dirtGlobal: EpisodeState<DirtLevel>;
  redo: EpisodeState<"overdue">;
  /** the first block has been handled (start-up checks done) */
  started: boolean;
  /** ChainLog clippers that did not answer like a Clipper (address -> why); not retried */
  unreadable: Record<string, string>;
}

export const emptyState = (): LiqState => ({
  clips: {},
  auctions: {},
  window: [],
  cascadeIlk: {},
  cascadeGlobal: {},
  dirtIlk: {},
  dirtGlobal: {},
  redo: {},
  started: false,
  unreadable: {},
});

/** What every watcher is built from. */
export interface LiqDeps {
  ctx: BotContext;
  cfg: LiquidationsConfig;
  book: AddressBook;
  state: LiqState;
  callers: CallerAttribution;
  /** the DAI thresholds of the config as rad */
  rad: ReturnType<typeof radThresholds>;
}

export function radThresholds(cfg: LiquidationsConfig) {
  return {
    barkMedium: daiToRad(cfg.barkMedium),
    barkHigh: daiToRad(cfg.barkHigh),
    ilkHigh: daiToRad(cfg.ilkCascadeHigh),
    ilkCritical: daiToRad(cfg.ilkCascadeCritical),
    high: daiToRad(cfg.cascadeHigh),
    critical: daiToRad(cfg.cascadeCritical),
    keeperMax: daiToRad(cfg.keeperMax),
  };
}

/** One transaction as the watchers see it: the bot's contracts' events, decoded once (view.ts). */
export interface LiqTx {
  tx: TransactionEvent;
  block: BlockRef;
  /** who made the changes in this transaction (shared/maker/callers.ts) */
  who: TxCallers;
  dog: string | undefined;
  cat: string | undefined;
  dogEvents: DecodedEvent[];
  /** events of every known Clipper (including those this transaction's Bark or Dog.file named) */
  clipEvents: DecodedEvent[];
  /** the Cat's Bite events */
  catEvents: DecodedEvent[];
  /** the Cat's `file` notes (LibNote), with the log index */
  catFiles: { what: string; ilk: string | null; value: string; isAddress: boolean; logIndex: number; caller: string | null }[];
}

export const dai = (rad: bigint | string): string => fromRad(rad.toString()).toFixed();
export const daiHuman = (rad: bigint | string): string => `${formatAmount(fromRad(rad.toString()))} DAI`;
export const price = (ray: bigint | string): string => fromRay(ray.toString()).toFixed();
export const priceHuman = (ray: bigint | string): string => `${formatAmount(fromRay(ray.toString()), 4)} DAI`;
export const big = (v: unknown): bigint => (v as ethers.BigNumber).toBigInt();
export const auctionKey = (clip: string, id: string): string => `${clip}:${id}`;
/** Auctions in a stable, readable order: by Clipper, then by id as a number (auction 9 before 10). */
export const byAuction = (a: string, b: string): number => {
  const [ca, ia] = a.split(":") as [string, string];
  const [cb, ib] = b.split(":") as [string, string];
  if (ca !== cb) return ca < cb ? -1 : 1;
  const x = BigInt(ia);
  const y = BigInt(ib);
  return x < y ? -1 : x > y ? 1 : 0;
};
export const GLOBAL = "global";

/** How a liquidation parameter reads for people: its unit by name. */
export function paramHuman(what: string, value: string, isAddress: boolean): string {
  if (isAddress) return value;
  switch (what) {
    case "Hole":
    case "hole":
    case "tip":
    case "box":
    case "dunk":
      return daiHuman(value);
    case "chop":
      return `${fromWad(value).toFixed()} (penalty ${formatPercent(fromWad(value).minus(1))})`;
    case "chip":
      return formatPercent(fromWad(value), 4);
    case "buf":
    case "cusp":
      return fromRay(value).toFixed();
    case "tail":
    case "tau":
      return `${value} s`;
    default:
      return value;
  }
}
