/**
 * The generic webhook: a JSON body (the notification itself plus a rendered `text`), signed with
 * HMAC-SHA256 over `${timestamp}.${body}` (the raw bytes sent), in headers:
 *   X-Vigil-Id:        the notification id (stable across retries: dedupe on it)
 *   X-Vigil-Event:     opened | escalated | ... | digest
 *   X-Vigil-Timestamp: unix seconds when this attempt was signed
 *   X-Vigil-Signature: sha256=<hex>  (several, space-separated, while a secret is being rotated)
 * Receivers: docs/sink-webhooks.md.
 */
import { createHmac, timingSafeEqual } from "crypto";
import type { Notification } from "../../model/notification";
import { headline, plainText } from "../render";

export const WEBHOOK_SCHEMA_VERSION = 1;

export interface WebhookBody {
  version: number;
  id: string;
  event: Notification["event"];
  summary: string;
  text: string;
  incident: Notification["incident"];
  findings: Notification["findings"];
  actor?: string;
  note?: string;
  digest?: Notification["digest"];
  createdAt: string;
}

export function buildWebhookBody(n: Notification): WebhookBody {
  const body: WebhookBody = {
    version: WEBHOOK_SCHEMA_VERSION,
    id: n.id,
    event: n.event,
    summary: headline(n),
    text: plainText(n),
    incident: n.incident,
    findings: n.findings,
    createdAt: n.createdAt,
  };
  if (n.actor !== undefined) body.actor = n.actor;
  if (n.note !== undefined) body.note = n.note;
  if (n.digest !== undefined) body.digest = n.digest;
  return body;
}

export function signWebhook(secret: string, timestamp: number, rawBody: string): string {
  return `sha256=${createHmac("sha256", secret).update(`${timestamp}.${rawBody}`).digest("hex")}`;
}

export function webhookHeaders(n: Notification, rawBody: string, secrets: readonly string[], nowMs: number): Record<string, string> {
  const ts = Math.floor(nowMs / 1000);
  return {
    "content-type": "application/json",
    "x-vigil-id": n.id,
    "x-vigil-event": n.event,
    "x-vigil-timestamp": String(ts),
    "x-vigil-signature": secrets.map((s) => signWebhook(s, ts, rawBody)).join(" "),
  };
}

/**
 * What a receiver does (also in docs/sink-webhooks.md): recompute over the raw body, compare in
 * constant time against every signature given, refuse timestamps more than `toleranceS` away.
 */
export function verifyWebhook(
  secret: string,
  headers: { timestamp: string | undefined; signature: string | undefined },
  rawBody: string,
  nowMs: number,
  toleranceS = 300,
): boolean {
  const ts = Number(headers.timestamp);
  if (!Number.isInteger(ts) || Math.abs(nowMs / 1000 - ts) > toleranceS) return false;
  const expected = Buffer.from(signWebhook(secret, ts, rawBody));
  return (headers.signature ?? "").split(" ").some((sig) => {
    const got = Buffer.from(sig);
    return got.length === expected.length && timingSafeEqual(got, expected);
  });
}
