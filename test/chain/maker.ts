/**
 * A whole Maker-shaped system on a local anvil chain, deployed and wired like mainnet:
 * the pause proxy holds the admin rights (wards) on every core contract, the deployer gives its
 * own rights up at the end, and every address is registered in the ChainLog under its mainnet key
 * (MCD_VAT, MCD_PAUSE_PROXY, PIP_ETH, ...). A few vaults are opened so the system carries debt.
 *
 *   const chain = await startAnvil();
 *   const mk = await deployMaker(chain);
 *   await mk.executeSpell([call(mk.vat, "file(bytes32,uint256)", b32("Line"), rad("2000000000"))]);
 *   await mk.setPrice("ETH-A", "1500");
 *
 * Helpers for scenes and tests live in ./maker/*.ts; the common ones are bound onto MakerSystem.
 */
import { ethers } from "forta-agent";
import { VigilError } from "../../shared/errors";
import type { AnvilChain } from "./anvil";
import { LEGACY_PREFIX } from "./compile";
import { attach, deployContract, inOneBlock, mined } from "./deploy";
import { annualRate, b32, rad, ray, wad } from "./units";
import { executeSpell, withPauseProxy, type SpellCall, type SpellResult } from "./maker/governance";
import { openVault, type OpenVaultOptions, type VaultHandle } from "./maker/vaults";
import { feedSigners, pokeMedian, pokeOsm, setPrice } from "./maker/oracles";
import { bark, take, type BarkResult, type TakeOptions } from "./maker/liquidations";

export { call, SpellError, type SpellCall, type SpellResult } from "./maker/governance";
export { fundGem, type OpenVaultOptions, type VaultHandle } from "./maker/vaults";
export { vatInvariant, type VatInvariant } from "./maker/invariants";
export { feedSigners, signPrice } from "./maker/oracles";
export { fundVatDai, useCat, type BarkResult, type TakeOptions } from "./maker/liquidations";
export { flashMint, vatDaiFlashLoan, governanceFlashLoanAttack, type GovAttack } from "./maker/flash";
export { deployL2Dai, bridgeDeposit, mintUnbacked, type L2Dai } from "./maker/bridge";

/** Collateral types with oracles and auctions. */
export type OracleIlkName = "ETH-A" | "WBTC-A";
/** Every collateral type deployMaker creates. */
export type IlkName = OracleIlkName | "PSM-USDC-A" | "LITE-PSM-USDC-A";

export interface IlkHandles {
  name: OracleIlkName;
  /** bytes32 of the name */
  ilk: string;
  /** WETH9 for ETH-A, an 8-decimal TestToken for WBTC-A. */
  gem: ethers.Contract;
  dec: number;
  /** GemJoin (ETH-A) / GemJoin5 (WBTC-A). */
  join: ethers.Contract;
  /** The OSM (PIP_ETH / PIP_WBTC). */
  pip: ethers.Contract;
  median: ethers.Contract;
  clip: ethers.Contract;
  /** LinearDecrease */
  calc: ethers.Contract;
}

export interface IlkParams {
  /** Debt ceiling [DAI] */
  line: string;
  /** Vault debt floor [DAI] */
  dust: string;
  /** Liquidation ratio (1.45 = 145%) */
  mat: string;
  /** Stability fee, yearly (0.0275 = 2.75%) */
  fee: string;
  /** Initial price [USD] */
  price: string;
  /** Liquidation penalty (1.13 = 13%) */
  chop: string;
  /** Max DAI in auction for this ilk [DAI] */
  hole: string;
  /** Auction: start price multiplier, reset time [s], reset drop, keeper % and flat fee, calc tau [s] */
  buf: string;
  tail: number;
  cusp: string;
  chip: string;
  tip: string;
  tau: number;
}

export interface MakerParams {
  /** Governance delay of the pause [seconds]. */
  pauseDelay: number;
  /** ESM firing threshold [gov tokens]. */
  esmMin: string;
  /** End's processing cooldown [seconds]. */
  endWait: number;
  /** Global debt ceiling [DAI]. */
  Line: string;
  /** Dog: max DAI in all auctions [DAI]. */
  Hole: string;
  /** Vow: surplus buffer, auction sizes [DAI], flop lot [gov], flop delay [s]. */
  hump: string;
  bump: string;
  sump: string;
  dump: string;
  vowWait: number;
  /** Feeds per Median price (odd). Mainnet uses 13. */
  medianBar: number;
  /** OSM delay [seconds]. */
  hop: number;
  ilks: Record<OracleIlkName, IlkParams>;
  /** PSM-USDC-A / LITE-PSM-USDC-A debt ceilings [DAI]; lite PSM pre-minted buffer [DAI]. */
  psmLine: string;
  litePsmLine: string;
  litePsmBuf: string;
  /** DssFlash max [DAI]. */
  flashMax: string;
  /** AutoLine (MCD_IAM_AUTO_LINE) gap for ETH-A [DAI]: exec sets its line to min(debt + gap, its configured line). */
  autoLineGap: string;
  /** Governance tokens minted to the deployer (the voter of `executeSpell`). */
  govSupply: string;
  /** Gov tokens the deployer locks behind address(0) to launch the chief (80,000 is the chief's threshold). */
  launchLock: string;
}

export const DEFAULT_PARAMS: MakerParams = {
  pauseDelay: 16 * 3600,
  esmMin: "150000",
  endWait: 70 * 3600,
  Line: "1000000000",
  Hole: "150000000",
  hump: "60000000",
  bump: "30000",
  sump: "50000",
  dump: "250",
  vowWait: 156 * 3600,
  medianBar: 13,
  hop: 3600,
  ilks: {
    "ETH-A": {
      line: "150000000", dust: "7500", mat: "1.45", fee: "0.0275", price: "2000",
      chop: "1.13", hole: "40000000", buf: "1.2", tail: 8400, cusp: "0.45", chip: "0.001", tip: "250", tau: 24 * 3600,
    },
    "WBTC-A": {
      line: "50000000", dust: "7500", mat: "1.45", fee: "0.045", price: "60000",
      chop: "1.13", hole: "10000000", buf: "1.2", tail: 8400, cusp: "0.45", chip: "0.001", tip: "250", tau: 24 * 3600,
    },
  },
  psmLine: "500000000",
  litePsmLine: "500000000",
  litePsmBuf: "50000000",
  flashMax: "500000000",
  autoLineGap: "149900000",
  govSupply: "1000000",
  launchLock: "80000",
};

export interface DeployMakerOptions {
  /** Account index of the deployer (default 0). It keeps the governance tokens and votes in `executeSpell`. */
  deployer?: number;
  /** Override any of the defaults in DEFAULT_PARAMS (per-ilk overrides are merged field by field). */
  params?: Partial<Omit<MakerParams, "ilks">> & { ilks?: Partial<Record<OracleIlkName, Partial<IlkParams>>> };
  /**
   * Deploy the pre-2021 chief (no lock/free-in-one-block guard) so the October 2020
   * governance flash-loan pattern can succeed. Default false (ds-chief 1.2 behaviour).
   */
  chiefWithoutFlashGuard?: boolean;
  /**
   * Deploy the ds-note contracts (governance token, IOU, chief, pause and its proxy, PIP_USDC)
   * compiled with solc 0.4.26 (test/contracts/solc-0.4/), as MKR, the 2019 chief and the old
   * DSValue PIPs were: their LogNotes carry `fax` unpadded. Same ABIs as the default build.
   */
  solc04DsNote?: boolean;
  /** Open the default vaults and PSM swaps (accounts 1-3) so the system carries debt. Default true. */
  openVaults?: boolean;
}

export interface MakerSystem {
  chain: AnvilChain;
  params: MakerParams;
  /** The deploying account (default account 0): holds the governance tokens, votes in executeSpell, mints test tokens. */
  deployer: ethers.providers.JsonRpcSigner;
  /** ChainLog key -> address, for every contract registered. */
  addresses: Record<string, string>;

  chainlog: ethers.Contract;
  vat: ethers.Contract;
  dai: ethers.Contract;
  daiJoin: ethers.Contract;
  jug: ethers.Contract;
  spot: ethers.Contract;
  vow: ethers.Contract;
  pot: ethers.Contract;
  dog: ethers.Contract;
  /** Legacy liquidations (Cat 1.1); no ilk uses it by default. */
  cat: ethers.Contract;
  end: ethers.Contract;
  esm: ethers.Contract;
  flash: ethers.Contract;
  /** MCD_IAM_AUTO_LINE: keeps ETH-A's line at debt + `params.autoLineGap` (at most its configured line). */
  autoLine: ethers.Contract;
  /** Anyone's `autoLine.exec(ilk)`, as mainnet keepers call it. */
  autoLineExec(ilk: IlkName): Promise<ethers.ContractReceipt>;
  ilkRegistry: ethers.Contract;
  /** Governance token (MCD_GOV; DSToken with push/pull, symbol "MKR"). */
  gov: ethers.Contract;
  /** The chief's IOU token. */
  iou: ethers.Contract;
  /** MCD_ADM (ds-chief 1.2 shape). */
  chief: ethers.Contract;
  pause: ethers.Contract;
  pauseProxy: ethers.Contract;
  ilks: Record<OracleIlkName, IlkHandles>;
  /** USDC-like 6-decimal token. */
  usdc: ethers.Contract;
  /** PIP_USDC: DSValue fixed at 1.0. */
  usdcPip: ethers.Contract;
  psm: ethers.Contract;
  /** AuthGemJoin5 of PSM-USDC-A. */
  psmJoin: ethers.Contract;
  litePsm: ethers.Contract;
  litePsmPocket: ethers.Contract;
  /** OPTIMISM_ESCROW: L1 escrow of the DAI bridge. */
  escrow: ethers.Contract;
  /** Every ilk initialised in the Vat, by name. */
  vatIlks: IlkName[];
  /** Median feed keys (the first `medianBar` sign each price). */
  feeds: ethers.Wallet[];
  /** Vaults opened by deployMaker (empty with openVaults: false). */
  vaults: VaultHandle[];

  /** Run `fn` with a signer impersonating the pause proxy: admin calls "through governance", without the delay. */
  asPauseProxy<T>(fn: (proxy: ethers.providers.JsonRpcSigner) => Promise<T>): Promise<T>;
  /**
   * The full governance path: deploy a spell carrying `calls`, lock gov tokens in the chief,
   * vote, lift, schedule (plot), warp past the pause delay, cast (exec).
   */
  executeSpell(calls: SpellCall[], opts?: { description?: string; voter?: ethers.Signer }): Promise<SpellResult>;
  /** Open (or add to) a vault: wrap/mint collateral, join it, frob ink/art, exit the DAI. */
  openVault(ilk: OracleIlkName, opts: OpenVaultOptions): Promise<VaultHandle>;
  /** Signed median poke, two OSM pokes one hop apart (warping time), Spotter poke. */
  setPrice(ilk: OracleIlkName, price: string): Promise<ethers.ContractReceipt[]>;
  pokeMedian(ilk: OracleIlkName, price: string): Promise<ethers.ContractReceipt>;
  pokeOsm(ilk: OracleIlkName): Promise<ethers.ContractReceipt>;
  /** Jug.drip(ilk): accrue stability fees up to now. */
  drip(ilk: IlkName): Promise<ethers.ContractReceipt>;
  bark(ilk: OracleIlkName, urn: string, keeper?: ethers.Signer): Promise<BarkResult>;
  take(ilk: OracleIlkName, id: number, opts?: TakeOptions): Promise<ethers.ContractReceipt>;
  /** Sell `amount` USDC to a PSM ("psm" or "lite") for DAI; USDC is minted to `from` first. */
  sellGem(which: "psm" | "lite", from: ethers.Signer, amount: string): Promise<ethers.ContractReceipt>;
}

/** deployMaker failed at a named step (the cause carries the revert). */
export class MakerDeployError extends VigilError<"MAKER_DEPLOY"> {
  constructor(
    readonly step: string,
    cause: unknown,
  ) {
    super("MAKER_DEPLOY", `deployMaker: ${step} failed: ${cause instanceof Error ? cause.message : String(cause)}`, { cause });
    this.name = "MakerDeployError";
  }
}

function mergeParams(p: DeployMakerOptions["params"] = {}): MakerParams {
  const { ilks: ilkOverrides, ...rest } = p;
  const ilks = { ...DEFAULT_PARAMS.ilks };
  for (const name of Object.keys(ilks) as OracleIlkName[]) ilks[name] = { ...ilks[name], ...(ilkOverrides?.[name] ?? {}) };
  const params = { ...DEFAULT_PARAMS, ...rest, ilks };
  if (params.medianBar < 1 || params.medianBar % 2 === 0) throw new RangeError(`deployMaker: medianBar must be odd and >= 1 (got ${params.medianBar})`);
  return params;
}

/** Gas limit for transactions mined together by inOneBlock (estimates would see the wrong state). */
const GAS = { gasLimit: 1_000_000 };

export async function deployMaker(chain: AnvilChain, opts: DeployMakerOptions = {}): Promise<MakerSystem> {
  const params = mergeParams(opts.params);
  const deployer = chain.signer(opts.deployer ?? 0);
  const me = await deployer.getAddress();
  const d = (name: string, ...args: unknown[]): Promise<ethers.Contract> => deployContract(deployer, name, ...args);
  const dsNote = (name: string): string => (opts.solc04DsNote ? `${LEGACY_PREFIX}${name}` : name);
  const Z = ethers.constants.AddressZero;
  let step = "start";
  const at = async <T>(name: string, fn: () => Promise<T>): Promise<T> => {
    step = name;
    return fn();
  };

  try {
    // --- core -----------------------------------------------------------------------------
    const chainlog = await at("ChainLog", () => d("ChainLog"));
    const vat = await at("Vat", () => d("Vat"));
    const dai = await at("Dai", () => d("Dai", chain.chainId));
    const daiJoin = await at("DaiJoin", () => d("DaiJoin", vat.address, dai.address));
    const jug = await at("Jug", () => d("Jug", vat.address));
    const spot = await at("Spotter", () => d("Spotter", vat.address));
    const vow = await at("Vow", () => d("Vow", vat.address, Z, Z));
    const pot = await at("Pot", () => d("Pot", vat.address));
    const dog = await at("Dog", () => d("Dog", vat.address));
    const cat = await at("Cat", () => d("Cat", vat.address));
    const flash = await at("DssFlash", () => d("DssFlash", daiJoin.address));
    const autoLine = await at("AutoLine", () => d("AutoLine", vat.address));
    await at("wire core", async () => {
      for (const c of [daiJoin, jug, spot, pot, dog, cat, flash, autoLine]) await mined(vat.rely(c.address));
      await mined(dai.rely(daiJoin.address));
      await mined(vat["file(bytes32,uint256)"](b32("Line"), rad(params.Line)));
      await mined(jug["file(bytes32,address)"](b32("vow"), vow.address));
      await mined(pot["file(bytes32,address)"](b32("vow"), vow.address));
      for (const [what, v] of [["hump", rad(params.hump)], ["bump", rad(params.bump)], ["sump", rad(params.sump)], ["dump", wad(params.dump)], ["wait", params.vowWait]] as const) {
        await mined(vow["file(bytes32,uint256)"](b32(what), v));
      }
      for (const c of [dog, cat]) await mined(vow.rely(c.address));
      await mined(dog["file(bytes32,address)"](b32("vow"), vow.address));
      await mined(dog["file(bytes32,uint256)"](b32("Hole"), rad(params.Hole)));
      await mined(cat["file(bytes32,address)"](b32("vow"), vow.address));
      await mined(cat["file(bytes32,uint256)"](b32("box"), rad("20000000")));
      await mined(flash["file(bytes32,uint256)"](b32("max"), wad(params.flashMax)));
      await mined(flash["file(bytes32,address)"](b32("vow"), vow.address));
    });

    // --- governance ---------------------------------------------------------------------------
    const gov = await at("governance token", () => d(dsNote("DSToken"), "MKR"));
    await mined(gov.setName("Maker"));
    const iou = await at("IOU token", () => d(dsNote("DSToken"), "IOU"));
    const chief = await at("DSChief", () => d(dsNote(opts.chiefWithoutFlashGuard ? "DSChiefNoFlashGuard" : "DSChief"), gov.address, iou.address, 5));
    await at("IOU owner", () => mined(iou.setOwner(chief.address)));
    const pause = await at("DSPause", () => d(dsNote("DSPause"), params.pauseDelay, Z, chief.address));
    const pauseProxy = attach(dsNote("DSPauseProxy"), await pause.proxy(), deployer);
    await at("launch chief", async () => {
      await mined(gov["mint(address,uint256)"](me, wad(params.govSupply)));
      await mined(gov["approve(address,uint256)"](chief.address, ethers.constants.MaxUint256));
      await mined(iou["approve(address,uint256)"](chief.address, ethers.constants.MaxUint256));
      await mined(chief.lock(wad(params.launchLock)));
      await mined(chief["vote(address[])"]([Z]));
      await mined(chief.launch());
    });

    // --- shutdown -----------------------------------------------------------------------------
    const end = await at("End", () => d("End"));
    const esm = await at("ESM", () => d("ESM", gov.address, end.address, pauseProxy.address, wad(params.esmMin)));
    await at("wire End/ESM", async () => {
      for (const [what, c] of [["vat", vat], ["cat", cat], ["dog", dog], ["vow", vow], ["pot", pot], ["spot", spot]] as const) {
        await mined(end["file(bytes32,address)"](b32(what), c.address));
      }
      await mined(end["file(bytes32,uint256)"](b32("wait"), params.endWait));
      await mined(vat.rely(end.address));
      for (const c of [cat, dog, vow, pot, spot]) await mined(c.rely(end.address));
      await mined(end.rely(esm.address));
      await mined(vat.rely(esm.address)); // fire() denies the pause proxy on the Vat
    });

    // --- oracle collateral: ETH-A, WBTC-A -----------------------------------------------------------
    const feeds = feedSigners(params.medianBar);
    const weth = await at("WETH", () => d("WETH9"));
    const wbtc = await at("WBTC", () => d("TestToken", "Wrapped BTC", "WBTC", 8));
    const ilks = {} as Record<OracleIlkName, IlkHandles>;
    const addOracleIlk = async (name: OracleIlkName, gem: ethers.Contract, joinKind: string, wat: string): Promise<void> => {
      const p = params.ilks[name];
      const ilk = b32(name);
      const join = await at(`${name} join`, () => d(joinKind, vat.address, ilk, gem.address));
      const median = await at(`${name} median`, () => d("Median", b32(wat)));
      const pip = await at(`${name} OSM`, () => d("OSM", median.address));
      const calc = await at(`${name} calc`, () => d("LinearDecrease"));
      const clip = await at(`${name} clipper`, () => d("Clipper", vat.address, spot.address, dog.address, ilk));
      await at(`${name} oracle wiring`, async () => {
        await mined(median.lift(feeds.map((f) => f.address)));
        await mined(median.setBar(params.medianBar));
        await mined(median["kiss(address)"](pip.address));
        if (params.hop !== 3600) await mined(pip.step(params.hop));
        await mined(pip["kiss(address[])"]([spot.address, clip.address, end.address]));
      });
      await at(`${name} vat/jug`, async () => {
        await mined(vat.init(ilk));
        await mined(vat.rely(join.address));
        await mined(vat.rely(clip.address)); // tip/chip are sucked from the Vow
        await mined(vat["file(bytes32,bytes32,uint256)"](ilk, b32("line"), rad(p.line)));
        await mined(vat["file(bytes32,bytes32,uint256)"](ilk, b32("dust"), rad(p.dust)));
        await inOneBlock(chain, [
          () => jug.init(ilk, GAS),
          () => jug["file(bytes32,bytes32,uint256)"](ilk, b32("duty"), annualRate(p.fee), GAS),
        ]);
        await mined(spot["file(bytes32,bytes32,address)"](ilk, b32("pip"), pip.address));
        await mined(spot["file(bytes32,bytes32,uint256)"](ilk, b32("mat"), ray(p.mat)));
      });
      await at(`${name} liquidations`, async () => {
        await mined(dog["file(bytes32,bytes32,address)"](ilk, b32("clip"), clip.address));
        await mined(dog["file(bytes32,bytes32,uint256)"](ilk, b32("chop"), wad(p.chop)));
        await mined(dog["file(bytes32,bytes32,uint256)"](ilk, b32("hole"), rad(p.hole)));
        await mined(dog.rely(clip.address));
        await mined(clip["file(bytes32,address)"](b32("vow"), vow.address));
        await mined(clip["file(bytes32,address)"](b32("calc"), calc.address));
        for (const [what, v] of [["buf", ray(p.buf)], ["tail", p.tail], ["cusp", ray(p.cusp)], ["chip", wad(p.chip)], ["tip", rad(p.tip)]] as const) {
          await mined(clip["file(bytes32,uint256)"](b32(what), v));
        }
        await mined(clip.rely(dog.address));
        await mined(clip.rely(end.address));
        await mined(clip.upchost());
        await mined(calc["file(bytes32,uint256)"](b32("tau"), p.tau));
      });
      ilks[name] = { name, ilk, gem, dec: Number(await gem.decimals()), join, pip, median, clip, calc };
    };
    await addOracleIlk("ETH-A", weth, "GemJoin", "ETHUSD");
    await addOracleIlk("WBTC-A", wbtc, "GemJoin5", "BTCUSD");
    // the AutoLine keeps ETH-A's line at debt + gap, at most the configured line (ttl 0: raises any block)
    await at("AutoLine ETH-A", () =>
      mined(autoLine.setIlk(ilks["ETH-A"].ilk, rad(params.ilks["ETH-A"].line), rad(params.autoLineGap), 0)),
    );

    // --- stablecoin collateral: PSM-USDC-A, LITE-PSM-USDC-A ----------------------------------------
    const usdc = await at("USDC", () => d("TestToken", "USD Coin", "USDC", 6));
    const usdcPip = await at("PIP_USDC", () => d(dsNote("DSValue")));
    await mined(usdcPip.poke(ethers.utils.hexZeroPad(wad("1").toHexString(), 32)));
    const addStableIlk = async (name: "PSM-USDC-A" | "LITE-PSM-USDC-A", line: string): Promise<void> => {
      const ilk = b32(name);
      await at(`${name} vat/jug/spot`, async () => {
        await mined(vat.init(ilk));
        await mined(vat["file(bytes32,bytes32,uint256)"](ilk, b32("line"), rad(line)));
        await mined(jug.init(ilk)); // duty stays at 0%
        await mined(spot["file(bytes32,bytes32,address)"](ilk, b32("pip"), usdcPip.address));
        await mined(spot["file(bytes32,bytes32,uint256)"](ilk, b32("mat"), ray("1")));
        await mined(spot.poke(ilk));
      });
    };
    await addStableIlk("PSM-USDC-A", params.psmLine);
    const psmJoin = await at("PSM join", () => d("AuthGemJoin5", vat.address, b32("PSM-USDC-A"), usdc.address));
    const psm = await at("PSM", () => d("DssPsm", psmJoin.address, daiJoin.address, vow.address));
    await at("PSM wiring", async () => {
      await mined(vat.rely(psmJoin.address));
      await mined(psmJoin.rely(psm.address));
    });
    await addStableIlk("LITE-PSM-USDC-A", params.litePsmLine);
    const litePsmPocket = await at("lite PSM pocket", () => d("LitePsmPocket"));
    const litePsm = await at("lite PSM", () => d("DssLitePsm", b32("LITE-PSM-USDC-A"), usdc.address, daiJoin.address, litePsmPocket.address));
    await at("lite PSM wiring", async () => {
      await mined(litePsmPocket.hope(usdc.address, litePsm.address));
      // the lite PSM's urn gets "unlimited" ink once (as its mainnet init does): ink * spot must not overflow
      const ink = ethers.constants.MaxUint256.div(ray("1"));
      await mined(vat.slip(b32("LITE-PSM-USDC-A"), litePsm.address, ink));
      await mined(vat.grab(b32("LITE-PSM-USDC-A"), litePsm.address, litePsm.address, Z, ink, 0));
      await mined(litePsm["file(bytes32,address)"](b32("vow"), vow.address));
      await mined(litePsm["file(bytes32,uint256)"](b32("buf"), wad(params.litePsmBuf)));
      await mined(litePsm.fill());
    });

    // --- registry, bridge escrow ---------------------------------------------------------------
    const ilkRegistry = await at("IlkRegistry", () => d("IlkRegistry", vat.address, dog.address, cat.address, spot.address));
    await at("IlkRegistry entries", async () => {
      for (const h of Object.values(ilks)) await mined(ilkRegistry.add(h.join.address));
      await mined(ilkRegistry.put(b32("PSM-USDC-A"), psmJoin.address, usdc.address, 6, 3, usdcPip.address, Z, "USD Coin", "USDC"));
      await mined(ilkRegistry.put(b32("LITE-PSM-USDC-A"), litePsm.address, usdc.address, 6, 3, usdcPip.address, Z, "USD Coin", "USDC"));
    });
    const escrow = await at("L1 escrow", () => d("L1Escrow"));

    // --- initial prices through the real oracle path ---------------------------------------------
    // (needs `system` for the helpers; built below, prices set after)

    // --- ChainLog -------------------------------------------------------------------------------
    const addresses: Record<string, string> = {
      CHANGELOG: chainlog.address,
      MCD_VAT: vat.address,
      MCD_DAI: dai.address,
      MCD_JOIN_DAI: daiJoin.address,
      MCD_JUG: jug.address,
      MCD_SPOT: spot.address,
      MCD_VOW: vow.address,
      MCD_POT: pot.address,
      MCD_DOG: dog.address,
      MCD_CAT: cat.address,
      MCD_END: end.address,
      MCD_ESM: esm.address,
      MCD_FLASH: flash.address,
      MCD_IAM_AUTO_LINE: autoLine.address,
      MCD_GOV: gov.address,
      MCD_IOU: iou.address,
      MCD_ADM: chief.address,
      MCD_PAUSE: pause.address,
      MCD_PAUSE_PROXY: pauseProxy.address,
      ILK_REGISTRY: ilkRegistry.address,
      ETH: weth.address,
      PIP_ETH: ilks["ETH-A"].pip.address,
      MCD_JOIN_ETH_A: ilks["ETH-A"].join.address,
      MCD_CLIP_ETH_A: ilks["ETH-A"].clip.address,
      MCD_CLIP_CALC_ETH_A: ilks["ETH-A"].calc.address,
      WBTC: wbtc.address,
      PIP_WBTC: ilks["WBTC-A"].pip.address,
      MCD_JOIN_WBTC_A: ilks["WBTC-A"].join.address,
      MCD_CLIP_WBTC_A: ilks["WBTC-A"].clip.address,
      MCD_CLIP_CALC_WBTC_A: ilks["WBTC-A"].calc.address,
      USDC: usdc.address,
      PIP_USDC: usdcPip.address,
      MCD_JOIN_PSM_USDC_A: psmJoin.address,
      MCD_PSM_USDC_A: psm.address,
      MCD_LITE_PSM_USDC_A: litePsm.address,
      MCD_LITE_PSM_USDC_A_POCKET: litePsmPocket.address,
      OPTIMISM_ESCROW: escrow.address,
    };
    await at("ChainLog entries", async () => {
      for (const [key, addr] of Object.entries(addresses)) {
        if (key !== "CHANGELOG") await mined(chainlog.setAddress(b32(key), addr));
      }
      await mined(chainlog.setVersion("1.0.0"));
    });

    const system: MakerSystem = {
      chain,
      params,
      deployer,
      addresses,
      chainlog,
      vat,
      dai,
      daiJoin,
      jug,
      spot,
      vow,
      pot,
      dog,
      cat,
      end,
      esm,
      flash,
      autoLine,
      autoLineExec: (ilk) => mined(autoLine.exec(b32(ilk), GAS)),
      ilkRegistry,
      gov,
      iou,
      chief,
      pause,
      pauseProxy,
      ilks,
      usdc,
      usdcPip,
      psm,
      psmJoin,
      litePsm,
      litePsmPocket,
      escrow,
      vatIlks: ["ETH-A", "WBTC-A", "PSM-USDC-A", "LITE-PSM-USDC-A"],
      feeds,
      vaults: [],
      asPauseProxy: (fn) => withPauseProxy(chain, pauseProxy.address, fn),
      executeSpell: (calls, o) => executeSpell(system, calls, o),
      openVault: (ilk, o) => openVault(system, ilk, o),
      setPrice: (ilk, price) => setPrice(system, ilk, price),
      pokeMedian: (ilk, price) => pokeMedian(system, ilk, price),
      pokeOsm: (ilk) => pokeOsm(system, ilk),
      drip: (ilk) => mined(jug.drip(b32(ilk))),
      bark: (ilk, urn, keeper) => bark(system, ilk, urn, keeper),
      take: (ilk, id, o) => take(system, ilk, id, o),
      sellGem: async (which, from, amount) => {
        const amt = ethers.utils.parseUnits(amount, 6);
        const target = which === "psm" ? psm : litePsm;
        await mined(usdc.connect(deployer).mint(await from.getAddress(), amt));
        await mined(usdc.connect(from).approve(which === "psm" ? psmJoin.address : litePsm.address, amt));
        return mined(target.connect(from).sellGem(await from.getAddress(), amt));
      },
    };

    await at("initial prices", async () => {
      for (const name of Object.keys(ilks) as OracleIlkName[]) await system.setPrice(name, params.ilks[name].price);
    });

    // --- hand admin rights to the pause proxy, then give up the deployer's ------------------------
    await at("hand over wards", async () => {
      const warded = [
        vat, dai, daiJoin, jug, spot, vow, pot, dog, cat, end, esm, flash, autoLine, chainlog, ilkRegistry, escrow,
        psm, psmJoin, litePsm, litePsmPocket,
        ...Object.values(ilks).flatMap((h) => [h.join, h.pip, h.median, h.clip, h.calc]),
      ];
      for (const c of warded) await mined(c.rely(pauseProxy.address));
      await mined(gov.setOwner(pauseProxy.address));
      await mined(usdcPip.setOwner(pauseProxy.address));
      for (const c of warded) await mined(c.deny(me));
    });

    if (opts.openVaults ?? true) {
      await at("default vaults", async () => {
        system.vaults.push(await system.openVault("ETH-A", { owner: chain.signer(1), ink: "100", art: "60000" }));
        system.vaults.push(await system.openVault("WBTC-A", { owner: chain.signer(2), ink: "5", art: "100000" }));
        await system.sellGem("psm", chain.signer(3), "1000000");
        await system.sellGem("lite", chain.signer(3), "2000000");
      });
    }
    return system;
  } catch (err) {
    throw new MakerDeployError(step, err);
  }
}
