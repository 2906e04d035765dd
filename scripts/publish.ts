/**
 * `vigil publish <bot> | --all [--sdk v1|v2] [--dry-run]`: build each bot's image and publish
 * it to Forta (docs/techops.md has the keys, the order of steps, disabling, rollback).
 *
 *   v1: the bot's build context is assembled (scripts/lib/images.ts) and `forta-agent publish`
 *       runs in it: docker build, push to Forta's registry, manifest to IPFS, registration in
 *       the Bot Registry on Polygon (keys from forta.config.json and ~/.forta).
 *   v2: @fortanetwork/forta-bot ships no publisher (its CLI is not on the registry): the image
 *       is built and pushed to FORTA_IMAGE_REPOSITORY with docker, and the v2 manifest
 *       (protocolVersion 2) is written next to the context, to register in the Forta App.
 *
 * --dry-run prints, for every bot and SDK, the image's build context, manifest and target, and
 * touches neither the network nor Docker.
 */
import { spawnSync } from "child_process";
import { copyFileSync, existsSync, mkdirSync, writeFileSync } from "fs";
import { join, resolve } from "path";
import { Command, Option } from "commander";
import { VigilError } from "../shared/errors";
import { listBots } from "../shared/runtime/discovery";
import { REPO_ROOT, SDKS, SDK_IMAGE_ENV, assembleContext, planImage, type ImagePlan, type Sdk } from "./lib/images";
import { isEntryPoint } from "../shared/runtime/bundled";
import { runStandalone } from "./lib/options";

export interface PublishOptions {
  all?: boolean;
  sdk?: Sdk;
  dryRun?: boolean;
  /** assemble the build contexts under `out` and stop (for docker build by hand) */
  contextOnly?: boolean;
  out?: string;
  config?: string;
}

/** One line of `--dry-run`: everything publishing would use for one image. */
export interface PublishPlanLine {
  bot: string;
  sdk: Sdk;
  dockerfile: string;
  context: string[];
  imageTag: string;
  target: string;
  manifest: ImagePlan["manifest"];
  /** configuration the image bakes in (manifest imageEnv): whether the publishing environment sets it */
  imageEnv: Record<string, "set" | "missing" | "optional, not set">;
}

/** The images `publish` would build for these arguments, checked (unknown bot, bad manifest). */
export function publishPlan(bots: readonly string[], o: PublishOptions): ImagePlan[] {
  if (o.all && bots.length) throw new VigilError("BAD_ARGS", "give bot names or --all, not both");
  const names = o.all ? listBots().map((b) => b.name) : [...bots];
  if (names.length === 0) throw new VigilError("BAD_ARGS", `name a bot or give --all; the bots are: ${listBots().map((b) => b.name).join(", ")}`);
  const sdks = o.sdk ? [o.sdk] : SDKS;
  return names.flatMap((bot) => sdks.map((sdk) => planImage(bot, sdk)));
}

export function planLine(p: ImagePlan, env: Record<string, string | undefined> = process.env): PublishPlanLine {
  const sdkEnv = SDK_IMAGE_ENV[p.sdk];
  const status = (k: string) => (env[k]?.trim() ? ("set" as const) : sdkEnv.optional.includes(k) ? ("optional, not set" as const) : ("missing" as const));
  const imageEnv = Object.fromEntries([...(p.manifest.imageEnv ?? []), ...sdkEnv.required, ...sdkEnv.optional].map((k) => [k, status(k)]));
  return { bot: p.bot, sdk: p.sdk, dockerfile: `docker/Dockerfile.${p.sdk}`, context: p.files, imageTag: p.imageTag, target: p.target, manifest: p.manifest, imageEnv };
}

/** The v2 manifest Forta's registry takes for a bot (docs: "Deploying your bot"). */
export function v2Manifest(p: ImagePlan, imageReference: string, botId: string): Record<string, unknown> {
  return {
    botId,
    name: p.manifest.displayName ?? p.manifest.name,
    description: p.manifest.description,
    version: p.manifest.version,
    imageReference,
    documentation: p.manifest.documentation,
    repository: p.manifest.repository.url,
    licenseUrl: p.manifest.licenseUrl,
    chainIds: p.manifest.chainIds,
    ...(p.manifest.chainSettings ? { chainSettings: p.manifest.chainSettings } : {}),
    protocolVersion: 2,
  };
}

function run(cmd: string, args: string[], cwd: string, what: string): string {
  const r = spawnSync(cmd, args, { cwd, stdio: ["inherit", "pipe", "inherit"], encoding: "utf8" });
  if (r.error) throw new VigilError("PUBLISH_FAILED", `${what}: could not run ${cmd} (${r.error.message}); is it installed and on PATH?`);
  process.stdout.write(r.stdout ?? "");
  if (r.status !== 0) throw new VigilError("PUBLISH_FAILED", `${what}: ${cmd} ${args[0]} exited with ${r.status}; nothing after this step was done (see docs/techops.md, "Publishing")`);
  return r.stdout ?? "";
}

async function publishOne(p: ImagePlan, o: PublishOptions): Promise<void> {
  const dir = resolve(o.out ?? join(REPO_ROOT, ".vigil", "publish"), `${p.bot}-${p.sdk}`);
  await assembleContext(p.bot, p.sdk, dir);
  if (p.sdk === "v1") {
    const config = resolve(o.config ?? join(REPO_ROOT, "forta.config.json"));
    if (!existsSync(config)) throw new VigilError("NO_FORTA_CONFIG", `${config} not found: forta-agent publish needs it (keyfile, agentId; see docs/techops.md, "Keys and forta.config.json")`);
    // read by forta-agent from the context folder; not copied into the image (the Dockerfile names its files)
    copyFileSync(config, join(dir, "forta.config.json"));
    run(process.execPath, [join(REPO_ROOT, "node_modules/forta-agent/dist/cli/index.js"), "publish"], dir, `${p.bot} (v1)`);
    return;
  }
  const repo = process.env.FORTA_IMAGE_REPOSITORY;
  if (!repo) throw new VigilError("NO_IMAGE_REPOSITORY", "FORTA_IMAGE_REPOSITORY is not set: set it to the registry the v2 image is pushed to (e.g. registry.example.com/vigil); see docs/techops.md");
  const tag = `${repo.replace(/\/$/, "")}/${p.manifest.name}:${p.manifest.version}`;
  run("docker", ["build", "--platform", "linux/amd64", "--tag", tag, "."], dir, `${p.bot} (v2)`);
  const pushed = run("docker", ["push", tag], dir, `${p.bot} (v2)`);
  const digest = /sha256:[0-9a-f]{64}/.exec(pushed)?.[0];
  const reference = digest ? `${tag.split(":")[0]}@${digest}` : tag;
  const manifest = v2Manifest(p, reference, process.env.FORTA_BOT_ID ?? "<bot id from the Forta App>");
  writeFileSync(join(dir, "manifest.v2.json"), JSON.stringify(manifest, null, 2) + "\n");
  process.stdout.write(`${p.bot} (v2): image ${reference} pushed; register or update the bot in the Forta App with ${join(dir, "manifest.v2.json")}\n`);
}

export async function publish(bots: readonly string[], o: PublishOptions, write: (s: string) => void = (s) => process.stdout.write(s)): Promise<ImagePlan[]> {
  const plans = publishPlan(bots, o);
  if (o.dryRun) {
    for (const p of plans) write(JSON.stringify(planLine(p)) + "\n");
    return plans;
  }
  if (o.out) mkdirSync(o.out, { recursive: true });
  if (o.contextOnly) {
    for (const p of plans) {
      const dir = resolve(o.out ?? join(REPO_ROOT, ".vigil", "publish"), `${p.bot}-${p.sdk}`);
      await assembleContext(p.bot, p.sdk, dir);
      write(`${p.bot} (${p.sdk}): build context in ${dir} (docker build ${dir})\n`);
    }
    return plans;
  }
  for (const p of plans) await publishOne(p, o);
  return plans;
}

export function publishCommand(): Command {
  return new Command("publish")
    .description("Build each bot's Docker image and publish it to the Forta network (v1: forta-agent publish; v2: docker push + manifest)")
    .argument("[bots...]", "bot folder names under agents/ (e.g. maker-psm)")
    .addOption(new Option("--all", "every bot under agents/"))
    .addOption(new Option("--sdk <sdk>", "only this SDK's image (default: both)").choices([...SDKS]))
    .addOption(new Option("--dry-run", "print each image's build context, manifest and target (JSON lines); no network, no Docker"))
    .addOption(new Option("--context-only", "assemble each image's build context under --out and stop (for docker build by hand); no network").conflicts("dryRun"))
    .addOption(new Option("--out <dir>", "where build contexts are assembled (default .vigil/publish)"))
    .addOption(new Option("--config <file>", "forta.config.json for forta-agent publish (v1; default ./forta.config.json)"))
    .addHelpText(
      "after",
      `
Examples:
  vigil publish --all --dry-run
  vigil publish maker-psm --sdk v1
  FORTA_IMAGE_REPOSITORY=registry.example.com/vigil vigil publish maker-psm --sdk v2

Keys, forta.config.json fields, the order of steps, disabling, rollback and key rotation:
docs/techops.md.`,
    )
    .action(async (bots: string[], opts: PublishOptions) => {
      await publish(bots, opts);
    });
}

if (isEntryPoint(module)) runStandalone(publishCommand(), "npm run publish:bots --");
