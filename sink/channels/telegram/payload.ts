/**
 * Telegram Bot API sendMessage payload in HTML parse mode (simpler and safer to escape than
 * MarkdownV2: outside tags only `<`, `>`, `&` need escaping, as `&lt;` `&gt;` `&amp;`; `"` is
 * escaped too for attribute values). The text must be 1..4096 characters *after* entity
 * parsing: we measure the visible text (what remains once tags and entities are parsed) and cut
 * whole lines, then the line that does not fit, ending with a "truncated" note.
 */
import type { Notification } from "../../model/notification";
import { digestLine, facts, headline, summaryText, truncate } from "../render";

export const TELEGRAM_TEXT_MAX = 4096;

export function escapeTelegramHtml(text: string): string {
  return text.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;");
}

/** A piece of a line: plain text, optionally bold / code / a link. Its visible length is `text.length`. */
interface Seg {
  text: string;
  style?: "b" | "i" | "code";
  href?: string;
}

function renderSeg(s: Seg): string {
  const t = escapeTelegramHtml(s.text);
  if (s.href) return `<a href="${escapeTelegramHtml(s.href)}">${t}</a>`;
  return s.style ? `<${s.style}>${t}</${s.style}>` : t;
}

const visible = (line: Seg[]) => line.reduce((a, s) => a + s.text.length, 0);

/** Cut a line's segments to at most `max` visible characters. */
function cutLine(line: Seg[], max: number): Seg[] {
  const out: Seg[] = [];
  let left = max;
  for (const s of line) {
    if (left <= 0) break;
    if (s.text.length <= left) {
      out.push(s);
      left -= s.text.length;
    } else {
      out.push({ ...s, text: truncate(s.text, left) });
      left = 0;
    }
  }
  return out;
}

export interface TelegramMessage {
  chat_id: string;
  text: string;
  parse_mode: "HTML";
  link_preview_options: { is_disabled: boolean };
  disable_notification?: boolean;
  message_thread_id?: number;
}

/** The visible length of a rendered message (tags removed, entities decoded): what Telegram counts. */
export function telegramVisibleLength(html: string): number {
  return html
    .replace(/<[^>]*>/g, "")
    .replace(/&(lt|gt|amp|quot);/g, "x").length;
}

export function buildTelegramMessage(n: Notification, o: { chatId: string; threadId?: number; silentBelow?: "P0" | "P1" | "P2" }): TelegramMessage {
  const lines: Seg[][] = [[{ text: headline(n), style: "b" }]];
  for (const l of summaryText(n).split("\n")) lines.push([{ text: l }]);
  if (n.event === "digest") for (const e of n.digest ?? []) lines.push([{ text: `• ${digestLine(e)} ` }, ...(e.incident.url ? [{ text: "open", href: e.incident.url }] : [])]);
  for (const f of facts(n)) {
    const value: Seg = f.href ? { text: f.value, href: f.href } : f.label === "Transaction" || f.label === "Addresses" ? { text: f.value, style: "code" } : { text: f.value };
    lines.push([{ text: `${f.label}: `, style: "b" }, value]);
  }
  const note = "… (truncated: see the incident page)";
  const total = lines.reduce((a, l) => a + visible(l), 0) + lines.length - 1;
  let kept = lines;
  if (total > TELEGRAM_TEXT_MAX) {
    // keep whole lines while they fit with the note after them, then as much of the next one as fits
    const budget = TELEGRAM_TEXT_MAX - 1 - note.length;
    kept = [];
    let used = 0;
    for (const line of lines) {
      const sep = kept.length ? 1 : 0;
      if (used + sep + visible(line) <= budget) {
        kept.push(line);
        used += sep + visible(line);
        continue;
      }
      const left = budget - used - sep;
      if (left > 1) kept.push(cutLine(line, left));
      break;
    }
    kept.push([{ text: note, style: "i" }]);
  }
  const msg: TelegramMessage = {
    chat_id: o.chatId,
    text: kept.map((l) => l.map(renderSeg).join("")).join("\n"),
    parse_mode: "HTML",
    link_preview_options: { is_disabled: true },
  };
  if (o.threadId !== undefined) msg.message_thread_id = o.threadId;
  const rank = { P0: 0, P1: 1, P2: 2 } as const;
  if (o.silentBelow && rank[n.incident.priority] > rank[o.silentBelow]) msg.disable_notification = true;
  return msg;
}
