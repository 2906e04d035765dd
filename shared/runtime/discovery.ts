/**
 * Finds the bots: every folder under agents/ with a src/agent.ts (or a built dist/agent.js).
 * A bot module exports `createAgent(ctx)` (preferred: the runtime passes its shared RPC client,
 * state and config) and/or a default Agent (any plain Forta bot runs too).
 */
import { existsSync, readdirSync } from "fs";
import { join, resolve } from "path";
import { VigilError } from "../errors";
import type { Agent, BotContext } from "../bot";
import { bundle, REPO_ROOT } from "./bundled";

export interface BotModule {
  createAgent?: (ctx: BotContext) => Agent;
  default?: Agent;
}

export interface LoadedBot {
  name: string;
  dir: string;
  module: BotModule;
}

export const AGENTS_DIR = resolve(REPO_ROOT, "agents");

export function listBots(agentsDir = AGENTS_DIR): { name: string; dir: string; entry: string }[] {
  const compiled = bundle();
  if (compiled && agentsDir === AGENTS_DIR) {
    return Object.keys(compiled.bots)
      .sort()
      .map((name) => ({ name, dir: join(agentsDir, name), entry: `bundled:${name}` }));
  }
  if (!existsSync(agentsDir)) return [];
  return readdirSync(agentsDir, { withFileTypes: true })
    .filter((d) => d.isDirectory())
    .map((d) => {
      const dir = join(agentsDir, d.name);
      const ts = join(dir, "src", "agent.ts");
      const js = join(dir, "dist", "agent.js");
      return { name: d.name, dir, entry: existsSync(ts) ? ts : js };
    })
    .filter((b) => existsSync(b.entry))
    .sort((a, b) => a.name.localeCompare(b.name));
}

export class UnknownBotError extends VigilError<"UNKNOWN_BOT"> {
  constructor(unknown: string[], known: string[]) {
    super("UNKNOWN_BOT", `unknown bot(s) ${unknown.join(", ")}; the bots are: ${known.join(", ") || "(none found under agents/)"}`);
  }
}

/** Load the selected bots (all when `only` is empty), in name order. */
export function loadBots(only: readonly string[] = [], agentsDir = AGENTS_DIR): LoadedBot[] {
  const all = listBots(agentsDir);
  const names = all.map((b) => b.name);
  const unknown = only.filter((o) => !names.includes(o));
  if (unknown.length) throw new UnknownBotError(unknown, names);
  return all
    .filter((b) => only.length === 0 || only.includes(b.name))
    .map((b) => {
      // eslint-disable-next-line @typescript-eslint/no-var-requires
      const compiled = b.entry.startsWith("bundled:") ? bundle()?.bots[b.name] : undefined;
      const mod = (compiled ? compiled() : require(b.entry)) as BotModule;
      if (typeof mod.createAgent !== "function" && !mod.default) {
        throw new VigilError("BAD_BOT", `bot ${b.name}: ${b.entry} exports neither createAgent(ctx) nor a default agent`);
      }
      return { name: b.name, dir: b.dir, module: mod };
    });
}

/** Wrap in-memory agent factories (tests) as loaded bots. */
export function botsFrom(factories: Record<string, (ctx: BotContext) => Agent>): LoadedBot[] {
  return Object.entries(factories)
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([name, createAgent]) => ({ name, dir: "", module: { createAgent } }));
}
