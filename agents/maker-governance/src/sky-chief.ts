/**
 * The new Chief watcher (MCD_ADM since 2025: typed Etch/Vote/Lift events, SKY, VoteDelegates):
 * - every lift classified (SKY-GOV-LIFT: a normal spell, an emergency spell and its breaker,
 *   Protego or one of its drop spells, a spell that won suspiciously, or no spell at all);
 * - the campaign behind each candidate (who voted, when) that the classification reads;
 * - a candidate that is not vetted with more approvals than the hat (SKY-GOV-CANDIDATE-OVER-HAT,
 *   an episode: resolved when it falls back or is lifted, then judged as a lift);
 * - delegation swings: one transaction adding a large share of the hat's approvals to a
 *   VoteDelegate (SKY-GOV-DELEGATION-SWING);
 * - accounts that cast a vetted spell's plan are learned (the "deployer's history" evidence).
 * Runs before the lifts watcher, so the hat episode and HAT-CHANGED read this lift's verdict.
 */
import { ethers } from "forta-agent";
import { PAUSE_NOTES } from "../../../shared/abi";
import { Episodes, episodeFinding } from "../../../shared/episodes";
import { FindingSeverity, createFinding, logKey } from "../../../shared/findings";
import { decodeEvents } from "../../../shared/logs";
import { readNotes } from "../../../shared/maker/tx";
import { dec, formatAmount, fromWad } from "../../../shared/math";
import { ALERTS } from "./alerts";
import { ZERO, type GovDeps, type TxScope } from "./deps";
import type { SpellFacts, Verdict } from "./spell-class";
import type { Placed, Watcher } from "./watcher";

const NEW_CHIEF_IFACE = new ethers.utils.Interface(["event Etch(bytes32 indexed slate, address[] yays)", "event Vote(bytes32 indexed slate)", "event Lift(address indexed whom)"]);
/** the new Chief's Lock(uint256): a VoteDelegate's lock went into this chief (a legacy-build VD locks into the legacy chief) */
const CHIEF_LOCK = ethers.utils.id("Lock(uint256)");
const VD_IFACE = new ethers.utils.Interface(["event Lock(address indexed usr, uint256 wad)"]);
const VD_LOCK = VD_IFACE.getEventTopic("Lock");

const lc = (v: unknown) => String(v).toLowerCase();

export function skyChiefWatcher(deps: GovDeps): Watcher<TxScope> {
  const { config, book, vetting, spells } = deps;
  const st = vetting.state;
  const overHat = new Episodes<"over">(["over"], st.overHat);

  function factsMetadata(v: Verdict, f: SpellFacts) {
    return {
      class: v.class,
      vetted: String(v.vetted),
      reasons: v.reasons.join("; "),
      breaker: f.emsp ?? "",
      description: f.shape.description,
      campaignObserved: String(f.campaign.observed),
      campaignHours: f.campaign.firstSupport === null ? "" : ((f.now - f.campaign.firstSupport) / 3600).toFixed(1),
      supporters: f.campaign.supporters,
      delegateSupporters: f.campaign.delegateSupporters,
      delegateShare: f.campaign.delegateShare?.toFixed(4) ?? "",
      learnedDeployer: String(f.learnedDeployer),
    };
  }

  const CLASS_WORDS: Record<string, string> = {
    configured: "a configured spell",
    normal: "a normal spell",
    emsp: "an emergency spell (EMSP)",
    protego: "Protego itself",
    "drop-spell": "a Protego drop spell",
    suspicious: "a spell-shaped contract that won suspiciously",
    unknown: "not a spell",
  };

  return {
    async onTransaction(tx, scope) {
      const chief = book.tryGetAddress("MCD_ADM");
      const block = scope.block;
      if (!chief || !(await deps.vetting.isNewChief(chief, block.number))) return [];
      const intoChief = tx.logs.some((l) => lc(l.address) === chief && l.topics[0] === CHIEF_LOCK);
      const vdLocks = intoChief ? tx.logs.filter((l) => l.topics[0] === VD_LOCK && lc(l.address) !== chief) : [];
      const pause = book.tryGetAddress("MCD_PAUSE");
      const touchesPause = !!pause && tx.logs.some((l) => lc(l.address) === pause);
      if (!vdLocks.length && !touchesPause && !tx.logs.some((l) => lc(l.address) === chief)) return [];
      const out: Placed[] = [];
      const chiefLogs = decodeEvents(tx.logs, NEW_CHIEF_IFACE, chief);
      const touched = new Set<string>();
      const voter = tx.to && lc(tx.to) !== chief ? lc(tx.to) : lc(tx.from); // through a VoteDelegate: the VD voted
      for (const e of chiefLogs.events) {
        if (e.name === "Etch") {
          st.slates[lc(e.args.slate)] = (e.args.yays as string[]).map(lc);
        } else if (e.name === "Vote") {
          for (const c of vetting.vote(voter, lc(e.args.slate), block.timestamp)) touched.add(c);
        } else if (e.name === "Lift") {
          const whom = lc(e.args.whom);
          if (whom === ZERO) continue;
          const configured = (await spells.origin(deps.ctx.rpc, whom, block.number)) !== null;
          const { verdict, facts } = await vetting.judge(whom, block, configured);
          out.push({
            at: e.logIndex - 0.05,
            finding: createFinding(ALERTS.skyLift, {
              description: `New Chief ${chief}: ${whom} lifted to hat is ${CLASS_WORDS[verdict.class]}${facts.shape.description ? ` ("${facts.shape.description}")` : ""}: ${verdict.reasons.join("; ")}`,
              key: logKey(tx.network, block, tx.hash, e.logIndex),
              block,
              severity: verdict.severity,
              addresses: [chief, whom, tx.from],
              metadata: { chief, hat: whom, ...factsMetadata(verdict, facts), txHash: tx.hash, txFrom: tx.from },
            }),
          });
          touched.add(whom);
        }
      }
      // delegation swings: SKY locked through a VoteDelegate in this transaction
      const locks = new Map<string, bigint>();
      for (const l of vdLocks) {
        const d = decodeEvents([l], VD_IFACE, l.address);
        for (const e of d.events) locks.set(e.address, (locks.get(e.address) ?? 0n) + (e.args.wad as ethers.BigNumber).toBigInt());
      }
      const [hatOut] = (await vetting.read(chief, "hat", [], block.number)) ?? [ZERO];
      const hat = lc(hatOut);
      const hatApprovals = dec(String((await vetting.read(chief, "approvals", [hat], block.number))?.[0] ?? 0));
      for (const [vd, wad] of locks) {
        if (!(await vetting.isDelegate(vd, block.number))) continue;
        const share = hatApprovals.gt(0) ? dec(wad.toString()).div(hatApprovals) : dec(1);
        if (share.lte(config.swingShare)) continue;
        const backs = st.slates[st.voterSlate[vd] ?? ""] ?? [];
        for (const c of backs) touched.add(c);
        const unvetted: string[] = [];
        for (const c of backs) if (c !== ZERO && !(await deps.knownSpell(c, block))) unvetted.push(c);
        const at = tx.logs.find((l) => lc(l.address) === vd && l.topics[0] === VD_LOCK)!.logIndex;
        out.push({
          at,
          finding: createFinding(ALERTS.skySwing, {
            description: `VoteDelegate ${vd} received ${formatAmount(fromWad(wad.toString()))} SKY in one transaction, ${share.times(100).toFixed(1)}% of the hat's approvals${unvetted.length ? `; its delegate backs ${unvetted.join(", ")}, not vetted` : ""}`,
            key: logKey(tx.network, block, tx.hash, at),
            block,
            severity: unvetted.length ? FindingSeverity.High : FindingSeverity.Medium,
            addresses: [vd, chief, tx.from, ...unvetted],
            metadata: { chief, voteDelegate: vd, lockedWad: wad.toString(), locked: fromWad(wad.toString()).toFixed(), hat, hatApprovalsWad: hatApprovals.toFixed(), shareOfHat: share.toFixed(4), backs: backs.join(","), unvetted: unvetted.join(","), txHash: tx.hash },
          }),
        });
      }
      // candidates above the hat: a lift of any of them is possible now
      for (const s of Object.keys(st.overHat)) touched.add(s);
      for (const c of touched) {
        if (c === ZERO) continue;
        const approvals = dec(String((await vetting.read(chief, "approvals", [c], block.number))?.[0] ?? 0));
        let over = c !== hat && approvals.gt(hatApprovals);
        let verdict: Verdict | null = null;
        if (over && !st.overHat[c]) {
          const configured = (await spells.origin(deps.ctx.rpc, c, block.number)) !== null;
          verdict = (await vetting.judge(c, block, configured)).verdict;
          // Protego, its drop spells and the EMSPs have their own (High/Medium) lift alert; this one is for takeovers
          over = verdict.class === "suspicious" || verdict.class === "unknown";
        }
        const t = overHat.observe(c, over ? "over" : null, block);
        if (!t) continue;
        out.push({
          at: Math.max(...tx.logs.map((l) => l.logIndex), 0) + 0.5,
          finding: episodeFinding(ALERTS.skyOverHat, t, () => FindingSeverity.Critical, {
            description:
              t.kind === "resolved"
                ? `New Chief ${chief}: ${c} no longer has more approvals than the hat${c === hat ? " (it was lifted: see SKY-GOV-LIFT)" : ""}`
                : `New Chief ${chief}: ${c}, not vetted (${verdict?.reasons.join("; ") ?? ""}), holds ${formatAmount(fromWad(approvals.toFixed()))} SKY of approvals, more than the hat ${hat} (${formatAmount(fromWad(hatOut === ZERO ? "0" : hatApprovals.toFixed()))}): anyone can lift it now`,
            key: [tx.network, chief, c],
            addresses: [chief, c, hat],
            metadata: { chief, candidate: c, hat, approvalsWad: approvals.toFixed(), approvals: fromWad(approvals.toFixed()).toFixed(), hatApprovalsWad: hatApprovals.toFixed(), hatApprovals: fromWad(hatApprovals.toFixed()).toFixed(), class: verdict?.class ?? "", reasons: verdict?.reasons.join("; ") ?? "" },
          }),
        });
      }
      // learn who casts vetted spells (the deployer-history evidence for later spells)
      if (pause && touchesPause) {
        for (const n of readNotes(tx.logs, PAUSE_NOTES, pause).notes) {
          if (n.name === "exec" && n.caller && st.verdicts[n.caller]?.vetted) vetting.learn(tx.from);
        }
      }
      return out; // the chief's undecodable logs are reported by the lifts watcher (chief.ts)
    },
  };
}
