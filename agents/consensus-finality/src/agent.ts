/**
 * consensus-finality: is Ethereum finalising? Once per epoch it reads the finality checkpoints
 * of the state at the epoch's first slot and tracks two episodes: finality lost (epochs since
 * finalisation >= 4: inactivity leak, High/P1; >= 10: Critical/P0; restored when it drops back)
 * and justification stalled.
 */
import type { Finding } from "forta-agent";
import { fortaContext, lazyAgent, type BotContext } from "../../../shared/bot";
import { Episodes, type EpisodeState } from "../../../shared/episodes";
import { BeaconClient } from "../../../shared/beacon/client";
import { createConsensusAgent, type ConsensusAgent } from "../../../shared/beacon/agent";
import { requireBeaconUrls } from "../../../shared/beacon/config";
import { epochEpisodeFinding, epochRef } from "../../../shared/beacon/findings";
import { FindingSeverity } from "../../../shared/findings";
import { ALERTS } from "./alerts";
import { loadConfig } from "./config";
import { FINALITY_LEVELS, finalitySeverity, readFinality, type FinalityLevel, type JustificationLevel } from "./finality";

interface State {
  finality: EpisodeState<FinalityLevel>;
  justification: EpisodeState<JustificationLevel>;
}

export function createAgent(ctx: BotContext): ConsensusAgent {
  const cfg = loadConfig(ctx.env);
  const client = new BeaconClient({ urls: requireBeaconUrls(ctx.name, cfg.urls), timeoutMs: cfg.timeoutMs });
  const state = ctx.persistent<State>("finality", () => ({ finality: {}, justification: {} }));
  const finality = new Episodes(FINALITY_LEVELS, state.finality);
  const justification = new Episodes(["stalled"] as const, state.justification);

  return createConsensusAgent({
    ctx,
    clockFrom: client,
    async checkEpoch(epoch, clock) {
      // The state at the epoch's first slot: its epoch processing is done, and every node
      // (and both the block and the event path) read the same checkpoints for it. A client that
      // keeps no state at an empty slot is read at the epoch's first block (same checkpoints).
      const { value: cp } = await client.atEpochStart(clock.startSlot(epoch), clock.startSlot(epoch + 1) - 1, (s) => client.finalityCheckpoints(s));
      const r = readFinality(epoch, cp, cfg);
      ctx.observe?.("consensus.finality_distance", r.epochsSinceFinality, {}, epoch);
      const at = epochRef(clock, epoch);
      const metadata = {
        epoch,
        epochsSinceFinality: r.epochsSinceFinality,
        epochsSinceJustification: r.epochsSinceJustification,
        finalizedEpoch: cp.finalized.epoch,
        finalizedRoot: cp.finalized.root,
        currentJustifiedEpoch: cp.currentJustified.epoch,
        currentJustifiedRoot: cp.currentJustified.root,
        previousJustifiedEpoch: cp.previousJustified.epoch,
      };
      const out: Finding[] = [];
      const f = finality.observe("finality", r.finality, at);
      if (f) {
        const restored = f.kind === "resolved";
        out.push(
          epochEpisodeFinding(restored ? ALERTS.restored : ALERTS.lost, f, finalitySeverity, {
            description: restored
              ? `Ethereum finalises again: epoch ${cp.finalized.epoch} finalized at epoch ${epoch}, after ${epoch - f.openedAt.number} epochs of finality loss (peak: ${f.peak === "critical" ? "critical" : "inactivity leak"})`
              : `Ethereum has not finalised for ${r.epochsSinceFinality} epochs (last finalized epoch ${cp.finalized.epoch}, now epoch ${epoch})` +
                (f.level === "critical" ? `: ${cfg.criticalEpochs}+ epochs without finality` : `: the inactivity leak is under way`),
            metadata,
          }),
        );
      }
      const j = justification.observe("justification", r.justification, at);
      if (j) {
        out.push(
          epochEpisodeFinding(ALERTS.justification, j, () => FindingSeverity.Medium, {
            description:
              j.kind === "resolved"
                ? `Ethereum justifies again: epoch ${cp.currentJustified.epoch} justified at epoch ${epoch}`
                : `No epoch justified for ${r.epochsSinceJustification} epochs (current justified epoch ${cp.currentJustified.epoch}, now epoch ${epoch}): fewer than 2/3 of the stake attests to the target`,
            metadata,
          }),
        );
      }
      return out;
    },
  });
}

export default lazyAgent(() => createAgent(fortaContext("consensus-finality")));
