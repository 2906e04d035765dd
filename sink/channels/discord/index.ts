/**
 * Discord channel: Execute Webhook (POST {webhookUrl}?wait=true, so Discord confirms the message
 * and reports errors; 200 with the message). Options: `webhookUrl` (secret), `username`, `timeoutMs`.
 * A 429's JSON `retry_after` (seconds, float) is honoured like Retry-After.
 */
import type { Channel, ChannelFactory } from "../channel";
import { postForChannel, registerSecrets } from "../http";
import { checkOptions, opt, secretFieldsOf, type OptionsSpec } from "../options";
import { buildDiscordMessage } from "./payload";

const SPEC: OptionsSpec = {
  webhookUrl: { kind: "url", required: true, secret: true, what: "the Discord webhook URL (https://discord.com/api/webhooks/<id>/<token>)" },
  username: { kind: "string", what: "the sender name shown" },
  timeoutMs: { kind: "number", min: 100, max: 120_000, what: "the request timeout in ms" },
};

export function discordRetryAfter(text: string): number | undefined {
  const body = JSON.parse(text) as { retry_after?: unknown };
  return typeof body.retry_after === "number" && body.retry_after >= 0 ? Math.ceil(body.retry_after * 1000) : undefined;
}

export function createDiscordChannel(name: string, options: Record<string, unknown>): Channel {
  const hook = opt.str(options, "webhookUrl")!;
  const u = new URL(hook);
  u.searchParams.set("wait", "true");
  const url = u.toString();
  registerSecrets([hook, url]);
  return {
    name,
    kind: "discord",
    async send(n) {
      await postForChannel({
        channel: name,
        kind: "discord",
        url,
        body: JSON.stringify(buildDiscordMessage(n, { username: opt.str(options, "username") })),
        secrets: [hook, url],
        timeoutMs: opt.num(options, "timeoutMs"),
        retryAfterFromBody: discordRetryAfter,
      });
    },
  };
}

export const discordFactory: ChannelFactory = {
  kind: "discord",
  secretFields: secretFieldsOf(SPEC),
  check: (o) => checkOptions(SPEC, o),
  create: createDiscordChannel,
};
