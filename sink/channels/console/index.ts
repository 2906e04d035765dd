/**
 * Console channel: human lines, one block per notification, for the devnet and for people
 * watching a terminal. Written to stderr by default, because stdout carries the runtime's
 * findings as JSON lines; `stream: stdout` when nothing else writes there.
 * Options: `stream` (stderr | stdout), `color` (default: when the stream is a terminal),
 * `format` (block: headline and facts, the default; line: one line per message).
 */
import type { Notification } from "../../model/notification";
import type { Channel, ChannelFactory } from "../channel";
import { ChannelError } from "../channel";
import { checkOptions, opt, type OptionsSpec } from "../options";
import { digestLine, facts, headline, summaryText } from "../render";

const SPEC: OptionsSpec = {
  stream: { kind: "string", oneOf: ["stderr", "stdout"], what: "where to print" },
  color: { kind: "boolean", what: "ANSI colours" },
  format: { kind: "string", oneOf: ["block", "line"], what: "a block of lines per message (default) or one line each" },
};

const COLOR: Record<string, string> = { P0: "\x1b[41;97m", P1: "\x1b[33m", P2: "\x1b[36m", resolved: "\x1b[32m", retracted: "\x1b[2m" };

/** The lines the console prints for one notification (no trailing newline). */
export function consoleLines(n: Notification, color = false): string {
  const c = n.event === "resolved" || n.event === "retracted" ? COLOR[n.event] : COLOR[n.incident.priority];
  const head = color && c ? `${c}${headline(n)}\x1b[0m` : headline(n);
  const lines = [`${n.createdAt.slice(11, 19)} ${head}`];
  for (const l of summaryText(n).split("\n")) lines.push(`  ${l}`);
  if (n.event === "digest") for (const e of n.digest ?? []) lines.push(`  - ${digestLine(e)}`);
  for (const f of facts(n)) {
    if (f.label === "Type" || f.label === "Status" || f.label === "Rule") continue;
    lines.push(`  ${f.label.padEnd(12)} ${f.value}${f.href && f.href !== f.value ? `  ${f.href}` : ""}`);
  }
  return lines.join("\n");
}

/** One line for a notification: headline, alert, block, transaction, owner, incident page. */
export function consoleLine(n: Notification, color = false): string {
  const c = n.event === "resolved" || n.event === "retracted" ? COLOR[n.event] : COLOR[n.incident.priority];
  const head = color && c ? `${c}${headline(n)}\x1b[0m` : headline(n);
  const parts = [`${n.createdAt.slice(11, 19)} ${head}`];
  if (n.event === "digest") parts.push((n.digest ?? []).map((e) => `${e.incident.id} ${e.event}`).join(", "));
  const f = n.findings[0];
  if (f && n.event !== "digest") parts.push(`${f.finding.alertId} block ${f.blockNumber}${f.txHash ? ` tx ${f.txHash}` : ""}`);
  if (n.event !== "digest") parts.push(`owner ${n.incident.ownerName ?? n.incident.owner}${n.actor ? `, by ${n.actor}` : ""}`);
  if (n.incident.url && n.event !== "digest") parts.push(n.incident.url);
  return parts.join(" · ");
}

export interface LineWriter {
  write(text: string): unknown;
}

export function createConsoleChannel(name: string, options: Record<string, unknown>, out?: LineWriter): Channel {
  const stream = opt.str(options, "stream") === "stdout" ? process.stdout : process.stderr;
  const target: LineWriter = out ?? stream;
  const color = opt.bool(options, "color") ?? (out ? false : stream.isTTY === true);
  const render = opt.str(options, "format") === "line" ? consoleLine : consoleLines;
  return {
    name,
    kind: "console",
    async send(n) {
      try {
        target.write(`${render(n, color)}\n`);
      } catch (err) {
        throw new ChannelError(`console channel "${name}": cannot write: ${(err as Error).message}`, true);
      }
    },
  };
}

export const consoleFactory: ChannelFactory = {
  kind: "console",
  secretFields: [],
  check: (o) => checkOptions(SPEC, o),
  create: (name, options) => createConsoleChannel(name, options),
};
