/**
 * Discord Execute Webhook contract (discord developer docs: resources/webhook#execute-webhook,
 * resources/message#embed-object-embed-limits, topics/rate-limits): POST {webhook}?wait=true,
 * JSON with `content` (<= 2000) and/or `embeds` (<= 10; title 256, description 4096, <= 25 fields
 * of name 256 / value 1024, footer 2048, all together <= 6000); a 429 body carries
 * `retry_after` in seconds (a float).
 */
import { discordFactory } from ".";
import { httpErrorMappingCases, sendError } from "../testing/contract";
import { digest, EVENTS, notification } from "../testing/fixtures";
import { Receiver } from "../testing/receiver";
import { buildDiscordMessage, DISCORD_LIMITS, embedTextLength, type DiscordMessage } from "./payload";

const TOKEN = "dIsCoRdWeBhOoKtOkEn_abcdefghijklmnopqrstuvwxyz0123456789";
const PATH = `/api/webhooks/123456789012345678/${TOKEN}`;

function checkLimits(m: DiscordMessage): void {
  expect(m.content.length).toBeLessThanOrEqual(DISCORD_LIMITS.content);
  expect(m.embeds.length).toBeGreaterThan(0);
  expect(m.embeds.length).toBeLessThanOrEqual(DISCORD_LIMITS.embeds);
  let total = 0;
  for (const e of m.embeds) {
    expect(e.title.length).toBeLessThanOrEqual(DISCORD_LIMITS.title);
    expect((e.description ?? "").length).toBeLessThanOrEqual(DISCORD_LIMITS.description);
    expect((e.fields ?? []).length).toBeLessThanOrEqual(DISCORD_LIMITS.fields);
    for (const f of e.fields ?? []) {
      expect(f.name.length).toBeLessThanOrEqual(DISCORD_LIMITS.fieldName);
      expect(f.value.length).toBeLessThanOrEqual(DISCORD_LIMITS.fieldValue);
      expect(f.value.length).toBeGreaterThan(0);
    }
    expect((e.footer?.text ?? "").length).toBeLessThanOrEqual(DISCORD_LIMITS.footer);
    total += embedTextLength(e);
  }
  expect(total).toBeLessThanOrEqual(DISCORD_LIMITS.total);
  expect(m.allowed_mentions).toEqual({ parse: [] });
}

describe("discord channel (Execute Webhook, embeds)", () => {
  let rx: Receiver;
  beforeAll(async () => {
    rx = await new Receiver({ status: 200, headers: { "content-type": "application/json" }, body: '{"id":"1","type":0}' }).start();
  });
  afterAll(() => rx.stop());
  const channel = () => discordFactory.create("sec-discord", { webhookUrl: rx.url(PATH) });

  it("checks its options", () => {
    expect(discordFactory.check({ webhookUrl: "https://discord.com/api/webhooks/1/x" })).toEqual([]);
    expect(discordFactory.check({ webhookUrl: 5 })).toEqual([expect.stringMatching(/^webhookUrl: must be a string/)]);
    expect(discordFactory.secretFields).toEqual(["webhookUrl"]);
  });

  it("POSTs to the webhook with wait=true, an embed with the facts and mentions disabled", async () => {
    await channel().send(notification({ findings: [{ ...notification().findings[0]!, finding: { ...notification().findings[0]!.finding, description: "@everyone look: **now**" } }] }));
    const r = rx.last();
    expect(r.method).toBe("POST");
    expect(r.path).toBe(`${PATH}?wait=true`);
    expect(r.headers["content-type"]).toMatch(/^application\/json/);
    const m = rx.json<DiscordMessage>(r);
    checkLimits(m);
    const e = m.embeds[0]!;
    expect(e.title).toBe("[P0] INC-42 opened: Emergency shutdown fired");
    expect(e.url).toBe("https://vigil.example.org/incidents/INC-42");
    expect(e.timestamp).toBe("2026-12-06T07:02:05.000Z");
    expect(e.description).toContain("@\u200beveryone look: \\*\\*now\\*\\*");
    expect(e.fields!.map((f) => f.name)).toEqual(expect.arrayContaining(["Priority", "Since", "Owner", "Transaction", "Addresses", "Incident"]));
  });

  it("stays within embed limits (6000 in total) for huge content, and renders every event and digests", () => {
    const huge = notification({ incident: { ...notification().incident, title: "T".repeat(1000) }, note: "n".repeat(3000), actor: "a".repeat(2000) });
    huge.findings[0]!.finding.description = "d".repeat(10_000);
    checkLimits(buildDiscordMessage(huge));
    checkLimits(buildDiscordMessage(digest(500)));
    for (const event of EVENTS) checkLimits(buildDiscordMessage(notification({ event })));
  });

  it("honours retry_after (float seconds) from a 429 body", async () => {
    rx.answer({ status: 429, headers: { "content-type": "application/json" }, body: '{"message":"You are being rate limited.","retry_after":2.5,"global":false}' });
    const err = await sendError(channel());
    expect(err).toMatchObject({ retryable: true, status: 429, retryAfterMs: 2500 });
  });

  httpErrorMappingCases({
    receiver: () => rx,
    channel,
    deadChannel: (url) => discordFactory.create("sec-discord", { webhookUrl: url }),
    deadPath: PATH,
    secrets: [TOKEN],
  });
});
