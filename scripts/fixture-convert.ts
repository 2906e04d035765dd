/**
 * `npm run fixture:convert -- <files>`: rewrite fixtures recorded in format 1 (one JSON object,
 * loaded whole) as format 2 (JSON lines, one block at a time: streamed in constant memory).
 * Files already in format 2 are left as they are.
 */
import { Command } from "commander";
import { convertFixture } from "../shared/rpc/fixture";
import { isEntryPoint } from "../shared/runtime/bundled";
import { runStandalone } from "./lib/options";

export function fixtureConvertCommand(): Command {
  return new Command("npm run fixture:convert --")
    .description("Rewrite format-1 fixtures (one JSON object) as format-2 fixtures (JSON lines, streamed), in place.")
    .argument("<files...>", "fixture files (.json.gz)")
    .action(async (files: string[]) => convert(files))
    .addHelpText("after", "\nExample:\n  npm run fixture:convert -- agents/*/test/fixtures/storyline.json.gz");
}

async function convert(files: string[]): Promise<void> {
  for (const f of files) process.stdout.write(`${f}: ${(await convertFixture(f)) ? "converted to format 2" : "already format 2"}\n`);
}

if (isEntryPoint(module)) runStandalone(fixtureConvertCommand(), "npm run fixture:convert --");
