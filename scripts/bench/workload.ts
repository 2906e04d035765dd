/**
 * The benchmark's workload: a deterministic mainnet-like chain on anvil carrying our
 * Maker-shaped system (test/chain/maker.ts).
 *
 * - Filled blocks (most of them): 150-200 transactions each (a few heavy blocks of 500+), mined
 *   together with automining off: ETH transfers, ERC-20 transfers among 48 holders of 4
 *   unrelated tokens, DEX-pool-shaped swaps (BenchPool: 3-5 logs each), and Maker traffic in
 *   between: DAI transfers, drips (Jug, Pot), Spotter pokes, small frobs on the default vaults.
 *   ~300-400 logs per block.
 * - Maker events between them, through the helpers (each a few small blocks): price moves
 *   (Median + OSM pokes + Spotter), flash mints, PSM swaps (PSM and lite PSM), a liquidation
 *   (bark and take), spells voted in the chief and cast through the pause.
 * - Sky (scripts/bench/sky-traffic.ts): the Sky layer and Lockstake over the same ChainLog; in
 *   filled blocks DAI <-> USDS conversions, sUSDS deposits, withdrawals and drips, LitePSM swaps,
 *   MKR -> SKY, Lockstake lock/draw/wipe; between them SPBEAM sets, SKY price moves, a long-gap
 *   sUSDS drip.
 * - The Smart Burn Engine and the LayerZero bridges (scripts/bench/burn-bridges-traffic.ts): in
 *   filled blocks a keeper's flap once per hop, flap-oracle pokes, USDS/SKY pool swaps, bridge
 *   transfers both ways; between them one spell lowering kbump and raising USDS_OFT's limits.
 *
 * Same options, same chain: timestamps are set per block, every choice comes from a seeded
 * generator. `WORKLOAD_HASH` (this file's source and the options) keys the cached fixture.
 */
import { createHash } from "crypto";
import { readFileSync } from "fs";
import { ethers } from "forta-agent";
import type { AnvilChain } from "../../test/chain/anvil";
import { deployContract } from "../../test/chain/deploy";
import { deployMaker, call, flashMint, type MakerSystem } from "../../test/chain/maker";
import { orderlyLiquidation } from "../../test/chain/maker/risk-helpers";
import { b32, rad, wad } from "../../test/chain/units";
import { setUpBurnBridgeTraffic } from "./burn-bridges-traffic";
import { setUpSkyTraffic, type BenchTx } from "./sky-traffic";

export interface WorkloadOptions {
  /** filled blocks (default 500) */
  blocks: number;
  /** transactions per filled block, inclusive range (default 150..200) */
  txs: [number, number];
  /** every n-th filled block is heavy: 500-600 transactions (default 97) */
  heavyEvery: number;
  /** a Maker or Sky event through the helpers every n filled blocks (default 25) */
  makerEvery: number;
  /** share of a filled block's transactions that are Sky traffic (default 0.06; Maker traffic is 0.1) */
  skyShare: number;
  seed: number;
}

export const DEFAULT_WORKLOAD: WorkloadOptions = { blocks: 500, txs: [150, 200], heavyEvery: 97, makerEvery: 25, skyShare: 0.06, seed: 20_261_206 };
export const QUICK_WORKLOAD: WorkloadOptions = { blocks: 24, txs: [150, 200], heavyEvery: 11, makerEvery: 8, skyShare: 0.06, seed: 20_261_206 };

/** Changes whenever the generator or its options change: the cached fixture is then rebuilt. */
export function workloadHash(o: WorkloadOptions): string {
  const helpers = ["../../test/chain/maker", "../../test/chain/sky", "../../test/chain/lockstake", "../../test/chain/sky-burn", "../../test/chain/sky-bridges", "./sky-traffic", "./burn-bridges-traffic"].map((m) => require.resolve(m));
  const contracts = ["BenchPool", "Sky", "SkyLockstake", "SkyBurn", "SkyBridges"].map((c) => require.resolve(`../../test/contracts/${c}.sol`));
  const sources = [__filename, ...helpers, ...contracts].map((f) => readFileSync(f, "utf8"));
  return createHash("sha256").update(JSON.stringify(o)).update(sources.join("\0")).digest("hex").slice(0, 16);
}

export interface Workload {
  mk: MakerSystem;
  env: Record<string, string>;
  /** the range the bench measures (after deployMaker) */
  from: number;
  to: number;
  txs: number;
  filledBlocks: number;
  /** the burn engine's and bridges' activity in filled blocks: flaps, oracle pokes, pool swaps, bridge transfers */
  activity: Record<string, number>;
}

function seeded(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const hex = (n: number | bigint) => `0x${n.toString(16)}`;

export async function generateWorkload(chain: AnvilChain, o: WorkloadOptions, progress: (done: number, total: number, what: string) => void): Promise<Workload> {
  const rand = seeded(o.seed);
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rand() * xs.length)]!;
  progress(0, o.blocks, "deploying the Maker-shaped system");
  const mk = await deployMaker(chain);
  const deployer = mk.deployer;
  let ts = await chain.timestamp();

  // unrelated traffic: tokens, holders, pools
  const tokens: ethers.Contract[] = [];
  for (let i = 0; i < 4; i++) tokens.push(await deployContract(deployer, "TestToken", `Bench Token ${i}`, `BT${i}`, 18));
  const pools: ethers.Contract[] = [];
  for (let i = 0; i < 3; i++) pools.push(await deployContract(deployer, "BenchPool"));
  const holders = Array.from({ length: 48 }, (_, i) => ethers.utils.getAddress(ethers.utils.id(`vigil-bench-holder:${i}`).slice(0, 42)));
  for (const h of holders) {
    await chain.send("anvil_impersonateAccount", [h]);
    await chain.send("anvil_setBalance", [h, hex(10n ** 24n)]);
  }
  await chain.send("evm_setAutomine", [false]);
  for (const t of tokens) for (const h of holders) await chain.send("eth_sendTransaction", [{ from: await deployer.getAddress(), to: t.address, data: t.interface.encodeFunctionData("mint", [h, wad("1000000000")]), gas: hex(200_000) }]);
  await chain.send("evm_mine", []);
  await chain.send("evm_setAutomine", [true]);
  progress(0, o.blocks, "deploying Sky and Lockstake, funding Sky users");
  const skyTraffic = await setUpSkyTraffic(chain, mk, rand);
  progress(0, o.blocks, "deploying the Smart Burn Engine and the LayerZero bridges, funding traders");
  const burnBridges = await setUpBurnBridgeTraffic(chain, mk, skyTraffic.sky, skyTraffic.ls, rand);
  ts = Math.max(ts, await chain.timestamp());

  // Maker traffic inside filled blocks: vault owners (urn = owner) and their DAI
  const vaults = mk.vaults;
  const owners = await Promise.all(vaults.map((v) => v.owner.getAddress()));
  const ilkNames = ["ETH-A", "WBTC-A"] as const;
  const from = (await chain.blockNumber()) + 1;
  const env = { MAKER_CHAINLOG: mk.addresses.CHANGELOG! };

  type Tx = BenchTx;
  // nonces are given explicitly: anvil answers a batch's calls concurrently
  const nonces = new Map<string, number>();
  const withNonces = async (batch: Tx[]): Promise<void> => {
    const fresh = [...new Set(batch.map((t) => t.from.toLowerCase()))].filter((a) => !nonces.has(a));
    const counts = await Promise.all(fresh.map((a) => chain.send<string>("eth_getTransactionCount", [a, "latest"])));
    fresh.forEach((a, i) => nonces.set(a, parseInt(counts[i]!, 16)));
    for (const t of batch) {
      const a = t.from.toLowerCase();
      const n = nonces.get(a)!;
      t.nonce = hex(n);
      nonces.set(a, n + 1);
    }
  };
  const makerTx = (): Tx => {
    const r = rand();
    const someone = pick(holders);
    if (r < 0.35 && owners.length) {
      const i = Math.floor(rand() * owners.length);
      return { from: owners[i]!, to: mk.dai.address, data: mk.dai.interface.encodeFunctionData("transfer", [pick(holders), wad("1")]), gas: hex(120_000) };
    }
    if (r < 0.5) return { from: someone, to: mk.jug.address, data: mk.jug.interface.encodeFunctionData("drip", [mk.ilks[pick(ilkNames)].ilk]), gas: hex(300_000) };
    if (r < 0.6) return { from: someone, to: mk.pot.address, data: mk.pot.interface.encodeFunctionData("drip", []), gas: hex(300_000) };
    if (r < 0.75) return { from: someone, to: mk.spot.address, data: mk.spot.interface.encodeFunctionData("poke", [mk.ilks[pick(ilkNames)].ilk]), gas: hex(300_000) };
    // a small frob on a default vault: draw a little more DAI into the Vat, or pay it back
    const v = vaults[Math.floor(rand() * vaults.length)]!;
    const owner = owners[vaults.indexOf(v)]!;
    const dart = rand() < 0.5 ? wad("1") : wad("-1");
    return { from: owner, to: mk.vat.address, data: mk.vat.interface.encodeFunctionData("frob", [mk.ilks[v.ilk].ilk, v.urn, v.urn, v.urn, 0, dart]), gas: hex(300_000) };
  };
  const noiseTx = (): Tx => {
    const r = rand();
    const sender = pick(holders);
    if (r < 0.13) return { from: sender, to: pick(holders), value: hex(1_000 + Math.floor(rand() * 1e6)), gas: hex(21_000) };
    if (r < 0.55) {
      const t = pick(tokens);
      return { from: sender, to: t.address, data: t.interface.encodeFunctionData("transfer", [pick(holders), wad(String(1 + Math.floor(rand() * 1000)))]), gas: hex(80_000) };
    }
    const p = pick(pools);
    return { from: sender, to: p.address, data: p.interface.encodeFunctionData("swap", [1_000 + Math.floor(rand() * 1e9), Math.floor(rand() * 3), pick(holders)]), gas: hex(120_000) };
  };

  let txs = 0;
  let label = 0;
  const events: (() => Promise<unknown>)[] = [
    async () => mk.setPrice("ETH-A", String(1900 + Math.floor(rand() * 200))),
    async () => flashMint(mk, "250000", await chain.impersonate(pick(holders))),
    async () => mk.sellGem("psm", await chain.impersonate(pick(holders)), "25000"),
    async () => mk.sellGem("lite", await chain.impersonate(pick(holders)), "25000"),
    async () => orderlyLiquidation(mk, { label: `bench-liquidation-${label++}` }),
    async () => mk.executeSpell([call(mk.vat, "file(bytes32,bytes32,uint256)", mk.ilks["WBTC-A"].ilk, b32("line"), rad(String(50_000_000 + label++ * 1000)))], { description: "bench: WBTC-A line" }),
    async () => mk.setPrice("WBTC-A", String(59_000 + Math.floor(rand() * 2000))),
    ...skyTraffic.events,
    ...burnBridges.events,
  ];
  let nextEvent = 0;
  for (let b = 1; b <= o.blocks; b++) {
    if (b % o.makerEvery === 0) {
      progress(b, o.blocks, "Maker or Sky event");
      await events[nextEvent++ % events.length]!();
      nonces.clear();
      ts = Math.max(ts, await chain.timestamp());
    }
    const size = b % o.heavyEvery === 0 ? 500 + Math.floor(rand() * 100) : o.txs[0] + Math.floor(rand() * (o.txs[1] - o.txs[0] + 1));
    // the burn engine's and bridges' transactions (kicks, oracle pokes, pool swaps, bridge transfers)
    const special = await burnBridges.blockTxs(ts, ts + 12);
    const batch: Tx[] = [];
    for (let i = special.length; i < size; i++) {
      const r = rand();
      batch.push(r < 0.1 ? makerTx() : r < 0.1 + o.skyShare ? skyTraffic.tx() : noiseTx());
    }
    // spread among the rest, in their own order (a swap's transfer-in comes before the swap)
    const at = special.map(() => Math.floor(rand() * (batch.length + 1))).sort((x, y) => x - y);
    const specialAt: number[] = [];
    special.forEach((t, i) => {
      batch.splice(at[i]! + i, 0, t);
      specialAt.push(at[i]! + i);
    });
    const n = batch.length;
    await withNonces(batch);
    await chain.send("evm_setAutomine", [false]);
    const body = batch.map((tx, i) => ({ jsonrpc: "2.0", id: i + 1, method: "eth_sendTransaction", params: [tx] }));
    const res = await fetch(chain.url, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(body) });
    const answers = (await res.json()) as { id: number; result?: string; error?: { message: string } }[];
    const failed = answers.filter((a) => a.error);
    if (failed.length) throw new Error(`bench workload: ${failed.length} of ${n} transactions refused at filled block ${b}: ${failed[0]!.error!.message}`);
    ts += 12;
    await chain.send("evm_mine", [ts]);
    await chain.send("evm_setAutomine", [true]);
    const mined = await chain.send<{ transactions: string[] }>("eth_getBlockByNumber", ["latest", false]);
    if (mined.transactions.length !== n) throw new Error(`bench workload: filled block ${b} holds ${mined.transactions.length} of its ${n} transactions (block gas limit?)`);
    await burnBridges.check(specialAt.map((i) => answers.find((a) => a.id === i + 1)!.result!));
    txs += n;
    progress(b, o.blocks, "filled blocks");
  }
  const to = await chain.blockNumber();
  return { mk, env, from, to, txs, filledBlocks: o.blocks, activity: { ...burnBridges.counts } };
}
