/**
 * The Stars' capital perimeter, transaction by transaction (../shared/reference/sky.md §13-14):
 * - ALLOCATOR_ROLES: a new ilk admin (who grants the Star's roles), roles granted or revoked
 *   (to an address we do not know: High), role actions allowed on a target (not a ChainLog
 *   contract: High);
 * - ALLOCATOR_REGISTRY's buffer and each vault's jug (File);
 * - each ALLOCATOR_*_BUFFER's approvals (to a spender we do not know: High);
 * - each *_SUBPROXY's Rely/Deny (a new ward may run any code as the Star's root admin).
 * Every change is attributed: governance, the Star's own flow through its StarGuard, or an outsider (Critical).
 */
import type { Finding, TransactionEvent } from "forta-agent";
import { fromBytes32 } from "../../../shared/abi";
import { blockRefOf } from "../../../shared/bot";
import { FindingSeverity, FindingType, createFinding, logKey, type AlertSpec, type BlockRef } from "../../../shared/findings";
import { decodeEvents, undecodableLogFinding, type DecodedEvent } from "../../../shared/logs";
import { attributionMetadata, callerPhrase } from "../../../shared/maker/attribution";
import { severityOf, typeOf, type TxCallers } from "../../../shared/maker/callers";
import { formatAmount, fromWad } from "../../../shared/math";
import { contract } from "../../../shared/rpc/contract";
import type { Watcher } from "../../../shared/watchers";
import { BUFFER_IFACE, REGISTRY_IFACE, ROLES_IFACE, SUBPROXY_IFACE, VAULT_IFACE } from "./abi";
import { ALERTS } from "./alerts";
import { KEYS, lc, str, whoMade, type TxView, type WatcherDeps } from "./deps";
import { isKnown } from "./detectors";

type Iface = Parameters<typeof decodeEvents>[1];
const name32 = (v: unknown) => fromBytes32(String(v)) ?? String(v);
const MAX = "115792089237316195423570985008687907853269984665640564039457584007913129639935";

export function perimeterWatcher({ ctx, config, book }: WatcherDeps): Watcher<TxView> {
  const keyOf = (a: string) => book.keysOf(a)[0] ?? "";
  const known = (a: string) => isKnown(a, book.keysOf(lc(a)), config.knownAddresses);
  const knownPhrase = (a: string) => (book.keysOf(lc(a)).length ? ` (${book.keysOf(lc(a)).join(", ")})` : known(a) ? " (a configured known address)" : " (an address neither the ChainLog nor SKY_ALLOCATOR_KNOWN_ADDRESSES names)");

  async function change(spec: AlertSpec, e: DecodedEvent, param: string, effect: FindingSeverity, what: string, block: BlockRef, tx: TransactionEvent, who: TxCallers, metadata: Record<string, unknown>, extra: string[] = []): Promise<Finding> {
    const by = await whoMade(who, tx, book, e.address, param, e.logIndex);
    const phrase = by.callerClass === "automation" ? `by the Star's own flow (a payload ${by.module} executed)` : callerPhrase(by);
    return createFinding(spec, {
      description: `${keyOf(e.address)} ${e.address}: ${what} ${phrase}`,
      key: logKey(tx.network, block, tx.hash, e.logIndex),
      block,
      severity: severityOf(by, effect),
      type: typeOf(by, effect === FindingSeverity.Low ? FindingType.Info : FindingType.Suspicious),
      addresses: [e.address, ...extra],
      metadata: { contract: e.address, contractKey: keyOf(e.address), event: e.name, ...metadata, txHash: tx.hash, ...attributionMetadata(by) },
    });
  }

  async function onTransaction({ tx, who }: TxView): Promise<Finding[]> {
    const block = blockRefOf(tx);
    const out: Finding[] = [];
    const events: DecodedEvent[] = [];
    const decode = (iface: Iface, addrs: (string | undefined)[]) => {
      const list = addrs.filter((a): a is string => !!a);
      if (!list.length) return;
      const { events: ev, undecodable } = decodeEvents(tx.logs, iface, list);
      for (const u of undecodable) out.push(undecodableLogFinding(tx.network, block, tx.hash, u));
      events.push(...ev);
    };
    const addrs = (re: RegExp) => book.matching(re).map((x) => x.address);
    decode(ROLES_IFACE, [book.tryGetAddress("ALLOCATOR_ROLES")]);
    decode(REGISTRY_IFACE, [book.tryGetAddress("ALLOCATOR_REGISTRY")]);
    decode(VAULT_IFACE, addrs(KEYS.vault));
    decode(BUFFER_IFACE, addrs(KEYS.buffer));
    decode(SUBPROXY_IFACE, addrs(KEYS.subProxy));
    if (!events.length) return out;
    events.sort((a, b) => a.logIndex - b.logIndex);
    const n = block.number;

    for (const e of events) {
      const a = e.args;
      if (e.name === "SetIlkAdmin") {
        const ilk = name32(a.ilk);
        const user = lc(a.user);
        const [before] = await contract(ctx.rpc, e.address, ROLES_IFACE, "ALLOCATOR_ROLES").read("ilkAdmins", [a.ilk], n - 1);
        out.push(await change(ALERTS.ilkAdmin, e, "ilkAdmin", FindingSeverity.High, `admin of ${ilk} set to ${user}${knownPhrase(user)} (was ${lc(before)}): the admin grants the roles that draw, wipe and move the Star's capital`, block, tx, who, { ilk, admin: user, previousAdmin: lc(before), adminKnown: known(user) }, [user]));
      } else if (e.name === "SetUserRole") {
        const ilk = name32(a.ilk);
        const whoAddr = lc(a.who);
        const k = known(whoAddr);
        const effect = !a.enabled ? FindingSeverity.Low : k ? FindingSeverity.Medium : FindingSeverity.High;
        out.push(await change(ALERTS.role, e, "userRole", effect, `role ${str(a.role)} of ${ilk} ${a.enabled ? "granted to" : "revoked from"} ${whoAddr}${knownPhrase(whoAddr)}`, block, tx, who, { ilk, who: whoAddr, role: str(a.role), enabled: !!a.enabled, known: k }, [whoAddr]));
      } else if (e.name === "SetRoleAction") {
        const ilk = name32(a.ilk);
        const target = lc(a.target);
        const k = known(target);
        const effect = !a.enabled ? FindingSeverity.Low : k ? FindingSeverity.Medium : FindingSeverity.High;
        out.push(await change(ALERTS.roleAction, e, "roleAction", effect, `role ${str(a.role)} of ${ilk} ${a.enabled ? "may now call" : "may no longer call"} ${lc(a.sig)} on ${target}${knownPhrase(target)}`, block, tx, who, { ilk, role: str(a.role), target, sig: lc(a.sig), enabled: !!a.enabled, known: k }, [target]));
      } else if (e.name === "File") {
        const data = lc(a.data);
        const isRegistry = a.ilk !== undefined;
        const what = isRegistry ? `buffer of ${name32(a.ilk)} set to ${data}${knownPhrase(data)}: draws of that ilk now land there` : `${name32(a.what)} set to ${data}${knownPhrase(data)}`;
        out.push(await change(ALERTS.config, e, isRegistry ? "buffer" : name32(a.what), FindingSeverity.High, what, block, tx, who, { ilk: isRegistry ? name32(a.ilk) : "", what: name32(a.what), data }, [data]));
      } else if (e.name === "Approve") {
        const spender = lc(a.spender);
        const amount = str(a.amount);
        const k = known(spender);
        const effect = amount !== "0" && !k ? FindingSeverity.High : FindingSeverity.Low;
        const human = amount === MAX ? "unlimited" : formatAmount(fromWad(amount));
        out.push(await change(ALERTS.approve, e, "approve", effect, `${amount === "0" ? "revoked the approval of" : `approved ${human} of ${lc(a.asset)} to`} ${spender}${knownPhrase(spender)}`, block, tx, who, { asset: lc(a.asset), spender, amountRaw: amount, amount: amount === MAX ? "unlimited" : fromWad(amount).toFixed(), known: k }, [spender]));
      } else if (e.name === "Rely" || e.name === "Deny") {
        const usr = lc(a.usr);
        const rely = e.name === "Rely";
        out.push(await change(ALERTS.subProxy, e, rely ? "rely" : "deny", rely ? FindingSeverity.High : FindingSeverity.Medium, rely ? `${usr}${knownPhrase(usr)} is now a ward: it may run any code as the Star's root admin (SubProxy.exec delegatecalls)` : `${usr}${knownPhrase(usr)} is no longer a ward`, block, tx, who, { action: rely ? "rely" : "deny", usr }, [usr]));
      }
    }
    return out;
  }

  return { name: "perimeter", onTransaction };
}
