/**
 * What every maker-governance watcher is built from: the context, the configuration, the address
 * book, the state they share (the chief followed, its token and hat, the plans seen plotted, the hat
 * episodes) and the readers they all use. Built once in createAgent.
 */
import type { TransactionEvent } from "forta-agent";
import { DS_CHIEF_IFACE } from "../../../shared/abi";
import type { BotContext } from "../../../shared/bot";
import type { EpisodeState } from "../../../shared/episodes";
import type { BlockRef } from "../../../shared/findings";
import { CallerAttribution, emptyPlans, type PlansState, type TxCallers } from "../../../shared/maker/callers";
import { AddressBook } from "../../../shared/maker/chainlog";
import { SpellRegistry, type SpellOrigin } from "../../../shared/maker/governance";
import { formatAmount, fromWad } from "../../../shared/math";
import { CallRevertedError } from "../../../shared/rpc/errors";
import { contract } from "../../../shared/rpc/contract";
import { ethers } from "forta-agent";
import { loadConfig, type GovernanceConfig } from "./config";
import { decodeSymbol, type ApprovalsLevel } from "./detectors";
import { createVetting, emptySkyState, type Vetting } from "./vetting";

export const ZERO = ethers.constants.AddressZero;
const DESCRIPTION_IFACE = new ethers.utils.Interface(["function description() view returns (string)"]);
/** symbol() */
const SYMBOL_SELECTOR = "0x95d89b41";

/** A plan seen plotted, kept until it is executed or dropped. */
export interface PlanRecord {
  usr: string;
  eta: string;
  plotter: string;
  known: boolean;
  block: number;
  txHash: string;
}

export interface GovState {
  /** the chief the next three fields describe */
  chief: string | null;
  /** the chief's governance token (GOV()) */
  gov: string | null;
  /** its symbol() (null: unreadable, taken as MKR); undefined in state saved before it was kept */
  govSymbol?: string | null;
  /** the hat as of the last lift processed (for "previous hat") */
  hat: string | null;
  plans: Record<string, PlanRecord>;
  approvals: EpisodeState<ApprovalsLevel>;
  unknownHat: EpisodeState<"unknown">;
  /** chief -> the unknown hat its open episode is about */
  unknownHatOf: Record<string, string>;
  /** chief -> first block at which its hat was seen below the threshold (grace period running) */
  lowSince: Record<string, number>;
  /** chief -> the hat whose grace period `lowSince` is about (a new hat restarts it) */
  lowHat?: Record<string, string>;
}

export interface GovDeps {
  ctx: BotContext;
  config: GovernanceConfig;
  book: AddressBook;
  state: GovState;
  spells: SpellRegistry;
  callers: CallerAttribution;
  chiefReader(chief: string): ReturnType<typeof contract>;
  /** a wad as a decimal for people */
  tokens(wad: bigint | string): string;
  /** a spell's description() ("" when it has none) */
  descriptionOf(address: string, block: number): Promise<string>;
  /** the governance token's symbol (null: unreadable, taken as MKR) */
  readSymbol(token: string, block: number): Promise<string | null>;
  /** the new Chief's vetting (vetting.ts) */
  vetting: Vetting;
  /** a known spell: configured (allow-list, deployers) or, on the new Chief, vetted from the chain */
  knownSpell(address: string, block: BlockRef): Promise<SpellOrigin | null>;
}

/** What every watcher of one transaction shares, computed once before them. */
export interface TxScope {
  block: BlockRef;
  /** MCD_PAUSE before this transaction's ChainLog updates */
  pauseBefore: string | undefined;
  /** the ChainLog re-pointed or removed MCD_ADM in this transaction */
  chiefRepointed: boolean;
  /** who made a change (shared/maker/callers.ts), observed first thing */
  callers: TxCallers;
  tx: TransactionEvent;
}

/** The ChainLog keys this bot follows: the chiefs, the pause, Protego, the VoteDelegateFactories (configured keys), EMSPs and MOMs. */
export function bookKeys(factoryKeys: readonly string[]): RegExp {
  const factories = factoryKeys.map((k) => k.replace(/[^A-Za-z0-9_]/g, (c) => `\\${c}`)).join("|");
  return new RegExp(`^(MCD_(ADM|ADM_LEGACY|PAUSE|PAUSE_PROXY|PROTEGO)|${factories ? `${factories}|` : ""}EMSP_[A-Z0-9_]+|[A-Z0-9_]+_MOM)$`);
}

export function govDeps(ctx: BotContext): GovDeps {
  const config = loadConfig(ctx.env);
  const bookOpts = { keep: bookKeys(config.voteDelegateFactories) };
  const book = AddressBook.attach(ctx.persistent("chainlog", () => AddressBook.emptyState(config.chainlog, bookOpts)), config.chainlog, bookOpts);
  const state = ctx.persistent<GovState>("governance", () => ({ chief: null, gov: null, hat: null, plans: {}, approvals: {}, unknownHat: {}, unknownHatOf: {}, lowSince: {}, lowHat: {} }));
  const spells = new SpellRegistry({ deployers: config.spellDeployers, allowList: config.knownSpells });
  // who changed a pause setting (shared/maker/attribution.ts); observed first thing in each transaction
  const callers = new CallerAttribution({ rpc: ctx.rpc, book, plans: ctx.persistent<PlansState>("governance-plans", emptyPlans), spells });

  async function descriptionOf(address: string, block: number): Promise<string> {
    try {
      const out = await contract(ctx.rpc, address, DESCRIPTION_IFACE, "spell").tryRead("description", [], block);
      return out ? String(out[0]).slice(0, 200) : "";
    } catch {
      return ""; // an account without code, or a contract without description(): nothing to name
    }
  }

  /**
   * The governance token's symbol: SKY's approvals are scaled to MKR for the thresholds. A token
   * that reverts or answers something that is no symbol counts as MKR (logged); a node failure
   * propagates (the block is retried), so a passing fault never fixes the wrong unit in state.
   */
  async function readSymbol(token: string, block: number): Promise<string | null> {
    try {
      const symbol = decodeSymbol(await ctx.rpc.call({ to: token, data: SYMBOL_SELECTOR }, block));
      if (symbol === null) ctx.log.warn({ token, block }, "the chief's governance token answers symbol() with no readable symbol: approvals are taken as MKR");
      return symbol;
    } catch (err) {
      if (!(err instanceof CallRevertedError)) throw err;
      ctx.log.warn({ token, block }, "the chief's governance token has no symbol(): approvals are taken as MKR");
      return null;
    }
  }

  const vetting = createVetting(ctx, config, book, ctx.persistent("sky-governance", emptySkyState));
  return {
    vetting,
    knownSpell: async (address, block) => (await spells.origin(ctx.rpc, address, block.number)) ?? (address === ZERO ? null : vetting.known(address, block)),
    ctx,
    config,
    book,
    state,
    spells,
    callers,
    chiefReader: (chief) => contract(ctx.rpc, chief, DS_CHIEF_IFACE, "Chief"),
    tokens: (wad) => formatAmount(fromWad(wad.toString())),
    descriptionOf,
    readSymbol,
  };
}
