/**
 * Every bot ships to Forta two ways, and both give the findings our runtime gives.
 *
 * One devnet world (anvil with the Maker deployment, simulated beacon nodes, the L2), some
 * activity that makes several bots fire, then for every bot:
 *   - our runtime over the blocks (the reference);
 *   - its v1 image, assembled and "built" from its Dockerfile without Docker, started with the
 *     image's CMD (forta-agent run --prod) and called through agent.proto with @grpc/grpc-js
 *     (Initialize, EvaluateBlock, EvaluateTx, HealthCheck), fed the same blocks as a scan node;
 *   - its v2 image, started the same way, its own main run by @fortanetwork/forta-bot's
 *     scanEthereum over the same blocks against the same node.
 */
import { mkdtempSync, readdirSync, rmSync } from "fs";
import { tmpdir } from "os";
import { join } from "path";
import { ethers } from "forta-agent";
import { createLogger } from "../../shared/log";
import { listBots } from "../../shared/runtime/discovery";
import { runBots } from "../../shared/testing/chain";
import { V1Bot, buildBotImage, chainEvents, comparable, runV2Range, type BotImage, type ChainBlock } from "./images-harness";
import { startWorld, stopWorld, type DevnetWorld } from "../../scripts/devnet/world";
import { stage } from "../beacon/devnet";
import { mined } from "../chain/deploy";
import { buyGem } from "../chain/maker/psm-helpers";

jest.setTimeout(15 * 60_000);

const BOTS = listBots().map((b) => b.name);
const wad = (n: string) => ethers.utils.parseEther(n);
const b32 = ethers.utils.formatBytes32String;

/** Run `f` over `items`, at most `n` at a time (13 bots' processes at once would crowd a 2-core machine). */
async function limited<T, R>(items: readonly T[], n: number, f: (t: T) => Promise<R>): Promise<R[]> {
  const out: R[] = new Array(items.length);
  let next = 0;
  await Promise.all(
    Array.from({ length: Math.min(n, items.length) }, async () => {
      while (next < items.length) {
        const i = next++;
        out[i] = await f(items[i]!);
      }
    }),
  );
  return out;
}

let world: DevnetWorld;
let from: number;
let to: number;
let blocks: ChainBlock[];
let work: string;
const ours = new Map<string, string[]>();
const images = { v1: new Map<string, BotImage>(), v2: new Map<string, BotImage>() };

/** Every bot's image for an SDK; the first build installs the shared deps layer, the others reuse it (as Docker's cache would). */
async function buildAll(sdk: "v1" | "v2"): Promise<void> {
  const cache = join(work, `layers-${sdk}`);
  // the consensus bots' images bake BEACON_API_URL in (a scan node starts them with no configuration of ours); v2 bots their own RPC
  const bake = { BEACON_API_URL: world.env.BEACON_API_URL, ...(sdk === "v2" ? { JSON_RPC_URL: world.l1.url } : {}) };
  images[sdk].set(BOTS[0]!, await buildBotImage(BOTS[0]!, sdk, work, cache, bake));
  for (const img of await limited(BOTS.slice(1), 3, (bot) => buildBotImage(bot, sdk, work, cache, bake))) images[sdk].set(img.plan.bot, img);
}

/** Activity that makes several bots fire, then our runtime's findings over it (the reference). */
async function playAndRecord(): Promise<void> {
  const chain = world.l1;
  const mk = world.maker;
  from = (await chain.blockNumber()) + 1;
  // Maker: a run on a PSM, a fee change and a whitelist change by governance
  await mk.sellGem("psm", chain.signer(5), "40000000");
  await chain.increaseTime(7200);
  await chain.mine();
  await buyGem(mk, "psm", chain.signer(5), "12000000");
  await mk.asPauseProxy(async (proxy) => {
    await mined(mk.litePsm.connect(proxy)["file(bytes32,uint256)"](b32("tout"), wad("0.0002")));
    await mined(mk.litePsm.connect(proxy).kiss(chain.accounts[6]!));
  });
  // consensus: half the validators offline long enough for finality to be lost, then back
  const s = stage(world);
  await s.epochs(2);
  await s.toEpochEnd();
  s.net.setParticipation(0.5);
  await s.epochs(12);
  await s.toEpochEnd();
  s.net.setParticipation(1);
  await s.epochs(4);
  to = await chain.blockNumber();

  const found = await runBots({ url: chain.url, bots: BOTS, from, to, env: world.env });
  for (const bot of BOTS) ours.set(bot, []);
  for (const f of found) ours.get(f.bot)?.push(comparable(f.finding));
  for (const lines of ours.values()) lines.sort();
  blocks = await chainEvents(chain.url, 1, from, to);
}

beforeAll(async () => {
  work = mkdtempSync(join(tmpdir(), "vigil-images-"));
  world = await startWorld(createLogger({ level: process.env.LOG_LEVEL ?? "warn" }));
  // the chain work waits on anvil and the builds mostly on the disk: side by side
  await Promise.all([playAndRecord(), buildAll("v1").then(() => buildAll("v2"))]);
});

afterAll(async () => {
  if (world) await stopWorld(world);
  if (work) rmSync(work, { recursive: true, force: true });
});

it("the activity makes several bots fire (so the comparisons below can fail)", () => {
  const firing = [...ours].filter(([, lines]) => lines.length > 0).map(([bot]) => bot);
  expect(firing).toEqual(expect.arrayContaining(["maker-psm", "consensus-finality"]));
  expect(BOTS).toHaveLength(19); // every folder under agents/ (13 Maker and consensus bots, 6 Sky bots)
});

describe.each(["v1", "v2"] as const)("%s images", (sdk) => {
  it("are multi-stage, small-based, non-root, labelled, with production dependencies only", () => {
    for (const bot of BOTS) {
      const { image, plan } = images[sdk].get(bot)!;
      expect(image.stages.length).toBeGreaterThanOrEqual(2);
      for (const st of image.stages) expect(st.from).toMatch(/^node:20-(alpine|slim)/);
      expect(image.user).toBe("node");
      expect(image.labels).toMatchObject({ "org.opencontainers.image.title": `vigil-${bot}`, "org.opencontainers.image.version": plan.manifest.version, "org.opencontainers.image.licenses": "MIT" });
      if (sdk === "v1") expect(image.exposed).toEqual([50051]);
      if (bot.startsWith("consensus-")) expect(image.env.BEACON_API_URL).toBe(world.env.BEACON_API_URL);
      if (sdk === "v2") expect(image.env.JSON_RPC_URL).toBe(world.l1.url); // a v2 bot brings its own RPC
      const modules = readdirSync(join(image.root, "app", "node_modules"));
      expect(modules).toContain("forta-agent");
      if (sdk === "v2") expect(readdirSync(join(image.root, "app", "node_modules", "@fortanetwork"))).toContain("forta-bot");
      // nothing from the monorepo's dev tooling or other runtime pieces
      for (const dev of ["jest", "typescript", "esbuild", "ts-jest", "tsx", "better-sqlite3", "pg", "playwright-core", "solc"]) expect(modules).not.toContain(dev);
      expect(readdirSync(join(image.root, "app", "node_modules", "@types"))).not.toContain("jest");
    }
  });

  it("give, for every bot, the findings our runtime gives over the same blocks", async () => {
    const theirs = new Map<string, string[]>();
    const chainUrl = new URL(world.l1.url);
    const { BEACON_API_URL: _inImage, ...env } = world.env;
    await limited(BOTS, 4, async (bot) => {
      const { image } = images[sdk].get(bot)!;
      if (sdk === "v1") {
        // a scan node proxies JSON-RPC for the bot: JSON_RPC_HOST/PORT is how forta-agent finds it
        const v1 = await V1Bot.start(bot, image, { ...env, JSON_RPC_HOST: chainUrl.hostname, JSON_RPC_PORT: chainUrl.port, LOG_LEVEL: "warn" });
        try {
          expect(await v1.initialize()).toBe("SUCCESS");
          const found = await v1.evaluate(blocks);
          expect(await v1.healthCheck()).toBe("SUCCESS");
          theirs.set(bot, found.map(comparable).sort());
        } finally {
          await v1.stop();
        }
      } else {
        const run = await runV2Range(image, { chainId: 1, from, to, env: { ...env, LOG_LEVEL: "warn" } });
        theirs.set(bot, run.findings.map(comparable).sort());
      }
    });
    expect(Object.fromEntries(BOTS.map((b) => [b, theirs.get(b)]))).toEqual(Object.fromEntries(BOTS.map((b) => [b, ours.get(b)])));
  });
});
