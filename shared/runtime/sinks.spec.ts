/**
 * The stdout sink against a reader that falls behind: Node makes a piped stdout non-blocking,
 * so a plain writeSync fails with EAGAIN or writes half a line. Every line must arrive whole.
 */
import { spawn } from "child_process";
import { mkdtempSync, rmSync, writeFileSync } from "fs";
import { tmpdir } from "os";
import { join, resolve } from "path";

const ROOT = resolve(__dirname, "../..");

const CHILD = `
import { StdoutSink } from ${JSON.stringify(join(ROOT, "shared/runtime/sinks"))};
void process.stdout.isTTY; // as any logger or CLI library does: the pipe becomes non-blocking
const sink = new StdoutSink("json");
const pad = "x".repeat(900);
(async () => {
  for (let b = 0; b < 40; b++) {
    const batch = Array.from({ length: 10 }, (_, i) => ({
      seq: b * 10 + i, bot: "t", chainId: 1, blockNumber: b, blockHash: "0x" + b,
      finding: { n: b * 10 + i, pad } as never,
    }));
    await sink.deliver(batch);
  }
  process.stderr.write("done\\n");
})().catch((e) => { process.stderr.write("FAILED " + e.message + "\\n"); process.exit(1); });
`;

describe("StdoutSink", () => {
  it("delivers every line whole to a reader that pauses (no EAGAIN, no half lines)", async () => {
    const dir = mkdtempSync(join(tmpdir(), "vigil-stdout-sink-"));
    const script = join(dir, "writer.ts");
    writeFileSync(script, CHILD);
    const child = spawn(process.execPath, ["--import", "tsx", script], { cwd: ROOT, stdio: ["ignore", "pipe", "pipe"] });
    // "close", not "exit": the lines still in the pipe when the writer exits must be read too
    const exited = new Promise<number | null>((r) => child.on("close", r));
    let err = "";
    child.stderr!.on("data", (d) => (err += String(d)));
    const chunks: Buffer[] = [];
    // let the pipe (64 KiB) fill several times over before reading anything
    child.stdout!.pause();
    await new Promise((r) => setTimeout(r, 1500));
    child.stdout!.on("data", (d: Buffer) => chunks.push(d));
    child.stdout!.resume();
    const code = await exited;
    rmSync(dir, { recursive: true, force: true });
    expect(err).toContain("done");
    expect(code).toBe(0);
    const lines = Buffer.concat(chunks).toString("utf8").split("\n").filter(Boolean);
    expect(lines.map((l) => (JSON.parse(l) as { finding: { n: number } }).finding.n)).toEqual(Array.from({ length: 400 }, (_, i) => i));
  });
});
