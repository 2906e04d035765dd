/**
 * The pause watcher (MCD_PAUSE, DSPause): plot (a known spell, an unknown caller, the delay
 * bypassed), drop, exec (naming what ran), setDelay; its owner and authority events are rows of the
 * event table. A spell re-pointing MCD_PAUSE runs through the old pause: both are read in that
 * transaction.
 */
import type { TransactionEvent } from "forta-agent";
import { ethers } from "forta-agent";
import { PAUSE_IFACE, PAUSE_NOTES } from "../../../shared/abi";
import { FindingSeverity, createFinding, logKey, type BlockRef } from "../../../shared/findings";
import { attributionMetadata, callerPhrase, type Classification } from "../../../shared/maker/attribution";
import { severityOf, typeOf } from "../../../shared/maker/callers";
import { describeOrigin, faxSelector, pausePlanOf, type SpellOrigin } from "../../../shared/maker/governance";
import { readNotes } from "../../../shared/maker/tx";
import { contract } from "../../../shared/rpc/contract";
import { ALERTS } from "./alerts";
import { ZERO, type GovDeps, type TxScope } from "./deps";
import { bypassesDelay, delayChange, secondsUntil } from "./detectors";
import type { PlanClock } from "./plan-clock";
import { placeUndecodable, runEventTable, type EventAlert, type Placed, type Watcher } from "./watcher";

/** Keep at most this many plotted plans (oldest dropped first); mainnet plots a few a week. */
const MAX_PLANS = 500;

/** The pause's ds-auth events: "this happened", said by a row each (who did it: the caller attribution). */
const PAUSE_EVENTS: EventAlert<Classification>[] = (["owner", "authority"] as const).map((what) => ({
  contract: "MCD_PAUSE",
  iface: PAUSE_IFACE,
  event: what === "owner" ? "LogSetOwner" : "LogSetAuthority",
  alert: what === "owner" ? ALERTS.owner : ALERTS.authority,
  describe: (e, { contract: pause, tx, extra: by }) => {
    const value = String(e.args[what]).toLowerCase();
    return `Pause ${pause}: ${what} set to ${value}${value === ZERO ? " (none)" : ""} ${callerPhrase(by)}; ${what === "owner" ? "the owner can plot and drop plans without the chief" : "the authority decides who can plot (normally the chief)"} (tx from ${tx.from})`;
  },
  type: (_e, { extra: by }) => typeOf(by, (what === "owner" ? ALERTS.owner : ALERTS.authority).type),
  addresses: (e, { contract: pause, tx, extra: by }) => [pause, String(e.args[what]).toLowerCase(), tx.from, ...(by.caller ? [by.caller] : [])],
  metadata: (e, { contract: pause, tx, extra: by }) => ({ pause, [what]: String(e.args[what]).toLowerCase(), txHash: tx.hash, txFrom: tx.from, txTo: tx.to ?? "", ...attributionMetadata(by) }),
}));

export function pauseWatcher(deps: GovDeps, clock: PlanClock): Watcher<TxScope> {
  const { ctx, book, state, descriptionOf } = deps;

  function prunePlans(): void {
    const hashes = Object.keys(state.plans);
    if (hashes.length <= MAX_PLANS) return;
    hashes.sort((a, b) => state.plans[a]!.block - state.plans[b]!.block);
    for (const h of hashes.slice(0, hashes.length - MAX_PLANS)) delete state.plans[h];
  }

  async function handlePause(tx: TransactionEvent, pause: string, block: BlockRef, scope: TxScope): Promise<Placed[]> {
    const out: Placed[] = [];
    const { notes, undecodable } = readNotes(tx.logs, PAUSE_NOTES, pause);
    const reader = contract(ctx.rpc, pause, PAUSE_IFACE, "DSPause");
    const delayBefore = async () => ((await reader.read("delay", [], Math.max(0, block.number - 1)))[0] as ethers.BigNumber).toString();
    for (const n of notes) {
      const key = logKey(tx.network, block, tx.hash, n.logIndex);
      const caller = n.caller!;
      const base = { pause, caller, txHash: tx.hash, txFrom: tx.from };
      if (n.name === "setDelay") {
        const after = (n.args!.delay_ as ethers.BigNumber).toString();
        const before = await delayBefore();
        const change = delayChange(before, after);
        const spec = change === "reduced" ? ALERTS.delayReduced : ALERTS.delayRaised;
        const by = await scope.callers.classify({ contract: pause, param: "setDelay", logIndex: n.logIndex, loggedCaller: caller });
        out.push({
          at: n.logIndex,
          finding: createFinding(spec, {
            description: `The governance delay of pause ${pause} was ${change === "reduced" ? "reduced" : change === "raised" ? "raised" : "re-set"} from ${before} s to ${after} s ${callerPhrase(by)}${change === "reduced" ? ": spells can now run sooner after being scheduled" : ""}`,
            key,
            block,
            severity: severityOf(by, spec.severity),
            type: typeOf(by, spec.type),
            addresses: [pause, caller, tx.from],
            metadata: { ...base, delayBefore: before, delayAfter: after, delayBeforeHours: hours(before), delayAfterHours: hours(after), change, ...attributionMetadata(by) },
          }),
        });
        continue;
      }
      const plan = pausePlanOf(n);
      if (!plan) continue;
      const planMeta = { usr: plan.usr, tag: plan.tag, fax: plan.fax, faxSelector: faxSelector(plan.fax), eta: plan.eta, etaIso: isoTime(plan.eta), planHash: plan.hash };
      if (n.name === "plot") {
        const [origin, before, description] = await Promise.all([deps.knownSpell(caller, block), delayBefore(), descriptionOf(caller, block.number)]);
        const lead = secondsUntil(plan.eta, block.timestamp);
        const bypass = bypassesDelay(plan.eta, block.timestamp, before);
        state.plans[plan.hash] = { usr: plan.usr, eta: plan.eta, plotter: caller, known: origin !== null, block: block.number, txHash: tx.hash };
        prunePlans();
        // an unknown plotter's action is reviewed when a known spell plotted it before, or a configured list names it
        const actionKnown = origin ? true : clock.isReviewedAction(plan.usr) || (await deps.spells.origin(ctx.rpc, plan.usr, block.number)) !== null;
        if (origin) clock.reviewed(plan.usr);
        const spec = bypass ? ALERTS.plotBypass : origin ? ALERTS.plot : ALERTS.plotUnknown;
        const who = `${caller}${description ? ` ("${description}")` : ""}`;
        out.push({
          at: n.logIndex,
          finding: createFinding(spec, {
            description: bypass
              ? `Pause ${pause}: ${who} scheduled plan ${plan.hash} (usr ${plan.usr}) to run ${lead.toFixed()} s after this block, less than the ${before} s delay in force when the block began: the governance delay was bypassed`
              : origin
                ? `Pause ${pause}: spell ${who} scheduled plan ${plan.hash} (usr ${plan.usr}, eta ${isoTime(plan.eta)}, in ${hours(lead.toFixed())} h)`
                : `Pause ${pause}: ${who}, not a known spell, scheduled plan ${plan.hash} (usr ${plan.usr}, ${actionKnown ? "a reviewed action" : "NOT a reviewed action"}, eta ${isoTime(plan.eta)}, in ${hours(lead.toFixed())} h)`,
            key,
            block,
            ...(spec === ALERTS.plotUnknown && actionKnown ? { severity: FindingSeverity.High } : {}),
            addresses: [pause, caller, plan.usr, tx.from],
            metadata: { ...base, ...planMeta, secondsUntilEta: lead.toFixed(), delayInForce: before, spellKnown: String(origin !== null), spellOrigin: describeOrigin(origin), spellDescription: description, actionKnown: String(actionKnown), hat: state.hat ?? "" },
          }),
        });
        // the clock of a plan no known spell scheduled (an episode until it runs or is dropped)
        const opened = origin ? null : clock.plotted(plan.hash, { pause, usr: plan.usr, eta: plan.eta, plotter: caller, actionKnown }, block, tx.network, tx.hash);
        if (opened) out.push({ at: n.logIndex + 0.01, finding: opened });
      } else if (n.name === "drop") {
        const origin = await deps.knownSpell(caller, block);
        const record = state.plans[plan.hash];
        delete state.plans[plan.hash];
        const closed = clock.ended(plan.hash, "dropped", block, tx.network, caller, tx.hash);
        if (closed) out.push({ at: n.logIndex + 0.01, finding: closed });
        out.push({
          at: n.logIndex,
          finding: createFinding(ALERTS.drop, {
            severity: origin ? FindingSeverity.Info : FindingSeverity.Medium,
            description: `Pause ${pause}: plan ${plan.hash} (usr ${plan.usr}, eta ${isoTime(plan.eta)}) was cancelled by ${caller}${origin ? " (a known spell)" : ", not a known spell"}`,
            key,
            block,
            addresses: [pause, caller, plan.usr, tx.from],
            metadata: { ...base, ...planMeta, spellKnown: String(origin !== null), spellOrigin: describeOrigin(origin), plottedBy: record?.plotter ?? "", plottedAtBlock: record?.block ?? "" },
          }),
        });
      } else if (n.name === "exec") {
        const record = state.plans[plan.hash];
        delete state.plans[plan.hash];
        const closed = clock.ended(plan.hash, "executed", block, tx.network, caller, tx.hash);
        if (closed) out.push({ at: n.logIndex + 0.01, finding: closed });
        const [callerOrigin, description] = await Promise.all([deps.knownSpell(caller, block), descriptionOf(caller, block.number)]);
        let origin: SpellOrigin | null = callerOrigin;
        let known = record ? record.known : callerOrigin !== null;
        if (!record && !known) {
          origin = await deps.knownSpell(plan.usr, block); // plotted before the bot started: is the action itself known?
          known = origin !== null;
        }
        const what = `${description ? `"${description}" ` : ""}(spell ${caller}, action ${plan.usr}, call ${faxSelector(plan.fax) || "(none)"})`;
        out.push({
          at: n.logIndex,
          finding: createFinding(known ? ALERTS.exec : ALERTS.execUnknown, {
            description: known
              ? `Pause ${pause} executed ${what} through the pause proxy${record ? `, scheduled at block ${record.block}` : ""}`
              : `Pause ${pause} executed a plan that is not a known spell's: ${what}${record ? `, scheduled at block ${record.block} by ${record.plotter}` : ", scheduled before this bot started watching"}; it ran with the pause proxy's admin rights`,
            key,
            block,
            addresses: [pause, caller, plan.usr, tx.from],
            metadata: {
              ...base,
              ...planMeta,
              spellDescription: description,
              spellKnown: String(known),
              spellOrigin: record ? (record.known ? "plotted by a known spell" : "plotted by an unknown contract") : describeOrigin(origin),
              plottedBy: record?.plotter ?? "",
              plottedAtBlock: record?.block ?? "",
            },
          }),
        });
      }
    }

    return [...out, ...placeUndecodable(tx, block, undecodable)];
  }

  return {
    async onTransaction(tx, scope) {
      const out: Placed[] = [];
      // the pause as it was and as it is after this transaction (a spell re-pointing MCD_PAUSE runs through the old one)
      const pauses = [...new Set([scope.pauseBefore, book.tryGetAddress("MCD_PAUSE")])].filter((p): p is string => !!p);
      for (const pause of pauses) out.push(...(await handlePause(tx, pause, scope.block, scope)));
      out.push(
        ...(await runEventTable(PAUSE_EVENTS, tx, scope.block, {
          addressesOf: () => pauses,
          extra: (e) => scope.callers.classify({ contract: e.address, param: e.name === "LogSetOwner" ? "setOwner" : "setAuthority", logIndex: e.logIndex, loggedCaller: null }),
        })),
      );
      return out;
    },
  };
}

function hours(seconds: string): string {
  return (Number(seconds) / 3600).toFixed(2);
}

function isoTime(unix: string): string {
  const n = Number(unix);
  return Number.isSafeInteger(n) && n >= 0 && n < 8.64e12 ? new Date(n * 1000).toISOString() : unix;
}
