/**
 * Generic webhook channel. Options: `url` (secret: webhook URLs often carry a token), `secret`
 * (secret: the HMAC key), `previousSecret` (secret: also signed with during a rotation),
 * `timeoutMs`. Any 2xx is delivered; 408/429/5xx retry; other answers are final.
 * Receivers: docs/sink-webhooks.md.
 */
import type { Channel, ChannelFactory } from "../channel";
import { postForChannel, registerSecrets } from "../http";
import { checkOptions, opt, secretFieldsOf, type OptionsSpec } from "../options";
import type { Notification } from "../../model/notification";
import { buildWebhookBody, webhookHeaders } from "./payload";

const SPEC: OptionsSpec = {
  url: { kind: "url", required: true, secret: true, what: "the receiver's URL" },
  secret: { kind: "string", required: true, secret: true, what: "the HMAC-SHA256 signing secret shared with the receiver (at least 16 characters)" },
  previousSecret: { kind: "string", secret: true, what: "the secret being rotated out: messages carry both signatures meanwhile" },
  timeoutMs: { kind: "number", min: 100, max: 120_000, what: "the request timeout in ms" },
};

export function createWebhookChannel(name: string, options: Record<string, unknown>, clock: () => number = Date.now): Channel {
  const url = opt.str(options, "url")!;
  const secret = opt.str(options, "secret")!;
  const previous = opt.str(options, "previousSecret");
  registerSecrets([url, secret, previous]);
  return {
    name,
    kind: "webhook",
    async send(n: Notification) {
      const body = JSON.stringify(buildWebhookBody(n));
      await postForChannel({
        channel: name,
        kind: "webhook",
        url,
        body,
        headers: webhookHeaders(n, body, previous ? [secret, previous] : [secret], clock()),
        secrets: [url, secret, previous],
        timeoutMs: opt.num(options, "timeoutMs"),
      });
    },
  };
}

export const webhookFactory: ChannelFactory = {
  kind: "webhook",
  secretFields: secretFieldsOf(SPEC),
  check: (o) => {
    const problems = checkOptions(SPEC, o);
    for (const k of ["secret", "previousSecret"]) {
      const v = o[k];
      if (typeof v === "string" && v !== "" && v.length < 16) problems.push(`${k}: too short (${v.length} characters); use at least 16 random characters, e.g. \`openssl rand -hex 32\``);
    }
    return problems;
  },
  create: (name, options) => createWebhookChannel(name, options),
};
