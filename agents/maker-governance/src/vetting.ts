/**
 * Vetting on the new Chief: gathers the facts spell-class.ts judges (the candidate's getters, what
 * the ChainLog says it is, its deployer's history, the campaign the bot saw) and keeps the verdicts,
 * so that the hat, plot and exec alerts count a spell vetted from the chain as known
 * (`knownSpell`). State under ctx.persistent("sky-governance").
 */
import { ethers } from "forta-agent";
import type { BotContext } from "../../../shared/bot";
import type { EpisodeState } from "../../../shared/episodes";
import type { AddressBook } from "../../../shared/maker/chainlog";
import { SpellRegistry, type SpellOrigin } from "../../../shared/maker/governance";
import { dec } from "../../../shared/math";
import { contract } from "../../../shared/rpc/contract";
import type { GovernanceConfig } from "./config";
import { classifySpell, type Campaign, type SpellFacts, type SpellShape, type Verdict } from "./spell-class";

export interface SkyState {
  /** chief -> its shape ("new": the 2025 Chief, whose campaign and lifts are judged here) */
  chiefKind: Record<string, "new" | "legacy">;
  /** address -> the verdict when it was judged (at its lift, or when first asked) */
  verdicts: Record<string, { class: string; vetted: boolean; severity: string; reasons: string; block: number }>;
  /** candidate -> first vote seen (unix time) and its voters (their current slate holds it) */
  campaigns: Record<string, { first: number; voters: Record<string, 1> }>;
  /** slate -> its yays (from Etch) */
  slates: Record<string, string[]>;
  /** voter -> the slate it voted last */
  voterSlate: Record<string, string>;
  /** accounts that cast a vetted spell's plan (their CREATE addresses have a history) */
  learned: string[];
  overHat: EpisodeState<"over">;
}

export const emptySkyState = (): SkyState => ({ chiefKind: {}, verdicts: {}, campaigns: {}, slates: {}, voterSlate: {}, learned: [], overHat: {} });

const GETTERS = new ethers.utils.Interface([
  "function pause() view returns (address)",
  "function action() view returns (address)",
  "function tag() view returns (bytes32)",
  "function expiration() view returns (uint256)",
  "function done() view returns (bool)",
  "function description() view returns (string)",
  "function launchThreshold() view returns (uint256)",
  "function created(address) view returns (uint256)",
  "function deposits(address) view returns (uint256)",
  "function approvals(address) view returns (uint256)",
  "function hat() view returns (address)",
]);

/** Keep at most this many campaigns and verdicts (oldest first out). */
const MAX_ENTRIES = 300;

export interface Vetting {
  state: SkyState;
  isNewChief(chief: string, block: number): Promise<boolean>;
  /** whether `isNewChief` already read this chief (its first transaction reads it: see agent.ts' wantsTransaction) */
  knowsChief(chief: string): boolean;
  /** judge `address` now (a lift, a candidate passing the hat); the verdict is kept */
  judge(address: string, block: { number: number; timestamp: number }, configured: boolean): Promise<{ verdict: Verdict; facts: SpellFacts }>;
  /** a vetted verdict as a spell origin for the hat/plot/exec alerts (judged on demand on the new Chief) */
  known(address: string, block: { number: number; timestamp: number }): Promise<SpellOrigin | null>;
  /** the read-only call helper the watchers share */
  read(address: string, fn: string, args: unknown[], block: number): Promise<ethers.utils.Result | null>;
  isDelegate(address: string, block: number): Promise<boolean>;
  emspOf(address: string, block: number): Promise<string | null>;
  isDropSpell(address: string, block: number): Promise<boolean>;
  /** note a voter's new slate (Vote), at `time` */
  vote(voter: string, slate: string, time: number): string[];
  learn(account: string): void;
}

export function createVetting(ctx: BotContext, config: GovernanceConfig, book: AddressBook, state: SkyState): Vetting {
  const registries = new Map<string, SpellRegistry>();
  const registry = (deployers: string[]) => {
    const k = deployers.join(",");
    let r = registries.get(k);
    if (!r) registries.set(k, (r = new SpellRegistry({ deployers, allowList: [] })));
    return r;
  };
  const thresholds = {
    minCampaignSeconds: Number(config.minCampaignHours.times(3600).integerValue().toFixed()),
    minSupporters: config.minSupporters,
    minDelegateShare: config.minDelegateShare,
  };

  async function code(address: string, block: number): Promise<string> {
    const c = await ctx.rpc.request<string>("eth_getCode", [address, ethers.utils.hexValue(block)]);
    return typeof c === "string" ? c : "0x";
  }

  async function read(address: string, fn: string, args: unknown[], block: number): Promise<ethers.utils.Result | null> {
    try {
      return await contract(ctx.rpc, address, GETTERS, "spell").tryRead(fn, args, block);
    } catch (err) {
      if (err instanceof Error && /decode|call exception|CALL_EXCEPTION|BUFFER_OVERRUN/i.test(err.message)) return null; // no such getter (an empty answer)
      throw err;
    }
  }

  async function shapeOf(address: string, block: number): Promise<SpellShape> {
    const own = await code(address, block);
    if (own === "0x") return { hasCode: false, pauseMatches: null, actionHasCode: null, tagMatches: null, expiration: null, done: null, description: "" };
    const [pause, action, tag, expiration, done, description] = await Promise.all(["pause", "action", "tag", "expiration", "done", "description"].map((f) => read(address, f, [], block)));
    const actionAddr = action ? String(action[0]).toLowerCase() : null;
    const actionCode = actionAddr ? await code(actionAddr, block) : null;
    return {
      hasCode: true,
      pauseMatches: pause ? String(pause[0]).toLowerCase() === book.tryGetAddress("MCD_PAUSE") : null,
      actionHasCode: actionCode === null ? null : actionCode !== "0x",
      tagMatches: tag && actionCode ? String(tag[0]).toLowerCase() === ethers.utils.keccak256(actionCode).toLowerCase() : null,
      expiration: expiration ? String(expiration[0]) : null,
      done: done ? Boolean(done[0]) : null,
      description: description ? String(description[0]).slice(0, 200) : "",
    };
  }

  /** made by one of the VoteDelegateFactories (SKY_GOV_VOTE_DELEGATE_FACTORY_KEYS: the new one and the legacy one) */
  async function isDelegate(address: string, block: number): Promise<boolean> {
    const factories = [...new Set(config.voteDelegateFactories.map((k) => book.tryGetAddress(k)).filter((a): a is string => !!a))];
    const answers = await Promise.all(factories.map((f) => read(f, "created", [address], block)));
    return answers.some((r) => !!r && String(r[0]) === "1");
  }

  async function emspOf(address: string, block: number): Promise<string | null> {
    const a = address.toLowerCase();
    const spells = book.matching(/^EMSP_/);
    const direct = spells.find((e) => e.address === a && !e.key.endsWith("_FAB"));
    if (direct) return direct.key;
    const fabs = spells.filter((e) => e.key.endsWith("_FAB"));
    if (!fabs.length) return null;
    const origin = await registry(fabs.map((f) => f.address)).origin(ctx.rpc, a, block);
    if (origin?.how !== "deployer") return null;
    return `a spell of ${fabs.find((f) => f.address === origin.deployer)!.key}`;
  }

  async function isDropSpell(address: string, block: number): Promise<boolean> {
    const protego = book.tryGetAddress("MCD_PROTEGO");
    return !!protego && (await registry([protego]).origin(ctx.rpc, address, block)) !== null;
  }

  async function campaignOf(address: string, chief: string, block: number): Promise<Campaign> {
    const c = state.campaigns[address];
    if (!c) return { observed: false, firstSupport: null, supporters: 0, delegateSupporters: 0, delegateShare: null };
    const voters = Object.keys(c.voters);
    const [flags, deposits, approvals] = await Promise.all([
      Promise.all(voters.map((v) => isDelegate(v, block))),
      Promise.all(voters.map((v) => read(chief, "deposits", [v], block))),
      read(chief, "approvals", [address], block),
    ]);
    const inDelegates = voters.reduce((s, _v, i) => (flags[i] ? s.plus(String(deposits[i]?.[0] ?? 0)) : s), dec(0));
    const total = dec(String(approvals?.[0] ?? 0));
    return {
      observed: true,
      firstSupport: c.first,
      supporters: voters.length,
      delegateSupporters: flags.filter(Boolean).length,
      delegateShare: total.gt(0) ? inDelegates.div(total) : dec(0),
    };
  }

  function knowsChief(chief: string): boolean {
    return state.chiefKind[chief] !== undefined;
  }

  async function isNewChief(chief: string, block: number): Promise<boolean> {
    if (!state.chiefKind[chief]) state.chiefKind[chief] = (await read(chief, "launchThreshold", [], block)) ? "new" : "legacy";
    return state.chiefKind[chief] === "new";
  }

  function prune<T>(rec: Record<string, T>): void {
    const keys = Object.keys(rec);
    for (const k of keys.slice(0, Math.max(0, keys.length - MAX_ENTRIES))) delete rec[k];
  }

  async function judge(address: string, block: { number: number; timestamp: number }, configured: boolean) {
    const a = address.toLowerCase();
    const chief = book.tryGetAddress("MCD_ADM") ?? "";
    const [emsp, dropSpell, shape, campaign, learned] = await Promise.all([
      emspOf(a, block.number),
      isDropSpell(a, block.number),
      shapeOf(a, block.number),
      campaignOf(a, chief, block.number),
      state.learned.length ? registry(state.learned).origin(ctx.rpc, a, block.number) : Promise.resolve(null),
    ]);
    const facts: SpellFacts = { configured, emsp, protego: a === book.tryGetAddress("MCD_PROTEGO"), dropSpell, shape, campaign, learnedDeployer: learned !== null, now: block.timestamp };
    const verdict = classifySpell(facts, thresholds);
    state.verdicts[a] = { class: verdict.class, vetted: verdict.vetted, severity: String(verdict.severity), reasons: verdict.reasons.join("; "), block: block.number };
    prune(state.verdicts);
    return { verdict, facts };
  }

  return {
    state,
    isNewChief,
    knowsChief,
    judge,
    read,
    isDelegate,
    emspOf,
    isDropSpell,
    async known(address, block) {
      const a = address.toLowerCase();
      let v = state.verdicts[a];
      const chief = book.tryGetAddress("MCD_ADM");
      if (!v && chief && (await isNewChief(chief, block.number))) {
        await judge(a, block, false);
        v = state.verdicts[a];
      }
      return v?.vetted ? { how: "vetted", reason: `${v.class}: ${v.reasons}` } : null;
    },
    vote(voter, slate, time) {
      const before = state.slates[state.voterSlate[voter] ?? ""] ?? [];
      for (const c of before) delete state.campaigns[c]?.voters[voter];
      state.voterSlate[voter] = slate;
      const yays = state.slates[slate] ?? [];
      for (const c of yays) {
        const camp = (state.campaigns[c] ??= { first: time, voters: {} });
        camp.voters[voter] = 1;
      }
      prune(state.campaigns);
      return yays;
    },
    learn(account) {
      const a = account.toLowerCase();
      if (!state.learned.includes(a)) state.learned.push(a);
      if (state.learned.length > 20) state.learned.shift();
    },
  };
}
