/**
 * The contract between routing/delivery and a channel. A channel builds its provider's payload
 * and sends it once; it never retries, sleeps or keeps state between messages: the delivery
 * worker (sink/routing) owns retries, backoff, Retry-After, rate limits and the dead-letter list.
 */
import type { Notification } from "../model/notification";

export interface Channel {
  /** the channel's name in the rules file (e.g. "pagerduty-oncall") */
  readonly name: string;
  /** its kind: pagerduty | slack | discord | telegram | email | webhook | console | file */
  readonly kind: ChannelKind;
  /** Deliver one notification. Resolves when the provider accepted it; throws ChannelError otherwise. */
  send(n: Notification): Promise<void>;
  close?(): Promise<void>;
}

export type ChannelKind = "pagerduty" | "slack" | "discord" | "telegram" | "email" | "webhook" | "console" | "file";

/**
 * A failed send. `retryable` false: the provider refused the message for good (4xx other than
 * 408/429: bad routing key, bad payload) and retrying cannot help; true: try again later, no
 * sooner than `retryAfterMs` when the provider said so (429/503 Retry-After).
 * The message never contains a secret (webhook URL, token, routing key): mask before throwing.
 */
export class ChannelError extends Error {
  constructor(
    message: string,
    readonly retryable: boolean,
    readonly retryAfterMs?: number,
    readonly status?: number,
  ) {
    super(message);
    this.name = "ChannelError";
  }
}

/**
 * How a rules file's `channels:` entry becomes a Channel. `options` is the entry minus `kind`,
 * with secret references (`{ env: NAME }`) already resolved to strings by sink/config.
 * `check` returns one problem per bad field ("field: what is wrong, what to do"), [] when fine;
 * `create` is only called after `check` returned [].
 */
export interface ChannelFactory {
  kind: ChannelKind;
  /** fields that must be secret references (never inline in the file) */
  secretFields: readonly string[];
  check(options: Record<string, unknown>): string[];
  create(name: string, options: Record<string, unknown>): Channel;
}
