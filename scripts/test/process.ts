/**
 * Helpers for tests that start Vigil's commands as a user does: spawn, wait for a log line (a
 * condition, never a duration), and list a process's descendants to prove none survives it.
 */
import { spawn, spawnSync, type ChildProcess } from "child_process";
import { resolve } from "path";

export const ROOT = resolve(__dirname, "../..");

export interface Started {
  child: ChildProcess;
  out(): string;
  err(): string;
  /** exit code (null when killed by a signal) */
  exited: Promise<number | null>;
  /** resolves once `re` matches stderr (rejects if the process exits first or `ms` pass) */
  waitFor(re: RegExp, ms?: number): Promise<void>;
}

/**
 * The child's exit code (null when killed by a signal), once its output has been read: 'exit'
 * can come before the last of stdout and stderr, so this waits for 'close' too, but at most
 * `graceMs` after the exit (a grandchild that outlives it keeps the pipes open; the test that
 * looks for survivors must still get to run).
 */
export function exitedWithOutput(child: ChildProcess, graceMs = 10_000): Promise<number | null> {
  const closed = new Promise<void>((r) => child.once("close", () => r()));
  return new Promise((resolveExit) => {
    child.once("exit", (code) => {
      const timer = setTimeout(() => resolveExit(code), graceMs);
      void closed.then(() => {
        clearTimeout(timer);
        resolveExit(code);
      });
    });
  });
}

export function start(cmd: string, args: string[], env: Record<string, string> = {}): Started {
  const child = spawn(cmd, args, {
    cwd: ROOT,
    env: { ...process.env, LOG_LEVEL: "info", LOG_FORMAT: "json", JSON_RPC_URL: "", ...env },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let out = "";
  let err = "";
  child.stdout!.on("data", (d) => (out += String(d)));
  child.stderr!.on("data", (d) => (err += String(d)));
  const exited = exitedWithOutput(child);
  let done = false;
  void exited.then(() => (done = true));
  return {
    child,
    out: () => out,
    err: () => err,
    exited,
    waitFor: async (re, ms = 300_000) => {
      const deadline = Date.now() + ms;
      while (!re.test(err)) {
        if (done) throw new Error(`exited before logging ${re}; stderr tail:\n${err.slice(-3000)}`);
        if (Date.now() > deadline) throw new Error(`no ${re} within ${ms / 1000} s; stderr tail:\n${err.slice(-3000)}`);
        await new Promise((r) => setTimeout(r, 100));
      }
    },
  };
}

/** `tsx`-free node running a script through the TypeScript loader, as the npm scripts do. */
export function runTs(script: string, args: string[], env: Record<string, string> = {}) {
  const r = spawnSync(process.execPath, ["--import", "tsx", script, ...args], {
    cwd: ROOT,
    env: { ...process.env, LOG_LEVEL: "warn", LOG_FORMAT: "json", JSON_RPC_URL: "", ...env },
    encoding: "utf8",
    timeout: 300_000, // only ends a hang: a loaded machine can make a run slow
  });
  return { code: r.status, out: r.stdout, err: r.stderr };
}

/** Every process below `pid` (children, grandchildren...), from `ps`. */
export function descendants(pid: number): { pid: number; args: string }[] {
  const ps = spawnSync("ps", ["-eo", "pid=,ppid=,args="], { encoding: "utf8" }).stdout;
  const rows = ps
    .split("\n")
    .map((l) => /^\s*(\d+)\s+(\d+)\s+(.*)$/.exec(l))
    .filter((m): m is RegExpExecArray => m !== null)
    .map((m) => ({ pid: Number(m[1]), ppid: Number(m[2]), args: m[3]! }));
  const out: { pid: number; args: string }[] = [];
  const walk = (p: number) => {
    for (const r of rows.filter((x) => x.ppid === p)) {
      out.push({ pid: r.pid, args: r.args });
      walk(r.pid);
    }
  };
  walk(pid);
  return out;
}

export function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch {
    return false;
  }
  // a zombie (exited, not yet reaped) is not running
  const stat = spawnSync("ps", ["-o", "stat=", "-p", String(pid)], { encoding: "utf8" }).stdout.trim();
  return stat !== "" && !stat.startsWith("Z");
}

/** Wait until none of `pids` runs (rejects naming the survivors after `ms`). */
export async function allGone(pids: { pid: number; args: string }[], ms = 60_000): Promise<void> {
  const deadline = Date.now() + ms;
  for (;;) {
    const alive = pids.filter((p) => isAlive(p.pid));
    if (alive.length === 0) return;
    if (Date.now() > deadline) {
      for (const p of alive) process.kill(p.pid, "SIGKILL");
      throw new Error(`still running after the command exited:\n${alive.map((p) => `  ${p.pid} ${p.args.slice(0, 150)}`).join("\n")}`);
    }
    await new Promise((r) => setTimeout(r, 100));
  }
}
