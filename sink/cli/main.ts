/** `npx tsx sink/cli/main.ts ...` = `vigil sink ...` until the vigil dispatcher wires it in. */
import { loadEnv } from "../../scripts/lib/options";
import { sinkCommand } from "./index";

loadEnv();
const cmd = sinkCommand();
cmd.name("vigil sink");
cmd.parseAsync(process.argv).catch((err) => {
  process.stderr.write(`${(err as Error).message}\n`);
  process.exitCode = 2;
});
