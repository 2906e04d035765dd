/**
 * Runs a bot under the real `forta-agent` CLI (`forta-agent run --range A..B`), as a Forta scan
 * node's developer would, and parses the findings it prints. Used to prove that a bot runs
 * unchanged under the CLI and under our runtime.
 */
import { spawn } from "child_process";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "fs";
import { tmpdir } from "os";
import { join, resolve } from "path";
import type { Env } from "../config";
import { VigilError } from "../errors";
import type { FindingJson } from "../findings";
import { buildBot } from "../forta/bundle";

const CLI = resolve(__dirname, "../../node_modules/forta-agent/dist/cli/index.js");

export interface CliFinding {
  /** "block" or "transaction" */
  source: "block" | "transaction";
  /** block hash or transaction hash the CLI printed */
  hash: string;
  finding: FindingJson;
}

/** Parse the CLI's "N findings for block|transaction 0x... {json},{json}" output. */
export function parseCliOutput(out: string): CliFinding[] {
  const header = /^(\d+) findings for (block|transaction) (0x[0-9a-fA-F]{64}) ?/gm;
  const heads: { count: number; source: "block" | "transaction"; hash: string; start: number; end: number }[] = [];
  for (let m = header.exec(out); m; m = header.exec(out)) {
    heads.push({ count: Number(m[1]), source: m[2] as "block" | "transaction", hash: m[3]!, start: m.index, end: m.index + m[0].length });
  }
  const found: CliFinding[] = [];
  heads.forEach((h, i) => {
    if (h.count === 0) return;
    // the JSON runs until the next CLI line ("fetching block", the next header, or the end)
    const stopAt = [heads[i + 1]?.start ?? out.length, out.indexOf("\nfetching block", h.end)].filter((x) => x >= 0);
    const text = out.slice(h.end, Math.min(...stopAt)).trim();
    const parsed = JSON.parse(`[${text}]`) as FindingJson[];
    if (parsed.length !== h.count) throw new VigilError("CLI_OUTPUT", `forta-agent said ${h.count} findings for ${h.hash} but printed ${parsed.length}`);
    for (const f of parsed) found.push({ source: h.source, hash: h.hash, finding: f });
  });
  return found;
}

/**
 * Bundle the bot, then run `forta-agent run --range from..to` in its folder against `rpcUrl`
 * (given to the CLI through a private ~/.forta/forta.config.json in a temporary HOME).
 */
export async function runFortaCli(o: {
  botDir: string;
  rpcUrl: string;
  from: number;
  to: number;
  env?: Env;
  timeoutMs?: number;
  /** called as each "fetching block N..." line of the CLI arrives (the bench times blocks inside one run with it) */
  onBlockStart?: (block: number) => void;
}): Promise<{ findings: CliFinding[]; output: string }> {
  await buildBot(o.botDir);
  const home = mkdtempSync(join(tmpdir(), "vigil-forta-home-"));
  try {
    mkdirSync(join(home, ".forta"));
    writeFileSync(join(home, ".forta", "forta.config.json"), JSON.stringify({ jsonRpcUrl: o.rpcUrl }));
    const child = spawn(process.execPath, [CLI, "run", "--range", `${o.from}..${o.to}`, "--nocache"], {
      cwd: o.botDir,
      env: { ...process.env, ...o.env, HOME: home, LOG_LEVEL: "warn" },
      stdio: ["ignore", "pipe", "pipe"],
    });
    let out = "";
    let err = "";
    let scanned = 0;
    child.stdout.on("data", (d) => {
      out += String(d);
      if (!o.onBlockStart) return;
      const line = /fetching block (\d+)\.\.\./g;
      line.lastIndex = scanned;
      for (let m = line.exec(out); m; m = line.exec(out)) {
        o.onBlockStart(Number(m[1]));
        scanned = line.lastIndex;
      }
    });
    child.stderr.on("data", (d) => (err += String(d)));
    const code = await new Promise<number | null>((res, rej) => {
      const timer = setTimeout(() => {
        child.kill("SIGKILL");
        rej(new VigilError("CLI_TIMEOUT", `forta-agent run did not finish within ${o.timeoutMs ?? 480_000} ms; output so far:\n${out}\n${err}`));
      }, o.timeoutMs ?? 480_000);
      // "close", not "exit": exit can come before the last of stdout is read, and the CLI's last
      // lines (a block's "fetching block", its findings) would be lost on a busy machine
      child.on("close", (c) => {
        clearTimeout(timer);
        res(c);
      });
    });
    if (code !== 0) throw new VigilError("CLI_FAILED", `forta-agent run exited with ${code}:\n${err || out}`);
    return { findings: parseCliOutput(out), output: out };
  } finally {
    rmSync(home, { recursive: true, force: true });
  }
}

/** One line per finding with everything both runtimes must agree on, sorted: compare two runs with it. */
export function findingShapes(findings: readonly { finding: FindingJson }[]): string[] {
  return findings
    .map(({ finding: f }) => `${f.alertId} ${f.severity} ${f.uniqueKey} ${f.timestamp} ${f.description} ${JSON.stringify(f.metadata)}`)
    .sort();
}
