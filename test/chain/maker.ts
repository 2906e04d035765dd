/**
 * A whole Maker-shaped system on a local anvil chain, deployed and wired like mainnet:
 * the pause proxy holds the admin rights (wards) on every core contract, the deployer gives its
 * own rights up at the end, and every address is registered in the ChainLog under its mainnet key
 * (MCD_VAT, MCD_PAUSE_PROXY, PIP_ETH, ...). A few vaults are opened so the system carries debt.
 *
 *   const chain = await startAnvil();
 *   const mk = await deployMaker(chain);
 *   await mk.executeSpell([call(mk.vat, "file(bytes32,uint256)", b32("Line"), rad("2000000000"))]);
 *
 * Helpers for scenes and tests live in ./maker/*.ts and are bound onto the returned MakerSystem.
 */
import { ethers } from "forta-agent";
import type { AnvilChain } from "./anvil";
import { attach, deployContract, mined } from "./deploy";
import { annualRate, b32, rad, ray, wad } from "./units";
import { executeSpell, withPauseProxy, type SpellCall, type SpellResult } from "./maker/governance";
import { openVault, type OpenVaultOptions, type VaultHandle } from "./maker/vaults";

export { call, type SpellCall, type SpellResult } from "./maker/governance";
export type { OpenVaultOptions, VaultHandle } from "./maker/vaults";
export { vatInvariant, type VatInvariant } from "./maker/invariants";

/** Collateral types deployed by `deployMaker`. */
export type IlkName = "ETH-A" | "WBTC-A";

export interface IlkHandles {
  /** "ETH-A" */
  name: IlkName;
  /** bytes32 of the name */
  ilk: string;
  /** The collateral token (WETH9 for ETH-A, an 8-decimal TestToken for WBTC-A). */
  gem: ethers.Contract;
  /** Token decimals. */
  dec: number;
  /** GemJoin (ETH-A) / GemJoin5 (WBTC-A). */
  join: ethers.Contract;
  /** ChainLog keys of this ilk's contracts, e.g. { join: "MCD_JOIN_ETH_A", gem: "ETH" }. */
  keys: { gem: string; join: string };
}

export interface MakerParams {
  /** Governance delay of the pause [seconds]. Mainnet: 16 hours at the time of writing. */
  pauseDelay: number;
  /** ESM firing threshold [gov tokens]. */
  esmMin: string;
  /** End's processing cooldown [seconds]. */
  endWait: number;
  /** Global debt ceiling [DAI]. */
  Line: string;
  ilks: Record<IlkName, { line: string; dust: string; mat: string; duty: string; price: string }>;
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
  ilks: {
    "ETH-A": { line: "150000000", dust: "7500", mat: "1.45", duty: "0.0275", price: "2000" },
    "WBTC-A": { line: "50000000", dust: "7500", mat: "1.45", duty: "0.045", price: "60000" },
  },
  govSupply: "1000000",
  launchLock: "80000",
};

export interface DeployMakerOptions {
  /** Account index of the deployer (default 0). It keeps the governance tokens and votes in `executeSpell`. */
  deployer?: number;
  /** Override any of the realistic defaults in DEFAULT_PARAMS. */
  params?: Partial<Omit<MakerParams, "ilks">> & { ilks?: Partial<MakerParams["ilks"]> };
  /**
   * Deploy the pre-2021 chief (no lock/free-in-one-block guard) so the October 2020
   * governance flash-loan pattern can succeed. Default false (ds-chief 1.2 behaviour).
   */
  chiefWithoutFlashGuard?: boolean;
  /** Open the default vaults (accounts 1 and 2) so the system carries debt. Default true. */
  openVaults?: boolean;
}

export interface MakerSystem {
  chain: AnvilChain;
  params: MakerParams;
  /** The deploying account (account `deployer`, default 0): holds the governance tokens, votes. */
  deployer: ethers.providers.JsonRpcSigner;
  /** ChainLog key -> address, for every contract registered. */
  addresses: Record<string, string>;

  chainlog: ethers.Contract;
  vat: ethers.Contract;
  dai: ethers.Contract;
  daiJoin: ethers.Contract;
  /** Governance token (MCD_GOV; DSToken with push/pull, symbol "MKR"). */
  gov: ethers.Contract;
  /** The chief's IOU token. */
  iou: ethers.Contract;
  /** MCD_ADM (ds-chief 1.2 shape). */
  chief: ethers.Contract;
  /** MCD_PAUSE */
  pause: ethers.Contract;
  /** MCD_PAUSE_PROXY */
  pauseProxy: ethers.Contract;
  esm: ethers.Contract;
  end: ethers.Contract;
  ilks: Record<IlkName, IlkHandles>;
  /** Every ilk initialised in the Vat (collateral and PSM ilks), by name. */
  vatIlks: string[];
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
  openVault(ilk: IlkName, opts: OpenVaultOptions): Promise<VaultHandle>;
}

/** deployMaker failed at a named step (the cause carries the revert). */
export class MakerDeployError extends Error {
  constructor(step: string, cause: unknown) {
    super(`deployMaker: ${step} failed: ${cause instanceof Error ? cause.message : String(cause)}`, { cause });
    this.name = "MakerDeployError";
  }
}

function mergeParams(p: DeployMakerOptions["params"]): MakerParams {
  return {
    ...DEFAULT_PARAMS,
    ...p,
    ilks: { ...DEFAULT_PARAMS.ilks, ...(p?.ilks ?? {}) } as MakerParams["ilks"],
  };
}

export async function deployMaker(chain: AnvilChain, opts: DeployMakerOptions = {}): Promise<MakerSystem> {
  const params = mergeParams(opts.params);
  const deployer = chain.signer(opts.deployer ?? 0);
  const me = await deployer.getAddress();
  const d = (name: string, ...args: unknown[]): Promise<ethers.Contract> => deployContract(deployer, name, ...args);
  let step = "start";
  const at = async <T>(name: string, fn: () => Promise<T>): Promise<T> => {
    step = name;
    return fn();
  };

  try {
    // --- core ---------------------------------------------------------------------------
    const chainlog = await at("ChainLog", () => d("ChainLog"));
    const vat = await at("Vat", () => d("Vat"));
    const dai = await at("Dai", () => d("Dai", chain.chainId));
    const daiJoin = await at("DaiJoin", () => d("DaiJoin", vat.address, dai.address));
    await at("wire DaiJoin", async () => {
      await mined(vat.rely(daiJoin.address));
      await mined(dai.rely(daiJoin.address));
    });

    // --- governance ---------------------------------------------------------------------
    const gov = await at("governance token", () => d("DSToken", "MKR"));
    await mined(gov.setName("Maker"));
    const iou = await at("IOU token", () => d("DSToken", "IOU"));
    const chief = await at("DSChief", () =>
      d(opts.chiefWithoutFlashGuard ? "DSChiefNoFlashGuard" : "DSChief", gov.address, iou.address, 5),
    );
    await at("IOU owner", () => mined(iou.setOwner(chief.address)));
    const pause = await at("DSPause", () => d("DSPause", params.pauseDelay, ethers.constants.AddressZero, chief.address));
    const pauseProxy = attach("DSPauseProxy", await pause.proxy(), deployer);

    await at("launch chief", async () => {
      await mined(gov["mint(address,uint256)"](me, wad(params.govSupply)));
      await mined(gov["approve(address,uint256)"](chief.address, ethers.constants.MaxUint256));
      await mined(iou["approve(address,uint256)"](chief.address, ethers.constants.MaxUint256));
      await mined(chief.lock(wad(params.launchLock)));
      await mined(chief["vote(address[])"]([ethers.constants.AddressZero]));
      await mined(chief.launch());
    });

    // --- shutdown -----------------------------------------------------------------------
    const end = await at("End", () => d("End"));
    const esm = await at("ESM", () => d("ESM", gov.address, end.address, pauseProxy.address, wad(params.esmMin)));
    await at("wire End/ESM", async () => {
      await mined(end["file(bytes32,address)"](b32("vat"), vat.address));
      await mined(end["file(bytes32,uint256)"](b32("wait"), params.endWait));
      await mined(vat.rely(end.address));
      await mined(end.rely(esm.address));
      await mined(vat.rely(esm.address)); // fire() denies the pause proxy on the Vat
    });

    // --- collateral -----------------------------------------------------------------------
    await at("Vat Line", () => mined(vat["file(bytes32,uint256)"](b32("Line"), rad(params.Line))));
    const weth = await at("WETH", () => d("WETH9"));
    const wbtc = await at("WBTC", () => d("TestToken", "Wrapped BTC", "WBTC", 8));
    const ilks = {} as Record<IlkName, IlkHandles>;
    const addIlk = async (name: IlkName, gem: ethers.Contract, joinKind: "GemJoin" | "GemJoin5", keys: IlkHandles["keys"]): Promise<void> => {
      const p = params.ilks[name];
      const ilk = b32(name);
      const join = await at(`${name} join`, () => d(joinKind, vat.address, ilk, gem.address));
      await at(`${name} vat config`, async () => {
        await mined(vat.init(ilk));
        await mined(vat.rely(join.address));
        await mined(vat["file(bytes32,bytes32,uint256)"](ilk, b32("line"), rad(p.line)));
        await mined(vat["file(bytes32,bytes32,uint256)"](ilk, b32("dust"), rad(p.dust)));
        // spot = price / mat, in ray (until the oracles are deployed, set directly like Spotter.poke would)
        const spot = ray(p.price).mul(ray("1")).div(ray(p.mat));
        await mined(vat["file(bytes32,bytes32,uint256)"](ilk, b32("spot"), spot));
      });
      ilks[name] = { name, ilk, gem, dec: Number(await gem.decimals()), join, keys };
    };
    await addIlk("ETH-A", weth, "GemJoin", { gem: "ETH", join: "MCD_JOIN_ETH_A" });
    await addIlk("WBTC-A", wbtc, "GemJoin5", { gem: "WBTC", join: "MCD_JOIN_WBTC_A" });
    void annualRate; // used once the Jug is deployed (group b)

    // --- ChainLog -------------------------------------------------------------------------
    const addresses: Record<string, string> = {
      CHANGELOG: chainlog.address,
      MCD_VAT: vat.address,
      MCD_DAI: dai.address,
      MCD_JOIN_DAI: daiJoin.address,
      MCD_GOV: gov.address,
      MCD_ADM: chief.address,
      MCD_PAUSE: pause.address,
      MCD_PAUSE_PROXY: pauseProxy.address,
      MCD_ESM: esm.address,
      MCD_END: end.address,
    };
    for (const h of Object.values(ilks)) {
      addresses[h.keys.gem] = h.gem.address;
      addresses[h.keys.join] = h.join.address;
    }
    await at("ChainLog entries", async () => {
      for (const [key, addr] of Object.entries(addresses)) {
        if (key !== "CHANGELOG") await mined(chainlog.setAddress(b32(key), addr));
      }
      await mined(chainlog.setVersion("1.0.0"));
    });

    // --- hand admin rights to the pause proxy, then give up the deployer's -----------------
    await at("hand over wards", async () => {
      const warded = [vat, dai, daiJoin, end, esm, chainlog, ...Object.values(ilks).map((h) => h.join)];
      for (const c of warded) await mined(c.rely(pauseProxy.address));
      await mined(gov.setOwner(pauseProxy.address));
      for (const c of warded) await mined(c.deny(me));
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
      gov,
      iou,
      chief,
      pause,
      pauseProxy,
      esm,
      end,
      ilks,
      vatIlks: Object.keys(ilks),
      vaults: [],
      asPauseProxy: (fn) => withPauseProxy(chain, pauseProxy.address, fn),
      executeSpell: (calls, o) => executeSpell(system, calls, o),
      openVault: (ilk, o) => openVault(system, ilk, o),
    };

    if (opts.openVaults ?? true) {
      await at("default vaults", async () => {
        system.vaults.push(await system.openVault("ETH-A", { owner: chain.signer(1), ink: "100", art: "60000" }));
        system.vaults.push(await system.openVault("WBTC-A", { owner: chain.signer(2), ink: "5", art: "100000" }));
      });
    }
    return system;
  } catch (err) {
    throw new MakerDeployError(step, err);
  }
}
