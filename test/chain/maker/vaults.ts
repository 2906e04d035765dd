/**
 * Vault helpers: open or grow a vault through the real join + frob path.
 */
import { ethers } from "forta-agent";
import { mined } from "../deploy";
import { RAY, wad } from "../units";
import type { MakerSystem, OracleIlkName } from "../maker";

export interface OpenVaultOptions {
  /** Owner of the urn (its address is the urn). */
  owner: ethers.Signer;
  /** Collateral to lock, in token units ("100" ETH, "1.5" WBTC). The tokens are minted/wrapped for the owner. */
  ink: string;
  /** Normalised debt to draw (wad; DAI drawn = art * rate). "0" for none. */
  art: string;
  /** Exit the drawn DAI to the owner as ERC-20 (default true); false leaves it in vat.dai(owner). */
  exit?: boolean;
}

export interface VaultHandle {
  ilk: OracleIlkName;
  /** The urn address (= owner address). */
  urn: string;
  owner: ethers.Signer;
}

/** Give `to` `amount` (token units) of an ilk's collateral: WETH is wrapped from ETH, test tokens are minted. */
export async function fundGem(mk: MakerSystem, ilk: OracleIlkName, to: ethers.Signer, amount: string): Promise<ethers.BigNumber> {
  const h = mk.ilks[ilk];
  const amt = ethers.utils.parseUnits(amount, h.dec);
  const addr = await to.getAddress();
  if (ilk === "ETH-A") {
    await mk.chain.setBalance(addr, (await mk.chain.provider.getBalance(addr)).add(amt));
    await mined(h.gem.connect(to).deposit({ value: amt }));
  } else {
    await mined(h.gem.connect(mk.deployer).mint(addr, amt));
  }
  return amt;
}

export async function openVault(mk: MakerSystem, ilk: OracleIlkName, opts: OpenVaultOptions): Promise<VaultHandle> {
  const h = mk.ilks[ilk];
  const owner = opts.owner;
  const urn = await owner.getAddress();
  const amt = await fundGem(mk, ilk, owner, opts.ink);
  await mined(h.gem.connect(owner).approve(h.join.address, amt));
  await mined(h.join.connect(owner).join(urn, amt));
  const dink = wad(opts.ink);
  const dart = wad(opts.art);
  await mined(mk.vat.connect(owner).frob(h.ilk, urn, urn, urn, dink, dart));
  if ((opts.exit ?? true) && !dart.isZero()) {
    const [, rate] = await mk.vat.ilks(h.ilk);
    const daiWad = dart.mul(rate).div(RAY);
    await mined(mk.vat.connect(owner).hope(mk.daiJoin.address));
    await mined(mk.daiJoin.connect(owner).exit(urn, daiWad));
  }
  return { ilk, urn, owner };
}
