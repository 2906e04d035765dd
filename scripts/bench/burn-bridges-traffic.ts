/**
 * The benchmark workload's Smart Burn Engine and LayerZero bridge activity (scripts/bench/workload.ts),
 * over the Sky layer of scripts/bench/sky-traffic.ts. Deployed as the devnet does it
 * (test/chain/sky-burn.ts, test/chain/sky-bridges.ts: MCD_KICK, MCD_SPLIT, SPLITTER_MOM, MCD_FLAP,
 * FLAP_SKY_ORACLE, UNIV2USDSSKY, REWARDS_LSSKY_USDS, USDS_OFT, SUSDS_OFT, OFT_PAUSER, LZ_ENDPOINT,
 * LZ_GOV_SENDER, LZ_GOV_RELAY in the same ChainLog), with mainnet's engine parameters of before
 * 2026-03-12 (kbump 10,000 USDS; hop 13,787 s; want 0.98; khump -200M) and the bridges' 5M/1M daily limits.
 *
 * `blockTxs(prevTs, blockTs)`: what a filled block carries besides the random traffic, as on mainnet:
 * - a keeper's `Kicker.flap()` in the first block at least `hop` after the last kick (mainnet
 *   cadence: one kick per hop; the workload's time warps, spells' pause delay, each let one more);
 * - the flap oracle poked by its feed at the pool's price (a heartbeat of 4 h, or a 0.5% move);
 * - now and then a trader's swap on the USDS/SKY pool (transfer in, then swap; never in a flap's block);
 * - now and then a bridge transfer: USDS to Solana or sUSDS to Avalanche (OFTSent), or one back
 *   (the endpoint delivers the peer's message: OFTReceived), well within the rate limits.
 * `check(hashes)` after the block is mined: each of those transactions succeeded.
 * `events`: one spell between filled blocks: kbump 10,000 -> 6,000 (mainnet's 2026-03-12 change),
 * a raise of USDS_OFT's Solana limits, and a governance call relayed to Solana.
 *
 * No L2: the bridges' L1 side runs alone (the remote chains are modelled by the endpoint's deliveries).
 */
import { ethers } from "forta-agent";
import type { AnvilChain } from "../../test/chain/anvil";
import { mined } from "../../test/chain/deploy";
import { call, type MakerSystem } from "../../test/chain/maker";
import { deploySkyBridges, EID, type SkyBridgeSystem } from "../../test/chain/sky-bridges";
import { deploySkyBurn, type SkyBurnSystem } from "../../test/chain/sky-burn";
import type { LockstakeSystem } from "../../test/chain/lockstake";
import type { SkySystem } from "../../test/chain/sky";
import { b32, rad, wad } from "../../test/chain/units";
import type { BenchTx } from "./sky-traffic";

export interface BurnBridgeTraffic {
  burn: SkyBurnSystem;
  bridges: SkyBridgeSystem;
  /** the engine's and bridges' transactions for the filled block mined at `blockTs` (the block before: `prevTs`) */
  blockTxs(prevTs: number, blockTs: number): Promise<BenchTx[]>;
  /** after the block is mined: throws unless each of `blockTxs`' transactions succeeded */
  check(hashes: string[]): Promise<void>;
  /** events between filled blocks (a spell) */
  events: (() => Promise<unknown>)[];
  /** what was driven so far, for the workload's summary */
  counts: Record<string, number>;
}

/** mainnet before 2026-03-12 (kbump lowered to 6,000 then): sky.md §10 */
const KBUMP = "10000";
const HOP = 13_787;
const HEARTBEAT = 4 * 3600;
const DEVIATION = 0.005;
const TRADERS = 6;
const MAX = ethers.constants.MaxUint256;
const hex = (n: number | bigint) => `0x${n.toString(16)}`;

export async function setUpBurnBridgeTraffic(chain: AnvilChain, mk: MakerSystem, sky: SkySystem, ls: LockstakeSystem, rand: () => number): Promise<BurnBridgeTraffic> {
  const burn = await deploySkyBurn(chain, mk, sky, { kbump: KBUMP, hop: HOP });
  const br = await deploySkyBridges(chain, mk, sky);
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rand() * xs.length)]!;
  const between = (lo: number, hi: number) => lo + Math.floor(rand() * (hi - lo + 1));

  // the feed that pokes FLAP_SKY_ORACLE (mainnet: Chronicle's validators), the keeper that flaps
  const feed = await chain.impersonate(ethers.utils.getAddress(ethers.utils.id("vigil-bench-flap-feed").slice(0, 42)), ethers.utils.parseEther("1000"));
  const feedAddress = await feed.getAddress();
  await mk.asPauseProxy(async (px) => mined(burn.oracle.connect(px).rely(feedAddress)));
  const keeper = await (await chain.impersonate(ethers.utils.getAddress(ethers.utils.id("vigil-bench-flap-keeper").slice(0, 42)), ethers.utils.parseEther("1000"))).getAddress();
  // traders on the USDS/SKY pool who also bridge: USDS, sUSDS, SKY
  const traders: string[] = [];
  for (let i = 0; i < TRADERS; i++) {
    const u = await chain.impersonate(ethers.utils.getAddress(ethers.utils.id(`vigil-bench-sky-trader:${i}`).slice(0, 42)), ethers.utils.parseEther("1000"));
    const a = await u.getAddress();
    traders.push(a);
    await mk.sellGem("lite", u, "1000000");
    await sky.daiToUsds(u, "1000000");
    await sky.deposit(u, "300000");
    await ls.giveSky(a, "20000000");
    for (const [token, spender] of [[sky.usds, br.usdsOft], [sky.susds, br.susdsOft]] as const) await mined(token.connect(u).approve(spender.address, MAX));
    // what earlier bridge-outs left locked on Ethereum (inbound transfers release it)
    await mined(br.susdsOft.connect(u).send(EID.avalanche, ethers.utils.hexZeroPad(a, 32), wad("25000")));
  }
  await br.seedLocked("2000000");

  const usdsIs0 = ((await burn.pair.token0()) as string).toLowerCase() === sky.usds.address.toLowerCase();
  const reserves = async (): Promise<{ usds: bigint; sky: bigint }> => {
    const [r0, r1] = (await burn.pair.getReserves()) as [ethers.BigNumber, ethers.BigNumber];
    const [u, s] = usdsIs0 ? [r0, r1] : [r1, r0];
    return { usds: u.toBigInt(), sky: s.toBigInt() };
  };
  const priceOf = (r: { usds: bigint; sky: bigint }) => (r.usds * 10n ** 18n) / r.sky;
  const tx = (from: string, c: ethers.Contract, fn: string, args: unknown[], gas: number): BenchTx => ({ from, to: c.address, data: c.interface.encodeFunctionData(fn, args), gas: hex(gas) });

  let lastKick = 0; // the Splitter's zzz: 0 until the first kick
  let poked = { price: priceOf(await reserves()), age: await chain.timestamp() };
  await mined(burn.oracle.connect(feed).poke(poked.price, poked.age));
  const endpointOwner = await mk.deployer.getAddress(); // delivers the remote peers' messages
  let inboundNonce = 1_000;
  const counts: Record<string, number> = { flaps: 0, pokes: 0, poolSwaps: 0, bridgeOut: 0, bridgeIn: 0 };

  const swap = (r: { usds: bigint; sky: bigint }): BenchTx[] => {
    const trader = pick(traders);
    const buySky = rand() < 0.5;
    const usdsWorth = BigInt(between(500, 30_000)) * 10n ** 18n;
    const amountIn = buySky ? usdsWorth : (usdsWorth * 10n ** 18n) / priceOf(r);
    const [rIn, rOut] = buySky ? [r.usds, r.sky] : [r.sky, r.usds];
    const out = (amountIn * 997n * rOut) / (rIn * 1000n + amountIn * 997n);
    const outUsds = !buySky;
    const outs = outUsds === usdsIs0 ? [out, 0n] : [0n, out];
    counts.poolSwaps! += 1;
    return [tx(trader, buySky ? sky.usds : sky.sky, "transfer", [burn.pair.address, amountIn], 100_000), tx(trader, burn.pair, "swap", [outs[0], outs[1], trader, "0x"], 200_000)];
  };
  const bridge = (): BenchTx => {
    const r = rand();
    const trader = pick(traders);
    if (r < 0.35) {
      counts.bridgeOut! += 1;
      return tx(trader, br.usdsOft, "send", [EID.solana, ethers.utils.hexZeroPad(trader, 32), wad(String(between(100, 20_000)))], 250_000);
    }
    if (r < 0.5) {
      counts.bridgeOut! += 1;
      return tx(trader, br.susdsOft, "send", [EID.avalanche, ethers.utils.hexZeroPad(trader, 32), wad(String(between(50, 5_000)))], 250_000);
    }
    const usds = r < 0.85;
    const [oft, eid, peer, amount] = usds ? [br.usdsOft, EID.solana, br.peers.usds, between(100, 20_000)] : [br.susdsOft, EID.avalanche, br.peers.susds, between(50, 5_000)];
    inboundNonce += 1;
    const guid = ethers.utils.keccak256(ethers.utils.defaultAbiCoder.encode(["uint32", "uint64", "address"], [eid, inboundNonce, oft.address]));
    const message = ethers.utils.defaultAbiCoder.encode(["address", "uint256"], [trader, wad(String(amount))]);
    counts.bridgeIn! += 1;
    return tx(endpointOwner, br.endpoint, "deliver", [oft.address, { srcEid: eid, sender: peer, nonce: inboundNonce }, guid, message], 400_000);
  };

  return {
    burn,
    bridges: br,
    counts,
    async blockTxs(prevTs, blockTs) {
      const out: BenchTx[] = [];
      const r = await reserves();
      const price = priceOf(r);
      const moved = Math.abs(Number(price - poked.price)) / Number(poked.price);
      if (blockTs - poked.age >= HEARTBEAT || moved >= DEVIATION) {
        poked = { price, age: prevTs };
        counts.pokes! += 1;
        out.push(tx(feedAddress, burn.oracle, "poke", [price, prevTs], 100_000));
      }
      const flap = blockTs >= lastKick + HOP;
      if (flap) {
        lastKick = blockTs;
        counts.flaps! += 1;
        out.push(tx(keeper, burn.kicker, "flap", [], 2_000_000));
      } else if (rand() < 0.3) out.push(...swap(r));
      if (rand() < 0.4) out.push(bridge());
      return out;
    },
    async check(hashes) {
      for (const h of hashes) {
        const receipt = await chain.send<{ status: string; to: string } | null>("eth_getTransactionReceipt", [h]);
        if (!receipt || receipt.status !== "0x1") throw new Error(`bench workload: the burn engine's or bridges' transaction ${h} to ${receipt?.to ?? "?"} failed: check scripts/bench/burn-bridges-traffic.ts against the contracts (test/contracts/SkyBurn.sol, SkyBridges.sol)`);
      }
    },
    events: [
      // one spell, as mainnet bundles its changes (each spell also warps the pause delay and wakes maker-governance)
      async () => {
        const limit = { eid: EID.solana, window: br.params.window, limit: wad("6000000") };
        const target = ethers.utils.keccak256(ethers.utils.toUtf8Bytes("solana governance receiver"));
        return mk.executeSpell(
          [call(burn.kicker, "file(bytes32,uint256)", b32("kbump"), rad("6000")), call(br.usdsOft, "setRateLimits", [limit], [limit]), call(br.govRelay, "relayRaw", EID.solana, target, "0x1234")],
          { description: "bench: Smart Burn Engine kbump 10,000 -> 6,000 USDS; USDS_OFT Solana limits 5M -> 6M a day; a governance call to Solana" },
        );
      },
    ],
  };
}
