/**
 * Slack incoming webhook contract (api.slack.com/messaging/webhooks, Block Kit reference):
 * POST JSON to the webhook URL; `text` fallback plus `blocks`; <= 50 blocks, header <= 150,
 * section text <= 3000, <= 10 fields of <= 2000; mrkdwn escaping of & < >; 200 "ok".
 */
import { slackFactory } from ".";
import { digest, EVENTS, notification, TX } from "../testing/fixtures";
import { httpErrorMappingCases } from "../testing/contract";
import { Receiver } from "../testing/receiver";
import type { SlackBlock, SlackMessage } from "./payload";
import { buildSlackMessage, SLACK_LIMITS, SLACK_TOTAL_TEXT, textLength } from "./payload";

const PATH = "/services/T00000000/B00000000/XXXXXXXXXXXXXXXXXXXXXXXX";
const SECRET = "XXXXXXXXXXXXXXXXXXXXXXXX";

function checkLimits(m: SlackMessage): void {
  expect(textLength(m.blocks)).toBeLessThanOrEqual(SLACK_TOTAL_TEXT);
  expect(typeof m.text).toBe("string");
  expect(m.text.length).toBeGreaterThan(0);
  expect(m.blocks.length).toBeLessThanOrEqual(SLACK_LIMITS.blocks);
  for (const b of m.blocks as SlackBlock[]) {
    if (b.type === "header") {
      expect(b.text.type).toBe("plain_text");
      expect(b.text.text.length).toBeLessThanOrEqual(SLACK_LIMITS.headerText);
    }
    if (b.type === "section") {
      expect(b.text || b.fields).toBeTruthy();
      if (b.text) expect(b.text.text.length).toBeLessThanOrEqual(SLACK_LIMITS.sectionText);
      if (b.fields) {
        expect(b.fields.length).toBeLessThanOrEqual(SLACK_LIMITS.fields);
        for (const f of b.fields) expect(f.text.length).toBeLessThanOrEqual(SLACK_LIMITS.fieldText);
      }
    }
    if (b.type === "context") expect(b.elements.length).toBeLessThanOrEqual(10);
    if (b.type === "actions") for (const e of b.elements) expect(e.text.text.length).toBeLessThanOrEqual(SLACK_LIMITS.buttonText);
  }
}

describe("slack channel (incoming webhook, Block Kit)", () => {
  let rx: Receiver;
  beforeAll(async () => {
    rx = await new Receiver({ status: 200, body: "ok" }).start();
  });
  afterAll(() => rx.stop());
  const channel = () => slackFactory.create("chat-ops", { webhookUrl: rx.url(PATH) });

  it("checks its options: one problem per bad field", () => {
    expect(slackFactory.check({ webhookUrl: "https://hooks.slack.com/services/T/B/X" })).toEqual([]);
    const problems = slackFactory.check({ webhookUrl: "not a url", usernme: "x", timeoutMs: "fast" });
    expect(problems).toHaveLength(3);
    expect(problems.join("\n")).toMatch(/^webhookUrl: not an http\(s\) URL/m);
    expect(problems.join("\n")).toMatch(/^usernme: unknown option/m);
    expect(problems.join("\n")).toMatch(/^timeoutMs: must be a number/m);
    expect(slackFactory.check({})).toEqual([expect.stringMatching(/^webhookUrl: missing/)]);
    expect(slackFactory.secretFields).toEqual(["webhookUrl"]);
  });

  it("POSTs Block Kit JSON with a fallback text to the webhook URL and says what, how bad, since when, what to look at", async () => {
    await channel().send(notification());
    const r = rx.last();
    expect(r.method).toBe("POST");
    expect(r.path).toBe(PATH);
    expect(r.headers["content-type"]).toMatch(/^application\/json/);
    const m = rx.json<SlackMessage>(r);
    checkLimits(m);
    expect(m.text).toContain("[P0] INC-42 opened: Emergency shutdown fired");
    const all = JSON.stringify(m.blocks);
    expect(all).toContain("P0 (page now)");
    expect(all).toContain("2026-12-06T07:00:00.000Z (2m 5s ago)");
    expect(all).toContain(`https://etherscan.io/tx/${TX}`);
    expect(all).toContain("0x09e05fF6142F2f9de8B6B65855A1d56B6cfE4c58");
    expect(all).toContain("https://vigil.example.org/incidents/INC-42");
    // mrkdwn control characters from the finding are escaped
    expect(all).toContain("&lt;&amp; \\\"quoted\\\"&gt;");
    expect(all).not.toContain("<& ");
  });

  it("stays within Block Kit limits for huge findings and long digests, and renders every event", async () => {
    const huge = notification({ incident: { ...notification().incident, title: "T".repeat(500) }, note: "n".repeat(5000) });
    huge.findings[0]!.finding.description = "d".repeat(10_000);
    huge.findings[0]!.finding.addresses = Array.from({ length: 200 }, (_, i) => `0x${i.toString(16).padStart(40, "0")}`);
    checkLimits(buildSlackMessage(huge));
    // the worst case: every fact long, a very long incident URL
    const worst = notification({ incident: { ...notification().incident, title: "T".repeat(500), url: `https://vigil.example.org/${"u".repeat(2900)}`, rule: "r".repeat(5000), ownerName: "o".repeat(5000) }, note: "n".repeat(5000), actor: "a".repeat(5000) });
    worst.findings[0]!.finding.description = "d".repeat(10_000);
    worst.findings[0]!.finding.alertId = "A".repeat(5000);
    worst.findings.push(worst.findings[0]!);
    checkLimits(buildSlackMessage(worst));
    const d = buildSlackMessage(digest(400));
    checkLimits(d);
    expect(JSON.stringify(d.blocks)).toContain("INC-100");
    expect(JSON.stringify(d.blocks)).toMatch(/…and \d+ more/);
    for (const event of EVENTS) {
      const m = buildSlackMessage(notification({ event, actor: "alice" }));
      checkLimits(m);
      expect(m.text).toContain(event === "retracted" ? "retracted (reorg)" : event);
    }
    expect(JSON.stringify(buildSlackMessage(notification({ event: "retracted" })).blocks)).toMatch(/left the canonical chain/);
    await channel().send(digest(3));
    expect(rx.json<SlackMessage>().text).toContain("Vigil digest: 3 low-priority updates");
  });

  httpErrorMappingCases({
    receiver: () => rx,
    channel,
    deadChannel: (url) => slackFactory.create("chat-ops", { webhookUrl: url }),
    deadPath: PATH,
    secrets: [SECRET],
  });
});
