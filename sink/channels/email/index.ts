/**
 * E-mail channel: SMTP through nodemailer. Options: `host`, `port` (default 587), `tls`
 * (`starttls` (default; required), `implicit` (port 465), or `none`: plain, for a relay on
 * loopback only), `user`, `password` (secret), `from`, `to` (one or a list), `subjectPrefix`,
 * `timeoutMs`. SMTP answers map to ChannelError: 4xx replies and connection failures are
 * retryable, 5xx replies (bad recipient, refused authentication) are final.
 */
import { createTransport } from "nodemailer";
import { ChannelError, type Channel, type ChannelFactory } from "../channel";
import { maskSecrets, registerSecrets } from "../http";
import { checkOptions, opt, secretFieldsOf, type OptionsSpec } from "../options";
import { logger } from "../../../shared/log";
import { buildEmail } from "./payload";

const SPEC: OptionsSpec = {
  host: { kind: "string", required: true, what: "the SMTP server's host name" },
  port: { kind: "number", min: 1, max: 65535, what: "the SMTP port (587 submission, 465 implicit TLS, 25 relay)" },
  tls: { kind: "string", oneOf: ["starttls", "implicit", "none"], what: "how to secure the connection" },
  user: { kind: "string", what: "the SMTP user name" },
  password: { kind: "string", secret: true, what: "the SMTP password" },
  from: { kind: "string", required: true, what: "the sender address (Vigil <vigil@example.org>)" },
  to: { kind: "string[]", required: true, what: "the recipient address or addresses" },
  subjectPrefix: { kind: "string", what: "a prefix for every subject, e.g. [vigil]" },
  timeoutMs: { kind: "number", min: 100, max: 120_000, what: "the connection and command timeout in ms" },
};

const RETRYABLE_CODES = new Set(["ECONNECTION", "ETIMEDOUT", "ESOCKET", "EDNS", "EPROXY", "ECONNREFUSED", "ECONNRESET", "EMAXLIMIT"]);

/** Map a nodemailer failure to a ChannelError, masking credentials. */
export function emailError(name: string, err: unknown, secrets: (string | undefined)[]): ChannelError {
  const e = err as Error & { code?: string; responseCode?: number; response?: string; command?: string };
  const what = maskSecrets(`${e.message ?? String(err)}`, secrets).replace(/\s+/g, " ").slice(0, 300);
  const where = `email channel "${name}"`;
  if (typeof e.responseCode === "number") {
    if (e.responseCode >= 400 && e.responseCode < 500) return new ChannelError(`${where}: the SMTP server deferred the message (${e.responseCode}): ${what}; will retry`, true, undefined, e.responseCode);
    const hint = e.code === "EAUTH" ? "check the SMTP user and password" : e.code === "EENVELOPE" ? "check the from and to addresses" : "the server refused the message; retrying will not help";
    return new ChannelError(`${where}: the SMTP server refused (${e.responseCode}): ${what}; ${hint}`, false, undefined, e.responseCode);
  }
  if (e.code && RETRYABLE_CODES.has(e.code)) return new ChannelError(`${where}: cannot talk to the SMTP server (${e.code}): ${what}; will retry`, true);
  if (e.code === "EAUTH" || e.code === "ENOAUTH") return new ChannelError(`${where}: SMTP authentication failed: ${what}; check the SMTP user and password`, false);
  if (e.code === "ETLS") return new ChannelError(`${where}: TLS with the SMTP server failed: ${what}; check the tls option and the server's certificate`, false);
  if (e.code === "EENVELOPE") return new ChannelError(`${where}: bad envelope: ${what}; check the from and to addresses`, false);
  // an unknown failure mid-conversation: retrying is the safer guess
  return new ChannelError(`${where}: sending failed${e.code ? ` (${e.code})` : ""}: ${what}; will retry`, true);
}

export function createEmailChannel(name: string, options: Record<string, unknown>): Channel {
  const password = opt.str(options, "password");
  const user = opt.str(options, "user");
  const tls = opt.str(options, "tls") ?? "starttls";
  const timeout = opt.num(options, "timeoutMs") ?? 30_000;
  registerSecrets([password]);
  const transport = createTransport({
    host: opt.str(options, "host")!,
    port: opt.num(options, "port") ?? (tls === "implicit" ? 465 : 587),
    secure: tls === "implicit",
    requireTLS: tls === "starttls",
    ignoreTLS: tls === "none",
    auth: user ? { user, pass: password ?? "" } : undefined,
    connectionTimeout: timeout,
    greetingTimeout: timeout,
    socketTimeout: timeout,
    logger: false,
  });
  const from = opt.str(options, "from")!;
  const to = opt.list(options, "to")!;
  const domain = /@([A-Za-z0-9.-]+)>?\s*$/.exec(from)?.[1];
  return {
    name,
    kind: "email",
    async send(n) {
      const m = buildEmail(n, { subjectPrefix: opt.str(options, "subjectPrefix"), domain });
      try {
        const info = await transport.sendMail({
          from,
          to,
          subject: m.subject,
          text: m.text,
          html: m.html,
          messageId: m.messageId,
          headers: m.headers,
          references: m.references,
          inReplyTo: m.references,
          priority: m.priority,
        });
        // some recipients refused, others took it: delivered (a retry would repeat it to the others)
        const rejected = (info as { rejected?: unknown[] }).rejected ?? [];
        if (rejected.length) logger().warn({ channel: name, rejected: rejected.map(String) }, "email channel: some recipients were refused by the SMTP server; fix the channel's `to` list");
      } catch (err) {
        throw emailError(name, err, [password, user && password ? Buffer.from(`\u0000${user}\u0000${password}`).toString("base64") : undefined]);
      }
    },
    async close() {
      transport.close();
    },
  };
}

export const emailFactory: ChannelFactory = {
  kind: "email",
  secretFields: secretFieldsOf(SPEC),
  check: (o) => {
    const problems = checkOptions(SPEC, o);
    if (o.password !== undefined && o.user === undefined) problems.push("user: missing; a password is set, so set the SMTP user name too");
    return problems;
  },
  create: createEmailChannel,
};
