/**
 * Scenes on the new Chief (test/chain/sky-governance.ts), shared by maker-governance's e2e tests and
 * its devnet storyline. Each leaves governance as it found it: a vetted spell is the hat again.
 */
import { ethers } from "forta-agent";
import { attach, deployContract, mined } from "./deploy";
import type { MakerSystem } from "./maker";
import { call, type SpellCall } from "./maker/governance";
import type { SkySystem } from "./sky";
import { DELEGATES, type SkyGovernance } from "./sky-governance";
import { b32, wad } from "./units";

/**
 * An attacker dresses a spell up as an ordinary one (DssSpell getters, a real action, a month's
 * expiration, a description), buys SKY, locks it straight into the Chief, votes and lifts within
 * minutes, then schedules its plan. Returns the spell and its plan (for a drop).
 */
export async function dressedUpSpell(mk: MakerSystem, g: SkyGovernance, attacker: ethers.Signer, calls: SpellCall[] = []) {
  const who = await attacker.getAddress();
  const action = await deployContract(attacker, "SpellAction");
  const sig = new ethers.utils.Interface(["function execute(address[] targets, bytes[] datas)"]).encodeFunctionData("execute", [calls.map((c) => c.to), calls.map((c) => c.data)]);
  const spell = await deployContract(attacker, "DssSpell", mk.pause.address, action.address, sig, "Executive vote - routine parameter changes", (await mk.chain.timestamp()) + 30 * 24 * 3600);
  const hat: string = await g.chief.hat();
  const need = (await g.chief.approvals(hat)).add(wad("1000000"));
  await g.mintSky(who, ethers.utils.formatEther(need));
  await mined(attach("SkyGov", await g.chief.gov(), attacker).approve(g.chief.address, ethers.constants.MaxUint256));
  await mined(g.chief.connect(attacker).lock(need));
  await mined(g.chief.connect(attacker)["vote(address[])"]([spell.address]));
  const lift = await g.lift(spell.address, attacker);
  const schedule = await mined(spell.connect(attacker).schedule());
  const plan = { usr: action.address, tag: await spell.tag(), fax: sig, eta: await spell.eta() };
  return { spell, plan, lift, schedule, locked: need };
}

/** The attacker frees its SKY and the delegates lift a vetted spell again (executeSpell through the new Chief). */
export async function governanceRecovers(mk: MakerSystem, g: SkyGovernance, attacker: ethers.Signer | null, description: string) {
  if (attacker) {
    const locked: ethers.BigNumber = await g.chief.deposits(await attacker.getAddress());
    if (locked.gt(0)) {
      await mined(g.chief.connect(attacker)["vote(address[])"]([]));
      await mk.chain.mine(1);
      await mined(g.chief.connect(attacker).free(locked));
    }
  }
  return mk.executeSpell([], { description });
}

/** The delegates lift EMSP_SPBEAM_HALT and anyone schedules it: SPBEAM halted at once through SPBEAM_MOM. */
export async function emergencyHalt(g: SkyGovernance, caller: ethers.Signer) {
  for (let i = 0; i < DELEGATES.length; i++) await g.delegateVote(i, [g.emspSpbeamHalt.address]);
  const lift = await g.lift(g.emspSpbeamHalt.address);
  const schedule = await mined(g.emspSpbeamHalt.connect(caller).schedule());
  return { lift, schedule };
}

/** A spell that un-halts SPBEAM (File("bad", 0)) after an emergency halt. */
export function unhaltSpbeam(sky: SkySystem): SpellCall[] {
  return [call(sky.spbeam, "file(bytes32,uint256)", b32("bad"), 0)];
}

/**
 * Defence against a scheduled malicious plan: Protego makes a drop spell for it; the delegates lift
 * the drop spell and anyone schedules it (the plan is dropped). With `liftProtego`, the delegates
 * lift Protego itself instead and anyone drops the plan through it.
 */
export async function protegoDrops(g: SkyGovernance, plan: { usr: string; tag: string; fax: string; eta: ethers.BigNumberish }, who: ethers.Signer, opts: { liftProtego?: boolean } = {}) {
  if (opts.liftProtego) {
    for (let i = 0; i < DELEGATES.length; i++) await g.delegateVote(i, [g.protego.address]);
    await g.rally([g.protego.address]); // the attacker locked a little more than the delegates hold
    const lift = await g.lift(g.protego.address);
    const drop = await mined(g.protego.connect(who).drop(plan.usr, plan.tag, plan.fax, plan.eta));
    return { lift, drop, dropSpell: null };
  }
  const deploy = await mined(g.protego.connect(who).deploy(plan.usr, plan.tag, plan.fax, plan.eta));
  const dropSpellAddress = deploy.events!.find((e) => e.event === "Deploy")!.args!.dropSpell as string;
  for (let i = 0; i < DELEGATES.length; i++) await g.delegateVote(i, [dropSpellAddress]);
  await g.rally([dropSpellAddress]); // the attacker locked a little more than the delegates hold
  const lift = await g.lift(dropSpellAddress);
  const dropSpell = attach("EmergencyDropSpell", dropSpellAddress, who);
  const drop = await mined(dropSpell.schedule());
  return { lift, drop, deploy, dropSpell };
}

/**
 * A whale creates its own VoteDelegate (through `factory`: the 2025 one by default) and moves more SKY into it in one transaction than the hat
 * holds, votes for `candidate` and lifts it.
 */
export async function whaleDelegateSwing(g: SkyGovernance, whale: ethers.Signer, candidate: string, factory: ethers.Contract = g.factory) {
  const who = await whale.getAddress();
  const create = await mined(factory.connect(whale).create());
  const vdAddress = create.events!.find((e) => e.event === "CreateVoteDelegate")!.args!.voteDelegate as string;
  const vd = attach("VoteDelegate", vdAddress, whale);
  const hat: string = await g.chief.hat();
  const amount = (await g.chief.approvals(hat)).add(wad("1000000"));
  await g.mintSky(who, ethers.utils.formatEther(amount));
  const sky = attach("SkyGov", await g.chief.gov(), whale);
  await mined(sky.approve(vdAddress, ethers.constants.MaxUint256));
  await mined(vd["vote(address[])"]([candidate]));
  const lock = await mined(vd.lock(amount));
  const lift = await g.lift(candidate, whale);
  return { create, lock, lift, vd, amount };
}

/** The whale leaves: votes for nothing and frees its SKY from its VoteDelegate. */
export async function whaleLeaves(g: SkyGovernance, whale: ethers.Signer, vd: ethers.Contract, amount: ethers.BigNumber) {
  await mined(vd.connect(whale)["vote(address[])"]([]));
  await mined(vd.connect(whale).free(amount));
}

/**
 * The legacy VoteDelegateFactory (VOTE_DELEGATE_FACTORY_LEGACY), OSM_MOM and the global OSM stop
 * emergency spell (EMSP_GLOBAL_OSM_STOP, over two ilks: ETH-A's OSM has the MOM as a ward, WBTC-A's
 * does not, so stopping it fails), added to the ChainLog by a spell. Simplification: our legacy
 * factory is the same contract as the 2025 one (the bot reads only its CreateVoteDelegate event and
 * created()); mainnet's legacy build locks into MCD_ADM_LEGACY.
 */
export async function deployEmergencyExtras(mk: MakerSystem, g: SkyGovernance) {
  const deployer = mk.deployer;
  const me = await deployer.getAddress();
  const legacyFactory = await deployContract(deployer, "VoteDelegateFactory", g.chief.address, me);
  const osmMom = await deployContract(deployer, "OsmMom");
  const ilks = [b32("ETH-A"), b32("WBTC-A")];
  const osms: ethers.Contract[] = [];
  for (const ilk of ilks) {
    const osm = await deployContract(deployer, "OSM", me);
    await mined(osmMom.setOsm(ilk, osm.address));
    osms.push(osm);
  }
  await mined(osms[0]!.rely(osmMom.address)); // WBTC-A's OSM never relied the MOM: its stop fails
  await mined(osmMom.setAuthority(g.chief.address));
  const osmStop = await deployContract(deployer, "MultiOsmStopSpell", osmMom.address, ilks);
  const keys: Record<string, string> = { VOTE_DELEGATE_FACTORY_LEGACY: legacyFactory.address, OSM_MOM: osmMom.address, EMSP_GLOBAL_OSM_STOP: osmStop.address };
  await mk.executeSpell(Object.entries(keys).map(([k, a]) => call(mk.chainlog, "setAddress(bytes32,address)", b32(k), a)), { description: "add the legacy VoteDelegateFactory, OSM_MOM and EMSP_GLOBAL_OSM_STOP to the ChainLog" });
  Object.assign(mk.addresses, keys);
  return { legacyFactory, osmMom, osmStop, osms };
}

/**
 * The global OSM stop: first someone calls its schedule() while it is not the hat (every ilk fails:
 * no authority), then the delegates lift it and anyone schedules it: ETH-A's OSM stops, WBTC-A's
 * fails (Fail).
 */
export async function globalOsmStop(g: SkyGovernance, osmStop: ethers.Contract, caller: ethers.Signer) {
  const early = await mined(osmStop.connect(caller).schedule());
  for (let i = 0; i < DELEGATES.length; i++) await g.delegateVote(i, [osmStop.address]);
  const lift = await g.lift(osmStop.address);
  const schedule = await mined(osmStop.connect(caller).schedule());
  return { early, lift, schedule };
}

/** Let the clock of a scheduled plan run down: the next block is `hoursBefore` hours before its eta. */
export async function runDownTo(mk: MakerSystem, eta: ethers.BigNumberish, hoursBefore: number) {
  const at = Number(eta) - hoursBefore * 3600;
  if (at > (await mk.chain.timestamp())) await mk.chain.setNextBlockTimestamp(at);
  await mk.chain.mine(1);
}
