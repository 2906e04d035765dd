/**
 * Telegram Bot API sendMessage contract (core.telegram.org/bots/api#sendmessage,
 * #formatting-options, #responseparameters): POST /bot<token>/sendMessage with JSON chat_id,
 * text (1..4096 characters after entity parsing), parse_mode; HTML mode escapes < > & outside
 * tags; the answer is {ok, result} or {ok: false, error_code, description, parameters.retry_after}.
 */
import { telegramFactory } from ".";
import { httpErrorMappingCases, sendError } from "../testing/contract";
import { digest, EVENTS, notification } from "../testing/fixtures";
import { Receiver } from "../testing/receiver";
import { buildTelegramMessage, TELEGRAM_TEXT_MAX, telegramVisibleLength, type TelegramMessage } from "./payload";

const TOKEN = "123456789:AAHdqTcvCH1vGWJxfSeofSAs0K5PALDsaw";

/** A strict check of Telegram's HTML: only the tags we use, balanced, and no bare < > & in text. */
function checkHtml(text: string): void {
  const tags = text.match(/<[^>]*>/g) ?? [];
  const stack: string[] = [];
  for (const t of tags) {
    const m = /^<(\/?)(b|i|code|a)(?: href="[^"<>]*")?>$/.exec(t);
    expect(m).not.toBeNull();
    if (m![1]) expect(stack.pop()).toBe(m![2]);
    else stack.push(m![2]!);
  }
  expect(stack).toEqual([]);
  const bare = text.replace(/<[^>]*>/g, "").replace(/&(lt|gt|amp|quot);/g, "");
  expect(bare).not.toMatch(/[<>&]/);
}

describe("telegram channel (Bot API sendMessage, HTML)", () => {
  let rx: Receiver;
  beforeAll(async () => {
    rx = await new Receiver({ status: 200, headers: { "content-type": "application/json" }, body: '{"ok":true,"result":{"message_id":1}}' }).start();
  });
  afterAll(() => rx.stop());
  const channel = (apiUrl = rx.url("")) => telegramFactory.create("tg", { botToken: TOKEN, chatId: "-1001234567890", apiUrl });

  it("checks its options; accepts a numeric chat id as YAML reads it", () => {
    expect(telegramFactory.check({ botToken: TOKEN, chatId: "@vigil" })).toEqual([]);
    expect(telegramFactory.check({ botToken: TOKEN, chatId: -1001234567890 })).toEqual([]);
    const p = telegramFactory.check({ botToken: "nope", silentBelow: "P9" });
    expect(p).toEqual([expect.stringMatching(/^chatId: missing/), expect.stringMatching(/^silentBelow: must be one of P0, P1, P2/), expect.stringMatching(/^botToken: does not look like/)]);
    expect(telegramFactory.secretFields).toEqual(["botToken"]);
  });

  it("POSTs sendMessage with chat_id, escaped HTML text and parse_mode HTML", async () => {
    await channel().send(notification());
    const r = rx.last();
    expect(r.method).toBe("POST");
    expect(r.path).toBe(`/bot${TOKEN}/sendMessage`);
    expect(r.headers["content-type"]).toMatch(/^application\/json/);
    const m = rx.json<TelegramMessage>(r);
    expect(m.chat_id).toBe("-1001234567890");
    expect(m.parse_mode).toBe("HTML");
    checkHtml(m.text);
    expect(m.text).toContain("<b>[P0] INC-42 opened: Emergency shutdown fired</b>");
    expect(m.text).toContain("&lt;&amp; &quot;quoted&quot;&gt;");
    expect(m.text).toContain('<a href="https://vigil.example.org/incidents/INC-42">');
    expect(telegramVisibleLength(m.text)).toBeLessThanOrEqual(TELEGRAM_TEXT_MAX);
  });

  it("truncates to 4096 visible characters (entities count once), keeping the HTML valid", () => {
    const n = notification();
    n.findings[0]!.finding.description = "<&>".repeat(3000); // 9000 visible, 36000 escaped
    const m = buildTelegramMessage(n, { chatId: "1" });
    checkHtml(m.text);
    const len = telegramVisibleLength(m.text);
    expect(len).toBeLessThanOrEqual(TELEGRAM_TEXT_MAX);
    expect(len).toBeGreaterThan(TELEGRAM_TEXT_MAX - 100); // cut near the limit, not far before it
    expect(m.text).toContain("truncated");
    const d = buildTelegramMessage(digest(300), { chatId: "1" });
    checkHtml(d.text);
    expect(telegramVisibleLength(d.text)).toBeLessThanOrEqual(TELEGRAM_TEXT_MAX);
    for (const event of EVENTS) checkHtml(buildTelegramMessage(notification({ event, note: "a < b" }), { chatId: "1" }).text);
    // surrogate pairs are never split
    const emoji = notification();
    emoji.findings[0]!.finding.description = "🚨".repeat(5000);
    const e = buildTelegramMessage(emoji, { chatId: "1" }).text;
    expect(e).not.toMatch(/[\ud800-\udbff](?![\udc00-\udfff])/);
  });

  it("treats ok:false in a 200 as a failure, and honours parameters.retry_after on 429", async () => {
    rx.answer({ status: 200, body: '{"ok":false,"error_code":400,"description":"Bad Request: chat not found"}' });
    const a = await sendError(channel());
    expect(a.retryable).toBe(false);
    expect(a.message).toContain("chat not found");
    rx.answer({ status: 429, body: '{"ok":false,"error_code":429,"description":"Too Many Requests: retry after 17","parameters":{"retry_after":17}}' });
    const b = await sendError(channel());
    expect(b).toMatchObject({ retryable: true, status: 429, retryAfterMs: 17_000 });
  });

  it("never shows the bot token, not even when Telegram echoes the URL", async () => {
    rx.answer({ status: 401, body: `{"ok":false,"error_code":401,"description":"Unauthorized for /bot${TOKEN}/sendMessage"}` });
    const err = await sendError(channel());
    expect(err.retryable).toBe(false);
    expect(err.message).not.toContain(TOKEN);
    expect(err.message).not.toContain("AAHdqTcvCH1vGWJxfSeofSAs0K5PALDsaw");
    expect(err.message).toMatch(/credentials/);
  });

  httpErrorMappingCases({
    receiver: () => rx,
    channel,
    deadChannel: (url) => channel(url.replace(/\/bot.*$/, "")),
    deadPath: `/bot${TOKEN}/sendMessage`,
    secrets: [TOKEN],
  });
});
