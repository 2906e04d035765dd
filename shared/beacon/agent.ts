/**
 * How a consensus bot runs, whoever drives it.
 *
 * - Forta (and our runtime): `handleBlock` on execution blocks. A block's timestamp gives its
 *   slot and epoch (BeaconClock); the bot's checks run once per epoch, at the first block seen
 *   in a new epoch.
 * - Our runtime may also feed `handleBeaconEvent` with the beacon nodes' SSE events: a `head` or
 *   `block` event for slot s drives the same once-per-epoch checks as an execution block of
 *   slot s; other topics (chain_reorg) go to the bot's own event handler.
 *
 * Both paths read the same beacon data for an epoch (states are addressed by slot, not "head"),
 * share one epoch gate kept in `ctx.persistent`, and key findings on beacon data (epochs, roots,
 * node indices), so they yield the same findings with the same uniqueKeys; running both at once
 * reports each finding once. Calls are serialised: a handler never overlaps another.
 */
import type { BlockEvent, Finding } from "forta-agent";
import type { Agent, BotContext } from "../bot";
import { VigilError, errorMessage, hasCode } from "../errors";
import { BeaconClock } from "./clock";
import type { BeaconClient } from "./client";
import { eventSlot, type BeaconEvent, type BeaconEventTopic } from "./events";
import { EpochWithoutBlocksError } from "./errors";

/** What a bot adds to its Agent to take beacon events. */
export interface BeaconEventHandler {
  /** topics to subscribe to on every configured beacon node */
  readonly beaconEventTopics: readonly BeaconEventTopic[];
  /**
   * One event from one node (`event.source` = that node's URL as configured). Resolves to the
   * findings it caused; the same findings (same uniqueKeys) as the execution-block path.
   */
  handleBeaconEvent(event: BeaconEvent): Promise<Finding[]>;
}

export type ConsensusAgent = Required<Pick<Agent, "initialize" | "handleBlock">> & BeaconEventHandler;

export function isBeaconEventHandler(agent: Agent): agent is Agent & BeaconEventHandler {
  const a = agent as Partial<BeaconEventHandler>;
  return typeof a.handleBeaconEvent === "function" && Array.isArray(a.beaconEventTopics);
}

export interface ConsensusAgentOptions {
  ctx: BotContext;
  /** where genesis time, SECONDS_PER_SLOT and SLOTS_PER_EPOCH come from (read once) */
  clockFrom: BeaconClient;
  /** the bot's checks for `epoch`; called once per epoch (retried up to MAX_ATTEMPTS_PER_EPOCH times if it throws) */
  checkEpoch(epoch: number, clock: BeaconClock): Promise<Finding[]>;
  /** topics besides head and block, with their handler */
  events?: { topics: readonly BeaconEventTopic[]; handle(event: BeaconEvent, clock: BeaconClock): Promise<Finding[]> };
}

interface GateState {
  /** the last epoch whose checks completed */
  lastEpoch: number;
  /** the epoch whose checks failed, and how many times */
  failedEpoch: number;
  failures: number;
  /** the last failure's message (repeated, without asking the node, once the attempts are spent) */
  lastError?: string;
}

/**
 * A check that keeps failing (every node down, a route a node does not serve) is retried on the
 * next blocks/events of its epoch, at most this many times in all, so a broken node does not turn
 * "once per epoch" into "once per block". Once they are spent, the epoch's later blocks and events
 * fail at once with CheckGaveUpError (no request): the bot is still failing, so the runtime's
 * failure episode stays open (one finding when it opens, not one per attempt) and resolves only
 * when a check succeeds again.
 */
export const MAX_ATTEMPTS_PER_EPOCH = 3;

/** The epoch's check failed MAX_ATTEMPTS_PER_EPOCH times: not tried again before the next epoch. */
export class CheckGaveUpError extends VigilError<"CHECK_GAVE_UP"> {
  constructor(bot: string, epoch: number, attempts: number, last: string | undefined) {
    super("CHECK_GAVE_UP", `${bot}: the check of epoch ${epoch} failed ${attempts} times; next try at the next epoch. Last error: ${last ?? "unknown"}`);
  }
}

/**
 * The beacon node(s) could not answer a check. Deliberately not a TransientError and without
 * the original error as `cause`: a runtime must not take a beacon node's failure for its
 * execution node's (and hold every bot on the block); it is this bot's failure, reported as such.
 */
export class BeaconUnavailableError extends VigilError<"BEACON_UNAVAILABLE"> {
  constructor(what: string, err: unknown) {
    super("BEACON_UNAVAILABLE", `${what}: ${errorMessage(err)}`);
  }
}

/** A node unreachable or failing after its retries, anywhere along the cause chain (BeaconStateUnavailableError is TRANSIENT too). */
function isUnavailable(err: unknown): boolean {
  return hasCode(err, "TRANSIENT", "ALL_ENDPOINTS_FAILED") !== undefined;
}

export function createConsensusAgent(o: ConsensusAgentOptions): ConsensusAgent {
  const gate = o.ctx.persistent<GateState>("epoch-gate", () => ({ lastEpoch: -1, failedEpoch: -1, failures: 0 }));
  let clock: Promise<BeaconClock> | undefined;
  const getClock = () => {
    clock ??= Promise.all([o.clockFrom.genesis(), o.clockFrom.spec()]).then(
      ([g, s]) => new BeaconClock({ genesisTime: g.genesisTime, secondsPerSlot: s.secondsPerSlot, slotsPerEpoch: s.slotsPerEpoch }),
      (err: unknown) => {
        clock = undefined; // try again on the next call
        throw err;
      },
    );
    return clock;
  };

  // One call at a time: checks mutate persistent state. Beacon nodes that cannot answer become
  // a BeaconUnavailableError (see there); other errors (a malformed answer, a bug) pass as they are.
  let queue: Promise<unknown> = Promise.resolve();
  const serial = <T>(what: string, fn: () => Promise<T>): Promise<T> => {
    const guarded = () =>
      fn().catch((err: unknown) => {
        throw isUnavailable(err) ? new BeaconUnavailableError(`${o.ctx.name}: ${what}`, err) : err;
      });
    const run = queue.then(guarded, guarded);
    queue = run.catch(() => undefined);
    return run;
  };

  const atSlot = async (slot: number): Promise<Finding[]> => {
    const c = await getClock();
    const epoch = c.epochOf(slot);
    if (epoch <= gate.lastEpoch) return [];
    if (epoch === gate.failedEpoch && gate.failures >= MAX_ATTEMPTS_PER_EPOCH) throw new CheckGaveUpError(o.ctx.name, epoch, gate.failures, gate.lastError);
    try {
      const findings = await o.checkEpoch(epoch, c);
      gate.lastEpoch = epoch;
      return findings;
    } catch (err) {
      if (err instanceof EpochWithoutBlocksError) {
        // Nothing to read at any slot of an epoch (on clients keeping states only at blocks):
        // not a failure; the next epoch is checked at its first block as usual.
        o.ctx.log.info({ epoch, err: err.message }, "epoch check skipped: no state to read");
        gate.lastEpoch = epoch;
        return [];
      }
      gate.failures = epoch === gate.failedEpoch ? gate.failures + 1 : 1;
      gate.failedEpoch = epoch;
      gate.lastError = errorMessage(err).slice(0, 300);
      throw err;
    }
  };

  return {
    beaconEventTopics: ["head", "block", ...(o.events?.topics ?? [])],
    initialize: async () => {
      try {
        await getClock();
      } catch (err) {
        // Not fatal: the node may come up later; every handler call tries again.
        o.ctx.log.warn({ err }, "beacon node not reachable at start-up; will retry on the next block");
      }
    },
    handleBlock: (e: BlockEvent) =>
      serial(`block ${e.block.number}`, async () => {
        const c = await getClock();
        return atSlot(c.slotAt(e.block.timestamp));
      }),
    handleBeaconEvent: (event: BeaconEvent) =>
      serial(`beacon event ${event.topic}`, async () => {
        const out: Finding[] = [];
        if (o.events?.topics.includes(event.topic)) out.push(...(await o.events.handle(event, await getClock())));
        const slot = eventSlot(event);
        if ((event.topic === "head" || event.topic === "block") && slot !== undefined) out.push(...(await atSlot(slot)));
        return out;
      }),
  };
}
