/**
 * E-mail over SMTP against a real loopback SMTP server (the `smtp-server` package): the envelope
 * (MAIL FROM, RCPT TO), AUTH with the configured user and password, a MIME message with Subject,
 * Message-ID, References (one thread per incident), our X-Vigil-* headers, a text and an HTML
 * part; SMTP 4xx replies and a dead server are retryable, 5xx replies are final; the password
 * never appears in an error.
 */
import { SMTPServer, type SMTPServerSession } from "smtp-server";
import type { AddressInfo } from "net";
import { emailFactory } from ".";
import type { Channel } from "../channel";
import { expectNoSecret, sendError } from "../testing/contract";
import { digest, notification } from "../testing/fixtures";
import { deadUrl } from "../testing/receiver";

const PASSWORD = "smtp-Passw0rd-very-secret";

interface Mail {
  from: string;
  to: string[];
  user?: string;
  raw: string;
}

type Fault = { at: "rcpt" | "data" | "auth"; code: number; message: string };

class LoopbackSmtp {
  readonly mails: Mail[] = [];
  readonly faults: Fault[] = [];
  private server!: SMTPServer;
  port = 0;

  private fault(at: Fault["at"]): Error | null {
    const i = this.faults.findIndex((f) => f.at === at);
    if (i < 0) return null;
    const f = this.faults.splice(i, 1)[0]!;
    return Object.assign(new Error(f.message), { responseCode: f.code });
  }

  async start(): Promise<this> {
    this.server = new SMTPServer({
      disabledCommands: ["STARTTLS"],
      allowInsecureAuth: true,
      authOptional: false,
      logger: false,
      onAuth: (auth, _session, cb) => {
        const f = this.fault("auth");
        if (f) return cb(f);
        if (auth.username === "vigil" && auth.password === PASSWORD) return cb(null, { user: auth.username });
        return cb(Object.assign(new Error("Invalid username or password"), { responseCode: 535 }));
      },
      onRcptTo: (_addr, _session, cb) => cb(this.fault("rcpt")),
      onData: (stream, session: SMTPServerSession, cb) => {
        const chunks: Buffer[] = [];
        stream.on("data", (c: Buffer) => chunks.push(c));
        stream.on("end", () => {
          const f = this.fault("data");
          if (f) return cb(f);
          this.mails.push({
            from: session.envelope.mailFrom ? session.envelope.mailFrom.address : "",
            to: session.envelope.rcptTo.map((r) => r.address),
            user: session.user as string | undefined,
            raw: Buffer.concat(chunks).toString("utf8"),
          });
          cb(null);
        });
      },
    });
    await new Promise<void>((resolve) => this.server.listen(0, "127.0.0.1", () => resolve()));
    this.port = (this.server.server.address() as AddressInfo).port;
    return this;
  }

  async stop(): Promise<void> {
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }
}

/** Headers of a raw message, unfolded, by lower-case name. */
function headersOf(raw: string): Record<string, string> {
  const head = raw.split(/\r?\n\r?\n/)[0]!.replace(/\r?\n[ \t]+/g, " ");
  const out: Record<string, string> = {};
  for (const line of head.split(/\r?\n/)) {
    const i = line.indexOf(":");
    if (i > 0) out[line.slice(0, i).toLowerCase()] = line.slice(i + 1).trim();
  }
  return out;
}

/** Decode quoted-printable soft breaks and =XX escapes, enough to search the parts' text. */
function qpDecode(s: string): string {
  return s.replace(/=\r?\n/g, "").replace(/=([0-9A-F]{2})/g, (_m, h: string) => String.fromCharCode(parseInt(h, 16)));
}

describe("email channel (SMTP via nodemailer)", () => {
  let smtp: LoopbackSmtp;
  let channel: Channel;
  const options = () => ({ host: "127.0.0.1", port: smtp.port, tls: "none", user: "vigil", password: PASSWORD, from: "Vigil <vigil@alerts.example.org>", to: ["oncall@example.org", "sec@example.org"], subjectPrefix: "[vigil]", timeoutMs: 20_000 });
  beforeAll(async () => {
    smtp = await new LoopbackSmtp().start();
    channel = emailFactory.create("mail-oncall", options());
  });
  afterAll(async () => {
    await channel.close?.();
    await smtp.stop();
  });

  it("checks its options: one problem per bad field; the password is a secret field", () => {
    expect(emailFactory.secretFields).toEqual(["password"]);
    expect(emailFactory.check(options())).toEqual([]);
    const p = emailFactory.check({ host: "smtp.example.org", port: 99999, tls: "maybe", password: "x", to: [] });
    expect(p).toEqual([
      expect.stringMatching(/^port: 99999 is out of range/),
      expect.stringMatching(/^tls: must be one of starttls, implicit, none/),
      expect.stringMatching(/^from: missing/),
      expect.stringMatching(/^to: must be a non-empty list/),
      expect.stringMatching(/^user: missing; a password is set/),
    ]);
  });

  it("authenticates and delivers a MIME message with subject, threading headers, text and HTML parts", async () => {
    await channel.send(notification());
    const mail = smtp.mails[smtp.mails.length - 1]!;
    expect(mail.user).toBe("vigil");
    expect(mail.from).toBe("vigil@alerts.example.org");
    expect(mail.to).toEqual(["oncall@example.org", "sec@example.org"]);
    const h = headersOf(mail.raw);
    expect(h.subject).toBe("[vigil] [P0] INC-42 opened: Emergency shutdown fired");
    expect(h["message-id"]).toBe("<ntf-42-opened-slack@alerts.example.org>");
    expect(h.references).toBe("<incident-INC-42@alerts.example.org>");
    expect(h["in-reply-to"]).toBe("<incident-INC-42@alerts.example.org>");
    expect(h["x-vigil-incident"]).toBe("INC-42");
    expect(h["x-vigil-event"]).toBe("opened");
    expect(h["x-priority"]).toMatch(/^1/);
    expect(h["content-type"]).toMatch(/^multipart\/alternative/);
    const body = qpDecode(mail.raw);
    expect(body).toMatch(/Content-Type: text\/plain/);
    expect(body).toMatch(/Content-Type: text\/html/);
    expect(body).toContain("Since: 2026-12-06T07:00:00.000Z (2m 5s ago)");
    expect(body).toContain("https://vigil.example.org/incidents/INC-42");
    expect(body).toContain("&lt;&amp; &quot;quoted&quot;&gt;"); // escaped in the HTML part
  });

  it("sends digests and retractions in the same shape", async () => {
    await channel.send(digest(3));
    expect(headersOf(smtp.mails[smtp.mails.length - 1]!.raw).subject).toBe("[vigil] Vigil digest: 3 low-priority updates");
    await channel.send(notification({ id: "ntf-retract", event: "retracted" }));
    const last = smtp.mails[smtp.mails.length - 1]!;
    expect(headersOf(last.raw).subject).toBe("[vigil] [P0] INC-42 retracted (reorg): Emergency shutdown fired");
    expect(qpDecode(last.raw)).toContain("left the canonical chain");
  });

  it("maps a 4xx SMTP reply to a retryable error and a 5xx reply to a final one", async () => {
    smtp.faults.push({ at: "data", code: 451, message: "Temporary local problem, try later" });
    const a = await sendError(channel);
    expect(a).toMatchObject({ retryable: true, status: 451 });
    smtp.faults.push({ at: "rcpt", code: 550, message: "No such user here" }, { at: "rcpt", code: 550, message: "No such user here" });
    const b = await sendError(channel);
    expect(b).toMatchObject({ retryable: false, status: 550 });
    expect(b.message).toMatch(/from and to addresses|refused/);
    // one of two recipients refused: the other got it, so it counts as delivered (no duplicate on retry)
    const before = smtp.mails.length;
    smtp.faults.push({ at: "rcpt", code: 550, message: "No such user here" });
    await channel.send(notification({ id: "ntf-partial" }));
    expect(smtp.mails.length).toBe(before + 1);
    expect(smtp.mails[before]!.to).toEqual(["sec@example.org"]);
  });

  it("refused authentication is final and never shows the password", async () => {
    const bad = emailFactory.create("mail-bad", { ...options(), password: "Wr0ng-password-secret" });
    try {
      const err = await sendError(bad);
      expect(err.retryable).toBe(false);
      expect(err.message).toMatch(/535|authentication/i);
      expectNoSecret(err, ["Wr0ng-password-secret", PASSWORD, Buffer.from("\u0000vigil\u0000Wr0ng-password-secret").toString("base64")]);
    } finally {
      await bad.close?.();
    }
  });

  it("a server that is not there is retryable", async () => {
    const port = Number(new URL(await deadUrl()).port);
    const gone = emailFactory.create("mail-gone", { ...options(), port });
    try {
      const err = await sendError(gone);
      expect(err.retryable).toBe(true);
      expectNoSecret(err, [PASSWORD]);
    } finally {
      await gone.close?.();
    }
  });
});
