/**
 * Each Star's StarGuard (*_STARGUARD, ../shared/reference/sky.md §14.2): governance plots a payload
 * (address + the codehash it must have) with a deadline; anyone then executes it once, through the
 * Star's SubProxy (a delegatecall: the payload runs as the Star's root admin).
 * - Plot: Medium (check it against the Sky spell that plotted it); High when the payload's code at
 *   that block does not hash to the tag (or there is none); Drop: Low; File (maxDelay): Medium.
 *   Each attributed: not governance is Critical.
 * - Exec: Low when it runs what we saw plotted with the code plotted; High when we never saw it
 *   plotted, or its code at the execution no longer hashes to the plotted tag.
 * What each guard has plotted lives in state (read from `spellData()` at start, then from its events).
 */
import type { Finding } from "forta-agent";
import { ethers } from "forta-agent";
import { fromBytes32 } from "../../../shared/abi";
import { blockRefOf, type BlockTag } from "../../../shared/bot";
import { FindingSeverity, FindingType, createFinding, logKey } from "../../../shared/findings";
import { decodeEvents, undecodableLogFinding } from "../../../shared/logs";
import { attributionMetadata, callerPhrase } from "../../../shared/maker/attribution";
import { severityOf, typeOf } from "../../../shared/maker/callers";
import { contract } from "../../../shared/rpc/contract";
import type { Watcher } from "../../../shared/watchers";
import { STARGUARD_IFACE } from "./abi";
import { ALERTS } from "./alerts";
import { KEYS, lc, str, type TxView, type WatcherDeps } from "./deps";
import { payloadMismatch } from "./detectors";

interface State {
  /** per guard (lowercase address): what is plotted, or absent */
  plotted: Record<string, { addr: string; tag: string; deadline: string }>;
  /** guards whose spellData() was read */
  seeded: string[];
}

const ZERO = "0x0000000000000000000000000000000000000000";

export function starGuardWatcher({ ctx, book }: WatcherDeps): Watcher<TxView> {
  const state = ctx.persistent<State>("starguard", () => ({ plotted: {}, seeded: [] }));
  const guards = () => book.matching(KEYS.starGuard);

  async function codehash(addr: string, block: BlockTag): Promise<string | null> {
    const code = await ctx.rpc.request<string>("eth_getCode", [addr, typeof block === "number" ? `0x${block.toString(16)}` : block]);
    return !code || code === "0x" ? null : ethers.utils.keccak256(code).toLowerCase();
  }

  async function seed(guard: string, block: BlockTag): Promise<void> {
    if (state.seeded.includes(guard)) return;
    const sd = await contract(ctx.rpc, guard, STARGUARD_IFACE, "StarGuard").read("spellData", [], block);
    if (lc(sd.addr) !== ZERO) state.plotted[guard] = { addr: lc(sd.addr), tag: lc(sd.tag), deadline: str(sd.deadline) };
    state.seeded.push(guard);
  }

  async function onTransaction({ tx, who }: TxView): Promise<Finding[]> {
    const block = blockRefOf(tx);
    const out: Finding[] = [];
    const list = guards();
    if (!list.length) return out;
    const { events, undecodable } = decodeEvents(tx.logs, STARGUARD_IFACE, list.map((g) => g.address));
    for (const u of undecodable) out.push(undecodableLogFinding(tx.network, block, tx.hash, u));
    if (!events.length) return out;
    for (const e of events) {
      const g = e.address;
      const gKey = book.keysOf(g).find((k) => KEYS.starGuard.test(k)) ?? "";
      // the guard's plot as it stood before this transaction (from its storage, if we never saw it)
      await seed(g, block.number - 1);
      const key = logKey(tx.network, block, tx.hash, e.logIndex);
      const base = { contract: g, contractKey: gKey, event: e.name, txHash: tx.hash };
      if (e.name === "Exec") {
        const addr = lc(e.args.addr);
        const plot = state.plotted[g];
        const plottedTag = plot && plot.addr === addr ? plot.tag : null;
        const hash = await codehash(addr, block.number);
        const bad = payloadMismatch(plottedTag, hash);
        delete state.plotted[g];
        const why = bad === "unplotted" ? `never plotted as far as this bot saw (plotted: ${plot ? plot.addr : "nothing"})` : bad === "no-code" ? "no code at the payload's address" : bad === "codehash" ? `its code hashes to ${hash}, not the plotted tag ${plottedTag}` : "the payload plotted, with the plotted code";
        out.push(createFinding(ALERTS.exec, {
          description: `${gKey} ${g} executed Star payload ${addr} through its SubProxy: ${why}${bad ? ": what ran is not what governance plotted" : ""}`,
          key, block, severity: bad ? FindingSeverity.High : FindingSeverity.Low, type: bad ? FindingType.Suspicious : FindingType.Info,
          addresses: [g, addr],
          metadata: { ...base, payload: addr, plottedTag: plottedTag ?? "", codehash: hash ?? "", mismatch: bad ?? "", txFrom: tx.from },
        }));
        continue;
      }
      const param = e.name === "File" ? name(e.args.what) : e.name.toLowerCase();
      const by = await who.classify({ contract: g, param, logIndex: e.logIndex, loggedCaller: null });
      let effect = FindingSeverity.Medium;
      let what: string;
      const md: Record<string, string> = { ...base };
      if (e.name === "Plot") {
        const addr = lc(e.args.addr);
        const tag = lc(e.args.tag);
        const hash = await codehash(addr, block.number);
        const bad = payloadMismatch(tag, hash);
        if (bad) effect = FindingSeverity.High;
        state.plotted[g] = { addr, tag, deadline: str(e.args.deadline) };
        what = `plotted Star payload ${addr} (tag ${tag}, executable by anyone until ${str(e.args.deadline)})${bad === "no-code" ? ": no code there yet" : bad === "codehash" ? `: its code hashes to ${hash}, not the tag` : ""}; check it against the Sky spell that plotted it`;
        Object.assign(md, { payload: addr, tag, deadline: str(e.args.deadline), codehash: hash ?? "", mismatch: bad ?? "" });
      } else if (e.name === "Drop") {
        const addr = lc(e.args.addr);
        if (state.plotted[g]?.addr === addr) delete state.plotted[g];
        effect = FindingSeverity.Low;
        what = `dropped Star payload ${addr}`;
        Object.assign(md, { payload: addr });
      } else {
        what = `${name(e.args.what)} set to ${str(e.args.data)}${name(e.args.what) === "maxDelay" ? " s: how long a plotted payload stays executable" : ""}`;
        Object.assign(md, { what: name(e.args.what), data: str(e.args.data) });
      }
      out.push(createFinding(ALERTS.plot, {
        description: `${gKey} ${g}: ${what} ${callerPhrase(by)}`,
        key, block, severity: severityOf(by, effect), type: typeOf(by, effect === FindingSeverity.Low ? FindingType.Info : FindingType.Suspicious),
        addresses: [g, ...(md.payload ? [String(md.payload)] : [])],
        metadata: { ...md, ...attributionMetadata(by) },
      }));
    }
    return out;
  }

  return {
    name: "starguard",
    async initialize() {
      await Promise.all(guards().map((g) => seed(g.address, ctx.initBlock)));
    },
    onTransaction,
  };
}

const name = (v: unknown) => fromBytes32(String(v)) ?? String(v);
