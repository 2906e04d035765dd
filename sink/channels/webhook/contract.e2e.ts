/**
 * Generic webhook contract (ours, docs/sink-webhooks.md): POST JSON; headers X-Vigil-Id,
 * X-Vigil-Event, X-Vigil-Timestamp (unix s), X-Vigil-Signature: sha256=<hex HMAC-SHA256 of
 * `${timestamp}.${raw body}`>; any 2xx delivered.
 */
import { createHmac } from "crypto";
import { createWebhookChannel, webhookFactory } from ".";
import { httpErrorMappingCases } from "../testing/contract";
import { digest, notification } from "../testing/fixtures";
import { Receiver } from "../testing/receiver";
import { verifyWebhook, type WebhookBody } from "./payload";

const SECRET = "whsec-0123456789abcdef0123456789abcdef";
const OLD = "old-secret-fedcba9876543210fedcba98";
const PATH = "/hooks/vigil?token=URLTOKEN123456789";

describe("webhook channel (JSON, HMAC-SHA256 signed)", () => {
  let rx: Receiver;
  beforeAll(async () => {
    rx = await new Receiver({ status: 204 }).start();
  });
  afterAll(() => rx.stop());
  const channel = () => webhookFactory.create("soc", { url: rx.url(PATH), secret: SECRET });

  it("checks its options: url and secret are secrets, a short secret is refused", () => {
    expect(webhookFactory.secretFields).toEqual(["url", "secret", "previousSecret"]);
    expect(webhookFactory.check({ url: "https://example.org/x", secret: SECRET })).toEqual([]);
    expect(webhookFactory.check({ url: "https://example.org/x", secret: "short" })).toEqual([expect.stringMatching(/^secret: too short \(5 characters\)/)]);
  });

  it("POSTs the notification as JSON with a signature a receiver can verify over the raw body", async () => {
    const now = Date.UTC(2026, 11, 6, 7, 5, 0);
    await createWebhookChannel("soc", { url: rx.url(PATH), secret: SECRET }, () => now).send(notification());
    const r = rx.last();
    expect(r.method).toBe("POST");
    expect(r.path).toBe(PATH);
    expect(r.headers["content-type"]).toBe("application/json");
    expect(r.headers["x-vigil-id"]).toBe("ntf-42-opened-slack");
    expect(r.headers["x-vigil-event"]).toBe("opened");
    expect(r.headers["x-vigil-timestamp"]).toBe(String(now / 1000));
    const expected = createHmac("sha256", SECRET).update(`${now / 1000}.${r.body}`).digest("hex");
    expect(r.headers["x-vigil-signature"]).toBe(`sha256=${expected}`);
    expect(verifyWebhook(SECRET, { timestamp: r.headers["x-vigil-timestamp"] as string, signature: r.headers["x-vigil-signature"] as string }, r.body, now)).toBe(true);
    // tampering, a wrong secret, or a stale timestamp all fail
    expect(verifyWebhook(SECRET, { timestamp: String(now / 1000), signature: r.headers["x-vigil-signature"] as string }, r.body.replace("P0", "P2"), now)).toBe(false);
    expect(verifyWebhook("another-secret-0123456789", { timestamp: String(now / 1000), signature: r.headers["x-vigil-signature"] as string }, r.body, now)).toBe(false);
    expect(verifyWebhook(SECRET, { timestamp: String(now / 1000), signature: r.headers["x-vigil-signature"] as string }, r.body, now + 301_000)).toBe(false);
    const body = JSON.parse(r.body) as WebhookBody;
    expect(body).toMatchObject({ version: 1, id: "ntf-42-opened-slack", event: "opened", summary: "[P0] INC-42 opened: Emergency shutdown fired", incident: { id: "INC-42", priority: "P0" } });
    expect(body.findings[0]!.txHash).toMatch(/^0x5e1f/);
    expect(body.text).toContain("Since: 2026-12-06T07:00:00.000Z");
  });

  it("signs with both secrets during a rotation, and sends digests whole", async () => {
    await webhookFactory.create("soc", { url: rx.url(PATH), secret: SECRET, previousSecret: OLD }).send(digest(2));
    const r = rx.last();
    const sigs = (r.headers["x-vigil-signature"] as string).split(" ");
    expect(sigs).toHaveLength(2);
    const h = { timestamp: r.headers["x-vigil-timestamp"] as string, signature: r.headers["x-vigil-signature"] as string };
    const at = Number(h.timestamp) * 1000;
    expect(verifyWebhook(SECRET, h, r.body, at)).toBe(true);
    expect(verifyWebhook(OLD, h, r.body, at)).toBe(true);
    expect((JSON.parse(r.body) as WebhookBody).digest).toHaveLength(2);
  });

  httpErrorMappingCases({
    receiver: () => rx,
    channel,
    deadChannel: (url) => webhookFactory.create("soc", { url, secret: SECRET }),
    deadPath: PATH,
    secrets: ["URLTOKEN123456789", SECRET],
  });
});
