/**
 * `vigil publish --all --dry-run` names every bot with its manifest, for both SDKs, and touches
 * no network; a bad manifest or bot name is refused with a line saying what to fix.
 */
import { spawnSync } from "child_process";
import { mkdtempSync, mkdirSync, readFileSync, rmSync, writeFileSync } from "fs";
import { tmpdir } from "os";
import { join, resolve } from "path";
import { listBots } from "../../shared/runtime/discovery";
import { dockerfileFor, imageEnvValues, readManifest, subsetLock } from "../../scripts/lib/images";
import { publishCommand, type PublishPlanLine } from "../../scripts/publish";

const ROOT = resolve(__dirname, "../..");
const BOTS = listBots().map((b) => b.name);

it("--all --dry-run prints every bot's image context, manifest and target for v1 and v2", () => {
  // no network: any attempt to reach a registry or Forta would need a proxy that is not there
  const r = spawnSync(process.execPath, [join(ROOT, "node_modules/tsx/dist/cli.mjs"), "scripts/publish.ts", "--all", "--dry-run"], {
    cwd: ROOT,
    encoding: "utf8",
    env: { ...process.env, BEACON_API_URL: "", JSON_RPC_URL: "", HTTP_PROXY: "http://127.0.0.1:9", HTTPS_PROXY: "http://127.0.0.1:9", LOG_LEVEL: "warn" },
  });
  expect(r.stderr).toBe("");
  expect(r.status).toBe(0);
  const lines = r.stdout.trim().split("\n").map((l) => JSON.parse(l) as PublishPlanLine);
  expect(lines.map((l) => `${l.bot} ${l.sdk}`).sort()).toEqual(BOTS.flatMap((b) => [`${b} v1`, `${b} v2`]).sort());
  for (const l of lines) {
    const pkg = require(join(ROOT, "agents", l.bot, "package.json")) as Record<string, unknown>;
    expect(l.manifest).toMatchObject({ name: pkg.name, version: pkg.version, description: pkg.description, chainIds: pkg.chainIds, license: "MIT", documentation: "README.md" });
    expect(l.manifest.repository.url).toMatch(/^https:\/\//);
    expect(l.manifest.chainSettings?.["1"]).toEqual({ shards: 1, target: 3 });
    expect(l.context).toEqual(expect.arrayContaining(["Dockerfile", "package.json", "README.md", "LICENSE", "deps/package-lock.json", l.sdk === "v1" ? "dist/agent.js" : "dist/main.js"]));
    expect(l.target).toMatch(l.sdk === "v1" ? /forta-agent publish/ : /protocolVersion 2/);
    // what the image must bake in: a consensus bot's beacon node; a v2 bot's own RPC
    const baked = Object.keys(l.imageEnv).sort();
    expect(baked).toEqual([...(l.bot.startsWith("consensus-") ? ["BEACON_API_URL"] : []), ...(l.sdk === "v2" ? ["FORTA_RPC_KEY_ID", "JSON_RPC_URL"] : [])].sort());
  }
});

it("has --help, and refuses an unknown bot or no bot at all", async () => {
  expect(publishCommand().helpInformation()).toMatch(/--sdk[\s\S]*--dry-run/);
  const run = (args: string[]) => spawnSync(process.execPath, [join(ROOT, "node_modules/tsx/dist/cli.mjs"), "scripts/publish.ts", ...args], { cwd: ROOT, encoding: "utf8", env: { ...process.env, LOG_LEVEL: "silent" } });
  const unknown = run(["maker-nope", "--dry-run"]);
  expect(unknown.status).toBe(2);
  expect(unknown.stderr).toMatch(/unknown bot\(s\) maker-nope; the bots are: .*maker-psm/);
  const none = run(["--dry-run"]);
  expect(none.status).toBe(2);
  expect(none.stderr).toMatch(/name a bot or give --all/);
});

describe("manifest checks", () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), "vigil-manifest-"));
    mkdirSync(join(dir, "b"));
    writeFileSync(join(dir, "b", "README.md"), "# b\n");
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));
  const write = (p: object) => writeFileSync(join(dir, "b", "package.json"), JSON.stringify(p));
  const good = { name: "vigil-b", version: "1.0.0", description: "d", license: "MIT", licenseUrl: "https://x/LICENSE", repository: { type: "git", url: "https://x.git" }, documentation: "README.md", chainIds: [1] };

  it("accepts a complete manifest and names the missing or bad field otherwise", () => {
    write(good);
    expect(readManifest("b", dir).chainIds).toEqual([1]);
    write({ ...good, chainIds: [] });
    expect(() => readManifest("b", dir)).toThrow(/agents\/b\/package.json: "chainIds" must be a non-empty list/);
    write({ ...good, version: "v1" });
    expect(() => readManifest("b", dir)).toThrow(/"version" "v1" is not semver/);
    write({ ...good, chainSettings: { "1": { shards: 2, target: 1 } } });
    expect(() => readManifest("b", dir)).toThrow(/target >= shards/);
    write({ ...good, documentation: "DOCS.md" });
    expect(() => readManifest("b", dir)).toThrow(/DOCS.md, which does not exist/);
  });
});

it("locks an image's dependencies to the monorepo's versions, production only", () => {
  const root = {
    lockfileVersion: 3,
    packages: {
      "": { name: "root" },
      "node_modules/a": { version: "1.0.0", dependencies: { b: "^1" } },
      "node_modules/a/node_modules/b": { version: "1.5.0" },
      "node_modules/b": { version: "2.0.0", dev: true },
      "node_modules/c": { version: "3.0.0", dev: true },
    },
  };
  const lock = subsetLock(root, "deps", { a: "1.0.0" });
  expect(Object.keys(lock.packages)).toEqual(["", "node_modules/a", "node_modules/a/node_modules/b"]);
  expect(() => subsetLock(root, "deps", { z: "1" })).toThrow(/no entry for z/);
});

describe("configuration baked into an image (consensus bots' BEACON_API_URL)", () => {
  const manifest = readManifest("consensus-finality");

  it("bakes the value as ENV into the generated Dockerfile", () => {
    expect(manifest.imageEnv).toEqual(["BEACON_API_URL"]);
    const values = imageEnvValues("consensus-finality", manifest, { BEACON_API_URL: "https://beacon.example.org,https://beacon2.example.org" });
    const dockerfile = dockerfileFor("consensus-finality", "v1", manifest, values);
    expect(dockerfile).toContain('ENV BEACON_API_URL="https://beacon.example.org,https://beacon2.example.org"');
    expect(dockerfile).toContain('ARG BOT="consensus-finality"');
    expect(dockerfileFor("maker-psm", "v1", readManifest("maker-psm"))).not.toContain("BEACON_API_URL");
  });

  it("refuses a missing value or one carrying a key (images are public)", () => {
    expect(() => imageEnvValues("consensus-finality", manifest, {})).toThrow(/consensus-finality: BEACON_API_URL is not set: the image needs it/);
    expect(() => imageEnvValues("consensus-finality", manifest, { BEACON_API_URL: "https://user:pw@beacon.example.org" })).toThrow(/carries credentials or a query string/);
    expect(() => imageEnvValues("consensus-finality", manifest, { BEACON_API_URL: "https://beacon.example.org/?apikey=1" })).toThrow(/Forta images are public/);
  });
});

describe("publishing through a stand-in docker (no engine here): the commands, where they run, what they leave", () => {
  let dir: string;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), "vigil-publish-"));
    mkdirSync(join(dir, "bin"));
    mkdirSync(join(dir, "home"));
    // records each call (cwd, arguments, whether the context has the Dockerfile); fails `buildx` (v1) to stop before keys are needed
    writeFileSync(
      join(dir, "bin", "docker"),
      `#!/bin/sh
echo "$PWD|$*|$(test -f Dockerfile && echo dockerfile)" >> "${join(dir, "docker.log")}"
case "$1" in
  buildx) exit 1 ;;
  push) echo "latest: digest: sha256:${"ab".repeat(32)} size: 1234" ;;
esac
exit 0
`,
      { mode: 0o755 },
    );
    writeFileSync(join(dir, "forta.config.json"), JSON.stringify({ agentId: `0x${"12".repeat(32)}` }));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  const publishCli = (args: string[], env: Record<string, string> = {}) =>
    spawnSync(process.execPath, [join(ROOT, "node_modules/tsx/dist/cli.mjs"), "scripts/publish.ts", ...args, "--out", join(dir, "out")], {
      cwd: ROOT,
      encoding: "utf8",
      env: { ...process.env, PATH: `${join(dir, "bin")}:${process.env.PATH}`, HOME: join(dir, "home"), LOG_LEVEL: "silent", ...env },
    });
  const dockerCalls = () => readFileSync(join(dir, "docker.log"), "utf8").trim().split("\n");

  it("v1: forta-agent publish builds the image from the assembled context; its failure stops publishing with one line", () => {
    const r = publishCli(["maker-psm", "--sdk", "v1", "--config", join(dir, "forta.config.json")]);
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/maker-psm \(v1\): .* exited with 1; nothing after this step was done/);
    expect(dockerCalls()).toContain(`${join(dir, "out", "maker-psm-v1")}|buildx build --load --platform linux/amd64 --tag vigil-maker-psm-intermediate .|dockerfile`);
  });

  it("v2: docker build and push from the assembled context, then the v2 manifest naming the image by digest", () => {
    const r = publishCli(["maker-psm", "--sdk", "v2"], { FORTA_IMAGE_REPOSITORY: "registry.example.org/vigil", FORTA_BOT_ID: `0x${"34".repeat(32)}`, JSON_RPC_URL: "https://rpc.example.org" });
    expect(r.stderr).toBe("");
    expect(r.status).toBe(0);
    const ctx = join(dir, "out", "maker-psm-v2");
    expect(dockerCalls()).toEqual(expect.arrayContaining([`${ctx}|build --platform linux/amd64 --tag registry.example.org/vigil/vigil-maker-psm:0.1.0 .|dockerfile`, `${ctx}|push registry.example.org/vigil/vigil-maker-psm:0.1.0|dockerfile`]));
    expect(readFileSync(join(ctx, "Dockerfile"), "utf8")).toContain('ENV JSON_RPC_URL="https://rpc.example.org"');
    const manifest = JSON.parse(readFileSync(join(ctx, "manifest.v2.json"), "utf8")) as Record<string, unknown>;
    expect(manifest).toMatchObject({ botId: `0x${"34".repeat(32)}`, version: "0.1.0", imageReference: `registry.example.org/vigil/vigil-maker-psm@sha256:${"ab".repeat(32)}`, chainIds: [1], protocolVersion: 2, documentation: "README.md" });
  });
});

it("--context-only assembles the build context and stops", () => {
  const out = mkdtempSync(join(tmpdir(), "vigil-ctx-"));
  try {
    const r = spawnSync(process.execPath, [join(ROOT, "node_modules/tsx/dist/cli.mjs"), "scripts/publish.ts", "maker-flash", "--sdk", "v1", "--context-only", "--out", out], { cwd: ROOT, encoding: "utf8", env: { ...process.env, LOG_LEVEL: "silent" } });
    expect(r.status).toBe(0);
    expect(r.stdout).toContain(`maker-flash (v1): build context in ${join(out, "maker-flash-v1")}`);
    const pkg = JSON.parse(readFileSync(join(out, "maker-flash-v1", "package.json"), "utf8")) as Record<string, unknown>;
    expect(pkg).toMatchObject({ name: "vigil-maker-flash", dependencies: { "forta-agent": "0.1.48" } });
    expect(readFileSync(join(out, "maker-flash-v1", "Dockerfile"), "utf8")).toContain('ARG BOT="maker-flash"');
  } finally {
    rmSync(out, { recursive: true, force: true });
  }
});
