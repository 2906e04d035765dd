/**
 * An e-mail for a notification: subject = headline, a plain-text part and an HTML part with the
 * same facts. Threading: every message of one incident carries `References: <incident-ID@vigil>`
 * so mail clients group them; the Message-ID derives from the notification id, so a retried send
 * of the same outbox row is recognisable as the same message.
 */
import type { Notification } from "../../model/notification";
import { digestLine, facts, headline, plainText, summaryText, truncate } from "../render";

export interface EmailMessage {
  subject: string;
  text: string;
  html: string;
  messageId: string;
  headers: Record<string, string>;
  references?: string;
  priority: "high" | "normal" | "low";
}

export function escapeHtml(text: string): string {
  return text.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;").replace(/'/g, "&#39;");
}

/** RFC 5322 id-right part: letters, digits and a few symbols only. */
function idPart(s: string): string {
  return s.replace(/[^A-Za-z0-9._-]/g, "-").slice(0, 120);
}

export function buildEmail(n: Notification, o: { subjectPrefix?: string; domain?: string } = {}): EmailMessage {
  const domain = o.domain ?? "vigil.invalid";
  const subject = truncate(`${o.subjectPrefix ? `${o.subjectPrefix} ` : ""}${headline(n)}`.replace(/[\r\n]+/g, " "), 200);
  const rows = facts(n)
    .map((f) => {
      const v = f.href ? `<a href="${escapeHtml(f.href)}">${escapeHtml(f.value)}</a>` : escapeHtml(f.value);
      return `<tr><th align="left" valign="top" style="padding-right:12px">${escapeHtml(f.label)}</th><td>${v}</td></tr>`;
    })
    .join("\n");
  const digest = n.event === "digest" ? `<ul>\n${(n.digest ?? []).map((e) => `<li>${escapeHtml(digestLine(e))}${e.incident.url ? ` (<a href="${escapeHtml(e.incident.url)}">open</a>)` : ""}</li>`).join("\n")}\n</ul>` : "";
  const html = [
    `<!doctype html><html><body style="font-family:sans-serif">`,
    `<h2>${escapeHtml(headline(n))}</h2>`,
    ...summaryText(n)
      .split("\n")
      .map((l) => `<p>${escapeHtml(l)}</p>`),
    digest,
    rows ? `<table>\n${rows}\n</table>` : "",
    `<p style="color:#888">Vigil notification ${escapeHtml(n.id)}</p>`,
    `</body></html>`,
  ].join("\n");
  const msg: EmailMessage = {
    subject,
    text: `${plainText(n)}\n\n-- \nVigil notification ${n.id}\n`,
    html,
    messageId: `<${idPart(n.id)}@${domain}>`,
    headers: { "X-Vigil-Incident": n.incident.id, "X-Vigil-Event": n.event, "X-Vigil-Priority": n.incident.priority },
    priority: n.incident.priority === "P0" ? "high" : n.incident.priority === "P2" ? "low" : "normal",
  };
  if (n.event !== "digest") msg.references = `<incident-${idPart(n.incident.id)}@${domain}>`;
  return msg;
}
