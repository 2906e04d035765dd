/**
 * The HTTP error mapping every HTTP channel must show, as shared jest cases: 2xx delivered;
 * 429 with Retry-After (seconds and HTTP date) and 500 retryable; 400 final; a dead endpoint
 * retryable; and no secret in any error message, even when the provider echoes it back.
 */
import { ChannelError, type Channel } from "../channel";
import { notification } from "./fixtures";
import { deadUrl, type Receiver } from "./receiver";

export async function sendError(channel: Channel, n = notification()): Promise<ChannelError> {
  try {
    await channel.send(n);
  } catch (err) {
    if (err instanceof ChannelError) return err;
    throw new Error(`expected a ChannelError, got ${String(err)}`);
  }
  throw new Error("expected the send to fail");
}

export function expectNoSecret(err: Error, secrets: string[]): void {
  for (const s of secrets) {
    expect(err.message).not.toContain(s);
    expect(String(err.stack ?? "")).not.toContain(s);
  }
}

export function httpErrorMappingCases(opts: {
  receiver: () => Receiver;
  /** a channel pointed at the receiver */
  channel: () => Channel;
  /** a channel pointed at a URL where nothing listens */
  deadChannel: (url: string) => Channel;
  /** the path the channel's URL has on the receiver (secrets inside) */
  deadPath: string;
  secrets: string[];
  /** a provider's own 429 body, if it has one */
  body429?: string;
}): void {
  it("maps 429 with Retry-After in seconds to a retryable error that waits that long", async () => {
    opts.receiver().answer({ status: 429, headers: { "retry-after": "7" }, body: opts.body429 ?? "rate limited" });
    const err = await sendError(opts.channel());
    expect(err).toMatchObject({ retryable: true, status: 429 });
    expect(err.retryAfterMs).toBeGreaterThanOrEqual(7000);
    expectNoSecret(err, opts.secrets);
  });

  it("maps 429 with Retry-After as an HTTP date", async () => {
    const at = new Date(Date.now() + 10 * 60_000).toUTCString();
    opts.receiver().answer({ status: 429, headers: { "retry-after": at } });
    const err = await sendError(opts.channel());
    expect(err.retryable).toBe(true);
    // the date is ten minutes ahead: whatever the machine's load, more than five minutes remain
    expect(err.retryAfterMs).toBeGreaterThan(5 * 60_000);
    expect(err.retryAfterMs).toBeLessThanOrEqual(10 * 60_000);
  });

  it("maps 500 and 503 to retryable errors", async () => {
    opts.receiver().answer({ status: 500, body: "internal error" }, { status: 503, body: "unavailable" });
    const a = await sendError(opts.channel());
    const b = await sendError(opts.channel());
    expect(a).toMatchObject({ retryable: true, status: 500 });
    expect(b).toMatchObject({ retryable: true, status: 503 });
  });

  it("maps 400 to a final error, masking secrets the provider echoes back", async () => {
    opts.receiver().answer({ status: 400, body: `invalid payload for ${opts.secrets.join(" and ")} at ${opts.receiver().url(opts.deadPath)}` });
    const err = await sendError(opts.channel());
    expect(err).toMatchObject({ retryable: false, status: 400 });
    expect(err.message).toMatch(/HTTP 400/);
    expectNoSecret(err, opts.secrets);
  });

  it("maps 404 to a final error that says the endpoint is gone", async () => {
    opts.receiver().answer({ status: 404, body: "no_service" });
    const err = await sendError(opts.channel());
    expect(err).toMatchObject({ retryable: false, status: 404 });
    expect(err.message).toMatch(/gone/);
  });

  it("maps a network failure to a retryable error without the secret URL", async () => {
    const url = await deadUrl(opts.deadPath);
    const err = await sendError(opts.deadChannel(url));
    expect(err.retryable).toBe(true);
    expect(err.status).toBeUndefined();
    expect(err.message).toMatch(/cannot reach http:\/\/127\.0\.0\.1:\d+\/…/);
    expectNoSecret(err, opts.secrets);
  });
}
