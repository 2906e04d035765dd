/** The verification snippet in docs/sink-webhooks.md works against what the channel sends. */
import { readFileSync } from "fs";
import { join } from "path";
import { runInNewContext } from "vm";
import { notification } from "../testing/fixtures";
import { buildWebhookBody, webhookHeaders } from "./payload";

type Verify = (secret: string, raw: Buffer, ts: string, sig: string, nowMs?: number) => boolean;

function snippet(): Verify {
  const md = readFileSync(join(__dirname, "../../../docs/sink-webhooks.md"), "utf8");
  const code = /```js\n([\s\S]*?)```/.exec(md)?.[1];
  if (!code) throw new Error("docs/sink-webhooks.md has no js block");
  const sandbox: Record<string, unknown> = { require, Buffer, Number, String, Math, Date };
  runInNewContext(`${code}\nthis.verify = verifyVigilSignature;`, sandbox);
  return sandbox.verify as Verify;
}

describe("docs/sink-webhooks.md verification snippet", () => {
  it("accepts what the channel signs and refuses tampering, other secrets and stale timestamps", () => {
    const verify = snippet();
    const secret = "0123456789abcdef0123456789abcdef";
    const now = Date.UTC(2026, 11, 6, 8, 0, 0);
    const body = JSON.stringify(buildWebhookBody(notification()));
    const h = webhookHeaders(notification(), body, [secret, "old-secret-000000000000"], now);
    const raw = Buffer.from(body, "utf8");
    expect(verify(secret, raw, h["x-vigil-timestamp"]!, h["x-vigil-signature"]!, now)).toBe(true);
    expect(verify("old-secret-000000000000", raw, h["x-vigil-timestamp"]!, h["x-vigil-signature"]!, now)).toBe(true);
    expect(verify(secret, Buffer.from(body.replace("P0", "P1")), h["x-vigil-timestamp"]!, h["x-vigil-signature"]!, now)).toBe(false);
    expect(verify("another-secret-00000000000000000", raw, h["x-vigil-timestamp"]!, h["x-vigil-signature"]!, now)).toBe(false);
    expect(verify(secret, raw, h["x-vigil-timestamp"]!, h["x-vigil-signature"]!, now + 301_000)).toBe(false);
    expect(verify(secret, raw, h["x-vigil-timestamp"]!, "", now)).toBe(false);
  });
});
