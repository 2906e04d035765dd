/**
 * `npm run build:bots`: bundle each bot into `agents/<bot>/dist/agent.js`, the file the real
 * `forta-agent` CLI loads (it reads `outDir` from the bot's tsconfig.json) and the bot's Docker
 * image runs. One self-contained file per bot: the shared library and bignumber.js are inside;
 * only forta-agent (which brings ethers v5) stays external, installed in the image.
 */
import { Command, Option } from "commander";
import { buildBot } from "../shared/forta/bundle";
import { listBots } from "../shared/runtime/discovery";
import { UnknownBotError } from "../shared/runtime/discovery";
import { logger } from "../shared/log";
import { main, parseCommandLine, parseList } from "./lib/options";

export { BOT_EXTERNALS, buildBot } from "../shared/forta/bundle";

export async function buildBots(only: string[] = []): Promise<string[]> {
  const all = listBots().filter((b) => b.entry.endsWith(".ts"));
  const unknown = only.filter((o) => !all.some((b) => b.name === o));
  if (unknown.length) throw new UnknownBotError(unknown, all.map((b) => b.name));
  const chosen = all.filter((b) => only.length === 0 || only.includes(b.name));
  return Promise.all(chosen.map((b) => buildBot(b.dir)));
}

if (require.main === module) {
  const cmd = new Command("npm run build:bots --")
    .description("Bundle each bot into agents/<bot>/dist/agent.js for the forta-agent CLI and its Docker image.")
    .addOption(new Option("--bots <names>", "only these bots").argParser(parseList))
    .addHelpText("after", "\nExample:\n  npm run build:bots -- --bots maker-emergency");
  parseCommandLine(cmd);
  main(async () => {
    const out = await buildBots(cmd.opts<{ bots?: string[] }>().bots ?? []);
    logger().info({ built: out }, "bots bundled");
  });
}
