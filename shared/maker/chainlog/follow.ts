/**
 * Following a ChainLog: its `UpdateAddress` / `RemoveAddress` / `UpdateVersion` logs decoded one at
 * a time (`decodeChainlogLog`) and applied to an address book's state (`applyChainlogEvent`), so
 * that a bot learns of a new OSM or a replaced clipper in the block it happens.
 */
import type { ethers } from "forta-agent";
import { CHAINLOG_IFACE } from "../../abi/registry";
import { fromBytes32 } from "../../abi/bytes32";
import { ChainlogError } from "./errors";
import { keepPattern, ZERO_ADDRESS, type AddressBookState } from "./state";

/** A log as forta-agent (`txEvent.logs`) or JSON-RPC (`eth_getLogs`) gives it. */
export interface ChainlogLogInput {
  address: string;
  topics: readonly string[];
  data: string;
  blockNumber?: number | string;
  transactionHash?: string;
  logIndex?: number | string;
  removed?: boolean;
}

/** Where a change was seen; fields are null when the log did not carry them. */
export interface ChangeOrigin {
  blockNumber: number | null;
  transactionHash: string | null;
  logIndex: number | null;
}

export type AddressBookChange =
  | ({ kind: "updated"; key: string; from: string | null; to: string | null } & ChangeOrigin)
  | ({ kind: "removed"; key: string; from: string; to: null } & ChangeOrigin)
  | ({ kind: "version"; key: null; from: string | null; to: string } & ChangeOrigin);

/** One decoded ChainLog log, not applied yet. */
export type ChainlogEvent =
  | { name: "UpdateVersion"; version: string; origin: ChangeOrigin }
  | { name: "UpdateAddress"; key: string; address: string; origin: ChangeOrigin }
  | { name: "RemoveAddress"; key: string; origin: ChangeOrigin };

const TOPIC = {
  UpdateAddress: CHAINLOG_IFACE.getEventTopic("UpdateAddress"),
  RemoveAddress: CHAINLOG_IFACE.getEventTopic("RemoveAddress"),
  UpdateVersion: CHAINLOG_IFACE.getEventTopic("UpdateVersion"),
};

/** False for a log `decodeChainlogLog` would certainly ignore (not from `chainlog`, lowercase): a cheap test before copying it. */
export function mayBeChainlogLog(chainlog: string, log: ChainlogLogInput): boolean {
  return !!log && typeof log === "object" && (typeof log.address !== "string" || log.address.toLowerCase() === chainlog);
}

/**
 * The event a log of `state`'s ChainLog carries, or null when the log is not an
 * UpdateAddress/RemoveAddress/UpdateVersion of that ChainLog, was removed (reorged), or lies at or
 * before the snapshot block (the snapshot already includes it). A ChainlogError when such a log
 * does not decode.
 */
export function decodeChainlogLog(state: AddressBookState, log: ChainlogLogInput): ChainlogEvent | null {
  if (!log || typeof log !== "object" || log.removed === true) return null;
  if (typeof log.address !== "string" || log.address.toLowerCase() !== state.chainlog) return null;
  const topic0 = Array.isArray(log.topics) ? String(log.topics[0] ?? "").toLowerCase() : "";
  if (topic0 !== TOPIC.UpdateAddress && topic0 !== TOPIC.RemoveAddress && topic0 !== TOPIC.UpdateVersion) return null;
  const origin: ChangeOrigin = {
    blockNumber: toNumber(log.blockNumber),
    transactionHash: typeof log.transactionHash === "string" ? log.transactionHash : null,
    logIndex: toNumber(log.logIndex),
  };
  if (origin.blockNumber !== null && state.block !== null && origin.blockNumber <= state.block) return null;

  let parsed: ethers.utils.LogDescription;
  try {
    parsed = CHAINLOG_IFACE.parseLog({ topics: [...log.topics], data: log.data });
  } catch (err) {
    throw new ChainlogError(`a ${topic0 === TOPIC.UpdateVersion ? "UpdateVersion" : topic0 === TOPIC.UpdateAddress ? "UpdateAddress" : "RemoveAddress"} log of ChainLog ${state.chainlog} does not decode (tx ${origin.transactionHash ?? "?"}): ${(err as Error).message}`, { cause: err });
  }
  if (parsed.name === "UpdateVersion") return { name: "UpdateVersion", version: String(parsed.args[0]), origin };
  const key = fromBytes32(parsed.args[0] as string);
  if (parsed.name === "RemoveAddress") return { name: "RemoveAddress", key, origin };
  return { name: "UpdateAddress", key, address: String(parsed.args[1]), origin };
}

/**
 * Applies `event` to `state` (in place) and returns what changed, or null when it changes nothing
 * (same address or version, a key absent already, or a key outside the state's `keep`). An
 * address set to zero removes the key.
 */
export function applyChainlogEvent(state: AddressBookState, event: ChainlogEvent): AddressBookChange | null {
  const { origin } = event;
  if (event.name === "UpdateVersion") {
    const to = event.version;
    const from = state.version;
    if (from === to) return null;
    state.version = to;
    return { kind: "version", key: null, from, to, ...origin };
  }
  const { key } = event;
  const keep = keepPattern(state.keep);
  if (keep && !keep.test(key)) return null;
  const entries = state.entries;
  const from = (Object.prototype.hasOwnProperty.call(entries, key) ? entries[key] : undefined) ?? null;
  if (event.name === "RemoveAddress") {
    if (from === null) return null;
    delete entries[key];
    return { kind: "removed", key, from, to: null, ...origin };
  }
  const raw = event.address.toLowerCase();
  const to = raw === ZERO_ADDRESS ? null : raw;
  if (from === to) return null;
  if (to === null) delete entries[key];
  else entries[key] = to;
  return { kind: "updated", key, from, to, ...origin };
}

function toNumber(v: number | string | undefined): number | null {
  if (typeof v === "number" && Number.isSafeInteger(v)) return v;
  if (typeof v === "string" && /^(0x[0-9a-fA-F]+|\d+)$/.test(v)) return Number(v);
  return null;
}
