/**
 * PagerDuty Events API v2 contract (developer.pagerduty.com, Events API v2 overview / send an
 * alert event / change events): POST /v2/enqueue with routing_key, event_action
 * (trigger|acknowledge|resolve), dedup_key (<= 255); a trigger carries payload.summary (<= 1024),
 * payload.source and payload.severity (critical|error|warning|info); 202 on success; whole
 * payload <= 512 KB. Change events go to /v2/change/enqueue and never page.
 */
import { pagerdutyFactory } from ".";
import type { Notification } from "../../model/notification";
import { httpErrorMappingCases } from "../testing/contract";
import { digest, finding, incident, notification } from "../testing/fixtures";
import { Receiver } from "../testing/receiver";
import { buildPagerDutyMessage, PD_PAYLOAD_MAX_BYTES, type PagerDutyEvent } from "./payload";

const KEY = "R0UTINGKEY0123456789ABCDEFGHIJKL"; // 32 characters, like an integration key

function checkEvent(e: PagerDutyEvent): void {
  expect(e.routing_key).toBe(KEY);
  expect(["trigger", "acknowledge", "resolve"]).toContain(e.event_action);
  expect(e.dedup_key.length).toBeGreaterThan(0);
  expect(e.dedup_key.length).toBeLessThanOrEqual(255);
  if (e.event_action === "trigger") {
    expect(e.payload).toBeDefined();
    expect(e.payload!.summary.length).toBeGreaterThan(0);
    expect(e.payload!.summary.length).toBeLessThanOrEqual(1024);
    expect(e.payload!.source.length).toBeGreaterThan(0);
    expect(["critical", "error", "warning", "info"]).toContain(e.payload!.severity);
    expect(typeof e.payload!.custom_details).toBe("object");
    for (const l of e.links ?? []) expect(l.href).toMatch(/^https?:\/\//);
  }
  expect(Buffer.byteLength(JSON.stringify(e))).toBeLessThanOrEqual(PD_PAYLOAD_MAX_BYTES);
}

describe("pagerduty channel (Events API v2)", () => {
  let rx: Receiver;
  beforeAll(async () => {
    rx = await new Receiver({ status: 202, headers: { "content-type": "application/json" }, body: '{"status":"success","message":"Event processed","dedup_key":"x"}' }).start();
  });
  afterAll(() => rx.stop());
  const channel = () => pagerdutyFactory.create("oncall", { routingKey: KEY, url: rx.url("/v2/enqueue") });

  it("checks its options; the routing key is a secret field", () => {
    expect(pagerdutyFactory.secretFields).toEqual(["routingKey"]);
    expect(pagerdutyFactory.check({ routingKey: KEY })).toEqual([]);
    const p = pagerdutyFactory.check({ routingKey: "short!", url: "ftp://x", source: 3 });
    expect(p).toHaveLength(3);
    expect(p.join("\n")).toMatch(/^routingKey: does not look like/m);
    expect(p.join("\n")).not.toContain("short!");
  });

  it("triggers, escalates, acknowledges and resolves one alert with one stable dedup_key", async () => {
    const before = rx.requests.length;
    const ch = channel();
    const steps: [Notification["event"], "trigger" | "acknowledge" | "resolve", string | undefined][] = [
      ["opened", "trigger", "warning"],
      ["escalated", "trigger", "critical"],
      ["acknowledged", "acknowledge", undefined],
      ["resolved", "resolve", undefined],
    ];
    for (const [event, , ] of steps) {
      const priority = event === "opened" ? "P2" : "P0";
      await ch.send(notification({ id: `n-${event}`, event, actor: event === "acknowledged" ? "alice" : undefined, incident: incident({ priority }) }));
    }
    const got = rx.requests.slice(before);
    expect(got).toHaveLength(4);
    const keys = new Set<string>();
    got.forEach((r, i) => {
      expect(r.method).toBe("POST");
      expect(r.path).toBe("/v2/enqueue");
      expect(r.headers["content-type"]).toMatch(/^application\/json/);
      const e = JSON.parse(r.body) as PagerDutyEvent;
      checkEvent(e);
      expect(e.event_action).toBe(steps[i]![1]);
      expect(e.payload?.severity).toBe(steps[i]![2]);
      keys.add(e.dedup_key);
    });
    expect([...keys]).toEqual(["vigil/INC-42"]);
    const trigger = JSON.parse(got[0]!.body) as PagerDutyEvent;
    expect(trigger.payload!.summary).toBe("[P2] INC-42 opened: Emergency shutdown fired");
    expect(trigger.links).toEqual(expect.arrayContaining([{ href: "https://vigil.example.org/incidents/INC-42", text: "Vigil incident INC-42" }]));
    expect(trigger.client_url).toBe("https://vigil.example.org/incidents/INC-42");
    expect(trigger.payload!.custom_details).toMatchObject({ incident: "INC-42", priority: "P2", transaction: expect.stringMatching(/^0x5e1f/), owner: "Maker core team" });
  });

  it("maps priority to severity (P0 critical, P1 error, P2 warning)", () => {
    const sev = (priority: "P0" | "P1" | "P2") => (buildPagerDutyMessage(notification({ incident: incident({ priority }) }), { routingKey: KEY }).body as PagerDutyEvent).payload!.severity;
    expect([sev("P0"), sev("P1"), sev("P2")]).toEqual(["critical", "error", "warning"]);
  });

  it("resolves the alert on a retraction, and sends digests as change events that never page", async () => {
    const ch = channel();
    await ch.send(notification({ event: "retracted" }));
    expect(rx.json()).toEqual({ routing_key: KEY, event_action: "resolve", dedup_key: "vigil/INC-42" });
    await ch.send(digest(3));
    const r = rx.last();
    expect(r.path).toBe("/v2/change/enqueue");
    const body = rx.json<{ routing_key: string; payload: { summary: string; custom_details: { updates: string[] } } }>(r);
    expect(body.routing_key).toBe(KEY);
    expect(body.payload.summary).toBe("Vigil digest: 3 low-priority updates");
    expect(body.payload.custom_details.updates).toHaveLength(3);
  });

  it("keeps summary <= 1024 and the payload <= 512 KB for huge findings", () => {
    const big = finding({ description: "x".repeat(600_000), metadata: { blob: "y".repeat(600_000) } });
    const msg = buildPagerDutyMessage(notification({ incident: incident({ title: "t".repeat(5000) }), findings: [big, big] }), { routingKey: KEY });
    checkEvent(msg.body as PagerDutyEvent);
  });

  httpErrorMappingCases({
    receiver: () => rx,
    channel,
    deadChannel: (url) => pagerdutyFactory.create("oncall", { routingKey: KEY, url }),
    deadPath: "/v2/enqueue",
    secrets: [KEY],
    body429: '{"status":"throttle event","message":"Requests for this service are arriving too quickly"}',
  });
});
