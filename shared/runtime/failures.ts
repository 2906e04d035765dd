/**
 * A bot's failures as episodes, by the rule the bots follow: a lasting condition is reported
 * when it opens, when it escalates and when it resolves, never once per block or per attempt.
 *
 * One episode per (bot, handler kind): handleBlock, handleTransaction, handleBeaconEvent, and the
 * bot's persistent state. It opens at the first failure (VIGIL-BOT-ERROR, or VIGIL-BOT-TIMEOUT
 * when the handler ran out of time), High; escalates once to Critical when the bot has gone on
 * failing for `escalateAfterSeconds` of chain time (it has been blind that long); resolves (Info,
 * same alert id and episodeId) at the first block in which that kind of handler succeeds again.
 * Within one block a kind counts as failing if any of its calls failed (a transaction handler
 * that throws on some transactions of every block stays one open episode).
 *
 * The state is plain JSON, committed with the cursor as the pseudo-bot "vigil-runtime"'s state,
 * so a restart resumes the open episodes (nothing opened twice) and a reorg rewinds them with the
 * findings they produced. Keys are deterministic: the episode's subject and the block that opened
 * it, the transition and its level.
 */
import type { BlockRef } from "../findings";
import { FindingSeverity, findingToJson } from "../findings";
import { Episodes, episodeFinding, type EpisodeState } from "../episodes";
import { errorMessage } from "../errors";
import type { Logger } from "../log";
import { redact } from "../net/secrets";
import { RUNTIME_ALERTS, RUNTIME_BOT } from "./alerts";
import type { EmittedFinding } from "./store";

/** The `handler` named when a bot's persistent state could not be saved. */
export const STATE_HANDLER = "persistent state";

export type HandlerKind = "block" | "transaction" | "event" | "state";

export function handlerKind(handler: string): HandlerKind {
  switch (handler) {
    case "handleBlock":
      return "block";
    case "handleTransaction":
      return "transaction";
    case "handleBeaconEvent":
      return "event";
    case STATE_HANDLER:
      return "state";
    default:
      return "block";
  }
}

export type FailureLevel = "failing" | "lasting";
const LEVELS: readonly FailureLevel[] = ["failing", "lasting"];

interface FailureInfo {
  alertId: string;
  handler: string;
  failures: number;
  lastBlock: number;
  lastError: string;
}

export interface FailureState {
  episodes: EpisodeState<FailureLevel>;
  info: Record<string, FailureInfo>;
}

/** Default: a bot failing for 30 minutes of chain time escalates to Critical. */
export const DEFAULT_FAILURE_ESCALATE_SECONDS = 30 * 60;

export interface FailureEvent {
  bot: string;
  handler: string;
  block: BlockRef;
  err: unknown;
  timedOut: boolean;
  txHash?: string;
}

export class BotFailures {
  private readonly state: FailureState;
  private readonly episodes: Episodes<FailureLevel>;

  constructor(
    private readonly chainId: number,
    private readonly log: Logger,
    private readonly escalateAfterSeconds: number = DEFAULT_FAILURE_ESCALATE_SECONDS,
    snapshot?: string,
  ) {
    const restored = snapshot ? (JSON.parse(snapshot) as Partial<FailureState>) : {};
    this.state = { episodes: restored.episodes ?? {}, info: restored.info ?? {} };
    this.episodes = new Episodes(LEVELS, this.state.episodes);
  }

  /** JSON to commit with the cursor (under RUNTIME_BOT). */
  serialize(): string {
    return JSON.stringify(this.state);
  }

  /** Open episodes, by subject "bot|kind" (tests, health). */
  open(): Record<string, { alertId: string; failures: number; openedAtBlock: number; level: FailureLevel }> {
    const out: Record<string, { alertId: string; failures: number; openedAtBlock: number; level: FailureLevel }> = {};
    for (const s of this.episodes.subjects()) {
      const e = this.episodes.get(s)!;
      out[s] = { alertId: this.state.info[s]!.alertId, failures: this.state.info[s]!.failures, openedAtBlock: e.openedAt.number, level: e.peak };
    }
    return out;
  }

  /** Is an episode open for this bot and kind of handler? (cheap: no finding, no state change) */
  isOpen(bot: string, handler: string): boolean {
    return this.episodes.get(`${bot}|${handlerKind(handler)}`) !== undefined;
  }

  /** A handler call failed: a finding when this opens or escalates the bot's episode. */
  failed(e: FailureEvent): EmittedFinding[] {
    const kind = handlerKind(e.handler);
    const subject = `${e.bot}|${kind}`;
    const message = redact(errorMessage(e.err));
    const open = this.episodes.get(subject);
    const lasting = open !== undefined && e.block.timestamp - open.openedAt.timestamp >= this.escalateAfterSeconds;
    const t = this.episodes.observe(subject, lasting ? "lasting" : "failing", e.block);
    const info = (this.state.info[subject] =
      t?.kind === "opened"
        ? { alertId: e.timedOut ? RUNTIME_ALERTS.botTimeout.id : RUNTIME_ALERTS.botError.id, handler: e.handler, failures: 0, lastBlock: e.block.number, lastError: "" }
        : this.state.info[subject]!);
    info.failures++;
    info.lastBlock = e.block.number;
    info.lastError = message.slice(0, 500);
    const what = e.timedOut ? "timed out" : e.handler === STATE_HANDLER ? "could not be saved" : "threw";
    const where = `at block ${e.block.number}${e.txHash ? ` (tx ${e.txHash})` : ""}`;
    const fields = { bot: e.bot, handler: e.handler, block: e.block.number, tx: e.txHash, err: message };
    if (!t) {
      this.log.warn({ ...fields, failures: info.failures }, `bot handler ${what} again (its failure episode is open: no new finding)`);
      return [];
    }
    this.log.error(fields, t.kind === "opened" ? `bot handler ${what}` : "bot handler keeps failing: escalated");
    const spec = info.alertId === RUNTIME_ALERTS.botTimeout.id ? RUNTIME_ALERTS.botTimeout : RUNTIME_ALERTS.botError;
    const since = open ? `since block ${open.openedAt.number}` : "";
    const description =
      t.kind === "opened"
        ? `${e.bot}: ${e.handler} ${what} ${where}: ${message} (reported once while it keeps failing; resolved when it succeeds again)`
        : `${e.bot}: ${e.handler} has kept failing for ${Math.round((e.block.timestamp - (open?.openedAt.timestamp ?? e.block.timestamp)) / 60)} min ${since} (${info.failures} failures; the bot is blind there); last: ${what} ${where}: ${message}`;
    return [
      this.emitted(
        episodeFinding(spec, t, (l) => (l === "lasting" ? FindingSeverity.Critical : FindingSeverity.High), {
          description,
          key: [this.chainId, "bot-failure", e.bot, kind],
          metadata: { bot: e.bot, handler: e.handler, blockNumber: e.block.number, txHash: e.txHash ?? "", error: message.slice(0, 500), failures: info.failures },
        }),
        e.block,
        e.txHash,
      ),
    ];
  }

  /** A handler of this kind succeeded in a block (and none of its calls failed there). */
  succeeded(bot: string, handler: string, block: BlockRef): EmittedFinding[] {
    const kind = handlerKind(handler);
    const subject = `${bot}|${kind}`;
    if (!this.episodes.get(subject)) return [];
    const info = this.state.info[subject]!;
    const t = this.episodes.observe(subject, null, block)!;
    delete this.state.info[subject];
    this.log.info({ bot, handler: info.handler, block: block.number, failures: info.failures }, "bot handler succeeds again: failure episode resolved");
    const spec = info.alertId === RUNTIME_ALERTS.botTimeout.id ? RUNTIME_ALERTS.botTimeout : RUNTIME_ALERTS.botError;
    return [
      this.emitted(
        episodeFinding(spec, t, () => FindingSeverity.High, {
          description: `${bot}: ${info.handler} succeeds again at block ${block.number}, after ${info.failures} failure${info.failures === 1 ? "" : "s"} since block ${t.openedAt.number} (last: ${info.lastError})`,
          key: [this.chainId, "bot-failure", bot, kind],
          metadata: { bot, handler: info.handler, blockNumber: block.number, txHash: "", error: info.lastError, failures: info.failures },
        }),
        block,
      ),
    ];
  }

  private emitted(f: ReturnType<typeof episodeFinding>, block: BlockRef, txHash?: string): EmittedFinding {
    return { bot: RUNTIME_BOT, chainId: this.chainId, blockNumber: block.number, blockHash: block.hash, txHash, finding: findingToJson(f) };
  }
}
