/**
 * The consensus bots' devnet scenes, played as `npm start` plays them: a local anvil chain, the
 * simulated beacon nodes in lock-step with it (BeaconDevnet), the real runtime following the
 * chain live and running the four consensus bots. Every alert in their READMEs must fire, no
 * bot may fail, and every beacon answer must follow the spec.
 *
 * (scripts/devnet/world.ts wires the same BeaconDevnet into the full storyline; this test keeps
 * the consensus part checkable on its own.)
 */
import { startAnvil, type AnvilChain } from "../chain/anvil";
import { createLogger } from "../../shared/log";
import { RpcClient } from "../../shared/rpc/client";
import { HttpTransport } from "../../shared/rpc/transport";
import { loadBots } from "../../shared/runtime/discovery";
import { Runtime } from "../../shared/runtime/runtime";
import { MemorySink } from "../../shared/runtime/sinks";
import { loadScenes } from "../../scripts/devnet/devnet";
import type { DevnetPart, DevnetWorld } from "../../scripts/devnet/world";
import { botDocs } from "../docs/readme-tables";
import { BeaconDevnet, beaconPart } from "./devnet";

// The part plugs into scripts/devnet/parts as it is (a compile-time check).
export const part: DevnetPart = beaconPart;

jest.setTimeout(10 * 60_000);

const CONSENSUS_BOTS = ["consensus-finality", "consensus-forks", "consensus-participation", "consensus-validators"];

describe("consensus scenes of the devnet storyline", () => {
  let l1: AnvilChain | undefined;
  let beacon: BeaconDevnet | undefined;
  let runtime: Runtime | undefined;

  afterAll(async () => {
    await runtime?.close();
    await beacon?.close();
    await l1?.stop();
  });

  it("fire every alert of the consensus bots' READMEs, with every beacon answer valid", async () => {
    const log = createLogger({ level: process.env.LOG_LEVEL ?? "warn" });
    l1 = await startAnvil({ chainId: 1 });
    beacon = await BeaconDevnet.start({ rpcUrl: l1.url });
    const bots = loadBots(CONSENSUS_BOTS);
    const seen = new MemorySink();
    runtime = new Runtime({
      rpc: new RpcClient(new HttpTransport({ urls: [l1.url] })),
      bots,
      env: { ...beacon.env(), LOG_LEVEL: "warn" },
      sinks: [seen],
      handlerTimeoutMs: 60_000,
      confirmations: 0,
      pollIntervalMs: 50,
      log,
    });
    await runtime.open();
    const rt = runtime;
    const chain = l1;
    const world = {
      l1: chain,
      parts: { beacon },
      env: beacon.env(),
      log,
      cleanups: [],
      settle: async () => {
        const head = await chain.blockNumber();
        while (!rt.stopped && (rt.cursor() ?? 0) <= head) await new Promise((r) => setTimeout(r, 20));
      },
    } as unknown as DevnetWorld;

    const first = (await chain.blockNumber()) + 1;
    let last = Infinity;
    const following = runtime.follow({ from: first, until: (next) => next > last });
    for (const { scene } of loadScenes(bots)) await scene.play(world);
    last = await chain.blockNumber();
    await world.settle();
    runtime.stop();
    await following;

    const fired = new Set(seen.findings.map((f) => `${f.bot} ${f.finding.alertId}`));
    const documented = botDocs()
      .filter((b) => CONSENSUS_BOTS.includes(b.bot))
      .flatMap((b) => b.alertIds.map((id) => `${b.bot} ${id}`));
    expect(documented.filter((d) => !fired.has(d))).toEqual([]);
    // no bot failed along the way (the runtime reports failures as findings of its own)
    expect(seen.findings.filter((f) => !CONSENSUS_BOTS.includes(f.bot)).map((f) => f.finding.description)).toEqual([]);
    expect(beacon.violations()).toEqual([]);
  });
});
