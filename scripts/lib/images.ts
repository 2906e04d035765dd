/**
 * A bot's Docker image for Forta, described once: what its build context holds and which
 * Dockerfile builds it. `vigil publish` assembles the context and hands it to the SDK's
 * publisher; the conformance tests assemble the same context and "build" it with the
 * Dockerfile simulator (shared/testing/dockerfile.ts), so what is tested is what ships.
 *
 * Forta's publisher (`forta-agent publish`) runs `docker buildx build .` in the bot's folder
 * with no build arguments, and our bots import the monorepo's shared/ library, so a bot folder
 * is not a build context by itself. The context is assembled in its own folder:
 *
 *   Dockerfile            docker/Dockerfile.<sdk> with the bot's ARG defaults filled in
 *   package.json          the bot's manifest (agents/<bot>/package.json) + main / dependencies
 *   README.md, LICENSE    the bot's documentation and the licence (Forta requires both)
 *   dist/agent.js (v1)    the bot bundled (esbuild), shared library inside
 *   dist/main.js  (v2)    the bot and its v2 entry (shared/forta/v2.ts) bundled
 *   deps/package.json     production dependencies only (the SDK), the same for every bot of
 *   deps/package-lock.json  an SDK, locked to the versions of the monorepo's lockfile
 */
import { copyFileSync, existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from "fs";
import { build } from "esbuild";
import { dirname, join, resolve } from "path";
import { VigilError } from "../../shared/errors";
import { AGENTS_DIR, UnknownBotError, listBots } from "../../shared/runtime/discovery";

export type Sdk = "v1" | "v2";
export const SDKS: readonly Sdk[] = ["v1", "v2"];

export const REPO_ROOT = resolve(__dirname, "../..");

/** What Forta's publishers read from a bot's package.json (v1: forta-agent publish; v2: the manifest). */
export interface BotManifest {
  name: string;
  displayName?: string;
  version: string;
  description: string;
  license: string;
  licenseUrl: string;
  repository: { type: string; url: string; directory?: string };
  /** path of the documentation inside the bot folder (README.md) */
  documentation: string;
  chainIds: number[];
  chainSettings?: Record<string, { shards: number; target: number }>;
  /**
   * configuration baked into the image as ENV (package.json "vigil": {"imageEnv": [...]}):
   * Forta's scan nodes start a bot's image with no configuration of ours, so what a bot cannot
   * run without (a consensus bot's BEACON_API_URL) must be in the image. Values come from the
   * publishing environment; images are public, so a value carrying a key is refused.
   */
  imageEnv?: string[];
}

export class ManifestError extends VigilError<"BAD_MANIFEST"> {
  constructor(bot: string, problem: string) {
    super("BAD_MANIFEST", `agents/${bot}/package.json: ${problem}; Forta's publishers need it (see docs/techops.md, "Manifest")`);
  }
}

/** The bot's manifest from its package.json, checked: every field Forta needs is there and well-formed. */
export function readManifest(bot: string, agentsDir = AGENTS_DIR): BotManifest {
  const path = join(agentsDir, bot, "package.json");
  if (!existsSync(path)) throw new ManifestError(bot, "missing");
  const p = JSON.parse(readFileSync(path, "utf8")) as Record<string, unknown>;
  const str = (k: string) => {
    if (typeof p[k] !== "string" || !(p[k] as string).trim()) throw new ManifestError(bot, `"${k}" must be a non-empty string`);
    return p[k] as string;
  };
  const name = str("name");
  if (!/^[a-z0-9][a-z0-9._-]*$/.test(name)) throw new ManifestError(bot, `"name" ${JSON.stringify(name)} is not a valid npm/Docker name (lower case, digits, . _ -)`);
  const version = str("version");
  if (!/^\d+\.\d+\.\d+(-[0-9A-Za-z.-]+)?$/.test(version)) throw new ManifestError(bot, `"version" ${JSON.stringify(version)} is not semver (e.g. 1.2.3)`);
  const chainIds = p.chainIds;
  if (!Array.isArray(chainIds) || chainIds.length === 0 || !chainIds.every((c) => Number.isInteger(c) && c > 0)) {
    throw new ManifestError(bot, `"chainIds" must be a non-empty list of chain ids, e.g. [1]`);
  }
  const repo = p.repository as BotManifest["repository"] | undefined;
  if (!repo || typeof repo !== "object" || typeof repo.url !== "string" || !repo.url) throw new ManifestError(bot, `"repository" must be {"type": "git", "url": ..., "directory": ...}`);
  const documentation = str("documentation");
  if (!existsSync(join(agentsDir, bot, documentation))) throw new ManifestError(bot, `"documentation" names ${documentation}, which does not exist in the bot folder`);
  const settings = p.chainSettings as BotManifest["chainSettings"];
  if (settings !== undefined) {
    for (const [chain, s] of Object.entries(settings)) {
      if (!chainIds.includes(Number(chain)) && chain !== "default") throw new ManifestError(bot, `"chainSettings" names chain ${chain}, which is not in chainIds`);
      if (!Number.isInteger(s?.shards) || s.shards < 1 || !Number.isInteger(s?.target) || s.target < s.shards) {
        throw new ManifestError(bot, `"chainSettings.${chain}" needs integer shards >= 1 and target >= shards`);
      }
    }
  }
  const vigil = p.vigil as { imageEnv?: unknown } | undefined;
  const imageEnv = vigil?.imageEnv;
  if (imageEnv !== undefined && (!Array.isArray(imageEnv) || !imageEnv.every((k) => typeof k === "string" && /^[A-Z][A-Z0-9_]*$/.test(k)))) {
    throw new ManifestError(bot, `"vigil.imageEnv" must list environment variable names, e.g. ["BEACON_API_URL"]`);
  }
  return {
    name,
    ...(typeof p.displayName === "string" ? { displayName: p.displayName } : {}),
    version,
    description: str("description"),
    license: str("license"),
    licenseUrl: str("licenseUrl"),
    repository: repo,
    documentation,
    chainIds: chainIds as number[],
    ...(settings ? { chainSettings: settings } : {}),
    ...(imageEnv ? { imageEnv: imageEnv as string[] } : {}),
  };
}

/**
 * What every image of an SDK bakes in, besides the bot's own imageEnv: a v2 bot brings its own
 * RPC (Forta's docs: "V2 Bot JSON-RPC Provider Setup"): JSON_RPC_URL, public or
 * JWT-authenticated, with FORTA_RPC_KEY_ID for the latter. v1 bots get the scan node's proxy.
 */
export const SDK_IMAGE_ENV: Record<Sdk, { required: string[]; optional: string[] }> = {
  v1: { required: [], optional: [] },
  v2: { required: ["JSON_RPC_URL"], optional: ["FORTA_RPC_KEY_ID"] },
};

export class ImageEnvError extends VigilError<"IMAGE_ENV"> {
  constructor(bot: string, key: string, problem: string) {
    super("IMAGE_ENV", `${bot}: ${key} ${problem}`);
  }
}

/**
 * The values a bot's image bakes in (its manifest's imageEnv), from `env`. Refused: a missing
 * value, and one that carries credentials or a query string (an API key, most likely), since
 * Forta's images are public.
 */
export function imageEnvValues(bot: string, manifest: BotManifest, env: Record<string, string | undefined>, sdk?: Sdk): Record<string, string> {
  const out: Record<string, string> = {};
  const sdkEnv = sdk ? SDK_IMAGE_ENV[sdk] : { required: [], optional: [] };
  for (const key of [...(manifest.imageEnv ?? []), ...sdkEnv.required, ...sdkEnv.optional]) {
    const value = env[key]?.trim();
    if (!value && sdkEnv.optional.includes(key)) continue;
    if (!value) throw new ImageEnvError(bot, key, `is not set: the image needs it (Forta starts images with no configuration of ours); set it to a public endpoint when publishing (docs/techops.md, "Configuration baked into images")`);
    if (!key.endsWith("_URL")) {
      out[key] = value;
      continue;
    }
    for (const part of value.split(",")) {
      let u: URL;
      try {
        u = new URL(part.trim());
      } catch {
        throw new ImageEnvError(bot, key, `has ${JSON.stringify(part.trim())}, which is not a URL`);
      }
      if (u.username || u.password || u.search) throw new ImageEnvError(bot, key, `carries credentials or a query string (an API key?): Forta images are public, so use an endpoint without a key`);
    }
    out[key] = value;
  }
  return out;
}

/** The production dependencies an SDK's image installs, at the monorepo's versions. */
export function sdkDependencies(sdk: Sdk): Record<string, string> {
  const root = JSON.parse(readFileSync(join(REPO_ROOT, "package.json"), "utf8")) as { dependencies: Record<string, string> };
  const pick = (n: string) => {
    const v = root.dependencies[n];
    if (!v) throw new VigilError("MISSING_DEPENDENCY", `package.json has no dependency ${n}, which the ${sdk} image needs`);
    return v;
  };
  // v2 bots still run our handlers, written against forta-agent's types and ethers v5
  return sdk === "v1" ? { "forta-agent": pick("forta-agent") } : { "@fortanetwork/forta-bot": pick("@fortanetwork/forta-bot"), "forta-agent": pick("forta-agent") };
}

/** Modules left out of a bundle: installed in the image from deps/. */
export function bundleExternals(sdk: Sdk): string[] {
  return Object.keys(sdkDependencies(sdk));
}

interface LockPackage {
  version?: string;
  resolved?: string;
  integrity?: string;
  dev?: boolean;
  optional?: boolean;
  devOptional?: boolean;
  peer?: boolean;
  dependencies?: Record<string, string>;
  optionalDependencies?: Record<string, string>;
  [k: string]: unknown;
}
interface Lockfile {
  name?: string;
  version?: string;
  lockfileVersion: number;
  requires?: boolean;
  packages: Record<string, LockPackage>;
}

/**
 * The part of the monorepo's package-lock.json that `deps` need: every package reachable from
 * them by Node's resolution (nested node_modules first, then each parent's), at the same paths
 * and versions, marked as production. `npm ci` installs exactly these, from the npm cache when
 * offline.
 */
export function subsetLock(root: Lockfile, name: string, deps: Record<string, string>): Lockfile {
  const pkgs = root.packages;
  const keep = new Set<string>();
  const resolveFrom = (from: string, dep: string): string | undefined => {
    // from = "" (the root) or "node_modules/a/node_modules/b"
    let base = from;
    for (;;) {
      const candidate = `${base ? `${base}/` : ""}node_modules/${dep}`;
      if (pkgs[candidate]) return candidate;
      if (!base) return undefined;
      const i = base.lastIndexOf("/node_modules/");
      base = i < 0 ? "" : base.slice(0, i);
    }
  };
  const visit = (from: string, dep: string, optional: boolean) => {
    const at = resolveFrom(from, dep);
    if (!at) {
      if (optional) return;
      throw new VigilError("LOCKFILE", `package-lock.json has no entry for ${dep} (needed from ${from || "the root"}); run npm install at the monorepo root`);
    }
    if (keep.has(at)) return;
    keep.add(at);
    const p = pkgs[at]!;
    for (const d of Object.keys(p.dependencies ?? {})) visit(at, d, false);
    for (const d of Object.keys(p.optionalDependencies ?? {})) visit(at, d, true);
  };
  for (const d of Object.keys(deps)) visit("", d, false);
  const packages: Record<string, LockPackage> = { "": { name, version: "0.0.0", dependencies: deps } };
  for (const at of [...keep].sort()) {
    const { dev: _d, devOptional, ...rest } = pkgs[at]!;
    packages[at] = devOptional ? { ...rest, optional: true } : rest;
  }
  return { name, version: "0.0.0", lockfileVersion: root.lockfileVersion, requires: true, packages };
}

/** The Dockerfile for a bot: docker/Dockerfile.<sdk> with the bot's ARG defaults filled in (Forta's publisher passes no build arguments). */
export function dockerfileFor(bot: string, sdk: Sdk, manifest: BotManifest, baked: Record<string, string> = {}): string {
  const template = readFileSync(join(REPO_ROOT, "docker", `Dockerfile.${sdk}`), "utf8");
  const source = manifest.repository.url.replace(/\.git$/, "");
  const args: Record<string, string> = { BOT: bot, VERSION: manifest.version, SOURCE: source };
  const env = Object.entries(baked).map(([k, v]) => `ENV ${k}=${JSON.stringify(v)}`);
  return template
    .replace(/^ARG (BOT|VERSION|SOURCE)$/gm, (_m, k: string) => `ARG ${k}=${JSON.stringify(args[k])}`)
    .replace(/^ENV NODE_ENV=production$/m, (m) => [m, ...env].join("\n"));
}

/** What an image is made of, before anything is written: what `publish --dry-run` prints. */
export interface ImagePlan {
  bot: string;
  sdk: Sdk;
  manifest: BotManifest;
  /** files of the build context, relative to it */
  files: string[];
  /** the image tag Forta's publisher builds (v1: "<name>-intermediate") or we build (v2) */
  imageTag: string;
  /** what publishing does with the image */
  target: string;
}

export function planImage(bot: string, sdk: Sdk, agentsDir = AGENTS_DIR): ImagePlan {
  const known = listBots(agentsDir).map((b) => b.name);
  if (!known.includes(bot)) throw new UnknownBotError([bot], known);
  const manifest = readManifest(bot, agentsDir);
  const bundle = sdk === "v1" ? "dist/agent.js" : "dist/main.js";
  return {
    bot,
    sdk,
    manifest,
    files: ["Dockerfile", "package.json", "README.md", "LICENSE", bundle, "deps/package.json", "deps/package-lock.json"],
    imageTag: sdk === "v1" ? `${manifest.name}-intermediate` : `${manifest.name}:${manifest.version}`,
    target:
      sdk === "v1"
        ? `forta-agent publish: image to Forta's registry (imageRepositoryUrl), manifest to IPFS, registration in the Bot Registry on Polygon, chains ${manifest.chainIds.join(", ")}`
        : `docker build + push to your registry (FORTA_IMAGE_REPOSITORY), then the v2 manifest (protocolVersion 2) registered through the Forta App, chains ${manifest.chainIds.join(", ")}`,
  };
}

/** The package.json inside the image: the bot's manifest plus how to start it and what it depends on. */
export function imagePackageJson(plan: ImagePlan): Record<string, unknown> {
  const deps = sdkDependencies(plan.sdk);
  const { imageEnv: _baked, ...manifest } = plan.manifest;
  return {
    ...manifest,
    private: true,
    ...(plan.sdk === "v2" ? { main: "dist/main.js", protocolVersion: 2 } : {}),
    scripts: plan.sdk === "v1" ? { "start:prod": "forta-agent run --prod" } : { "start:prod": "node dist/main.js" },
    dependencies: deps,
  };
}

/** Bundle the bot for an SDK into `outfile`. */
export async function bundleBot(bot: string, sdk: Sdk, outfile: string, agentsDir = AGENTS_DIR): Promise<void> {
  const agent = join(agentsDir, bot, "src", "agent.ts");
  const common = {
    outfile,
    bundle: true,
    platform: "node" as const,
    target: "node20",
    format: "cjs" as const,
    external: bundleExternals(sdk),
    logLevel: "warning" as const,
  };
  if (sdk === "v1") {
    await build({ ...common, entryPoints: [agent] });
    return;
  }
  const v2 = join(REPO_ROOT, "shared", "forta", "v2.ts");
  await build({
    ...common,
    stdin: {
      contents: [
        `// The v2 entry of ${bot}: its handlers run by @fortanetwork/forta-bot's scanEthereum.`,
        `import { createAgent } from ${JSON.stringify(agent)};`,
        `import { mainV2 } from ${JSON.stringify(v2)};`,
        `mainV2(${JSON.stringify(bot)}, createAgent);`,
      ].join("\n"),
      resolveDir: dirname(agent),
      sourcefile: `${bot}-main.ts`,
      loader: "ts",
    },
  });
}

/** Write the build context of a bot's image into `dir` (emptied first), baking its imageEnv from `env`. Returns the plan it followed. */
export async function assembleContext(bot: string, sdk: Sdk, dir: string, env: Record<string, string | undefined> = process.env, agentsDir = AGENTS_DIR): Promise<ImagePlan> {
  const plan = planImage(bot, sdk, agentsDir);
  const baked = imageEnvValues(bot, plan.manifest, env, sdk);
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(join(dir, "dist"), { recursive: true });
  mkdirSync(join(dir, "deps"), { recursive: true });
  writeFileSync(join(dir, "Dockerfile"), dockerfileFor(bot, sdk, plan.manifest, baked));
  writeFileSync(join(dir, "package.json"), JSON.stringify(imagePackageJson(plan), null, 2) + "\n");
  copyFileSync(join(agentsDir, bot, plan.manifest.documentation), join(dir, "README.md"));
  copyFileSync(join(REPO_ROOT, "LICENSE"), join(dir, "LICENSE"));
  await bundleBot(bot, sdk, join(dir, sdk === "v1" ? "dist/agent.js" : "dist/main.js"), agentsDir);
  const depsName = `vigil-bot-deps-${sdk}`;
  const deps = sdkDependencies(sdk);
  writeFileSync(join(dir, "deps", "package.json"), JSON.stringify({ name: depsName, version: "0.0.0", private: true, dependencies: deps }, null, 2) + "\n");
  const lock = JSON.parse(readFileSync(join(REPO_ROOT, "package-lock.json"), "utf8")) as Lockfile;
  writeFileSync(join(dir, "deps", "package-lock.json"), JSON.stringify(subsetLock(lock, depsName, deps), null, 2) + "\n");
  return plan;
}
