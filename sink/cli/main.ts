/**
 * `npx tsx sink/cli/main.ts ...` = `vigil sink ...`: the process entry (loads .env, wires the
 * commands through sink/main.ts, parses argv). Counted as wiring by test/architecture/imports.ts.
 */
import { loadEnv } from "../../shared/env";
import { sinkCli } from "../main";

loadEnv();
const cmd = sinkCli();
cmd.name("vigil sink");
cmd.parseAsync(process.argv).catch((err) => {
  process.stderr.write(`${(err as Error).message}\n`);
  process.exitCode = 2;
});
