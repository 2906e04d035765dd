/**
 * consensus-participation: how much of the stake attests, and correctly? At each new epoch c it
 * measures epoch c-2, the most recent epoch whose attestations can no longer be included (the
 * "previous epoch" of the last epoch transition), and compares target participation with a
 * trailing baseline and with the 2/3 that finality needs.
 */
import type { Finding } from "forta-agent";
import { fortaContext, lazyAgent, type BotContext } from "../../../shared/bot";
import { Episodes, type EpisodeState } from "../../../shared/episodes";
import { FindingSeverity } from "../../../shared/findings";
import { formatPercent } from "../../../shared/math";
import { BeaconClient } from "../../../shared/beacon/client";
import { createConsensusAgent, type ConsensusAgent } from "../../../shared/beacon/agent";
import { requireBeaconUrls } from "../../../shared/beacon/config";
import { epochEpisodeFinding, epochRef } from "../../../shared/beacon/findings";
import { EpochWithoutBlocksError } from "../../../shared/beacon/errors";
import type { BeaconClock } from "../../../shared/beacon/clock";
import type { ValidatorInfo } from "../../../shared/beacon/types";
import { ALERTS } from "./alerts";
import { loadConfig } from "./config";
import { DROP_LEVELS, baseline, computeParticipation, dropLevel, fraction, type DropLevel, type HistoryEntry } from "./participation";

interface State {
  history: HistoryEntry[];
  drop: EpisodeState<DropLevel>;
  belowFinality: EpisodeState<"below">;
}

/** Flagged epochs older than this are forgotten (they never enter the baseline anyway). */
const FLAGGED_HISTORY_EPOCHS = 64;

export function createAgent(ctx: BotContext): ConsensusAgent {
  const cfg = loadConfig(ctx.env);
  const client = new BeaconClient({ urls: requireBeaconUrls(ctx.name, cfg.urls), timeoutMs: cfg.timeoutMs });
  const state = ctx.persistent<State>("participation", () => ({ history: [], drop: {}, belowFinality: {} }));
  const drops = new Episodes(DROP_LEVELS, state.drop);
  const below = new Episodes(["below"] as const, state.belowFinality);

  /**
   * The validators active in `epoch` (the weights), from the state at its first slot (or first
   * block, on clients without states at empty slots). An epoch without any block has no state of
   * its own: then from the next epoch's state, keeping those whose activation and exit epochs say
   * they were active in `epoch` (effective balances as of the next epoch).
   */
  async function activeIn(epoch: number, clock: BeaconClock): Promise<ValidatorInfo[]> {
    const span = (e: number) => [clock.startSlot(e), clock.startSlot(e + 1) - 1] as const;
    try {
      return (await client.atEpochStart(...span(epoch), (s) => client.validators(s, ["active"]))).value;
    } catch (err) {
      if (!(err instanceof EpochWithoutBlocksError)) throw err;
      const all = (await client.atEpochStart(...span(epoch + 1), (s) => client.validators(s))).value;
      const e = BigInt(epoch);
      return all.filter((v) => v.activationEpoch <= e && e < v.exitEpoch);
    }
  }

  return createConsensusAgent({
    ctx,
    clockFrom: client,
    async checkEpoch(epoch, clock) {
      const measured = epoch - 2;
      if (measured < 0) return [];
      const [rewards, active, cp] = await Promise.all([
        client.attestationRewards(measured),
        activeIn(measured, clock),
        client.atEpochStart(clock.startSlot(epoch), clock.startSlot(epoch + 1) - 1, (s) => client.finalityCheckpoints(s)).then((r) => r.value),
      ]);
      const p = computeParticipation(measured, active, rewards);
      const target = fraction(p.targetGwei, p.activeGwei);
      const source = fraction(p.sourceGwei, p.activeGwei);
      const head = p.headGwei === null ? null : fraction(p.headGwei, p.activeGwei);
      const base = baseline(state.history, measured, cp.finalized.epoch, cfg.baselineEpochs, cfg.baselineMinEpochs);
      const d = base ? dropLevel(target, base.value, cfg) : null;
      const isBelow = target.lt(cfg.finalityThreshold);
      for (const [flag, v] of [["target", target], ["source", source], ["head", head]] as const) if (v) ctx.observe?.("consensus.participation", v.toFixed(6), { flag }, measured);

      const at = epochRef(clock, epoch);
      const metadata = {
        participationEpoch: measured,
        targetParticipation: target.toFixed(6),
        targetParticipationPct: formatPercent(target),
        sourceParticipation: source.toFixed(6),
        headParticipation: head ? head.toFixed(6) : "unknown (inactivity leak: head votes are not rewarded)",
        baseline: base ? base.value.toFixed(6) : "",
        baselinePct: base ? formatPercent(base.value) : "",
        baselineEpochs: base ? `${base.epochs.length} finalised epochs, ${base.epochs[0]}-${base.epochs[base.epochs.length - 1]}` : "",
        drop: d ? d.drop.toFixed(6) : "",
        dropPct: d ? formatPercent(d.drop) : "",
        activeValidators: p.activeValidators,
        targetValidators: p.targetValidators,
        activeBalanceGwei: p.activeGwei,
        targetBalanceGwei: p.targetGwei,
        finalizedEpoch: cp.finalized.epoch,
      };

      const out: Finding[] = [];
      // Without a baseline (just started) an open drop episode is left as it is.
      const t = base ? drops.observe("target", d!.level, at) : null;
      if (t) {
        out.push(
          epochEpisodeFinding(ALERTS.drop, t, (l) => (l === "severe" ? FindingSeverity.Critical : FindingSeverity.High), {
            description:
              t.kind === "resolved"
                ? `Attestation participation recovered: target participation in epoch ${measured} was ${formatPercent(target)}, within ${formatPercent(cfg.noiseFloor)} of its baseline ${formatPercent(base!.value)}`
                : `Target participation in epoch ${measured} was ${formatPercent(target)} of the active stake, ${formatPercent(d!.drop)} below its baseline of ${formatPercent(base!.value)} (median of ${base!.epochs.length} finalised epochs)`,
            metadata,
          }),
        );
      }
      const b = below.observe("target", isBelow ? "below" : null, at);
      if (b) {
        out.push(
          epochEpisodeFinding(ALERTS.belowFinality, b, () => FindingSeverity.Critical, {
            description:
              b.kind === "resolved"
                ? `Target participation back above 2/3: ${formatPercent(target)} in epoch ${measured}`
                : `Only ${formatPercent(target)} of the active stake attested to the right target in epoch ${measured}: below the 2/3 finality needs`,
            metadata,
          }),
        );
      }

      state.history.push({ epoch: measured, target: target.toFixed(), flagged: isBelow || (d?.level ?? null) !== null });
      state.history = prune(state.history, cfg.baselineEpochs, measured);
      return out;
    },
  });
}

/** Keep the newest `n` unflagged epochs (the baseline) and recent flagged ones (for inspection). */
function prune(history: HistoryEntry[], n: number, latest: number): HistoryEntry[] {
  // a few more than n: the newest ones may not be finalised yet
  const keepUnflagged = new Set(history.filter((h) => !h.flagged).slice(-(n + 4)).map((h) => h.epoch));
  return history.filter((h) => keepUnflagged.has(h.epoch) || (h.flagged && h.epoch > latest - FLAGGED_HISTORY_EPOCHS));
}

export default lazyAgent(() => createAgent(fortaContext("consensus-participation")));
