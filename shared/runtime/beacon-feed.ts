/**
 * Feeds the beacon nodes' SSE event stream to the bots that take beacon events (the consensus
 * bots: `handleBeaconEvent`, see shared/beacon/agent.ts), alongside the execution blocks.
 *
 * One stream per configured beacon URL, subscribed to the union of the bots' topics. Each event
 * goes to every interested bot, with the same time limit and error isolation as block handlers;
 * their findings are stored and delivered at once (deduplicated by uniqueKey against those the
 * execution-block path finds for the same epoch).
 */
import type { Finding } from "forta-agent";
import { isBeaconEventHandler } from "../beacon/agent";
import type { BeaconEvent, BeaconEventTopic } from "../beacon/events";
import { BeaconEventStream } from "../beacon/sse";
import { errorMessage } from "../errors";
import type { Logger } from "../log";
import { redact } from "../net/secrets";
import { withTimeout, HandlerTimeoutError } from "./executor";
import type { BotHost } from "./host";

export interface BeaconFeedOptions {
  urls: readonly string[];
  log: Logger;
  handlerTimeoutMs: number;
  /** the bots as they are now (they are re-created after a restart or reorg) */
  hosts(): readonly BotHost[] | undefined;
  /** findings a bot produced from an event */
  emit(bot: string, findings: Finding[]): Promise<void>;
  /** a bot's handler failed on an event */
  failed(bot: string, err: unknown, timedOut: boolean): Promise<void>;
  /** a bot's handler took an event without failing (resolves its failure episode) */
  succeeded?(bot: string): Promise<void>;
}

export class BeaconFeed {
  private streams: BeaconEventStream[] = [];
  readonly stats = { events: 0, findings: 0, failures: 0 };

  constructor(private readonly o: BeaconFeedOptions) {}

  get running(): boolean {
    return this.streams.length > 0;
  }

  /** Start the streams if some bot takes events (call once the bots exist). */
  start(): void {
    if (this.running || this.o.urls.length === 0) return;
    const topics = new Set<BeaconEventTopic>();
    for (const h of this.o.hosts() ?? []) if (h.agent && isBeaconEventHandler(h.agent)) for (const t of h.agent.beaconEventTopics) topics.add(t);
    if (topics.size === 0) return;
    this.streams = this.o.urls.map((url) =>
      new BeaconEventStream({
        url,
        topics: [...topics],
        onEvent: (e) => this.dispatch(e),
        onError: (err) => this.o.log.warn({ err: redact(errorMessage(err)) }, "beacon event stream trouble; reconnecting"),
      }).start(),
    );
    this.o.log.info({ nodes: this.o.urls.length, topics: [...topics] }, "following the beacon nodes' event streams");
  }

  private async dispatch(event: BeaconEvent): Promise<void> {
    this.stats.events++;
    const hosts = (this.o.hosts() ?? []).filter((h) => h.agent && isBeaconEventHandler(h.agent) && h.agent.beaconEventTopics.includes(event.topic));
    await Promise.all(
      hosts.map(async (h) => {
        const agent = h.agent as unknown as { handleBeaconEvent(e: BeaconEvent): Promise<Finding[]> };
        try {
          const findings = await withTimeout(agent.handleBeaconEvent(event), this.o.handlerTimeoutMs, () => new HandlerTimeoutError(h.name, "handleBeaconEvent", this.o.handlerTimeoutMs));
          if (findings.length) {
            this.stats.findings += findings.length;
            await this.o.emit(h.name, findings);
          }
          await this.o.succeeded?.(h.name);
        } catch (err) {
          this.stats.failures++;
          await this.o.failed(h.name, err, err instanceof HandlerTimeoutError);
        }
      }),
    );
  }

  async stop(): Promise<void> {
    const s = this.streams;
    this.streams = [];
    await Promise.all(s.map((x) => x.close()));
  }
}
