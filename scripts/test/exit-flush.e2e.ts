/**
 * A command's output piped to another program arrives whole: `main()` ends the process only once
 * stdout has taken everything written (node writes to a pipe asynchronously, and `process.exit`
 * used to cut `vigil sink incidents --json | jq` at 64 KiB).
 */
import { spawn } from "child_process";
import { join } from "path";

const ROOT = join(__dirname, "..", "..");

it("main() exits only after stdout has flushed a large output into a slow pipe", async () => {
  const size = 1 << 20;
  const script = `require("./scripts/lib/options.ts").main(async () => { process.stdout.write("x".repeat(${size})); });`;
  const child = spawn(process.execPath, ["--import", "tsx", "-e", script], { cwd: ROOT, stdio: ["ignore", "pipe", "inherit"] });
  let received = 0;
  child.stdout.pause(); // a reader slower than the writer: the pipe fills before the command is done
  setTimeout(() => {
    child.stdout.on("data", (chunk: Buffer) => (received += chunk.length));
    child.stdout.resume();
  }, 500);
  const code = await new Promise<number | null>((resolve) => child.on("close", resolve));
  expect(code).toBe(0);
  expect(received).toBe(size);
});
