/**
 * Sky's Smart Burn Engine over a deployed Maker + Sky system (test/chain/maker.ts, sky.ts), wired
 * like mainnet (../shared/reference/sky.md §10): the Kicker (a Vat ward and a Splitter ward) sucks
 * `kbump` against the Vow and kicks the Splitter; the Splitter (wards: the pause proxy, the Kicker,
 * SplitterMom) sends the burn share through UsdsJoin to FlapperUniV2SwapOnly (its ward: the
 * Splitter), which buys SKY on the USDS/SKY pool for `receiver` (the pause proxy) within `want` of
 * FLAP_SKY_ORACLE's price (a Scribe that tolls the flapper); the rest goes to the farm.
 * SplitterMom: owner the pause proxy, authority the chief. Registered in the same ChainLog under
 * MCD_KICK, MCD_SPLIT, SPLITTER_MOM, MCD_FLAP, FLAP_SKY_ORACLE, UNIV2USDSSKY, REWARDS_LSSKY_USDS.
 *
 *   const burn = await deploySkyBurn(chain, mk, sky);
 *   await burn.flap();                 // one burn of kbump
 *   await burn.poke("0.061");          // the oracle's SKY/USD price
 */
import { ethers } from "forta-agent";
import type { AnvilChain } from "./anvil";
import { deployContract, mined } from "./deploy";
import type { MakerSystem } from "./maker";
import type { SkySystem } from "./sky";
import { b32, rad, wad } from "./units";

export interface SkyBurnParams {
  /** USDS per flap [USDS] (mainnet 6,000) */
  kbump: string;
  /** the vow's net position (dai - sin) below which flaps stop [USDS, signed] (mainnet -200,000,000) */
  khump: string;
  /** share burnt (mainnet "1" = 100%) */
  burn: string;
  /** seconds between kicks (mainnet 13,787; 0 here so that scenes need no time warp between flaps) */
  hop: number;
  /** the fraction of the oracle price a swap must give (mainnet "0.98") */
  want: string;
  /** SKY/USD price the oracle and the pool start at; the pool's USDS side */
  skyPrice: string;
  poolUsds: string;
}

export const DEFAULT_SKY_BURN_PARAMS: SkyBurnParams = {
  kbump: "6000",
  khump: "-200000000",
  burn: "1",
  hop: 0,
  want: "0.98",
  skyPrice: "0.06",
  poolUsds: "30000000",
};

export interface SkyBurnSystem {
  kicker: ethers.Contract;
  splitter: ethers.Contract;
  splitterMom: ethers.Contract;
  flapper: ethers.Contract;
  pair: ethers.Contract;
  oracle: ethers.Contract;
  farm: ethers.Contract;
  addresses: Record<string, string>;
  params: SkyBurnParams;
  /** Kicker.flap() by anyone (a keeper): one kick of kbump */
  flap(from?: ethers.Signer): Promise<ethers.ContractReceipt>;
  /** the oracle's price (SKY/USD, decimal string), aged now */
  poke(price: string): Promise<ethers.ContractReceipt>;
  /** a trader sells `usds` USDS into the pool (moves its price up) or, with `sky`, SKY (down); minted to the pool by the pause proxy */
  trade(side: "buySky" | "sellSky", amount: string): Promise<ethers.ContractReceipt>;
  /** a trader buys SKY until the pool's USDS-per-SKY price is about `factor` times what it was (factor > 1) */
  pushPrice(factor: number): Promise<ethers.ContractReceipt>;
  /** the pool's price, USDS per SKY */
  poolPrice(): Promise<string>;
  /** the vow's dai - sin [rad] */
  netPosition(): Promise<ethers.BigNumber>;
}

/** the USDS [rad] a flap needs the vow's net position to be at least */
export function flapThreshold(p: SkyBurnParams): ethers.BigNumber {
  return rad(p.kbump).add(rad(p.khump));
}

export async function deploySkyBurn(chain: AnvilChain, mk: MakerSystem, sky: SkySystem, params: Partial<SkyBurnParams> = {}): Promise<SkyBurnSystem> {
  const p: SkyBurnParams = { ...DEFAULT_SKY_BURN_PARAMS, ...params };
  const deployer = mk.deployer;
  const me = await deployer.getAddress();
  const d = (name: string, ...args: unknown[]) => deployContract(deployer, name, ...args);
  const proxy = mk.pauseProxy.address;

  const pair = await d("SkyUniV2Pair", sky.usds.address, sky.sky.address);
  const oracle = await d("FlapSkyOracle");
  const farm = await d("SkyBurnFarm");
  const splitter = await d("Splitter", sky.usdsJoin.address, mk.vat.address);
  const kicker = await d("Kicker", mk.vat.address, mk.vow.address, splitter.address);
  const splitterMom = await d("SplitterMom", splitter.address);
  const flapper = await d("FlapperUniV2SwapOnly", mk.spot.address, sky.usds.address, sky.sky.address, pair.address, proxy);

  const ts = () => chain.timestamp();
  await mined(oracle.poke(wad(p.skyPrice), await ts()));
  await mined(oracle.kiss(flapper.address));
  await mined(flapper["file(bytes32,address)"](b32("pip"), oracle.address));
  await mined(flapper["file(bytes32,uint256)"](b32("want"), wad(p.want)));
  await mined(flapper.rely(splitter.address));
  await mined(splitter["file(bytes32,address)"](b32("flapper"), flapper.address));
  await mined(splitter["file(bytes32,address)"](b32("farm"), farm.address));
  await mined(splitter["file(bytes32,uint256)"](b32("burn"), wad(p.burn)));
  await mined(splitter["file(bytes32,uint256)"](b32("hop"), p.hop));
  await mined(splitter.rely(kicker.address));
  await mined(splitter.rely(splitterMom.address));
  await mined(kicker["file(bytes32,uint256)"](b32("kbump"), rad(p.kbump)));
  await mined(kicker["file(bytes32,int256)"](b32("khump"), rad(p.khump)));
  await mined(splitterMom.setAuthority(mk.chief.address));
  await mined(splitterMom.setOwner(proxy));

  const addresses: Record<string, string> = {
    MCD_KICK: kicker.address,
    MCD_SPLIT: splitter.address,
    SPLITTER_MOM: splitterMom.address,
    MCD_FLAP: flapper.address,
    FLAP_SKY_ORACLE: oracle.address,
    UNIV2USDSSKY: pair.address,
    REWARDS_LSSKY_USDS: farm.address,
  };
  const poolSky = wad(p.poolUsds).mul(wad(1)).div(wad(p.skyPrice));
  await mk.asPauseProxy(async (px) => {
    await mined(mk.vat.connect(px).rely(kicker.address));
    // the pool's liquidity: USDS through the join (backed: Vat dai the proxy sucks for itself), SKY minted
    await mined(mk.vat.connect(px).suck(proxy, proxy, rad(p.poolUsds)));
    await mined(mk.vat.connect(px).hope(sky.usdsJoin.address));
    await mined(sky.usdsJoin.connect(px).exit(pair.address, wad(p.poolUsds)));
    await mined(sky.sky.connect(px).mint(pair.address, poolSky));
    for (const [key, addr] of Object.entries(addresses)) await mined(mk.chainlog.connect(px).setAddress(b32(key), addr));
  });
  await mined(pair.sync());
  for (const c of [kicker, splitter, flapper, oracle]) {
    await mined(c.rely(proxy));
    await mined(c.deny(me));
  }
  Object.assign(mk.addresses, addresses);
  Object.assign(sky.addresses, addresses);

  const sys: SkyBurnSystem = {
    kicker, splitter, splitterMom, flapper, pair, oracle, farm, addresses, params: p,
    async flap(from = chain.signer(4)) {
      return mined(kicker.connect(from).flap({ gasLimit: 2_000_000 }));
    },
    async poke(price) {
      return mk.asPauseProxy(async (px) => mined(oracle.connect(px).poke(wad(price), await ts())));
    },
    async trade(side, amount) {
      // the trader's tokens appear in the pool (the pause proxy mints them: only the price move matters)
      const usdsIn = side === "buySky";
      const [r0, r1] = (await pair.getReserves()) as [ethers.BigNumber, ethers.BigNumber];
      const usdsIs0 = (await pair.token0()).toLowerCase() === sky.usds.address.toLowerCase();
      const [rIn, rOut] = usdsIn === usdsIs0 ? [r0, r1] : [r1, r0];
      const amt = wad(amount);
      const out = amt.mul(997).mul(rOut).div(rIn.mul(1000).add(amt.mul(997)));
      const trader = chain.accounts[5]!;
      return mk.asPauseProxy(async (px) => {
        if (usdsIn) {
          await mined(mk.vat.connect(px).suck(proxy, proxy, amt.mul(ethers.BigNumber.from(10).pow(27))));
          await mined(sky.usdsJoin.connect(px).exit(pair.address, amt));
        } else await mined(sky.sky.connect(px).mint(pair.address, amt));
        const outs = usdsIn === usdsIs0 ? [0, out] : [out, 0];
        return mined(pair.connect(px).swap(outs[0], outs[1], trader, "0x"));
      });
    },
    async pushPrice(factor) {
      const [r0, r1] = (await pair.getReserves()) as [ethers.BigNumber, ethers.BigNumber];
      const rUsds = (await pair.token0()).toLowerCase() === sky.usds.address.toLowerCase() ? r0 : r1;
      // constant product: the price goes with the square of the USDS reserve
      const grow = Math.round((Math.sqrt(factor) - 1) * 1e9);
      return sys.trade("buySky", ethers.utils.formatEther(rUsds.mul(grow).div(1e9)));
    },
    async poolPrice() {
      const [r0, r1] = (await pair.getReserves()) as [ethers.BigNumber, ethers.BigNumber];
      const usdsIs0 = (await pair.token0()).toLowerCase() === sky.usds.address.toLowerCase();
      const [u, k] = usdsIs0 ? [r0, r1] : [r1, r0];
      return ethers.utils.formatEther(u.mul(wad(1)).div(k));
    },
    async netPosition() {
      const [dai, sin] = await Promise.all([mk.vat.dai(mk.vow.address), mk.vat.sin(mk.vow.address)]);
      return (dai as ethers.BigNumber).sub(sin as ethers.BigNumber);
    },
  };
  return sys;
}
