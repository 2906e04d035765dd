/**
 * The emergency paths around the chief (either chief; the MOMs' authority is MCD_ADM):
 * - SKY-GOV-MOM-BY-HAT: a MOM (any ChainLog key ending in _MOM) acted outside a pause execution:
 *   only the hat can make it do that (the MOMs' `canCall` is the chief's), with no GSM delay;
 * - SKY-GOV-EMSP-SCHEDULED: a transaction to an emergency spell (ChainLog EMSP_*, or made by an
 *   EMSP_*_FAB factory) that did its work, naming the breaker (Low when the spell was not the hat:
 *   its MOM calls cannot have worked);
 * - SKY-GOV-EMSP-FAIL: an emergency spell's `Fail(ilk, target, reason)` (the multi-spells catch a
 *   failing MOM call per ilk and go on): that ilk was not protected;
 * - Protego (MCD_PROTEGO) and VoteDelegateFactory events, as rows of the event table.
 */
import { ethers, type TransactionEvent } from "forta-agent";
import { PAUSE_NOTES } from "../../../shared/abi";
import { FindingSeverity, createFinding, logKey } from "../../../shared/findings";
import { pausePlanOf } from "../../../shared/maker/governance";
import { decodeEvents } from "../../../shared/logs";
import { readNotes } from "../../../shared/maker/tx";
import { ALERTS } from "./alerts";
import { ZERO, type GovDeps, type TxScope } from "./deps";
import { placeUndecodable, runEventTable, type EventAlert, type Placed, type Watcher } from "./watcher";

const lc = (v: unknown) => String(v).toLowerCase();

/** topic0 -> event signature, for naming what a MOM or an EMSP did (sky.md appendix A) */
const KNOWN_EVENTS = new Map(
  ["Halt(address)", "Halt(address,uint8)", "Halt()", "Stop()", "Stop(address)", "Stop(bytes32,address)", "Wipe(bytes32)", "Wipe()", "SetBreaker(bytes32,address)", "SetBreaker(address)", "Disable(address)", "Halt(uint8)", "Fail(bytes32,address,bytes)", "HaltRateSetter(address)", "DissRateSetterBud(address,address)", "ZeroCap(address)", "ZeroLine(address)", "Drop()"].map((s) => [ethers.utils.id(s), s]),
);
const OWNERSHIP = new Set(["SetOwner(address)", "SetAuthority(address)", "LogSetOwner(address)", "LogSetAuthority(address)"].map((s) => ethers.utils.id(s)));

const PROTEGO_IFACE = new ethers.utils.Interface(["event Deploy(address dropSpell)", "event Drop(bytes32 id)"]);
const DROP_SPELL_IFACE = new ethers.utils.Interface(["event Drop()"]);
const DROP_TOPIC = DROP_SPELL_IFACE.getEventTopic("Drop");
const FAIL_IFACE = new ethers.utils.Interface(["event Fail(bytes32 indexed ilk, address indexed target, bytes reason)"]);
const FAIL_TOPIC = FAIL_IFACE.getEventTopic("Fail");
const ERROR_SELECTOR = "0x08c379a0";
const FACTORY_IFACE = new ethers.utils.Interface(["event CreateVoteDelegate(address indexed usr, address indexed voteDelegate)"]);

/**
 * Whether an emergency spell outside the ChainLog may act in `tx` (what the watcher reads beyond
 * the book's contracts): with an EMSP factory named, a transaction to a contract that logs (a
 * factory's spell at work) or an emergency spell's Fail; with Protego named, a drop spell's Drop.
 */
export function outsideSpellMayAct(tx: TransactionEvent, fabs: boolean, protego: boolean): boolean {
  if (!fabs && !protego) return false;
  const to = tx.to ? lc(tx.to) : null;
  for (const l of tx.logs) {
    const own = to !== null && lc(l.address) === to;
    if (fabs && (own || l.topics[0] === FAIL_TOPIC)) return true;
    if (protego && own && l.topics[0] === DROP_TOPIC) return true;
  }
  return false;
}

interface RowExtra {
  /** the dropped plan as the pause watcher recorded it (null: not seen plotted) */
  plannedBy: { plotter: string; known: boolean } | null;
}

export function emergencyWatcher(deps: GovDeps): Watcher<TxScope> {
  const { book, vetting, state } = deps;

  const dropSeverity = (x: RowExtra) => (x.plannedBy?.known ? FindingSeverity.High : FindingSeverity.Medium);
  const plannedWords = (x: RowExtra) => (x.plannedBy ? ` (plotted by ${x.plannedBy.plotter}, ${x.plannedBy.known ? "a known spell: a legitimate plan was dropped" : "not a known spell"})` : "");
  const ROWS: EventAlert<RowExtra>[] = [
    {
      contract: "MCD_PROTEGO", iface: PROTEGO_IFACE, event: "Deploy", alert: ALERTS.skyProtegoDeploy,
      describe: (e, s) => `Protego ${s.contract} made drop spell ${lc(e.args.dropSpell)} (by ${s.tx.from}): lifted to hat, it drops one planned spell`,
      addresses: (e, s) => [s.contract, lc(e.args.dropSpell), s.tx.from],
      metadata: (e, s) => ({ protego: s.contract, dropSpell: lc(e.args.dropSpell), txHash: s.tx.hash, txFrom: s.tx.from }),
    },
    {
      contract: "MCD_PROTEGO", iface: PROTEGO_IFACE, event: "Drop", alert: ALERTS.skyProtegoDrop,
      describe: (e, s) => `Protego ${s.contract} (the hat) dropped plan ${lc(e.args.id)}${plannedWords(s.extra)} at the call of ${s.tx.from}`,
      severity: (_e, s) => dropSeverity(s.extra),
      addresses: (_e, s) => [s.contract, s.tx.from],
      metadata: (e, s) => ({ by: s.contract, planHash: lc(e.args.id), plottedBy: s.extra.plannedBy?.plotter ?? "", plotKnown: String(s.extra.plannedBy?.known ?? ""), txHash: s.tx.hash, txFrom: s.tx.from }),
    },
    {
      contract: "DROP_SPELL", iface: DROP_SPELL_IFACE, event: "Drop", alert: ALERTS.skyProtegoDrop,
      describe: (_e, s) => `Protego drop spell ${s.contract} dropped its plan${plannedWords(s.extra)} at the call of ${s.tx.from}`,
      severity: (_e, s) => dropSeverity(s.extra),
      addresses: (_e, s) => [s.contract, s.tx.from],
      metadata: (_e, s) => ({ by: s.contract, planHash: "", plottedBy: s.extra.plannedBy?.plotter ?? "", plotKnown: String(s.extra.plannedBy?.known ?? ""), txHash: s.tx.hash, txFrom: s.tx.from }),
    },
    // every VoteDelegateFactory (the 2025 one, the legacy one: SKY_GOV_VOTE_DELEGATE_FACTORY_KEYS), one row each
    ...deps.config.voteDelegateFactories.map((factoryKey): EventAlert<RowExtra> => ({
      contract: factoryKey, iface: FACTORY_IFACE, event: "CreateVoteDelegate", alert: ALERTS.skyDelegate,
      describe: (e) => `VoteDelegate ${lc(e.args.voteDelegate)} created for delegate ${lc(e.args.usr)} by ${factoryKey}`,
      addresses: (e, s) => [s.contract, lc(e.args.usr), lc(e.args.voteDelegate)],
      metadata: (e, s) => ({ factory: s.contract, factoryKey, delegate: lc(e.args.usr), voteDelegate: lc(e.args.voteDelegate), txHash: s.tx.hash }),
    })),
  ];

  return {
    async onTransaction(tx, scope) {
      const block = scope.block;
      const out: Placed[] = [];
      const pause = book.tryGetAddress("MCD_PAUSE");
      const inExec = !!pause && readNotes(tx.logs, PAUSE_NOTES, pause).notes.some((n) => n.name === "exec");
      const to = tx.to ? lc(tx.to) : null;
      const chief = book.tryGetAddress("MCD_ADM");

      // a MOM acted outside a pause execution: the hat called it
      const moms = new Map(book.matching(/_MOM$/).map((e) => [e.address, e.key]));
      const momLogs = inExec ? [] : tx.logs.filter((l) => moms.has(lc(l.address)) && !OWNERSHIP.has(l.topics[0] ?? ""));
      // only a contract called directly that logs something can be an EMSP or drop spell at work (no read otherwise)
      const toLogged = !!to && tx.logs.some((l) => lc(l.address) === to);
      const emsp = to && toLogged ? await vetting.emspOf(to, block.number) : null;
      if (momLogs.length && chief) {
        const hat = lc(((await vetting.read(chief, "hat", [], block.number)) ?? [ZERO])[0]);
        const known = hat !== ZERO ? await deps.knownSpell(hat, block) : null;
        const hatEmsp = hat !== ZERO ? await vetting.emspOf(hat, block.number) : null;
        for (const l of momLogs) {
          const key = moms.get(lc(l.address))!;
          const what = KNOWN_EVENTS.get(l.topics[0] ?? "") ?? `a log (topic ${l.topics[0] ?? "none"})`;
          const severity = hatEmsp || known ? FindingSeverity.High : FindingSeverity.Critical;
          out.push({
            at: l.logIndex,
            finding: createFinding(ALERTS.skyMom, {
              description: `${key} ${lc(l.address)} acted (${what}) outside any pause execution: the hat ${hat} (${hatEmsp ? `emergency spell ${hatEmsp}` : known ? "a vetted spell" : "NOT a vetted spell"}) called it directly, with no governance delay`,
              key: logKey(tx.network, block, tx.hash, l.logIndex),
              block,
              severity,
              addresses: [lc(l.address), hat, tx.from],
              metadata: { mom: lc(l.address), momKey: key, event: what, hat, hatEmsp: hatEmsp ?? "", hatVetted: String(!!known), txHash: tx.hash, txFrom: tx.from, txTo: to ?? "" },
            }),
          });
        }
      }
      // the hat at this block, read once if an emergency spell is involved
      const failLogs = tx.logs.filter((l) => l.topics[0] === FAIL_TOPIC);
      let hatNow: string | undefined;
      const hatOf = async () => (hatNow ??= chief ? lc(((await vetting.read(chief, "hat", [], block.number)) ?? [ZERO])[0]) : ZERO);
      // a transaction to an emergency spell that did something: its breaker tripped
      if (to && emsp) {
        const own = tx.logs.filter((l) => lc(l.address) === to);
        const all = tx.logs.filter((l) => lc(l.address) !== chief);
        if (own.length) {
          const names = own.map((l) => KNOWN_EVENTS.get(l.topics[0] ?? "") ?? "log");
          const isHat = (await hatOf()) === to;
          out.push({
            at: Math.min(...tx.logs.map((l) => l.logIndex)) - 0.1, // before what the spell made the MOM do
            finding: createFinding(ALERTS.skyEmsp, {
              description: isHat
                ? `Emergency spell ${to} (${emsp}) was scheduled by ${tx.from}: it tripped its breaker at once (${names.join(", ")}; ${all.length} log(s) in the transaction)`
                : `Emergency spell ${to} (${emsp}) was scheduled by ${tx.from} while NOT the hat (${await hatOf()} is): its MOM calls lack the chief's authority, nothing was tripped (${names.join(", ")})`,
              key: logKey(tx.network, block, tx.hash, own[0]!.logIndex),
              block,
              ...(isHat ? {} : { severity: FindingSeverity.Low }),
              addresses: [to, tx.from],
              metadata: { spell: to, breaker: emsp, events: names.join(","), spellIsHat: String(isHat), txHash: tx.hash, txFrom: tx.from },
            }),
          });
        }
      }
      // an emergency spell's Fail: one ilk it was meant to protect was not
      for (const l of failLogs) {
        const spell = lc(l.address);
        const breaker = spell === to ? emsp : await vetting.emspOf(spell, block.number);
        if (!breaker) continue;
        const d = decodeEvents([l], FAIL_IFACE, spell);
        const e = d.events[0];
        if (!e) {
          out.push(...placeUndecodable(tx, block, d.undecodable));
          continue;
        }
        const ilk = ilkName(String(e.args.ilk));
        const target = lc(e.args.target);
        const reasonHex = String(e.args.reason);
        const reason = revertText(reasonHex);
        const isHat = (await hatOf()) === spell;
        out.push({
          at: l.logIndex,
          finding: createFinding(ALERTS.skyEmspFail, {
            description: isHat
              ? `Emergency spell ${spell} (${breaker}), the hat, failed for ilk ${ilk} (${target}): ${reason || "no reason given"}; that ilk was NOT protected, act on it by hand`
              : `Emergency spell ${spell} (${breaker}) failed for ilk ${ilk} (${target}) while not the hat (${await hatOf()} is): ${reason || "no reason given"}; nothing it tried could work without the chief's authority`,
            key: logKey(tx.network, block, tx.hash, l.logIndex),
            block,
            ...(isHat ? {} : { severity: FindingSeverity.Low }),
            addresses: [spell, target, tx.from],
            metadata: { spell, breaker, ilk, ilkRaw: String(e.args.ilk), target, reason, reasonHex, spellIsHat: String(isHat), hat: await hatOf(), txHash: tx.hash, txFrom: tx.from },
          }),
        });
      }
      const dropSpell = to && tx.logs.some((l) => lc(l.address) === to && l.topics[0] === DROP_TOPIC) && (await vetting.isDropSpell(to, block.number)) ? to : undefined;
      out.push(
        ...(await runEventTable(ROWS, tx, block, {
          addressesOf: (k) => (k === "DROP_SPELL" ? [dropSpell] : [book.tryGetAddress(k)]),
          extra: async (e) => {
            // the plan: Protego's Drop names it; a drop spell's is the pause's drop note in this transaction
            const note = pause ? readNotes(tx.logs, PAUSE_NOTES, pause).notes.find((n) => n.name === "drop") : undefined;
            const id = e.args.id ? lc(e.args.id) : note ? pausePlanOf(note)?.hash : undefined;
            const planned = id ? state.plans[id] : undefined;
            return { plannedBy: planned ? { plotter: planned.plotter, known: planned.known } : null };
          },
        })),
      );
      return out;
    },
  };
}

/** A bytes32 ilk as text ("ETH-A"), or its hex when it is not text. */
function ilkName(raw: string): string {
  try {
    return ethers.utils.parseBytes32String(raw);
  } catch {
    return raw;
  }
}

/** A revert reason: Error(string) decoded, anything else as hex ("" when empty). */
export function revertText(hex: string): string {
  if (hex.startsWith(ERROR_SELECTOR) && hex.length > 10) {
    try {
      return String(ethers.utils.defaultAbiCoder.decode(["string"], "0x" + hex.slice(10))[0]);
    } catch {
      return hex;
    }
  }
  return hex === "0x" ? "" : hex;
}
