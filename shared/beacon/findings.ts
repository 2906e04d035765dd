/**
 * Findings of the consensus bots are about epochs, not execution blocks: a finding's "block" is
 * the epoch it was observed at (timestamp: the epoch's first slot, which is also the timestamp
 * of the execution block of that slot), so the execution-block path and the beacon-event path
 * produce identical findings. Episodes open and resolve at epochs.
 */
import type { Finding } from "forta-agent";
import { FindingSeverity } from "forta-agent";
import type { EpisodeTransition } from "../episodes";
import { createFinding, type AlertSpec, type BlockRef, type FindingInput } from "../findings";
import type { BeaconClock } from "./clock";

/** A BlockRef standing for `epoch`: number = epoch, timestamp = the epoch's start. */
export function epochRef(clock: BeaconClock, epoch: number): BlockRef {
  return { number: epoch, hash: `epoch-${epoch}`, timestamp: clock.epochTime(epoch) };
}

export function epochEpisodeId(subject: string, openedAt: BlockRef): string {
  return `${subject}@epoch${openedAt.number}`;
}

/**
 * An episode transition (Episodes observed with `epochRef`s) as a finding: opened/escalated take
 * the level's severity, resolved is Info. Metadata names the episode and its epochs.
 */
export function epochEpisodeFinding<L extends string>(
  spec: AlertSpec,
  t: EpisodeTransition<L>,
  severityOf: (level: L) => FindingSeverity,
  input: Omit<FindingInput, "key" | "block" | "severity"> & { key?: readonly (string | number)[] },
): Finding {
  const severity = t.kind === "resolved" ? FindingSeverity.Info : severityOf(t.level);
  const id = epochEpisodeId(t.subject, t.openedAt);
  return createFinding(spec, {
    ...input,
    severity,
    block: t.at,
    key: [...(input.key ?? []), "episode", id, t.kind, t.kind === "resolved" ? t.peak : t.level, t.at.number],
    metadata: {
      ...input.metadata,
      epoch: t.at.number,
      episode: t.kind,
      episodeId: id,
      episodeOpenedAtEpoch: t.openedAt.number,
      ...(t.kind === "resolved" ? { episodePeak: t.peak, episodeEpochs: t.at.number - t.openedAt.number } : { level: t.level }),
    },
  });
}
