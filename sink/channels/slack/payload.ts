/**
 * Slack incoming-webhook payload (Block Kit): a header, the event sentence and description, the
 * facts as fields, the incident's page as a button, and a top-level `text` as the notification
 * fallback. Limits kept: <= 50 blocks, header text <= 150, section text <= 3000, <= 10 fields of
 * <= 2000 each, button text <= 75, URL <= 3000. Text is escaped for mrkdwn (& < >).
 */
import type { Notification } from "../../model/notification";
import { digestLine, facts, headline, summaryText, truncate } from "../render";

export const SLACK_LIMITS = { blocks: 50, headerText: 150, sectionText: 3000, fields: 10, fieldText: 2000, buttonText: 75, url: 3000, fallbackText: 3000 } as const;
/**
 * Our own cap on all block text together: Slack refuses messages far below 50 full blocks
 * (`msg_blocks_too_long` reported at about 13k characters, slackapi/bolt-js#2509).
 */
export const SLACK_TOTAL_TEXT = 12_000;
/** a fact's value rarely needs more; a long note is cut here, not at the 2000 Slack allows */
const FACT_TEXT = 600;

/** Slack's mrkdwn control characters (https://api.slack.com/reference/surfaces/formatting#escaping). */
export function escapeSlack(text: string): string {
  return text.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");
}

type Text = { type: "mrkdwn" | "plain_text"; text: string; emoji?: boolean };
export type SlackBlock =
  | { type: "header"; text: Text }
  | { type: "section"; text?: Text; fields?: Text[] }
  | { type: "context"; elements: Text[] }
  | { type: "divider" }
  | { type: "actions"; elements: { type: "button"; text: Text; url: string; style?: "primary" | "danger" }[] };

export interface SlackMessage {
  text: string;
  blocks: SlackBlock[];
  username?: string;
}

const EMOJI: Record<string, string> = { P0: ":rotating_light:", P1: ":warning:", P2: ":large_blue_circle:" };
const EVENT_EMOJI: Partial<Record<Notification["event"], string>> = { resolved: ":white_check_mark:", retracted: ":leftwards_arrow_with_hook:", acknowledged: ":eyes:", digest: ":newspaper:" };

/** All text in the blocks, as Slack counts it toward a message's size. */
export function textLength(blocks: readonly SlackBlock[]): number {
  let n = 0;
  for (const b of blocks) {
    if (b.type === "header") n += b.text.text.length;
    else if (b.type === "section") n += (b.text?.text.length ?? 0) + (b.fields ?? []).reduce((a, f) => a + f.text.length, 0);
    else if (b.type === "context") n += b.elements.reduce((a, e) => a + e.text.length, 0);
    else if (b.type === "actions") n += b.elements.reduce((a, e) => a + e.text.text.length + e.url.length, 0);
  }
  return n;
}

function mrkdwn(text: string, max: number = SLACK_LIMITS.sectionText): Text {
  return { type: "mrkdwn", text: truncate(text, max) };
}

export function buildSlackMessage(n: Notification, o: { username?: string } = {}): SlackMessage {
  const emoji = EVENT_EMOJI[n.event] ?? EMOJI[n.incident.priority] ?? "";
  const blocks: SlackBlock[] = [{ type: "header", text: { type: "plain_text", text: truncate(headline(n), SLACK_LIMITS.headerText), emoji: true } }];
  blocks.push({ type: "section", text: mrkdwn(`${emoji} ${escapeSlack(summaryText(n))}`.trim()) });
  if (n.event === "digest") {
    // one section per ~3000 chars of lines, within the total budget, leaving room for a final context
    let chunk = "";
    const sections: string[] = [];
    let budget = SLACK_TOTAL_TEXT - textLength(blocks) - 200;
    const entries = n.digest ?? [];
    let shown = 0;
    for (const e of entries) {
      const line = truncate(`• ${escapeSlack(digestLine(e))}${e.incident.url ? ` <${e.incident.url}|open>` : ""}`, 500);
      if (line.length + 1 > budget) break;
      budget -= line.length + 1;
      shown++;
      if (chunk && chunk.length + line.length + 1 > SLACK_LIMITS.sectionText) {
        sections.push(chunk);
        chunk = "";
      }
      chunk = chunk ? `${chunk}\n${truncate(line, SLACK_LIMITS.sectionText)}` : truncate(line, SLACK_LIMITS.sectionText);
    }
    if (chunk) sections.push(chunk);
    const room = SLACK_LIMITS.blocks - blocks.length - 1;
    for (const s of sections.slice(0, room)) blocks.push({ type: "section", text: mrkdwn(s) });
    if (sections.length > room || shown < entries.length) blocks.push({ type: "context", elements: [mrkdwn(`…and ${entries.length - shown} more: the digest was longer than one Slack message`)] });
  } else {
    const fs = facts(n).filter((f) => f.label !== "Incident");
    const fields = fs.slice(0, SLACK_LIMITS.fields).map((f) => {
      const value = f.href && f.href.length <= SLACK_LIMITS.url ? `<${f.href}|${escapeSlack(f.value)}>` : escapeSlack(f.value);
      return mrkdwn(`*${escapeSlack(f.label)}*\n${value}`, FACT_TEXT);
    });
    if (fields.length) blocks.push({ type: "section", fields });
    const rest = fs.slice(SLACK_LIMITS.fields);
    if (rest.length) blocks.push({ type: "context", elements: rest.slice(0, 10).map((f) => mrkdwn(`*${escapeSlack(f.label)}*: ${escapeSlack(f.value)}`, FACT_TEXT)) });
    if (n.incident.url && n.incident.url.length <= SLACK_LIMITS.url) {
      blocks.push({
        type: "actions",
        elements: [{ type: "button", text: { type: "plain_text", text: `Open ${n.incident.id}`.slice(0, SLACK_LIMITS.buttonText) }, url: n.incident.url, ...(n.incident.priority === "P0" && n.event === "opened" ? { style: "danger" as const } : {}) }],
      });
    }
  }
  // over the total: drop the overflow facts, then shorten the summary (blocks[1])
  if (textLength(blocks) > SLACK_TOTAL_TEXT) {
    const i = blocks.findIndex((b, k) => k > 1 && b.type === "context");
    if (i > 1 && n.event !== "digest") blocks.splice(i, 1);
  }
  const over = textLength(blocks) - SLACK_TOTAL_TEXT;
  const summary = blocks[1];
  if (over > 0 && summary?.type === "section" && summary.text) summary.text = mrkdwn(summary.text.text, Math.max(100, summary.text.text.length - over));
  const msg: SlackMessage = { text: truncate(`${headline(n)}${n.incident.url ? ` ${n.incident.url}` : ""}`, SLACK_LIMITS.fallbackText), blocks };
  if (o.username) msg.username = o.username;
  return msg;
}
