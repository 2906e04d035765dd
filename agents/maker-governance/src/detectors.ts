/**
 * maker-governance detection logic: plain functions over decoded values, no chain access.
 */
import { ethers } from "forta-agent";
import { dec, fromWad, type Decimal, type RawInt } from "../../../shared/math";
import type { ChiefAction } from "./chief";

export type ApprovalsLevel = "low" | "critical";

/**
 * The answer of a token's `symbol()`, raw: an ABI string (SKY, most tokens) or a bytes32 (mainnet
 * MKR's DSToken). null when it is neither.
 */
export function decodeSymbol(raw: string): string | null {
  try {
    const [text] = ethers.utils.defaultAbiCoder.decode(["string"], raw) as [string];
    if (/^[\x20-\x7e]{1,32}$/.test(text)) return text;
  } catch {
    /* not an ABI string: try bytes32 */
  }
  if (ethers.utils.hexDataLength(raw) !== 32) return null;
  try {
    const text = ethers.utils.parseBytes32String(raw);
    return /^[\x20-\x7e]{1,32}$/.test(text) ? text : null;
  } catch {
    return null;
  }
}

/**
 * How many of the chief's tokens make one MKR of approvals: `skyPerMkr` for a SKY chief (MKR
 * converts to SKY at a fixed rate), 1 for MKR and anything else (the thresholds are then taken in
 * the chief's own token).
 */
export function tokensPerMkr(symbol: string | null, skyPerMkr: Decimal): Decimal {
  return symbol?.toUpperCase() === "SKY" ? skyPerMkr : dec(1);
}

/**
 * Where the hat's approvals (raw wad, in the chief's token) stand against the thresholds (in MKR,
 * scaled by `perMkr` chief tokens to the MKR), exactly.
 */
export function approvalsLevel(approvalsWad: RawInt, min: Decimal, critical: Decimal, perMkr: Decimal = dec(1)): ApprovalsLevel | null {
  const a = fromWad(approvalsWad).div(perMkr);
  if (a.lt(critical)) return "critical";
  if (a.lt(min)) return "low";
  return null;
}

/** A low hat's grace period: since which block, and for which hat. */
export interface ApprovalsGrace {
  since: number;
  /** the hat the period is about (undefined in state saved before hats were recorded: adopt the current one) */
  hat: string | undefined;
}

/**
 * One observation of the low-approvals grace period (GOV_HAT_APPROVALS_GRACE_BLOCKS): null when
 * the hat is not low (no period runs); otherwise the period, started now if none ran or if it was
 * about another hat (a newly lifted low hat gets the whole grace period, not what is left of its
 * predecessor's), and whether it has run its course at `block`.
 */
export function approvalsGrace(
  running: ApprovalsGrace | null,
  hat: string,
  low: boolean,
  block: number,
  graceBlocks: number,
): { since: number; hat: string; due: boolean } | null {
  if (!low) return null;
  const since = running && (running.hat === undefined || running.hat === hat) ? running.since : block;
  return { since, hat, due: block - since >= graceBlocks };
}

/** A lift, and the hat it replaced as far as the bot knows. */
export interface HatMove {
  whom: string;
  previous: string | null;
  /** false when the lifted address already was the hat: nothing moved */
  moved: boolean;
}

/**
 * The hat moves of a transaction's lifts, in log order, from the hat the bot knew before them. A
 * lift of the hat already in place moves nothing (the chiefs refuse one; if the bot's idea of the
 * hat was stale it is corrected without a "hat changed" claim).
 */
export function hatMoves(previous: string | null, lifts: readonly string[]): HatMove[] {
  let hat = previous;
  return lifts.map((whom) => {
    const move = { whom, previous: hat, moved: hat === null || hat.toLowerCase() !== whom.toLowerCase() };
    hat = whom;
    return move;
  });
}

export type DelayChange = "reduced" | "raised" | "unchanged";

export function delayChange(before: RawInt, after: RawInt): DelayChange {
  const b = dec(before);
  const a = dec(after);
  return a.lt(b) ? "reduced" : a.gt(b) ? "raised" : "unchanged";
}

/**
 * A plan whose `eta` is closer to the block's time than the delay in force when the block began
 * can only have been accepted because the delay was lowered (or the pause bypassed) within the
 * block: governance's review window was skipped.
 */
export function bypassesDelay(eta: RawInt, blockTimestamp: number, delayInForce: RawInt): boolean {
  return dec(eta).minus(blockTimestamp).lt(dec(delayInForce));
}

/** Seconds between the block and a plan's eta (may be negative), for people. */
export function secondsUntil(eta: RawInt, blockTimestamp: number): Decimal {
  return dec(eta).minus(blockTimestamp);
}

/** A lift is expected when the caller the chief logged, or the transaction's sender, is a known lifter. */
export function isKnownLifter(caller: string | null, txFrom: string, known: ReadonlySet<string>): boolean {
  return (caller !== null && known.has(caller.toLowerCase())) || known.has(txFrom.toLowerCase());
}

/** A governance-token transfer inside the transaction. */
export interface TokenTransfer {
  logIndex: number;
  from: string;
  to: string;
  /** raw amount */
  wad: bigint;
}

export interface TakeoverParticipant {
  account: string;
  /** tokens that reached the account from elsewhere before it locked */
  received: bigint;
  sources: string[];
  /** tokens it moved into the chief (lock) in this transaction */
  locked: bigint;
  voted: boolean;
  /** tokens the chief paid back to it (free) in this transaction */
  freed: bigint;
  /** tokens it sent back to the accounts it received from */
  returned: bigint;
}

export interface TakeoverEvidence {
  participants: TakeoverParticipant[];
  lift: ChiefAction;
  /** every lift in the transaction (the last one sets the hat) */
  lifts: ChiefAction[];
  received: bigint;
  locked: bigint;
  /** tokens freed and returned within the transaction: the loan was repaid (a flash loan) */
  repaidInTx: boolean;
}

/**
 * The governance flash-loan pattern, recognised from one transaction's logs and whatever the
 * lender: governance tokens reach an account from elsewhere, that account locks them in the chief
 * (a transfer of the token from it to the chief; voting is recorded as evidence), and the hat
 * moves (a lift), all in the same transaction. A lock pulls the tokens from the locker, so the
 * token's Transfer events identify lockers under any chief version. Ordinary governance never
 * does all three in one transaction (people lock, vote and lift in separate transactions; vote
 * proxies lock but do not lift).
 */
export function governanceTakeover(chief: string, transfers: readonly TokenTransfer[], actions: readonly ChiefAction[]): TakeoverEvidence | null {
  const c = chief.toLowerCase();
  const lifts = actions.filter((a) => a.kind === "lift");
  if (lifts.length === 0) return null;
  const firstLock = new Map<string, number>();
  for (const t of transfers) if (t.to === c && t.from !== c && !firstLock.has(t.from)) firstLock.set(t.from, t.logIndex);
  // The SKY chief's `Vote(bytes32 indexed slate)` does not log the voter: such a vote is the
  // participant's whose lock came last before it (a lock and a vote in one transaction are one
  // caller's doing in the pattern; the lock's token transfer names that caller).
  const lockers = [...firstLock].sort((a, b) => a[1] - b[1]);
  const callerlessVoter = (vote: ChiefAction): string | null => lockers.filter(([, at]) => at < vote.logIndex).pop()?.[0] ?? null;
  const votedBy = (account: string): boolean =>
    actions.some((a) => a.kind === "vote" && (a.caller === account || (a.caller === null && callerlessVoter(a) === account)));
  const participants: TakeoverParticipant[] = [];
  for (const [account, lockAt] of firstLock) {
    const inflows = transfers.filter((t) => t.to === account && t.from !== account && t.from !== c && t.logIndex < lockAt);
    const received = inflows.reduce((s, t) => s + t.wad, 0n);
    if (received === 0n) continue;
    const sources = [...new Set(inflows.map((t) => t.from))];
    participants.push({
      account,
      received,
      sources,
      locked: transfers.filter((t) => t.from === account && t.to === c).reduce((s, t) => s + t.wad, 0n),
      voted: votedBy(account),
      freed: transfers.filter((t) => t.from === c && t.to === account).reduce((s, t) => s + t.wad, 0n),
      returned: transfers.filter((t) => t.from === account && sources.includes(t.to) && t.logIndex > lockAt).reduce((s, t) => s + t.wad, 0n),
    });
  }
  if (participants.length === 0) return null;
  // the lift that the tokens made possible: the first one after a participant's lock
  const earliestLock = Math.min(...participants.map((p) => firstLock.get(p.account)!));
  const lift = lifts.find((l) => l.logIndex > earliestLock);
  if (!lift) return null;
  const received = participants.reduce((s, p) => s + p.received, 0n);
  const locked = participants.reduce((s, p) => s + p.locked, 0n);
  return { participants, lift, lifts, received, locked, repaidInTx: participants.some((p) => p.freed > 0n && p.returned > 0n) };
}
