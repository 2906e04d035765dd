/**
 * The contract between routing/delivery and a channel. A channel builds its provider's payload
 * and sends it once; it never retries, sleeps or keeps state between messages: the delivery
 * worker (sink/routing) owns retries, backoff, Retry-After, rate limits and the dead-letter list.
 */
import { VigilError } from "../../shared/errors";

export type { Channel, ChannelFactory, ChannelKind } from "../model/channel";

/**
 * A failed send. `retryable` false: the provider refused the message for good (4xx other than
 * 408/429: bad routing key, bad payload) and retrying cannot help; true: try again later, no
 * sooner than `retryAfterMs` when the provider said so (429/503 Retry-After).
 * The message never contains a secret (webhook URL, token, routing key): mask before throwing.
 */
export class ChannelError extends VigilError<"SINK_SEND"> {
  constructor(
    message: string,
    readonly retryable: boolean,
    readonly retryAfterMs?: number,
    readonly status?: number,
  ) {
    super("SINK_SEND", message);
    this.name = "ChannelError";
  }
}
