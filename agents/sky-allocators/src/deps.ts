/**
 * What every concern (watcher, shared/watchers.ts) of sky-allocators is built from, the ChainLog
 * keys it reads, and who made a change: governance, the Star's own flow (a payload a StarGuard
 * executed through the SubProxy), or an outsider.
 */
import type { TransactionEvent } from "forta-agent";
import { ethers } from "forta-agent";
import type { BotContext } from "../../../shared/bot";
import type { Classification } from "../../../shared/maker/attribution";
import type { CallerAttribution, TxCallers } from "../../../shared/maker/callers";
import type { AddressBook } from "../../../shared/maker/chainlog";
import type { AllocatorsConfig } from "./config";

export interface WatcherDeps {
  ctx: BotContext;
  config: AllocatorsConfig;
  book: AddressBook;
  callers: CallerAttribution;
}

/** what each watcher gets per transaction: the transaction and its attribution context (observed once per transaction, plots included) */
export interface TxView {
  tx: TransactionEvent;
  who: TxCallers;
}

export const KEYS = {
  vault: /^ALLOCATOR_[A-Z0-9_]+_VAULT$/,
  buffer: /^ALLOCATOR_[A-Z0-9_]+_BUFFER$/,
  subProxy: /^[A-Z0-9_]+_SUBPROXY$/,
  starGuard: /^[A-Z0-9_]+_STARGUARD$/,
};

export const lc = (v: unknown): string => String(v).toLowerCase();
export const str = (v: unknown): string => (v as { toString(): string }).toString();

const GUARD_EXEC = ethers.utils.id("Exec(address)").toLowerCase();

/**
 * Who made a change logged at `logIndex` on `contract`: the shared attribution (governance, a
 * module in its role, else an outsider), except that a change made while a ChainLog StarGuard ran
 * a payload (the transaction's top-level call is that StarGuard, and its `Exec` follows the change
 * in the same transaction) is the Star's own flow: a payload governance plotted, run through the
 * SubProxy. It is reported as automation by that StarGuard, not as an outsider.
 */
export async function whoMade(who: TxCallers, tx: TransactionEvent, book: AddressBook, contract: string, param: string, logIndex: number): Promise<Classification> {
  const by = await who.classify({ contract, param, logIndex, loggedCaller: null });
  if (by.callerClass !== "outsider" || !tx.to) return by;
  const to = tx.to.toLowerCase();
  const guardKey = book.keysOf(to).find((k) => KEYS.starGuard.test(k));
  if (!guardKey) return by;
  const exec = tx.logs.find((l) => lc(l.address) === to && lc(l.topics[0]) === GUARD_EXEC && l.logIndex > logIndex);
  if (!exec) return by;
  return {
    ...by,
    callerClass: "automation",
    caller: to,
    module: guardKey,
    reason: `made by a Star payload that ${guardKey} ${to} executed (its Exec event follows in the same transaction, which called it directly): governance plotted the payload, the Star's SubProxy ran it`,
  };
}
