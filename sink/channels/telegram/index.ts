/**
 * Telegram channel: Bot API `sendMessage` (POST {apiUrl}/bot<token>/sendMessage, JSON body; the
 * answer is {ok: true, result} or {ok: false, error_code, description, parameters: {retry_after}}).
 * Options: `botToken` (secret), `chatId`, `threadId`, `silentBelow` (send lower priorities
 * without sound), `apiUrl` (default https://api.telegram.org), `timeoutMs`.
 */
import type { Channel, ChannelFactory } from "../channel";
import { postForChannel, registerSecrets } from "../http";
import { checkOptions, opt, secretFieldsOf, type OptionsSpec } from "../options";
import { buildTelegramMessage } from "./payload";

export const TELEGRAM_API_URL = "https://api.telegram.org";

const SPEC: OptionsSpec = {
  botToken: { kind: "string", required: true, secret: true, what: "the bot token from @BotFather (123456:ABC...)" },
  chatId: { kind: "string", required: true, what: "the chat id (a number such as -1001234567890, or @channelname)" },
  threadId: { kind: "number", min: 1, what: "the forum topic (message_thread_id) to post in" },
  silentBelow: { kind: "string", oneOf: ["P0", "P1", "P2"], what: "the lowest priority that still makes a sound" },
  apiUrl: { kind: "url", what: "the Bot API server (default https://api.telegram.org)" },
  timeoutMs: { kind: "number", min: 100, max: 120_000, what: "the request timeout in ms" },
};

export function telegramRetryAfter(text: string): number | undefined {
  const body = JSON.parse(text) as { parameters?: { retry_after?: unknown } };
  const s = body.parameters?.retry_after;
  return typeof s === "number" && s >= 0 ? s * 1000 : undefined;
}

function telegramFailure(text: string): string | undefined {
  try {
    const body = JSON.parse(text) as { ok?: unknown; description?: unknown };
    return body.ok === false ? String(body.description ?? "ok: false") : undefined;
  } catch {
    return undefined; // a 2xx with a body that is not JSON: out of spec, but delivered
  }
}

export function createTelegramChannel(name: string, options: Record<string, unknown>): Channel {
  const token = opt.str(options, "botToken")!;
  const api = (opt.str(options, "apiUrl") ?? TELEGRAM_API_URL).replace(/\/+$/, "");
  const url = `${api}/bot${token}/sendMessage`;
  registerSecrets([token, url]);
  return {
    name,
    kind: "telegram",
    async send(n) {
      const msg = buildTelegramMessage(n, { chatId: opt.str(options, "chatId")!, threadId: opt.num(options, "threadId"), silentBelow: opt.str(options, "silentBelow") as "P0" | "P1" | "P2" | undefined });
      await postForChannel({
        channel: name,
        kind: "telegram",
        url,
        body: JSON.stringify(msg),
        secrets: [token, url],
        timeoutMs: opt.num(options, "timeoutMs"),
        retryAfterFromBody: telegramRetryAfter,
        failureIn2xx: telegramFailure,
      });
    },
  };
}

export const telegramFactory: ChannelFactory = {
  kind: "telegram",
  secretFields: secretFieldsOf(SPEC),
  check: (o) => {
    const problems = checkOptions(SPEC, o);
    if (typeof o.chatId === "number") {
      // YAML reads -100123 as a number: accept it and say nothing (the meaning is clear)
      problems.splice(problems.findIndex((p) => p.startsWith("chatId:")), 1);
    }
    const t = o.botToken;
    if (typeof t === "string" && t !== "" && !/^\d+:[A-Za-z0-9_-]{20,}$/.test(t)) problems.push("botToken: does not look like a bot token (digits, a colon, then 20+ letters); copy it from @BotFather");
    return problems;
  },
  create: (name, options) => createTelegramChannel(name, typeof options.chatId === "number" ? { ...options, chatId: String(options.chatId) } : options),
};
