/**
 * `npm run build:bots`: bundle each bot into `agents/<bot>/dist/agent.js`, the file the real
 * `forta-agent` CLI loads (it reads `outDir` from the bot's tsconfig.json) and the bot's Docker
 * image runs. One self-contained file per bot: the shared library and bignumber.js are inside;
 * only forta-agent (which brings ethers v5) stays external, installed in the image.
 */
import { Command, Option } from "commander";
import { isEntryPoint } from "../shared/runtime/bundled";
import { buildBot } from "../shared/forta/bundle";
import { listBots } from "../shared/runtime/discovery";
import { UnknownBotError } from "../shared/runtime/discovery";
import { logger } from "../shared/log";
import { parseList, runStandalone } from "./lib/options";

export { BOT_EXTERNALS, buildBot } from "../shared/forta/bundle";

export async function buildBots(only: string[] = []): Promise<string[]> {
  const all = listBots().filter((b) => b.entry.endsWith(".ts"));
  const unknown = only.filter((o) => !all.some((b) => b.name === o));
  if (unknown.length) throw new UnknownBotError(unknown, all.map((b) => b.name));
  const chosen = all.filter((b) => only.length === 0 || only.includes(b.name));
  return Promise.all(chosen.map((b) => buildBot(b.dir)));
}

export function buildBotsCommand(): Command {
  return new Command("build-bots")
    .description("Bundle each bot into agents/<bot>/dist/agent.js for the forta-agent CLI and its Docker image.")
    .addOption(new Option("--bots <names>", "only these bots").argParser(parseList))
    .action(async (o: { bots?: string[] }) => {
      const out = await buildBots(o.bots ?? []);
      logger().info({ built: out }, "bots bundled");
    })
    .addHelpText("after", "\nExample:\n  npx vigil build-bots --bots maker-emergency");
}

if (isEntryPoint(module)) runStandalone(buildBotsCommand(), "npm run build:bots --");
