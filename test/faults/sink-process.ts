/**
 * `vigil sink serve` as its own process, the way an operator runs it beside a runtime: a store
 * file, SINK_TOKENS, a port (0 the first time; the same port again after a restart, as a service
 * keeps its address). What it stored is read back from its store file, in intake order.
 */
import Database from "better-sqlite3";
import { spawn, type ChildProcess } from "child_process";
import { existsSync } from "fs";
import { join, resolve } from "path";
import type { EmittedFinding } from "../../shared/runtime/store";

const ROOT = resolve(__dirname, "..", "..");

export interface SinkProcess {
  url: string;
  port: number;
  child: ChildProcess;
  /** exit code or signal, once it ended */
  exited: Promise<string>;
  stderr(): string;
}

/** Start `vigil sink serve` on `port` (0: any free port) and wait until it listens (generous deadline). */
export async function startSinkProcess(o: { store: string; tokens: string; port?: number; deadlineMs?: number }): Promise<SinkProcess> {
  const env = { ...process.env, LOG_LEVEL: "error", LOG_FORMAT: "json", SINK_TOKENS: o.tokens, SINK_RULES: "", SINK_DATABASE_URL: "" };
  const child = spawn(process.execPath, ["--import", "tsx", join(ROOT, "sink", "cli", "main.ts"), "serve", "--store", o.store, "--port", String(o.port ?? 0)], {
    cwd: ROOT,
    env,
    stdio: ["ignore", "pipe", "pipe"],
  });
  let err = "";
  child.stderr!.on("data", (d: Buffer) => (err += d.toString()));
  const exited = new Promise<string>((r) => child.once("exit", (code, signal) => r(signal ?? `exit ${code}`)));
  const deadline = o.deadlineMs ?? 300_000;
  const url = await new Promise<string>((resolveUrl, reject) => {
    let out = "";
    const timer = setTimeout(() => (child.kill("SIGKILL"), reject(new Error(`vigil sink serve did not listen within ${deadline / 1000} s: ${err.slice(-500)}`))), deadline);
    child.stdout!.on("data", (d: Buffer) => {
      out += d.toString();
      const m = /listening (\S+)/.exec(out);
      if (m) (clearTimeout(timer), resolveUrl(m[1]!));
    });
    void exited.then((how) => (clearTimeout(timer), reject(new Error(`vigil sink serve ended before listening (${how}): ${err.slice(-500)}`))));
  });
  return { url, port: Number(new URL(url).port), child, exited, stderr: () => err };
}

/** SIGKILL the sink and wait until it is gone (its port free again for the restart). */
export async function killSink(s: SinkProcess): Promise<void> {
  s.child.kill("SIGKILL");
  await s.exited;
}

/** The findings a sink's store holds, in the order it took them, with how many rows hold each uniqueKey. */
export function sinkStoreFindings(store: string): { findings: EmittedFinding[]; rows: number } {
  if (!existsSync(store)) return { findings: [], rows: 0 };
  const db = new Database(store, { readonly: true, fileMustExist: true });
  try {
    const rows = db.prepare("SELECT bot, chain_id, block_number, block_hash, tx_hash, json FROM sink_findings ORDER BY id").all() as {
      bot: string;
      chain_id: number;
      block_number: number;
      block_hash: string;
      tx_hash: string | null;
      json: string;
    }[];
    const findings = rows.map((r) => ({
      bot: r.bot,
      chainId: Number(r.chain_id),
      blockNumber: Number(r.block_number),
      blockHash: r.block_hash,
      ...(r.tx_hash ? { txHash: r.tx_hash } : {}),
      finding: JSON.parse(r.json) as EmittedFinding["finding"],
    }));
    return { findings, rows: rows.length };
  } finally {
    db.close();
  }
}
