/**
 * `vigil`: one command for everything a user runs (package.json "bin"; compiled to dist/vigil.js
 * by `npm run build`, which `npm ci` runs through "prepare"). `vigil <command> --help` explains
 * each; the npm scripts (npm start, npm run replay ...) stay as shortcuts to the same commands.
 *
 * Adding a command is one row in COMMANDS: its name, one line for `vigil --help`, and how to
 * load it (a module exporting `<name>Command(): Command` whose action does the work).
 */
import type { Command } from "commander";
import { isEntryPoint } from "../shared/runtime/bundled";
import { logSettings } from "../shared/log";
import { exitCodes, loadEnv, main } from "./lib/options";

interface Subcommand {
  name: string;
  summary: string;
  load(): Command;
}

/* eslint-disable @typescript-eslint/no-var-requires -- loaded on demand: `vigil --help` loads none */
export const COMMANDS: readonly Subcommand[] = [
  { name: "run", summary: "run the bots over a chain (follow, --range, --block, --tx) or the embedded devnet", load: () => (require("./run") as typeof import("./run")).runCommand() },
  { name: "replay", summary: "run the bots over a recorded fixture, offline", load: () => (require("./replay") as typeof import("./replay")).replayCommand() },
  { name: "record", summary: "record the JSON-RPC answers the bots need for a block range into a fixture", load: () => (require("./record") as typeof import("./record")).recordCommand() },
  { name: "bench", summary: "measure the runtime's throughput and memory", load: () => (require("./bench") as typeof import("./bench")).benchCommand() },
  { name: "build-bots", summary: "bundle each bot for the forta-agent CLI and its image", load: () => (require("./build-bots") as typeof import("./build-bots")).buildBotsCommand() },
  { name: "sink", summary: "the alert sink: serve, incidents, findings, show, ack, resolve, report, dlq, rules check ...", load: () => (require("../sink/main") as typeof import("../sink/main")).sinkCli() },
  { name: "publish", summary: "build each bot's image and publish it to the Forta network (v1 and v2 SDKs; --dry-run touches nothing)", load: () => (require("./publish") as typeof import("./publish")).publishCommand() },
];
/* eslint-enable @typescript-eslint/no-var-requires */

function version(): string {
  try {
    return (require("../package.json") as { version: string }).version;
  } catch {
    return "unknown";
  }
}

export function usage(): string {
  const width = Math.max(...COMMANDS.map((c) => c.name.length));
  return [
    "Usage: vigil <command> [options]",
    "",
    "Forta detection bots guarding MakerDAO (Sky) and Ethereum consensus, with their runtime.",
    "",
    "Commands:",
    ...COMMANDS.map((c) => `  ${c.name.padEnd(width)}  ${c.summary}`),
    "",
    "Run `vigil <command> --help` for a command's options and examples.",
    "",
    "Examples:",
    "  npx vigil run                                  # the embedded devnet: every alert fires",
    "  npx vigil run --rpc http://127.0.0.1:8545 --range 100..200 --format json > findings.jsonl",
    "  JSON_RPC_URL=https://eth.example/KEY npx vigil run   # follow a chain (keep the key out of argv)",
    "",
  ].join("\n");
}

/** `vigil <argv>`: dispatch to a command; a missing or unknown command exits 2 with the usage. */
export async function vigil(argv: string[]): Promise<void> {
  const [name, ...rest] = argv;
  if (name === "--help" || name === "-h" || name === "help") {
    process.stdout.write(usage());
    return;
  }
  if (name === "--version" || name === "-V") {
    process.stdout.write(`${version()}\n`);
    return;
  }
  const row = COMMANDS.find((c) => c.name === name);
  if (!row) {
    process.stderr.write(`${name === undefined ? "error: no command given" : `error: unknown command ${JSON.stringify(name)}`}; the commands are: ${COMMANDS.map((c) => c.name).join(", ")}\n\n${usage()}`);
    process.exit(2);
  }
  loadEnv();
  logSettings(); // LOG_LEVEL / LOG_FORMAT checked before anything logs
  const cmd = row.load().name(`vigil ${row.name}`);
  exitCodes(cmd);
  await cmd.parseAsync(rest, { from: "user" });
}

if (isEntryPoint(module) || (globalThis as { __VIGIL_MAIN__?: boolean }).__VIGIL_MAIN__) {
  main(() => vigil(process.argv.slice(2)));
}
