/**
 * The benchmark workload's Sky activity (scripts/bench/workload.ts): the Sky layer and Lockstake
 * deployed over the Maker-shaped system as the devnet does it (test/chain/sky.ts,
 * test/chain/lockstake.ts: every contract in the same ChainLog under its mainnet key), a set of
 * Sky users funded and with standing approvals, then
 * - `tx()`: one Sky transaction for a filled block (mined among the other traffic): DAI <-> USDS
 *   through DAI_USDS, sUSDS deposits, withdrawals and drips, LitePSM swaps both ways, MKR -> SKY,
 *   Lockstake lock/draw/wipe on the user's urn;
 * - `events`: Sky events between filled blocks, through the helpers: an SPBEAM set of the SSR, a
 *   new SKY price for the Lockstake ilk, a long-gap sUSDS drip.
 * Every amount and choice comes from the workload's seeded generator, so the chain is the same
 * for the same options.
 */
import { ethers } from "forta-agent";
import type { AnvilChain } from "../../test/chain/anvil";
import { mined } from "../../test/chain/deploy";
import { deployLockstake, type LockstakeSystem } from "../../test/chain/lockstake";
import type { MakerSystem } from "../../test/chain/maker";
import { deploySky, type SkySystem } from "../../test/chain/sky";
import { stretchSusdsDrip } from "../../test/chain/sky-flows";
import { wad } from "../../test/chain/units";

/** A transaction of a filled block, sent with eth_sendTransaction (nonces filled in by the workload). */
export interface BenchTx {
  from: string;
  to: string;
  data?: string;
  value?: string;
  gas: string;
  nonce?: string;
}

export interface SkyTraffic {
  sky: SkySystem;
  ls: LockstakeSystem;
  users: string[];
  /** one Sky transaction for a filled block */
  tx(): BenchTx;
  /** Sky events between filled blocks (each mines a few small blocks) */
  events: (() => Promise<unknown>)[];
}

/** Sky users, each with its own urn and balances: DAI, USDS, sUSDS, USDC, MKR, SKY */
const USERS = 12;
const MAX = ethers.constants.MaxUint256;
const hex = (n: number | bigint) => `0x${n.toString(16)}`;

export async function setUpSkyTraffic(chain: AnvilChain, mk: MakerSystem, rand: () => number): Promise<SkyTraffic> {
  const sky = await deploySky(chain, mk);
  const ls = await deployLockstake(chain, mk, sky);
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rand() * xs.length)]!;
  const amount = (lo: number, hi: number) => String(lo + Math.floor(rand() * (hi - lo + 1)));

  const users: string[] = [];
  for (let i = 0; i < USERS; i++) {
    const u = await chain.impersonate(ethers.utils.getAddress(ethers.utils.id(`vigil-bench-sky-user:${i}`).slice(0, 42)), ethers.utils.parseEther("1000"));
    const a = await u.getAddress();
    users.push(a);
    await mk.sellGem("lite", u, "1000000"); // 1M DAI
    await mined(mk.usdc.connect(mk.deployer).mint(a, ethers.utils.parseUnits("1000000", 6)));
    await mined(mk.gov.connect(mk.deployer)["transfer(address,uint256)"](a, wad("1000")));
    await sky.daiToUsds(u, "400000");
    await sky.deposit(u, "100000");
    await ls.open(u, "1000000");
    await ls.draw(u, 0, "10000");
    await ls.giveSky(a, "100000"); // SKY to lock (more comes from MKR -> SKY)
    // standing approvals last: the helpers above approve exact amounts
    for (const [token, spender] of [
      [mk.dai, sky.daiUsds],
      [sky.usds, sky.daiUsds],
      [sky.usds, sky.susds],
      [sky.usds, ls.engine],
      [sky.sky, ls.engine],
      [mk.usdc, mk.litePsm],
      [mk.dai, mk.litePsm],
    ] as const)
      await mined(token.connect(u).approve(spender.address, MAX));
    await mined(mk.gov.connect(u)["approve(address,uint256)"](sky.mkrSky.address, MAX));
  }

  const call = (from: string, c: ethers.Contract, fn: string, args: unknown[], gas: number): BenchTx => ({ from, to: c.address, data: c.interface.encodeFunctionData(fn, args), gas: hex(gas) });
  const tx = (): BenchTx => {
    const r = rand();
    const u = pick(users);
    if (r < 0.18) return call(u, sky.daiUsds, "daiToUsds", [u, wad(amount(100, 5000))], 300_000);
    if (r < 0.3) return call(u, sky.daiUsds, "usdsToDai", [u, wad(amount(100, 5000))], 300_000);
    if (r < 0.45) return call(u, sky.susds, "deposit(uint256,address)", [wad(amount(10, 2000)), u], 400_000);
    if (r < 0.55) return call(u, sky.susds, "withdraw", [wad(amount(10, 1000)), u, u], 400_000);
    if (r < 0.62) return call(u, sky.susds, "drip", [], 300_000);
    if (r < 0.72) return call(u, mk.litePsm, "sellGem", [u, ethers.utils.parseUnits(amount(100, 5000), 6)], 300_000);
    if (r < 0.8) return call(u, mk.litePsm, "buyGem", [u, ethers.utils.parseUnits(amount(100, 5000), 6)], 300_000);
    if (r < 0.87) return call(u, sky.mkrSky, "mkrToSky", [u, wad(`0.${amount(1, 9)}`)], 300_000);
    if (r < 0.92) return call(u, ls.engine, "lock", [u, 0, wad(amount(10, 500)), 0], 500_000);
    if (r < 0.96) return call(u, ls.engine, "draw", [u, 0, u, wad(amount(10, 200))], 500_000);
    return call(u, ls.engine, "wipe", [u, 0, wad(amount(10, 200))], 500_000);
  };

  let ssrUp = true;
  const events: (() => Promise<unknown>)[] = [
    async () => {
      // the SSR moves one step within SPBEAM's bounds, up then down
      const bps = ssrUp ? 500 : 450;
      ssrUp = !ssrUp;
      return sky.spbeamSet([["SSR", bps]]);
    },
    async () => ls.setSkyPrice(`0.0${55 + Math.floor(rand() * 10)}`),
    async () => stretchSusdsDrip(mk, sky, 3 * 86_400),
  ];
  return { sky, ls, users, tx, events };
}
