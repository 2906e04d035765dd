/**
 * The Stars' capital perimeter over a deployed Maker + Sky system (test/chain/maker.ts, sky.ts),
 * wired like mainnet (../shared/reference/sky.md §13-14): one Star (SPARK) with its ilk
 * ALLOCATOR-SPARK-A (constant oracle PIP_ALLOCATOR, mat 100%, the vault's urn holding a huge ink,
 * its line paced by MCD_IAM_AUTO_LINE: gap per ttl up to a maximum), its AllocatorVault (draws
 * USDS into the AllocatorBuffer), the buffer (approves the vault to pull USDS back for wipes),
 * AllocatorRoles (ilk admin: the Star's SubProxy; the Star's operator holds role 0, allowed draw
 * and wipe on the vault), AllocatorRegistry (ilk -> buffer), the SubProxy (wards: the pause proxy
 * and the StarGuard) and the StarGuard (ward: the pause proxy; maxDelay 7 days). The pause proxy
 * ends up the only ward everywhere. ChainLog keys: ALLOCATOR_ROLES, ALLOCATOR_REGISTRY,
 * PIP_ALLOCATOR, ALLOCATOR_SPARK_A_VAULT, ALLOCATOR_SPARK_A_BUFFER, SPARK_SUBPROXY, SPARK_STARGUARD.
 *
 *   const al = await deploySkyAllocators(chain, mk, sky);
 *   await al.draw("1000000");            // the Star's operator draws 1M USDS into the buffer
 *   await al.starSpell(al.roles, "setUserRole", [ilk, who, 0, true]);  // plotted by governance, executed by anyone
 */
import { ethers } from "forta-agent";
import type { AnvilChain } from "./anvil";
import { deployContract, mined } from "./deploy";
import type { MakerSystem } from "./maker";
import type { SkySystem } from "./sky";
import { b32, rad, ray, wad } from "./units";

export interface SkyAllocatorParams {
  /** the AutoLine's maximum line for the ilk [USDS] */
  maxLine: string;
  /** the AutoLine's gap: how much more may be drawn per ttl [USDS] */
  gap: string;
  /** the AutoLine's ttl [s] (mainnet SPARK: 24 h) */
  ttl: number;
  /** the StarGuard's maxDelay [s] (7 days at the SPARK launch) */
  maxDelay: number;
}

export const DEFAULT_SKY_ALLOCATOR_PARAMS: SkyAllocatorParams = { maxLine: "1000000000", gap: "50000000", ttl: 86400, maxDelay: 7 * 86400 };

export const ALLOCATOR_ILK = "ALLOCATOR-SPARK-A";
/** the role the Star's operator holds (allowed draw and wipe on the vault) */
export const OPERATOR_ROLE = 0;

export interface SkyAllocatorSystem {
  roles: ethers.Contract;
  registry: ethers.Contract;
  oracle: ethers.Contract;
  vault: ethers.Contract;
  buffer: ethers.Contract;
  subProxy: ethers.Contract;
  starGuard: ethers.Contract;
  /** the Star's operator (its ALM proxy on mainnet): holds OPERATOR_ROLE */
  operator: ethers.providers.JsonRpcSigner;
  ilk: string;
  addresses: Record<string, string>;
  params: SkyAllocatorParams;
  /** the operator draws / wipes `amount` USDS */
  draw(amount: string, from?: ethers.Signer): Promise<ethers.ContractReceipt>;
  wipe(amount: string, from?: ethers.Signer): Promise<ethers.ContractReceipt>;
  /** anyone's AutoLine exec for the ilk (a keeper) */
  autoLineExec(): Promise<ethers.ContractReceipt>;
  /** a Star spell making one call as the SubProxy: deployed, plotted by governance (a spell), executed by a keeper */
  starSpell(target: ethers.Contract, fn: string, args: unknown[]): Promise<{ payload: string; exec: ethers.ContractReceipt }>;
  /** deploy a Star payload (not plotted) */
  payload(target: ethers.Contract, fn: string, args: unknown[]): Promise<ethers.Contract>;
  /** the vault's debt [USDS, decimal string] */
  debt(): Promise<string>;
}

export async function deploySkyAllocators(chain: AnvilChain, mk: MakerSystem, sky: SkySystem, params: Partial<SkyAllocatorParams> = {}): Promise<SkyAllocatorSystem> {
  const p: SkyAllocatorParams = { ...DEFAULT_SKY_ALLOCATOR_PARAMS, ...params };
  const deployer = mk.deployer;
  const me = await deployer.getAddress();
  const d = (name: string, ...args: unknown[]) => deployContract(deployer, name, ...args);
  const proxy = mk.pauseProxy.address;
  const ilk = b32(ALLOCATOR_ILK);
  const operator = chain.signer(9);

  const roles = await d("AllocatorRoles");
  const registry = await d("AllocatorRegistry");
  const oracle = await d("AllocatorOracle");
  const buffer = await d("AllocatorBuffer");
  const vault = await d("AllocatorVault", roles.address, buffer.address, ilk, sky.usdsJoin.address, mk.vat.address, sky.usds.address);
  const subProxy = await d("SubProxy");
  const starGuard = await d("StarGuard", subProxy.address);

  const sel = (c: ethers.Contract, fn: string) => c.interface.getSighash(fn);
  await mined(roles.setIlkAdmin(ilk, me));
  await mined(roles.setUserRole(ilk, await operator.getAddress(), OPERATOR_ROLE, true));
  await mined(roles.setRoleAction(ilk, OPERATOR_ROLE, vault.address, sel(vault, "draw"), true));
  await mined(roles.setRoleAction(ilk, OPERATOR_ROLE, vault.address, sel(vault, "wipe"), true));
  await mined(roles.setIlkAdmin(ilk, subProxy.address));
  await mined(registry.file(ilk, b32("buffer"), buffer.address));
  await mined(buffer.approve(sky.usds.address, vault.address, ethers.constants.MaxUint256));
  await mined(vault.file(b32("jug"), mk.jug.address));
  await mined(subProxy.rely(starGuard.address));
  await mined(starGuard.file(b32("maxDelay"), p.maxDelay));

  const addresses: Record<string, string> = {
    ALLOCATOR_ROLES: roles.address,
    ALLOCATOR_REGISTRY: registry.address,
    PIP_ALLOCATOR: oracle.address,
    ALLOCATOR_SPARK_A_VAULT: vault.address,
    ALLOCATOR_SPARK_A_BUFFER: buffer.address,
    SPARK_SUBPROXY: subProxy.address,
    SPARK_STARGUARD: starGuard.address,
  };
  const ink = wad("1000000000000");
  await mk.asPauseProxy(async (px) => {
    await mined(mk.vat.connect(px).init(ilk));
    await mined(mk.jug.connect(px).init(ilk));
    await mined(mk.spot.connect(px)["file(bytes32,bytes32,address)"](ilk, b32("pip"), oracle.address));
    await mined(mk.spot.connect(px)["file(bytes32,bytes32,uint256)"](ilk, b32("mat"), ray(1)));
    await mined(mk.spot.connect(px).poke(ilk));
    await mined(mk.vat.connect(px).slip(ilk, vault.address, ink));
    await mined(mk.vat.connect(px).grab(ilk, vault.address, vault.address, ethers.constants.AddressZero, ink, 0));
    const Line = (await mk.vat.Line()) as ethers.BigNumber;
    await mined(mk.vat.connect(px)["file(bytes32,bytes32,uint256)"](ilk, b32("line"), rad(p.gap)));
    await mined(mk.vat.connect(px)["file(bytes32,uint256)"](b32("Line"), Line.add(rad(p.gap))));
    await mined(mk.autoLine.connect(px).setIlk(ilk, rad(p.maxLine), rad(p.gap), p.ttl));
    for (const [key, addr] of Object.entries(addresses)) await mined(mk.chainlog.connect(px).setAddress(b32(key), addr));
  });
  for (const c of [roles, registry, buffer, vault, subProxy, starGuard]) {
    await mined(c.rely(proxy));
    await mined(c.deny(me));
  }
  Object.assign(mk.addresses, addresses);
  Object.assign(sky.addresses, addresses);

  const payload = (target: ethers.Contract, fn: string, args: unknown[]) => d("StarPayload", target.address, target.interface.encodeFunctionData(fn, args));
  const sys: SkyAllocatorSystem = {
    roles, registry, oracle, vault, buffer, subProxy, starGuard, operator, ilk, addresses, params: p,
    draw: (amount, from = operator) => mined(vault.connect(from).draw(wad(amount), { gasLimit: 1_000_000 })),
    wipe: (amount, from = operator) => mined(vault.connect(from).wipe(wad(amount), { gasLimit: 1_000_000 })),
    autoLineExec: () => mined(mk.autoLine.exec(ilk, { gasLimit: 1_000_000 })),
    payload,
    async starSpell(target, fn, args) {
      const pl = await payload(target, fn, args);
      const tag = await chain.provider.send("eth_getCode", [pl.address, "latest"]).then((c: string) => ethers.utils.keccak256(c));
      await mk.asPauseProxy(async (px) => mined(starGuard.connect(px).plot(pl.address, tag)));
      const exec = await mined(starGuard.connect(chain.signer(4)).exec({ gasLimit: 2_000_000 }));
      return { payload: pl.address, exec };
    },
    async debt() {
      const [urn, ilkData] = await Promise.all([mk.vat.urns(ilk, vault.address), mk.vat.ilks(ilk)]);
      return ethers.utils.formatUnits((urn.art as ethers.BigNumber).mul(ilkData.rate as ethers.BigNumber), 45);
    },
  };
  return sys;
}
