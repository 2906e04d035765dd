/**
 * Discord webhook payload (Execute Webhook): a short `content` line and one embed with the facts.
 * Limits kept: content <= 2000; <= 10 embeds; title <= 256, description <= 4096, <= 25 fields
 * with name <= 256 and value <= 1024, footer <= 2048, and all embed text together <= 6000.
 * Mentions are disabled (`allowed_mentions: {parse: []}`): a finding's text can never ping @everyone.
 */
import type { Notification } from "../../model/notification";
import { digestLine, facts, headline, summaryText, truncate } from "../render";

export const DISCORD_LIMITS = { content: 2000, embeds: 10, title: 256, description: 4096, fields: 25, fieldName: 256, fieldValue: 1024, footer: 2048, total: 6000 } as const;

export interface DiscordEmbed {
  title: string;
  description?: string;
  url?: string;
  color?: number;
  timestamp?: string;
  fields?: { name: string; value: string; inline?: boolean }[];
  footer?: { text: string };
}

export interface DiscordMessage {
  content: string;
  username?: string;
  embeds: DiscordEmbed[];
  allowed_mentions: { parse: string[] };
}

const COLORS: Record<string, number> = { P0: 0xd00000, P1: 0xf08c00, P2: 0x1c7ed6, resolved: 0x2b8a3e, retracted: 0x868e96 };

/** Discord markdown control characters, escaped so finding text renders literally. */
export function escapeDiscord(text: string): string {
  return text.replace(/([\\*_~`|>#\[\]()-])/g, "\\$1").replace(/@/g, "@\u200b");
}

/** The characters Discord counts toward the 6000 total. */
export function embedTextLength(e: DiscordEmbed): number {
  return e.title.length + (e.description?.length ?? 0) + (e.footer?.text.length ?? 0) + (e.fields ?? []).reduce((a, f) => a + f.name.length + f.value.length, 0);
}

export function buildDiscordMessage(n: Notification, o: { username?: string } = {}): DiscordMessage {
  const color = n.event === "resolved" || n.event === "retracted" ? COLORS[n.event] : COLORS[n.incident.priority];
  let description: string;
  const fields: { name: string; value: string; inline?: boolean }[] = [];
  if (n.event === "digest") {
    description = [escapeDiscord(summaryText(n)), ...(n.digest ?? []).map((e) => `• ${escapeDiscord(digestLine(e))}`)].join("\n");
  } else {
    description = escapeDiscord(summaryText(n));
    for (const f of facts(n).slice(0, DISCORD_LIMITS.fields)) {
      const value = f.href ? `[${escapeDiscord(truncate(f.value, 200))}](${f.href})` : escapeDiscord(f.value);
      fields.push({ name: truncate(f.label, DISCORD_LIMITS.fieldName), value: truncate(value, DISCORD_LIMITS.fieldValue), inline: f.value.length <= 40 });
    }
  }
  const embed: DiscordEmbed = {
    title: truncate(headline(n), DISCORD_LIMITS.title),
    description: truncate(description, DISCORD_LIMITS.description),
    color,
    timestamp: n.createdAt,
    fields,
    footer: { text: truncate(`Vigil · ${n.incident.id} · notification ${n.id}`, DISCORD_LIMITS.footer) },
  };
  if (n.incident.url && n.event !== "digest") embed.url = n.incident.url;
  // the 6000 total: drop trailing fields, then shorten the description
  while (embedTextLength(embed) > DISCORD_LIMITS.total && embed.fields && embed.fields.length > 0) embed.fields.pop();
  const over = embedTextLength(embed) - DISCORD_LIMITS.total;
  if (over > 0 && embed.description) embed.description = truncate(embed.description, Math.max(1, embed.description.length - over));
  const msg: DiscordMessage = {
    content: truncate(escapeDiscord(headline(n)), DISCORD_LIMITS.content),
    embeds: [embed],
    allowed_mentions: { parse: [] },
  };
  if (o.username) msg.username = o.username;
  return msg;
}
