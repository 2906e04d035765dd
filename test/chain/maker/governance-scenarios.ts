/**
 * Governance scenarios for the maker-governance and maker-auth tests and devnet scenes (added by
 * the owner of those bots; builds on ./governance.ts without changing it):
 *
 * - `planSpell` / `castSpell`: executeSpell split in two, so a plan can sit scheduled (ripe or
 *   not) while something else happens, and a spell can come from any deployer;
 * - `lowerHatApprovals` / `restoreHatApprovals`: the voter frees (most of) its weight;
 * - `governanceTakeover`: tokens arrive by transfer, are locked and voted, and a spell is lifted
 *   in one transaction (GovTakeover; works on the ds-chief 1.2 shape too);
 * - `delayBypassSpell` / `restorePause`: a spell that sets the delay to 0, makes the proxy the
 *   pause's owner and schedules a plan to run sooner than the delay in force; and the spell that
 *   undoes it (drops the plan, restores authority, owner and delay).
 */
import { ethers } from "forta-agent";
import { deployContract, mined } from "../deploy";
import { wad } from "../units";
import type { MakerSystem } from "../maker";
import { call, type SpellCall } from "./governance";

export interface PlannedSpell {
  spell: ethers.Contract;
  /** the SpellAction (the plan's usr) */
  action: ethers.Contract;
  tag: string;
  /** the plan's fax: execute(targets, datas) */
  fax: string;
  eta: number;
  receipts: { lift: ethers.ContractReceipt; schedule: ethers.ContractReceipt };
}

/**
 * Deploy a spell carrying `calls` (spell and action deployed by `deployer`, default the voter),
 * give `voter` enough weight to beat the hat, vote, lift and schedule it. Not cast.
 */
export async function planSpell(
  mk: MakerSystem,
  calls: SpellCall[],
  opts: { voter?: ethers.Signer; deployer?: ethers.Signer; lifter?: ethers.Signer; description?: string } = {},
): Promise<PlannedSpell> {
  const voter = opts.voter ?? mk.deployer;
  const deployer = opts.deployer ?? voter;
  const action = await deployContract(deployer, "SpellAction");
  const fax = action.interface.encodeFunctionData("execute", [calls.map((c) => c.to), calls.map((c) => c.data)]);
  const expiration = (await mk.chain.timestamp()) + 30 * 24 * 3600;
  const spell = await deployContract(deployer, "DssSpell", mk.pause.address, action.address, fax, opts.description ?? "Vigil test spell", expiration);
  await outvoteHat(mk, voter);
  await mined(mk.chief.connect(voter)["vote(address[])"]([spell.address]));
  const lift = await mined(mk.chief.connect(opts.lifter ?? voter).lift(spell.address));
  const schedule = await mined(spell.connect(voter).schedule());
  return { spell, action, tag: await spell.tag(), fax, eta: Number(await spell.eta()), receipts: { lift, schedule } };
}

/** Warp to the plan's eta (if needed) and cast it. */
export async function castSpell(mk: MakerSystem, planned: PlannedSpell, caster: ethers.Signer = mk.deployer): Promise<ethers.ContractReceipt> {
  await warpTo(mk, planned.eta);
  return mined(planned.spell.connect(caster).cast({ gasLimit: 15_000_000 }));
}

/** Make the next block's timestamp at least `eta`. */
export async function warpTo(mk: MakerSystem, eta: number): Promise<void> {
  const now = await mk.chain.timestamp();
  if (now < eta) await mk.chain.setNextBlockTimestamp(eta);
}

/** Lock (minting if needed) so that `voter`'s deposits exceed the hat's approvals. */
export async function outvoteHat(mk: MakerSystem, voter: ethers.Signer): Promise<void> {
  const who = await voter.getAddress();
  const hatApprovals: ethers.BigNumber = await mk.chief.approvals(await mk.chief.hat());
  const deposits: ethers.BigNumber = await mk.chief.deposits(who);
  if (deposits.gt(hatApprovals)) return;
  const need = hatApprovals.sub(deposits).add(wad("1"));
  await fundGov(mk, who, need);
  await mined(mk.gov.connect(voter)["approve(address,uint256)"](mk.chief.address, ethers.constants.MaxUint256));
  await mined(mk.iou.connect(voter)["approve(address,uint256)"](mk.chief.address, ethers.constants.MaxUint256));
  await mined(mk.chief.connect(voter).lock(need));
}

/** Make sure `who` holds at least `amount` governance tokens (minted by the pause proxy, the token's owner). */
export async function fundGov(mk: MakerSystem, who: string, amount: ethers.BigNumber): Promise<void> {
  const balance: ethers.BigNumber = await mk.gov.balanceOf(who);
  if (balance.lt(amount)) await mk.asPauseProxy((p) => mined(mk.gov.connect(p)["mint(address,uint256)"](who, amount.sub(balance))));
}

/** The voter of the current hat frees tokens until the hat holds `target` approvals (tokens). */
export async function lowerHatApprovals(mk: MakerSystem, target: string, voter: ethers.Signer = mk.deployer): Promise<ethers.ContractReceipt> {
  const approvals: ethers.BigNumber = await mk.chief.approvals(await mk.chief.hat());
  const amount = approvals.sub(wad(target));
  if (amount.lte(0)) throw new Error(`lowerHatApprovals: the hat holds ${ethers.utils.formatEther(approvals)}, not more than ${target}`);
  return mined(mk.chief.connect(voter).free(amount));
}

/** The voter locks `amount` tokens again (its vote, and so the hat, gains them). */
export async function restoreHatApprovals(mk: MakerSystem, amount: string, voter: ethers.Signer = mk.deployer): Promise<ethers.ContractReceipt> {
  await fundGov(mk, await voter.getAddress(), wad(amount));
  await mined(mk.gov.connect(voter)["approve(address,uint256)"](mk.chief.address, ethers.constants.MaxUint256));
  return mined(mk.chief.connect(voter).lock(wad(amount)));
}

export interface Takeover {
  spell: ethers.Contract;
  takeover: ethers.Contract;
  receipt: ethers.ContractReceipt;
}

/**
 * The takeover pattern without a flash loan: `attacker` deploys a spell and a GovTakeover, receives
 * enough governance tokens to beat the hat (minted to it first), and in one transaction GovTakeover
 * pulls them, locks them, votes for the spell and lifts it.
 */
export async function governanceTakeover(mk: MakerSystem, attacker: ethers.Signer, calls: SpellCall[] = []): Promise<Takeover> {
  const who = await attacker.getAddress();
  const action = await deployContract(attacker, "SpellAction");
  const fax = action.interface.encodeFunctionData("execute", [calls.map((c) => c.to), calls.map((c) => c.data)]);
  const spell = await deployContract(attacker, "DssSpell", mk.pause.address, action.address, fax, "takeover spell", (await mk.chain.timestamp()) + 30 * 24 * 3600);
  const takeover = await deployContract(attacker, "GovTakeover", mk.chief.address, mk.gov.address);
  const amount = ((await mk.chief.approvals(await mk.chief.hat())) as ethers.BigNumber).add(wad("1"));
  await fundGov(mk, who, amount);
  await mined(mk.gov.connect(attacker)["approve(address,uint256)"](takeover.address, amount));
  const receipt = await mined(takeover.connect(attacker).takeover(spell.address, amount, { gasLimit: 3_000_000 }));
  return { spell, takeover, receipt };
}

export interface DelayBypass {
  /** the spell that removed the delay */
  spell: PlannedSpell;
  cast: ethers.ContractReceipt;
  /** the plan it scheduled to run sooner than the delay */
  plan: { usr: string; tag: string; fax: string; eta: number };
  delay: number;
}

/**
 * A spell that sets the pause's delay to 0, makes the proxy the pause's owner (so it may plot),
 * and plots a (harmless) plan due one hour after the cast: sooner than the delay in force when the
 * block began.
 */
export async function delayBypassSpell(mk: MakerSystem): Promise<DelayBypass> {
  const delay = Number(await mk.pause.delay());
  const inner = await deployContract(mk.deployer, "SpellAction");
  const fax = inner.interface.encodeFunctionData("execute", [[], []]);
  const tag = ethers.utils.keccak256((await mk.chain.provider.getCode(inner.address)) as string);
  const eta = (await mk.chain.timestamp()) + delay + 3600;
  const spell = await planSpell(mk, [
    call(mk.pause, "setDelay", 0),
    call(mk.pause, "setOwner", mk.pauseProxy.address),
    call(mk.pause, "plot", inner.address, tag, fax, eta),
  ]);
  const cast = await castSpell(mk, spell);
  return { spell, cast, plan: { usr: inner.address, tag, fax, eta }, delay };
}

/** Undo delayBypassSpell: drop its plan, restore the authority (the chief), no owner, and the delay. */
export async function restorePause(mk: MakerSystem, bypass: DelayBypass): Promise<PlannedSpell> {
  const p = bypass.plan;
  const spell = await planSpell(mk, [
    call(mk.pause, "drop", p.usr, p.tag, p.fax, p.eta),
    call(mk.pause, "setAuthority", mk.chief.address),
    call(mk.pause, "setOwner", ethers.constants.AddressZero),
    call(mk.pause, "setDelay", bypass.delay),
  ]);
  await castSpell(mk, spell);
  return spell;
}
