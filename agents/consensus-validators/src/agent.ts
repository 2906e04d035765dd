/**
 * consensus-validators: the validator set. Once per epoch it reads the active validators and the
 * exited slashed ones (slashed after their exit, or after their slashing's exit) of the state at
 * the epoch's first slot, in one request, and compares with the previous epoch: new slashings
 * (then it reads the blocks since the previous epoch to say which were proposer and which
 * attester slashings), bursts of exits, and the active count against its recent high.
 */
import type { Finding } from "forta-agent";
import { fortaContext, lazyAgent, type BotContext } from "../../../shared/bot";
import { Episodes, type EpisodeState } from "../../../shared/episodes";
import { createFinding, FindingSeverity } from "../../../shared/findings";
import { dec, formatPercent } from "../../../shared/math";
import { BeaconClient } from "../../../shared/beacon/client";
import { createConsensusAgent, type ConsensusAgent } from "../../../shared/beacon/agent";
import { requireBeaconUrls } from "../../../shared/beacon/config";
import { epochEpisodeFinding, epochRef } from "../../../shared/beacon/findings";
import type { BlockOperations, ValidatorInfo } from "../../../shared/beacon/types";
import { ALERTS } from "./alerts";
import { loadConfig, type ValidatorsConfig } from "./config";
import { SNAPSHOT_STATUSES, activeDrop, added, attribute, exitBurstThreshold, indexRanges, judgeSlashings, newExits, snapshot, type ExitTail } from "./validators";

interface State {
  /**
   * the previous epoch's snapshot: slashed indices and the tail of the exit queue.
   * `withExited`: `slashed` includes exited_slashed validators (snapshots before that change
   * listed only active_slashed ones).
   */
  last: { epoch: number; slot: number; slashed: number[]; exitTail: ExitTail | null; withExited?: true } | null;
  /** active count per epoch over the drop window */
  counts: { epoch: number; count: number }[];
  drop: EpisodeState<"drop">;
}

const BLOCK_READS_IN_PARALLEL = 8;

export function createAgent(ctx: BotContext): ConsensusAgent {
  const cfg = loadConfig(ctx.env);
  const client = new BeaconClient({ urls: requireBeaconUrls(ctx.name, cfg.urls), timeoutMs: cfg.timeoutMs });
  const state = ctx.persistent<State>("validators", () => ({ last: null, counts: [], drop: {} }));
  const drops = new Episodes(["drop"] as const, state.drop);

  /** Blocks of slots (from, to], the latest `cfg.maxBlocksPerEpoch` of them. */
  async function blocksBetween(from: number, to: number): Promise<BlockOperations[]> {
    const slots: number[] = [];
    for (let s = to; s > from && slots.length < cfg.maxBlocksPerEpoch; s--) slots.push(s);
    const out: BlockOperations[] = [];
    for (let i = 0; i < slots.length; i += BLOCK_READS_IN_PARALLEL) {
      const got = await Promise.all(slots.slice(i, i + BLOCK_READS_IN_PARALLEL).map((s) => client.block(s)));
      for (const b of got) if (b) out.push(b);
    }
    return out;
  }

  return createConsensusAgent({
    ctx,
    clockFrom: client,
    async checkEpoch(epoch, clock) {
      // at the epoch's first slot, or its first block on a client without states at empty slots
      const { value: read, slot } = await client.atEpochStart(clock.startSlot(epoch), clock.startSlot(epoch + 1) - 1, (s) => client.validators(s, SNAPSHOT_STATUSES));
      const snap = snapshot(epoch, read);
      const at = epochRef(clock, epoch);
      const out: Finding[] = [];

      // Active count against its high over the window.
      const window = state.counts.filter((w) => w.epoch > epoch - cfg.dropWindowEpochs && w.epoch < epoch);
      const { reference, drop } = activeDrop(window, snap.active);
      ctx.observe?.("consensus.active_validators", snap.active, {}, epoch);
      const t = drops.observe("active", drop.gt(cfg.dropFraction) ? "drop" : null, at);
      if (t) {
        out.push(
          epochEpisodeFinding(ALERTS.activeDrop, t, () => FindingSeverity.High, {
            description:
              t.kind === "resolved"
                ? `Active validator count back within ${formatPercent(cfg.dropFraction)} of its recent high: ${snap.active} (high ${reference})`
                : `Active validators fell to ${snap.active}, ${formatPercent(drop)} below the high of ${reference} over the last ${cfg.dropWindowEpochs} epochs`,
            metadata: { activeValidators: snap.active, referenceValidators: reference, drop: drop.toFixed(6), dropPct: formatPercent(drop), activeBalanceGwei: snap.activeGwei, windowEpochs: cfg.dropWindowEpochs },
          }),
        );
      }
      state.counts = [...window, { epoch, count: snap.active }];

      // Slashings and exits since the previous snapshot (none judged on the first one).
      const exits = newExits(state.last?.exitTail ?? null, snap.exiting);
      if (state.last && state.last.epoch < epoch) {
        // A snapshot taken before exited_slashed validators were read cannot tell which of them
        // are new: those are left out once rather than all reported as slashed now.
        const before = state.last.withExited ? state.last.slashed : [...state.last.slashed, ...read.filter((v) => v.status === "exited_slashed").map((v) => v.index)];
        const slashed = added(before, snap.slashed);
        if (slashed.length) out.push(await slashingFinding(slashed, snap.active, read, state.last.slot, slot));
        const exiting = exits.added;
        const threshold = exitBurstThreshold(snap.active, cfg.exitBurstMin, cfg.exitBurstFraction);
        if (exiting.length >= threshold) {
          out.push(
            createFinding(ALERTS.exitBurst, {
              block: at,
              key: [epoch, indexRanges(exiting)],
              description: `${exiting.length} validators initiated their exit since epoch ${state.last.epoch} (${formatPercent(dec(exiting.length).div(snap.active))} of the active set; burst threshold ${threshold})`,
              metadata: { epoch, sinceEpoch: state.last.epoch, exits: exiting.length, validators: indexRanges(exiting), activeValidators: snap.active, threshold },
            }),
          );
        }
      }
      state.last = { epoch, slot, slashed: snap.slashed, exitTail: exits.tail, withExited: true };
      return out;

      async function slashingFinding(indices: number[], activeCount: number, all: readonly ValidatorInfo[], fromSlot: number, toSlot: number): Promise<Finding> {
        const blocks = await blocksBetween(fromSlot, toSlot);
        const who = attribute(indices, blocks);
        const kinds = { proposer: 0, attester: 0, unknown: 0 };
        for (const w of who.values()) kinds[w.kind]++;
        const operatorSet = operatorIndices(cfg, all);
        const judged = judgeSlashings(indices, activeCount, operatorSet, cfg.majorSlashingFraction);
        const slots = [...new Set([...who.values()].map((w) => w.slot).filter((s): s is number => s !== null))].sort((a, b) => a - b);
        // Only when some of the watched operator's validators are among them.
        const operator =
          judged.fractionOfOperatorSet !== null && judged.operatorSlashed > 0
            ? `; ${judged.operatorSlashed} of the ${operatorSet.size} watched operator validators (${formatPercent(judged.fractionOfOperatorSet)})`
            : "";
        return createFinding(ALERTS.slashing, {
          block: at,
          key: [epoch, indexRanges(indices)],
          severity: judged.major ? FindingSeverity.High : FindingSeverity.Medium,
          description:
            `${indices.length} validator${indices.length > 1 ? "s" : ""} slashed (${kinds.proposer} by proposer slashing, ${kinds.attester} by attester slashing` +
            `${kinds.unknown ? `, ${kinds.unknown} not attributed` : ""}): ${formatPercent(judged.fractionOfActive)} of the active validators${operator}`,
          metadata: {
            epoch,
            slashed: indices.length,
            validators: indexRanges(indices),
            proposerSlashed: indexRanges(indices.filter((i) => who.get(i)!.kind === "proposer")),
            attesterSlashed: indexRanges(indices.filter((i) => who.get(i)!.kind === "attester")),
            includedInSlots: slots.join(","),
            fractionOfActive: judged.fractionOfActive.toFixed(6),
            activeValidators: activeCount,
            operatorSetSlashed: judged.fractionOfOperatorSet !== null ? judged.operatorSlashed : undefined,
            fractionOfOperatorSet: judged.fractionOfOperatorSet?.toFixed(6),
          },
        });
      }
    },
  });
}

/** The operator set as validator indices (public keys resolved through the validators read). */
function operatorIndices(cfg: ValidatorsConfig, read: readonly ValidatorInfo[]): Set<number> {
  if (cfg.operatorSet.length === 0) return new Set();
  const byKey = new Map(read.map((v) => [v.pubkey, v.index]));
  const out = new Set<number>();
  for (const id of cfg.operatorSet) {
    if (id.startsWith("0x")) {
      const i = byKey.get(id);
      if (i !== undefined) out.add(i);
    } else out.add(Number(id));
  }
  return out;
}

export default lazyAgent(() => createAgent(fortaContext("consensus-validators")));
