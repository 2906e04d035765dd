/**
 * sky-rates: who moves Sky's rates. SPBEAM (MCD_SPBEAM) lets its operators (buds) set ilk duties
 * (Jug), the DSR (Pot) and the SSR (sUSDS) within per-rate bounds, no spell needed; its MOM
 * (SPBEAM_MOM) lets the chief's hat halt it with no delay.
 *
 * - SPBEAM: every Set (Low; Medium for repeated whole-step moves one way), buds (Kiss/Diss),
 *   bounds (File(id, min/max/step)), halts (File("bad", 1), the MOM's Halt), other settings, rights.
 * - Jug duty, Pot dsr and sUSDS ssr changes: explained by an SPBEAM Set for that rate in the same
 *   transaction, or made by governance (a spell); anything else is an unknown ward (Critical).
 * Addresses from the ChainLog (MAKER_CHAINLOG), following its updates.
 */
import type { Finding, TransactionEvent } from "forta-agent";
import { JUG_IFACE, JUG_NOTES, POT_IFACE, POT_NOTES, fromBytes32 } from "../../../shared/abi";
import { fileChangeOf } from "../../../shared/abi/note";
import { readNotes } from "../../../shared/maker/tx";
import { CONV_IFACE, SPBEAM_IFACE, SPBEAM_MOM_IFACE, STUSDS_IFACE, STUSDS_MOM_IFACE, STUSDS_RATE_SETTER_IFACE, SUSDS_IFACE } from "../../../shared/abi/sky";
import { blockRefOf, fortaContext, lazyAgent, type Agent, type BotContext } from "../../../shared/bot";
import { FindingSeverity, FindingType, createFinding, logKey, type BlockRef } from "../../../shared/findings";
import { decodeEvents, undecodableLogFinding, type DecodedEvent } from "../../../shared/logs";
import { attributionMetadata, callerPhrase, keepForAttribution } from "../../../shared/maker/attribution";
import { callerAttributionFor, severityOf, typeOf, type TxCallers } from "../../../shared/maker/callers";
import { touching } from "../../../shared/interest";
import { AddressBook } from "../../../shared/maker/chainlog";
import { dec } from "../../../shared/math";
import { contract } from "../../../shared/rpc/contract";
import { ALERTS } from "./alerts";
import { loadConfig } from "./config";
import { loosens, moveOf } from "./detectors";

export const BOT = "sky-rates";

const KEEP = /^(MCD_SPBEAM|SPBEAM_MOM|MCD_JUG|MCD_POT|SUSDS|STUSDS|STUSDS_RATE_SETTER|STUSDS_MOM)$/;

interface State {
  /** per rate id: the direction of the last whole-step Set (0 when the last was not whole-step) */
  lastMaxStep: Record<string, number>;
}

const lc = (v: unknown) => String(v).toLowerCase();
const str = (v: unknown) => (v as { toString(): string }).toString();
const name32 = (v: unknown) => fromBytes32(String(v)) ?? String(v);
/** yearly percentage of a per-second ray, for people (approximate: 365-day compounding) */
const yearly = (rayPerSecond: string) => {
  const r = Number(dec(rayPerSecond).div("1e27").toFixed(30));
  return `${((Math.pow(r, 31536000) - 1) * 100).toFixed(2)}%/yr`;
};

export function createAgent(ctx: BotContext): Agent {
  const cfg = loadConfig(ctx.env);
  const bookOpts = { keep: keepForAttribution(KEEP) };
  const book = AddressBook.attach(ctx.persistent("chainlog", () => AddressBook.emptyState(cfg.chainlog, bookOpts)), cfg.chainlog, bookOpts);
  const callers = callerAttributionFor(ctx, book, cfg);
  const state = ctx.persistent<State>("rates", () => ({ lastMaxStep: {} }));

  /** the per-second rate SPBEAM id `id` controls, at `block` */
  async function rateOf(id: string, block: number): Promise<string | null> {
    if (id === "DSR") {
      const pot = book.tryGetAddress("MCD_POT");
      return pot ? str((await contract(ctx.rpc, pot, POT_IFACE, "Pot").read("dsr", [], block))[0]) : null;
    }
    if (id === "SSR") {
      const s = book.tryGetAddress("SUSDS");
      return s ? str((await contract(ctx.rpc, s, SUSDS_IFACE, "SUSDS").read("ssr", [], block))[0]) : null;
    }
    const jug = book.tryGetAddress("MCD_JUG");
    if (!jug) return null;
    const r = await contract(ctx.rpc, jug, JUG_IFACE, "Jug").read("ilks", [ethers32(id)], block);
    return str(r[0]);
  }

  async function setFinding(e: DecodedEvent, spbeam: string, block: BlockRef, tx: TransactionEvent): Promise<Finding> {
    const id = name32(e.args.id);
    const bps = Number(str(e.args.bps));
    const S = contract(ctx.rpc, spbeam, SPBEAM_IFACE, "MCD_SPBEAM");
    const [[convAddr], cfgNow] = await Promise.all([S.read("conv", [], block.number), S.read("cfgs", [ethers32(id)], block.number)]);
    const conv = contract(ctx.rpc, lc(convAddr), CONV_IFACE, "conv");
    const [before, after, [expected]] = await Promise.all([rateOf(id, block.number - 1), rateOf(id, block.number), conv.read("btor", [bps], block.number)]);
    const beforeBps = before === null ? null : Number(str((await conv.read("rtob", [before], block.number))[0]));
    const step = Number(str(cfgNow.step));
    const move = beforeBps === null ? null : moveOf(beforeBps, bps, step);
    const prev = state.lastMaxStep[id] ?? 0;
    state.lastMaxStep[id] = move?.maxStep ? move.dir : 0;
    const repeated = !!move?.maxStep && move.dir !== 0 && prev === move.dir;
    const matches = after !== null && after === str(expected);
    const severity = !matches ? FindingSeverity.High : repeated ? FindingSeverity.Medium : FindingSeverity.Low;
    return createFinding(ALERTS.set, {
      description:
        `SPBEAM set ${id} to ${bps} bps` +
        (beforeBps !== null ? ` (from about ${beforeBps} bps, step ${step})` : "") +
        (repeated ? `: a second whole-step move ${move!.dir > 0 ? "up" : "down"} in a row` : "") +
        (!matches ? `: but the ${id} rate is now ${after ?? "unknown"}, not conv.btor(${bps}) = ${str(expected)}` : "") +
        ` (tx from ${tx.from})`,
      key: logKey(tx.network, block, tx.hash, e.logIndex),
      block,
      severity,
      addresses: [spbeam, tx.from],
      metadata: {
        setter: spbeam, setterKey: "MCD_SPBEAM", id, bps, previousBps: beforeBps ?? "", step, min: str(cfgNow.min), max: str(cfgNow.max), maxStepMove: !!move?.maxStep, repeatedMaxStep: repeated,
        rate: after ?? "", rateYearly: after ? yearly(after) : "", expectedRate: str(expected), rateMatches: matches, bud: tx.from.toLowerCase(), txHash: tx.hash,
      },
    });
  }

  async function stSetFinding(e: DecodedEvent, rs: string, block: BlockRef, tx: TransactionEvent): Promise<Finding> {
    const [strBps, dutyBps, line, cap] = [str(e.args.strBps), str(e.args.dutyBps), str(e.args.line), str(e.args.cap)];
    return createFinding(ALERTS.set, {
      description: `stUSDS rate setter set str ${strBps} bps, Lockstake duty ${dutyBps} bps, line ${dec(line).shiftedBy(-45).toFixed()} USDS, cap ${dec(cap).shiftedBy(-18).toFixed()} USDS (tx from ${tx.from})`,
      key: logKey(tx.network, block, tx.hash, e.logIndex),
      block,
      addresses: [rs, tx.from],
      metadata: { setter: rs, setterKey: "STUSDS_RATE_SETTER", id: "STR", bps: strBps, dutyBps, line: dec(line).shiftedBy(-45).toFixed(), cap: dec(cap).shiftedBy(-18).toFixed(), bud: tx.from.toLowerCase(), txHash: tx.hash },
    });
  }

  async function setterEvents(setterKey: "MCD_SPBEAM" | "STUSDS_RATE_SETTER", events: DecodedEvent[], spbeam: string, mom: string | undefined, momEvents: DecodedEvent[], block: BlockRef, tx: TransactionEvent, who: TxCallers): Promise<Finding[]> {
    const IFACE = setterKey === "MCD_SPBEAM" ? SPBEAM_IFACE : STUSDS_RATE_SETTER_IFACE;
    const label = setterKey === "MCD_SPBEAM" ? "SPBEAM" : "stUSDS rate setter";
    const out: Finding[] = [];
    for (const e of events) {
      const key = logKey(tx.network, block, tx.hash, e.logIndex);
      if (e.name === "Set") {
        if (setterKey === "MCD_SPBEAM") ctx.observe?.("sky.rate_bps", String(e.args.bps), { id: name32(e.args.id) });
        else {
          ctx.observe?.("sky.rate_bps", String(e.args.strBps), { id: "STUSDS" });
          ctx.observe?.("sky.rate_bps", String(e.args.dutyBps), { id: "LSEV2-SKY-A" });
        }
        out.push(setterKey === "MCD_SPBEAM" ? await setFinding(e, spbeam, block, tx) : await stSetFinding(e, spbeam, block, tx));
        continue;
      }
      const param = e.name === "Kiss" || e.name === "Diss" ? "buds" : e.name === "Rely" || e.name === "Deny" ? "rights" : e.signature === "File(bytes32,uint256)" ? name32(e.args.what) : `${name32(e.args.id)}.${name32(e.args.what)}`;
      let by = await who.classify({ contract: spbeam, param, logIndex: e.logIndex, loggedCaller: null });
      // the setter's MOM acted (its own event names this setter): its role, whoever the hat is
      const momActed = momEvents.find((m) => m.name !== "SetOwner" && m.name !== "SetAuthority" && lc(m.args[0]) === spbeam);
      if (momActed && by.callerClass === "outsider" && ["bad", "maxLine", "maxCap", "buds"].includes(param)) {
        by = { ...by, callerClass: "automation", caller: mom ?? by.caller, module: setterKey === "MCD_SPBEAM" ? "SPBEAM_MOM" : "STUSDS_MOM", reason: `made by the setter's MOM ${mom} (its ${momActed.name} event names this setter), within its role` };
      }
      const common = { setter: spbeam, setterKey, txHash: tx.hash, ...attributionMetadata(by) };
      if (e.name === "Kiss" || e.name === "Diss") {
        const usr = lc(e.args.usr);
        const effect = e.name === "Kiss" ? FindingSeverity.High : FindingSeverity.Medium;
        out.push(
          createFinding(ALERTS.bud, {
            description: `${label} ${spbeam}: ${usr} ${e.name === "Kiss" ? "can now set rates (new bud)" : "can no longer set rates (bud removed)"} ${callerPhrase(by)}`,
            key, block, severity: severityOf(by, effect), type: typeOf(by, FindingType.Suspicious),
            addresses: [spbeam, usr], metadata: { ...common, action: e.name.toLowerCase(), usr },
          }),
        );
      } else if (e.name === "Rely" || e.name === "Deny") {
        const usr = lc(e.args.usr);
        out.push(
          createFinding(ALERTS.rights, {
            description: `${label} ${spbeam}: ward ${e.name === "Rely" ? "granted to" : "revoked from"} ${usr} ${callerPhrase(by)}`,
            key, block, severity: severityOf(by, FindingSeverity.High), type: typeOf(by, FindingType.Suspicious),
            addresses: [spbeam, usr], metadata: { ...common, contract: spbeam, contractKey: setterKey, action: e.name.toLowerCase(), usr },
          }),
        );
      } else if (e.signature === "File(bytes32,bytes32,uint256)") {
        const id = name32(e.args.id);
        const what = name32(e.args.what);
        const after = Number(str(e.args.data));
        const cfgBefore = await contract(ctx.rpc, spbeam, IFACE, setterKey).read("cfgs", [ethers32(id)], block.number - 1);
        const before = what === "min" || what === "max" || what === "step" ? Number(str(cfgBefore[what])) : 0;
        const wider = loosens(what, before, after);
        out.push(
          createFinding(ALERTS.bounds, {
            description: `${label} ${spbeam}: ${id} ${what} ${before} -> ${after} bps ${callerPhrase(by)}${wider ? ": buds may now move this rate further" : ""}`,
            key, block, severity: severityOf(by, wider ? FindingSeverity.High : FindingSeverity.Medium), type: typeOf(by, FindingType.Suspicious),
            addresses: [spbeam], metadata: { ...common, id, what, before, after, loosens: wider },
          }),
        );
      } else if (e.signature === "File(bytes32,uint256)") {
        const what = name32(e.args.what);
        const data = str(e.args.data);
        const halt = momEvents.find((m) => (m.name === "Halt" && lc(m.args.spbeam) === spbeam) || (m.name === "HaltRateSetter" && lc(m.args.rateSetter) === spbeam));
        if (what === "maxLine" || what === "maxCap") {
          const [prevRaw] = await contract(ctx.rpc, spbeam, IFACE, setterKey).read(what, [], block.number - 1);
          const before = str(prevRaw);
          const wider = dec(data).gt(before);
          const zeroBy = momEvents.find((m) => (m.name === "ZeroLine" || m.name === "ZeroCap") && lc(m.args.rateSetter) === spbeam);
          out.push(
            createFinding(ALERTS.bounds, {
              description: `${label} ${spbeam}: ${what} ${before} -> ${data} ${zeroBy ? `by its MOM ${mom} (${zeroBy.name})` : callerPhrase(by)}${wider ? ": buds may now set a higher " + (what === "maxLine" ? "debt ceiling" : "stUSDS cap") : ""}`,
              key, block, severity: severityOf(by, wider ? FindingSeverity.High : FindingSeverity.Medium), type: typeOf(by, FindingType.Suspicious),
              addresses: [spbeam], metadata: { ...common, id: "", what, before, after: data, loosens: wider },
            }),
          );
        } else if (what === "bad" && data !== "0") {
          out.push(
            createFinding(ALERTS.halt, {
              description: `${label} ${spbeam} halted (bad = ${data}) ${halt ? `by its MOM ${mom} (the chief's hat or the MOM's owner, no delay; tx from ${tx.from})` : callerPhrase(by)}: no rate can be set until governance resumes it`,
              key, block, severity: severityOf(by, FindingSeverity.High), type: typeOf(by, FindingType.Suspicious),
              addresses: [spbeam, ...(halt && mom ? [mom] : []), tx.from], metadata: { ...common, bad: data, haltedByMom: !!halt, mom: halt ? mom : "", txFrom: tx.from },
            }),
          );
        } else {
          out.push(
            createFinding(ALERTS.config, {
              description: `${label} ${spbeam}: ${what} set to ${data}${what === "bad" ? " (resumed)" : what === "tau" ? " s between sets" : ""} ${callerPhrase(by)}`,
              key, block, severity: severityOf(by, FindingSeverity.Medium), type: typeOf(by, FindingType.Info),
              addresses: [spbeam], metadata: { ...common, what, value: data },
            }),
          );
        }
      }
    }
    return out;
  }

  async function handleTransaction(tx: TransactionEvent): Promise<Finding[]> {
    const block = blockRefOf(tx);
    book.applyTransaction(tx);
    const who = callers.observe(tx);
    const out: Finding[] = [];
    const decode = (iface: Parameters<typeof decodeEvents>[1], addr: string | undefined) => {
      if (!addr) return [] as DecodedEvent[];
      const { events, undecodable } = decodeEvents(tx.logs, iface, addr);
      for (const u of undecodable) out.push(undecodableLogFinding(tx.network, block, tx.hash, u));
      return events;
    };
    const spbeam = book.tryGetAddress("MCD_SPBEAM");
    const mom = book.tryGetAddress("SPBEAM_MOM");
    const momEvents = decode(SPBEAM_MOM_IFACE, mom);
    const spEvents = decode(SPBEAM_IFACE, spbeam);
    if (spbeam) out.push(...(await setterEvents("MCD_SPBEAM", spEvents, spbeam, mom, momEvents, block, tx, who)));
    const rs = book.tryGetAddress("STUSDS_RATE_SETTER");
    const stMom = book.tryGetAddress("STUSDS_MOM");
    const stMomEvents = decode(STUSDS_MOM_IFACE, stMom);
    const rsEvents = decode(STUSDS_RATE_SETTER_IFACE, rs);
    if (rs) out.push(...(await setterEvents("STUSDS_RATE_SETTER", rsEvents, rs, stMom, stMomEvents, block, tx, who)));
    for (const e of stMomEvents) {
      if (e.name !== "ZeroCap" && e.name !== "ZeroLine") continue;
      out.push(
        createFinding(ALERTS.momZero, {
          description: `STUSDS_MOM ${e.address}: ${e.name === "ZeroCap" ? "stUSDS cap and the rate setter's maxCap set to 0: no new deposits" : "the Lockstake line and the rate setter's maxLine set to 0: no new borrowing"} (the chief's hat or the MOM's owner, no delay; tx from ${tx.from}): an emergency is under way`,
          key: logKey(tx.network, block, tx.hash, e.logIndex), block, addresses: [e.address, tx.from],
          metadata: { mom: e.address, action: e.name, rateSetter: lc(e.args.rateSetter), txFrom: tx.from, txHash: tx.hash },
        }),
      );
    }

    for (const e of [...momEvents, ...stMomEvents]) {
      if (e.name !== "SetOwner" && e.name !== "SetAuthority") continue;
      const momKey = e.address === mom ? "SPBEAM_MOM" : "STUSDS_MOM";
      const by = await who.classify({ contract: e.address, param: "rights", logIndex: e.logIndex, loggedCaller: null });
      const usr = lc(e.name === "SetOwner" ? e.args.owner : e.args.authority);
      out.push(
        createFinding(ALERTS.rights, {
          description: `${momKey} ${e.address}: ${e.name === "SetOwner" ? "owner" : "authority"} set to ${usr} ${callerPhrase(by)} (the ${e.name === "SetOwner" ? "owner" : "authority's root (the chief's hat)"} can trip this MOM with no delay)`,
          key: logKey(tx.network, block, tx.hash, e.logIndex), block, severity: severityOf(by, FindingSeverity.High), type: typeOf(by, FindingType.Suspicious),
          addresses: [e.address, usr], metadata: { contract: e.address, contractKey: momKey, action: e.name === "SetOwner" ? "setOwner" : "setAuthority", usr, txHash: tx.hash, ...attributionMetadata(by) },
        }),
      );
    }

    // rate changes on the Jug, the Pot and sUSDS: explained by a Set of SPBEAM, or by governance
    const setIds = new Set(spEvents.filter((e) => e.name === "Set").map((e) => name32(e.args.id)));
    const changes: { contract: string; key: string; id: string; param: string; value: string; logIndex: number; caller: string | null }[] = [];
    const jug = book.tryGetAddress("MCD_JUG");
    const pot = book.tryGetAddress("MCD_POT");
    const susds = book.tryGetAddress("SUSDS");
    if (jug) {
      for (const n of readNotes(tx.logs, JUG_NOTES, jug).notes) {
        const fc = fileChangeOf(n);
        if (fc?.what === "duty" && fc.ilk) changes.push({ contract: jug, key: "MCD_JUG", id: fc.ilk, param: "duty", value: fc.value, logIndex: n.logIndex, caller: n.caller });
      }
    }
    if (pot) {
      for (const n of readNotes(tx.logs, POT_NOTES, pot).notes) {
        const fc = fileChangeOf(n);
        if (fc?.what === "dsr") changes.push({ contract: pot, key: "MCD_POT", id: "DSR", param: "dsr", value: fc.value, logIndex: n.logIndex, caller: n.caller });
      }
    }
    const stusds = book.tryGetAddress("STUSDS");
    const rsSet = rsEvents.some((e) => e.name === "Set");
    const zeroed = new Set<string>(stMomEvents.map((e) => (e.name === "ZeroCap" ? "cap" : e.name === "ZeroLine" ? "line" : "")));
    for (const e of decode(STUSDS_IFACE, stusds)) {
      if (e.name !== "File") continue;
      const what = name32(e.args.what);
      if (rsSet || zeroed.has(what)) continue; // the rate setter's Set, or the MOM's ZeroCap/ZeroLine, reports it
      changes.push({ contract: stusds!, key: "STUSDS", id: what === "str" ? "STR" : what, param: what, value: str(e.args.data), logIndex: e.logIndex, caller: null });
    }
    for (const e of decode(SUSDS_IFACE, susds)) {
      if (e.name === "File" && name32(e.args.what) === "ssr") changes.push({ contract: susds!, key: "SUSDS", id: "SSR", param: "ssr", value: str(e.args.data), logIndex: e.logIndex, caller: null });
    }
    for (const c of changes) {
      if (spbeam && setIds.has(c.id) && (c.caller === null || c.caller === spbeam)) continue; // SPBEAM's Set reports it
      if (rs && rsSet && c.key === "MCD_JUG" && c.caller === rs) continue; // the stUSDS rate setter's Set (the Lockstake duty)
      const by = await who.classify({ contract: c.contract, param: c.param, logIndex: c.logIndex, loggedCaller: c.caller });
      const spec = by.callerClass === "governance" ? ALERTS.spell : ALERTS.unexplained;
      out.push(
        createFinding(spec, {
          description:
            by.callerClass === "governance"
              ? `${c.key} ${describeRate(c)} by governance (a spell)`
              : `${c.key} ${describeRate(c)} with no rate setter Set for it and not by governance: ${by.reason}. Whoever did it is a ward of ${c.key} that should not be`,
          key: logKey(tx.network, block, tx.hash, c.logIndex),
          block,
          addresses: [c.contract, ...(by.caller ? [by.caller] : [])],
          metadata: { contract: c.contract, contractKey: c.key, id: c.id, what: c.param, value: c.value, yearly: isRate(c.param) ? yearly(c.value) : "", txHash: tx.hash, ...attributionMetadata(by) },
        }),
      );
    }
    return out;
  }

  return {
    async initialize() {
      await book.ensureLoaded(ctx.rpc, ctx.initBlock);
    },
    handleTransaction,
    // what handleTransaction reads: logs of the book's contracts (the rate setters, their MOMs, Jug, Pot,
    // sUSDS, stUSDS, the pause's plots, the ChainLog's updates)
    wantsTransaction: touching(book),
  };
}

function isRate(param: string): boolean {
  return param === "duty" || param === "dsr" || param === "ssr" || param === "str";
}

function describeRate(c: { id: string; param: string; value: string }): string {
  if (!isRate(c.param)) return `${c.param} set to ${c.value}`;
  const what = c.param === "duty" ? `${c.id} duty` : c.param.toUpperCase();
  return `${what} set to ${c.value} (${yearly(c.value)})`;
}

function ethers32(text: string): string {
  const hex = Buffer.from(text, "utf8").toString("hex");
  return `0x${hex.padEnd(64, "0")}`;
}

export default lazyAgent(() => createAgent(fortaContext(BOT)));
