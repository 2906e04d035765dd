/**
 * Sky's governance since 2025 over a deployed Maker + Sky system (test/contracts/SkyGovernance.sol):
 * the new Chief (SKY), Protego, the SPBEAM halt emergency spell and the VoteDelegateFactory, then
 * the 2025 migration as a spell on the legacy chief: the pause's and the Sky MOMs' authority becomes
 * the new Chief, and the ChainLog names MCD_ADM (new), MCD_ADM_LEGACY, MCD_PROTEGO,
 * VOTE_DELEGATE_FACTORY and EMSP_SPBEAM_HALT. Afterwards `executeSpell` (test/chain/maker) wins
 * through the new Chief: the governance delegates' VoteDelegates vote and lift.
 *
 *   const g = await deploySkyGovernance(chain, mk, sky);
 *   await g.migrate();
 *   await g.normalSpellCycle([call(mk.vat, ...)], { description: "..." });  // voted over days by delegates
 */
import { ethers } from "forta-agent";
import type { AnvilChain } from "./anvil";
import { attach, deployContract, mined } from "./deploy";
import type { MakerSystem } from "./maker";
import { call, executeSpell, setLiftDriver, withPauseProxy, type SpellCall, type SpellResult } from "./maker/governance";
import type { SkySystem } from "./sky";
import { b32, wad } from "./units";

/** The governance delegates (impersonated, so no dev account is taken from other scenes). */
export const DELEGATES = ["0x000000000000000000000000000000000de1e001", "0x000000000000000000000000000000000de1e002", "0x000000000000000000000000000000000de1e003"];
/** SKY each delegate's VoteDelegate holds: together 1.2B SKY, above the 960M SKY (40,000 MKR) hat minimum. */
export const DELEGATE_SKY = ["500000000", "400000000", "300000000"];
const LAUNCH_THRESHOLD = "1000000";
const LIFT_COOLDOWN = 10;

export interface SkyGovernance {
  chief: ethers.Contract;
  legacyChief: ethers.Contract;
  protego: ethers.Contract;
  emspSpbeamHalt: ethers.Contract;
  factory: ethers.Contract;
  /** the delegates' VoteDelegates, in DELEGATES order (after migrate) */
  voteDelegates: ethers.Contract[];
  addresses: Record<string, string>;
  migrate(): Promise<SpellResult>;
  /** SKY minted (by the pause proxy, SKY's ward) to `to` */
  mintSky(to: string, amount: string): Promise<void>;
  /** a delegate (index in DELEGATES) votes its VoteDelegate's weight for `yays` */
  delegateVote(i: number, yays: string[]): Promise<ethers.ContractReceipt>;
  /** the Chief's launch voter (the deployer) locks `amount` more SKY straight into the Chief and votes for `yays` */
  rally(yays: string[], amount?: string): Promise<ethers.ContractReceipt>;
  /** lift `whom` (waits out the lift cooldown) */
  lift(whom: string, from?: ethers.Signer): Promise<ethers.ContractReceipt>;
  /** an ordinary executive: deployed, voted by the delegates one a day (keeping the hat in their slates), lifted, scheduled, cast after the delay */
  normalSpellCycle(calls: SpellCall[], opts?: { description?: string; daysBetweenVotes?: number }): Promise<SpellResult & { votes: ethers.ContractReceipt[] }>;
}

export async function deploySkyGovernance(chain: AnvilChain, mk: MakerSystem, sky: SkySystem): Promise<SkyGovernance> {
  const deployer = mk.deployer;
  const d = (name: string, ...args: unknown[]) => deployContract(deployer, name, ...args);
  const chief = await d("SkyChief", sky.sky.address, 5, wad(LAUNCH_THRESHOLD), LIFT_COOLDOWN);
  const protego = await d("Protego", mk.pause.address);
  const emspSpbeamHalt = await d("SPBEAMHaltSpell", sky.spbeamMom.address, sky.spbeam.address);
  const factory = await d("VoteDelegateFactory", chief.address, await deployer.getAddress());
  const addresses: Record<string, string> = {
    MCD_ADM: chief.address,
    MCD_ADM_LEGACY: mk.chief.address,
    MCD_PROTEGO: protego.address,
    VOTE_DELEGATE_FACTORY: factory.address,
    EMSP_SPBEAM_HALT: emspSpbeamHalt.address,
  };
  const voteDelegates: ethers.Contract[] = [];

  const mintSky = async (to: string, amount: string) => {
    await withPauseProxy(chain, mk.pauseProxy.address, (px) => mined(sky.sky.connect(px).mint(to, wad(amount))));
  };
  const asDelegate = async <T>(i: number, fn: (s: ethers.providers.JsonRpcSigner) => Promise<T>): Promise<T> => {
    const s = await chain.impersonate(DELEGATES[i]!);
    try {
      return await fn(s);
    } finally {
      await chain.stopImpersonating(DELEGATES[i]!);
    }
  };
  const lift = async (whom: string, from: ethers.Signer = deployer) => {
    const last = Number(await chief.last());
    const next = (await chain.blockNumber()) + 1;
    if (next !== last && next <= last + LIFT_COOLDOWN) await chain.mine(last + LIFT_COOLDOWN + 1 - next);
    return mined(chief.connect(from).lift(whom));
  };
  const delegateVote = (i: number, yays: string[]) =>
    asDelegate(i, (s) => mined(voteDelegates[i]!.connect(s)["vote(address[])"]([...yays].sort((a, b) => (a.toLowerCase() < b.toLowerCase() ? -1 : 1)))));

  // launch the new Chief: weight on the empty hat (address(0)) above the threshold, then launch()
  const me = await deployer.getAddress();
  await mintSky(me, LAUNCH_THRESHOLD);
  await mined(sky.sky.connect(deployer).approve(chief.address, ethers.constants.MaxUint256));
  await mined(chief.lock(wad(LAUNCH_THRESHOLD)));
  await mined(chief["vote(address[])"]([ethers.constants.AddressZero]));
  await mined(chief.launch());

  const g: SkyGovernance = {
    chief, legacyChief: mk.chief, protego, emspSpbeamHalt, factory, voteDelegates, addresses, mintSky, delegateVote, lift,
    async rally(yays, amount = "10000000") {
      await mintSky(me, amount);
      await mined(chief.lock(wad(amount)));
      return mined(chief["vote(address[])"]([...yays].sort((a, b) => (a.toLowerCase() < b.toLowerCase() ? -1 : 1))));
    },
    async migrate() {
      // the delegates' VoteDelegates, funded, behind no spell yet
      for (let i = 0; i < DELEGATES.length; i++) {
        const vd = await asDelegate(i, async (s) => {
          const r = await mined(factory.connect(s).create());
          const ev = r.events?.find((e) => e.event === "CreateVoteDelegate");
          return attach("VoteDelegate", ev!.args!.voteDelegate as string, s);
        });
        voteDelegates.push(vd);
        await mintSky(DELEGATES[i]!, DELEGATE_SKY[i]!);
        await asDelegate(i, async (s) => {
          await mined(sky.sky.connect(s).approve(vd.address, ethers.constants.MaxUint256));
          await mined(vd.connect(s).lock(wad(DELEGATE_SKY[i]!)));
        });
      }
      const calls: SpellCall[] = [
        call(mk.pause, "setAuthority(address)", chief.address),
        call(sky.spbeamMom, "setAuthority(address)", chief.address),
        call(sky.stusdsMom, "setAuthority(address)", chief.address),
        ...Object.entries(addresses).map(([k, a]) => call(mk.chainlog, "setAddress(bytes32,address)", b32(k), a)),
      ];
      const result = await executeSpell(mk, calls, { description: "devnet: governance moves to the new Chief (MigrationInit)" });
      Object.assign(mk.addresses, addresses);
      // from now on executeSpell wins on the new Chief: the delegates vote, the deployer lifts
      setLiftDriver(mk, async (spell) => {
        for (let i = 0; i < DELEGATES.length; i++) await delegateVote(i, [spell]);
        return lift(spell);
      });
      return result;
    },
    async normalSpellCycle(calls, opts = {}) {
      const days = opts.daysBetweenVotes ?? 1;
      const action = (await deployContract(deployer, "SpellAction")).address;
      const actionIface = new ethers.utils.Interface(["function execute(address[] targets, bytes[] datas)"]);
      const sig = actionIface.encodeFunctionData("execute", [calls.map((c) => c.to), calls.map((c) => c.data)]);
      const spell = await deployContract(deployer, "DssSpell", mk.pause.address, action, sig, opts.description ?? "Vigil test spell", (await chain.timestamp()) + 30 * 24 * 3600);
      const hat: string = await chief.hat();
      const votes: ethers.ContractReceipt[] = [];
      for (let i = 0; i < DELEGATES.length; i++) {
        if (i > 0) await chain.increaseTime(days * 24 * 3600);
        // the first delegates add it beside the hat; the last moves to it alone, so that it passes the hat
        const keepHat = hat !== ethers.constants.AddressZero && i < DELEGATES.length - 1;
        votes.push(await delegateVote(i, keepHat ? [hat, spell.address] : [spell.address]));
      }
      const liftReceipt = await lift(spell.address);
      const schedule = await mined(spell.connect(deployer).schedule());
      const eta = Number(await spell.eta());
      await chain.setNextBlockTimestamp(Math.max(eta, (await chain.timestamp()) + 1));
      const cast = await mined(spell.connect(deployer).cast({ gasLimit: 15_000_000 }));
      // the delegates move to the new hat alone (the old one leaves their slates)
      for (let i = 0; i < DELEGATES.length; i++) await delegateVote(i, [spell.address]);
      return { spell, action, eta, votes, receipts: { lift: liftReceipt, schedule, cast } };
    },
  };
  return g;
}
