/**
 * Governance helpers: act as the pause proxy directly, or run a spell through the whole
 * chief -> pause -> proxy path exactly as mainnet does it.
 */
import { ethers } from "forta-agent";
import type { AnvilChain } from "../anvil";
import { deployContract, mined } from "../deploy";
import { VigilError } from "../../../shared/errors";
import type { MakerSystem } from "../maker";

/** One call a spell makes from the pause proxy. Build it with `call(contract, method, ...args)`. */
export interface SpellCall {
  to: string;
  data: string;
  /** For error messages: "Vat.file(bytes32,uint256)". */
  label?: string;
}

/** `call(mk.vat, "file(bytes32,uint256)", b32("Line"), rad("1e9"))`: use full signatures for overloaded functions. */
export function call(contract: ethers.Contract, method: string, ...args: unknown[]): SpellCall {
  return { to: contract.address, data: contract.interface.encodeFunctionData(method, args), label: method };
}

export interface SpellResult {
  spell: ethers.Contract;
  /** The SpellAction the pause proxy delegatecalls into. */
  action: string;
  /** When the plan became executable (unix seconds); the cast was mined at this timestamp. */
  eta: number;
  receipts: { lift: ethers.ContractReceipt; schedule: ethers.ContractReceipt; cast: ethers.ContractReceipt };
}

/** A spell could not be executed; the message names the step and, for a failing call, which one and why. */
export class SpellError extends VigilError<"SPELL"> {
  constructor(message: string, options?: { cause?: unknown }) {
    super("SPELL", message, options);
  }
}

// Nested or concurrent impersonations of the same address share one anvil impersonation.
const impersonating = new Map<string, number>();

export async function withPauseProxy<T>(
  chain: AnvilChain,
  proxy: string,
  fn: (signer: ethers.providers.JsonRpcSigner) => Promise<T>,
): Promise<T> {
  const key = `${chain.url}|${proxy.toLowerCase()}`;
  impersonating.set(key, (impersonating.get(key) ?? 0) + 1);
  const signer = await chain.impersonate(proxy);
  try {
    return await fn(signer);
  } finally {
    const n = (impersonating.get(key) ?? 1) - 1;
    if (n === 0) {
      impersonating.delete(key);
      await chain.stopImpersonating(proxy);
    } else impersonating.set(key, n);
  }
}

function revertReason(err: unknown): string {
  const e = err as { reason?: string; error?: { message?: string }; message?: string };
  return e.reason ?? e.error?.message ?? e.message ?? String(err);
}

/**
 * Find which call of a failed spell reverts and why: replay the calls one by one from the
 * impersonated pause proxy inside a snapshot (the proxy's delegatecall hides the reason).
 */
async function diagnose(mk: MakerSystem, calls: SpellCall[]): Promise<string> {
  const snap = await mk.chain.snapshot();
  try {
    return await withPauseProxy(mk.chain, mk.pauseProxy.address, async (proxy) => {
      for (let i = 0; i < calls.length; i++) {
        try {
          await mined(proxy.sendTransaction({ to: calls[i].to, data: calls[i].data }));
        } catch (err) {
          return `call #${i} ${calls[i].label ?? ""} to ${calls[i].to} reverts: ${revertReason(err)}`;
        }
      }
      return "every call succeeds on its own; the spell itself failed";
    });
  } finally {
    await mk.chain.revert(snap);
  }
}

/**
 * After governance moved to another chief (test/chain/sky-governance.ts migrates to the 2025 Chief),
 * how a spell wins there: executeSpell then votes and lifts through it.
 */
const liftDrivers = new WeakMap<MakerSystem, (spell: string, voter: ethers.Signer) => Promise<ethers.ContractReceipt>>();

export function setLiftDriver(mk: MakerSystem, driver: (spell: string, voter: ethers.Signer) => Promise<ethers.ContractReceipt>): void {
  liftDrivers.set(mk, driver);
}

async function liftOnLegacyChief(mk: MakerSystem, spell: ethers.Contract, voter: ethers.Signer): Promise<ethers.ContractReceipt> {
  const voterAddress = await voter.getAddress();
  const chief = mk.chief.connect(voter);
  // Enough weight to beat the current hat: lock (minting if needed) so deposits exceed its approvals.
  const hat: string = await chief.hat();
  const hatApprovals: ethers.BigNumber = await chief.approvals(hat);
  const deposits: ethers.BigNumber = await chief.deposits(voterAddress);
  if (deposits.lte(hatApprovals)) {
    const need = hatApprovals.sub(deposits).add(ethers.constants.WeiPerEther);
    const balance: ethers.BigNumber = await mk.gov.balanceOf(voterAddress);
    if (balance.lt(need)) {
      await mk.asPauseProxy((p) => mined(mk.gov.connect(p)["mint(address,uint256)"](voterAddress, need.sub(balance))));
    }
    await mined(mk.gov.connect(voter)["approve(address,uint256)"](mk.chief.address, ethers.constants.MaxUint256));
    await mined(mk.iou.connect(voter)["approve(address,uint256)"](mk.chief.address, ethers.constants.MaxUint256));
    await mined(chief.lock(need));
  }
  await mined(chief["vote(address[])"]([spell.address]));
  return mined(chief.lift(spell.address));
}

export async function executeSpell(
  mk: MakerSystem,
  calls: SpellCall[],
  opts: { description?: string; voter?: ethers.Signer } = {},
): Promise<SpellResult> {
  const voter = opts.voter ?? mk.deployer;

  // A fresh SpellAction per spell (as on mainnet): a cached one would not survive evm_revert.
  const action = (await deployContract(mk.deployer, "SpellAction")).address;
  const actionIface = new ethers.utils.Interface(["function execute(address[] targets, bytes[] datas)"]);
  const sig = actionIface.encodeFunctionData("execute", [calls.map((c) => c.to), calls.map((c) => c.data)]);
  const expiration = (await mk.chain.timestamp()) + 30 * 24 * 3600;
  const spell = await deployContract(voter, "DssSpell", mk.pause.address, action, sig, opts.description ?? "Vigil test spell", expiration);

  const driver = liftDrivers.get(mk);
  const lift = driver ? await driver(spell.address, voter) : await liftOnLegacyChief(mk, spell, voter);

  let schedule: ethers.ContractReceipt;
  try {
    schedule = await mined(spell.connect(voter).schedule());
  } catch (err) {
    throw new SpellError(`executeSpell: schedule() failed: ${revertReason(err)}`, { cause: err });
  }
  const eta = Number(await spell.eta());
  await mk.chain.setNextBlockTimestamp(Math.max(eta, (await mk.chain.timestamp()) + 1));
  let cast: ethers.ContractReceipt;
  try {
    cast = await mined(spell.connect(voter).cast({ gasLimit: 15_000_000 }));
  } catch (err) {
    throw new SpellError(`executeSpell: cast() failed: ${await diagnose(mk, calls)}`, { cause: err });
  }
  return { spell, action, eta, receipts: { lift, schedule, cast } };
}
