/**
 * Jest test environment that finds what a test file leaves open (VIGIL_TEST_LEAKS=1 turns it on,
 * see jest.config.js). After each test file it lists the worker's active handles and the child
 * processes still alive that were not there before the file started, on stderr and in the file
 * named by VIGIL_TEST_LEAKS_LOG if set. A worker that "failed to exit gracefully" is a worker
 * that still holds one of these: this names the test file that left it. With the log file, each
 * worker also writes everything it holds after its latest test file to <log>.worker-<pid>: after
 * the run, those files show what each worker still held when it was asked to exit.
 */
import { readdirSync, readFileSync, appendFileSync, writeFileSync } from "fs";
import NodeEnvironment from "jest-environment-node";
import type { EnvironmentContext, JestEnvironmentConfig } from "@jest/environment";

type Handle = { constructor?: { name?: string } } & Record<string, unknown>;

function describeHandle(h: Handle): string {
  const name = h?.constructor?.name ?? typeof h;
  if (name === "Socket" || name === "Server") {
    const s = h as unknown as { localPort?: number; remotePort?: number; address?: () => unknown; _type?: string };
    let addr = "";
    try {
      addr = JSON.stringify(s.address?.());
    } catch {
      /* closed */
    }
    return `${name} ${addr} remote=${s.remotePort ?? ""}`;
  }
  if (name === "ChildProcess") {
    const c = h as unknown as { pid?: number; spawnfile?: string; spawnargs?: string[] };
    return `ChildProcess pid=${c.pid} ${(c.spawnargs ?? []).join(" ").slice(0, 160)}`;
  }
  if (name === "Timeout") {
    const t = h as unknown as { _idleTimeout?: number; _onTimeout?: { name?: string; toString(): string } };
    return `Timeout ${t._idleTimeout} ms ${t._onTimeout?.name ?? ""} ${String(t._onTimeout).slice(0, 120).replace(/\s+/g, " ")}`;
  }
  return name;
}

function children(pid: number): string[] {
  const out: string[] = [];
  let entries: string[] = [];
  try {
    entries = readdirSync("/proc");
  } catch {
    return out;
  }
  const byParent = new Map<number, number[]>();
  const cmd = new Map<number, string>();
  for (const e of entries) {
    if (!/^\d+$/.test(e)) continue;
    try {
      const stat = readFileSync(`/proc/${e}/stat`, "utf8");
      const ppid = Number(stat.slice(stat.lastIndexOf(")") + 2).split(" ")[1]);
      const list = byParent.get(ppid) ?? [];
      list.push(Number(e));
      byParent.set(ppid, list);
      cmd.set(Number(e), readFileSync(`/proc/${e}/cmdline`, "utf8").replace(/\0/g, " ").slice(0, 160));
    } catch {
      /* gone */
    }
  }
  const walk = (p: number) => {
    for (const c of byParent.get(p) ?? []) {
      out.push(`pid ${c}: ${cmd.get(c)}`);
      walk(c);
    }
  };
  walk(pid);
  return out;
}

function resourceCounts(): Map<string, number> {
  const counts = new Map<string, number>();
  for (const r of (process as unknown as { getActiveResourcesInfo?: () => string[] }).getActiveResourcesInfo?.() ?? []) counts.set(r, (counts.get(r) ?? 0) + 1);
  return counts;
}

function snapshot(): { handles: Set<unknown>; children: Set<string>; resources: Map<string, number> } {
  const p = process as unknown as { _getActiveHandles(): unknown[] };
  return { handles: new Set(p._getActiveHandles()), children: new Set(children(process.pid)), resources: resourceCounts() };
}

/** Where a timer was made: the first frames of its stack outside node_modules and node's own. */
function origin(stack: string | undefined): string {
  const frames = (stack ?? "").split("\n").slice(2).map((l) => l.trim());
  const ours = frames.filter((f) => !/node_modules|node:internal|jest\.leak-env/.test(f));
  return (ours.length ? ours : frames).slice(0, 3).join(" <- ");
}

type TimerRecord = { timer: { hasRef?: () => boolean; _destroyed?: boolean; _idleTimeout?: number }; kind: string; where: string };

export default class LeakReportingEnvironment extends NodeEnvironment {
  private readonly testPath: string;
  private before?: ReturnType<typeof snapshot>;
  private readonly timers = new Set<TimerRecord>();

  constructor(config: JestEnvironmentConfig, context: EnvironmentContext) {
    super(config, context);
    this.testPath = context.testPath;
  }

  override async setup(): Promise<void> {
    await super.setup();
    // remember where the test file's timers are made, to name the ones still pending at the end
    const g = this.global as unknown as Record<string, (...a: unknown[]) => TimerRecord["timer"]>;
    for (const kind of ["setTimeout", "setInterval"]) {
      const original = g[kind]!;
      g[kind] = (...args: unknown[]) => {
        const timer = original(...args);
        if (timer && typeof timer === "object") this.timers.add({ timer, kind, where: origin(new Error().stack) });
        return timer;
      };
    }
    this.before = snapshot();
  }

  override async teardown(): Promise<void> {
    await super.teardown();
    // let close callbacks that are already on their way run
    await new Promise((r) => setTimeout(r, 200));
    const before = this.before ?? { handles: new Set(), children: new Set(), resources: new Map<string, number>() };
    const now = snapshot();
    const handles = [...now.handles].filter((h) => !before.handles.has(h)).map((h) => describeHandle(h as Handle));
    const kids = [...now.children].filter((c) => !before.children.has(c));
    // timers are no handles in Node 20: compare the counts of active resources by kind
    const grown = [...now.resources].filter(([k, n]) => n > (before.resources.get(k) ?? 0)).map(([k, n]) => `${k} +${n - (before.resources.get(k) ?? 0)}`);
    if (process.env.VIGIL_TEST_LEAKS_LOG) {
      const all = [...now.handles].map((h) => describeHandle(h as Handle));
      writeFileSync(
        `${process.env.VIGIL_TEST_LEAKS_LOG}.worker-${process.pid}`,
        `after ${this.testPath}:\n${all.map((h) => `  handle ${h}\n`).join("")}${now.children.size ? [...now.children].map((c) => `  child ${c}\n`).join("") : ""}  resources: ${[...now.resources].map(([k, n]) => `${k} x${n}`).join(", ")}\n`,
      );
    }
    const pending = [...this.timers]
      .filter((t) => !t.timer._destroyed && (t.timer.hasRef?.() ?? true))
      .map((t) => `${t.kind} ${t.timer._idleTimeout} ms from ${t.where}`);
    this.timers.clear();
    if (handles.length === 0 && kids.length === 0 && grown.length === 0 && pending.length === 0) return;
    const report =
      `[vigil leaks] ${this.testPath} (worker pid ${process.pid}) left open:\n` +
      handles.map((h) => `  handle ${h}\n`).join("") +
      kids.map((k) => `  child ${k}\n`).join("") +
      pending.map((t) => `  timer ${t}\n`).join("") +
      `  (active resources grown: ${grown.join(", ") || "none"})\n`;
    process.stderr.write(report);
    if (process.env.VIGIL_TEST_LEAKS_LOG) appendFileSync(process.env.VIGIL_TEST_LEAKS_LOG, report);
  }
}
