/**
 * Slack channel: an incoming webhook (POST JSON to the webhook URL; 200 with body "ok").
 * Options: `webhookUrl` (secret), `username`, `timeoutMs`.
 */
import type { Channel, ChannelFactory } from "../channel";
import { postForChannel, registerSecrets } from "../http";
import { checkOptions, opt, secretFieldsOf, type OptionsSpec } from "../options";
import { buildSlackMessage } from "./payload";

const SPEC: OptionsSpec = {
  webhookUrl: { kind: "url", required: true, secret: true, what: "the Slack incoming webhook URL (https://hooks.slack.com/services/...)" },
  username: { kind: "string", what: "the sender name shown (legacy webhooks only)" },
  timeoutMs: { kind: "number", min: 100, max: 120_000, what: "the request timeout in ms" },
};

export function createSlackChannel(name: string, options: Record<string, unknown>): Channel {
  const url = opt.str(options, "webhookUrl")!;
  registerSecrets([url]);
  return {
    name,
    kind: "slack",
    async send(n) {
      await postForChannel({
        channel: name,
        kind: "slack",
        url,
        body: JSON.stringify(buildSlackMessage(n, { username: opt.str(options, "username") })),
        secrets: [url],
        timeoutMs: opt.num(options, "timeoutMs"),
      });
    },
  };
}

export const slackFactory: ChannelFactory = {
  kind: "slack",
  secretFields: secretFieldsOf(SPEC),
  check: (o) => checkOptions(SPEC, o),
  create: createSlackChannel,
};
