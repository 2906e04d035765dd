/**
 * Episodes: a condition that lasts is reported when it opens, when it escalates past the
 * highest level reported so far, and when it resolves: never once per block.
 *
 * The state is a plain JSON object (the bot keeps it in `ctx.persistent(...)`), so the runtime
 * can checkpoint it with the cursor, restore it after a restart and rewind it on a reorg.
 */
import { FindingSeverity } from "forta-agent";
import { AlertSpec, BlockRef, FindingInput, createFinding } from "./findings";
import type { Finding } from "forta-agent";

export interface EpisodeRecord<L extends string = string> {
  level: L;
  /** the highest level reported in this episode */
  peak: L;
  openedAt: BlockRef;
  lastChangeAt: BlockRef;
  /** consecutive clear observations seen while waiting for `clearAfter` */
  clearCount: number;
}

export type EpisodeState<L extends string = string> = Record<string, EpisodeRecord<L>>;

export type EpisodeTransition<L extends string = string> =
  | { kind: "opened"; subject: string; level: L; episodeId: string; openedAt: BlockRef; at: BlockRef }
  | { kind: "escalated"; subject: string; level: L; from: L; episodeId: string; openedAt: BlockRef; at: BlockRef }
  | { kind: "resolved"; subject: string; peak: L; episodeId: string; openedAt: BlockRef; at: BlockRef };

export interface EpisodeOptions {
  /** how many consecutive clear observations resolve an episode (hysteresis); default 1 */
  clearAfter?: number;
}

/**
 * Tracks episodes per subject (an OSM address, an ilk, a node...). `levels` are ordered from
 * the mildest to the worst.
 */
export class Episodes<L extends string> {
  private readonly rank: Map<L, number>;
  constructor(
    readonly levels: readonly L[],
    private readonly state: EpisodeState<L>,
    private readonly options: EpisodeOptions = {},
  ) {
    this.rank = new Map(levels.map((l, i) => [l, i]));
  }

  /** Is an episode open for `subject`? */
  get(subject: string): EpisodeRecord<L> | undefined {
    return this.state[subject];
  }

  subjects(): string[] {
    return Object.keys(this.state);
  }

  /**
   * Observe the condition for `subject` at block `at`: `level` is the current level, or null
   * when the condition is clear. Returns the transition worth reporting, if any.
   */
  observe(subject: string, level: L | null, at: BlockRef): EpisodeTransition<L> | null {
    const open = this.state[subject];
    if (level !== null && !this.rank.has(level)) throw new Error(`unknown episode level ${level}`);
    if (!open) {
      if (level === null) return null;
      const rec: EpisodeRecord<L> = { level, peak: level, openedAt: at, lastChangeAt: at, clearCount: 0 };
      this.state[subject] = rec;
      return { kind: "opened", subject, level, episodeId: episodeId(subject, at), openedAt: at, at };
    }
    const id = episodeId(subject, open.openedAt);
    if (level === null) {
      open.clearCount += 1;
      if (open.clearCount < (this.options.clearAfter ?? 1)) return null;
      delete this.state[subject];
      return { kind: "resolved", subject, peak: open.peak, episodeId: id, openedAt: open.openedAt, at };
    }
    open.clearCount = 0;
    const from = open.peak;
    open.level = level;
    if (this.rank.get(level)! > this.rank.get(open.peak)!) {
      open.peak = level;
      open.lastChangeAt = at;
      return { kind: "escalated", subject, level, from, episodeId: id, openedAt: open.openedAt, at };
    }
    return null;
  }

  /**
   * End the episode of a subject that went away (e.g. a contract replaced in the ChainLog) at
   * block `at`, whatever `clearAfter` says: the condition can no longer be observed, so the
   * episode is resolved now. Returns the "resolved" transition to report (as Info, saying why),
   * or null when no episode was open.
   */
  resolve(subject: string, at: BlockRef): EpisodeTransition<L> | null {
    const open = this.state[subject];
    if (!open) return null;
    delete this.state[subject];
    return { kind: "resolved", subject, peak: open.peak, episodeId: episodeId(subject, open.openedAt), openedAt: open.openedAt, at };
  }

  /**
   * Resolve every open episode whose subject is not in `alive` (e.g. an OSM removed from the
   * ChainLog, or every subject of a Vat that was replaced): returns one "resolved" transition per
   * episode ended, for the bot to report with the reason.
   */
  resolveExcept(alive: ReadonlySet<string>, at: BlockRef): EpisodeTransition<L>[] {
    const out: EpisodeTransition<L>[] = [];
    for (const s of Object.keys(this.state)) {
      if (alive.has(s)) continue;
      const t = this.resolve(s, at);
      if (t) out.push(t);
    }
    return out;
  }
}

export function episodeId(subject: string, openedAt: BlockRef): string {
  return `${subject}@${openedAt.number}:${openedAt.hash.slice(0, 10)}`;
}

/**
 * Turn an episode transition into a finding of `spec`: opened/escalated take the severity of
 * the level (`severityOf`), resolved is Info. Metadata says which transition it is and names
 * the episode, so a sink can close the incident it opened.
 */
export function episodeFinding<L extends string>(
  spec: AlertSpec,
  t: EpisodeTransition<L>,
  severityOf: (level: L) => FindingSeverity,
  input: Omit<FindingInput, "key" | "block" | "severity"> & { key?: readonly (string | number)[] },
): Finding {
  const severity = t.kind === "resolved" ? FindingSeverity.Info : severityOf(t.level);
  return createFinding(spec, {
    ...input,
    severity,
    block: t.at,
    key: [...(input.key ?? []), "episode", t.episodeId, t.kind, t.kind === "resolved" ? t.peak : t.level],
    metadata: {
      ...input.metadata,
      episode: t.kind,
      episodeId: t.episodeId,
      episodeOpenedAtBlock: t.openedAt.number,
      ...(t.kind === "resolved"
        ? { episodePeak: t.peak, episodeBlocks: t.at.number - t.openedAt.number }
        : { level: t.level }),
    },
  });
}
