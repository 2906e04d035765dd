/**
 * maker-auth: admin rights on every Maker (Sky) contract in the ChainLog.
 *
 * - rely/deny in every event style (named Rely/Deny, LibNote, the Vat's note, ds-note) and ds-auth
 *   owner/authority changes, on every address the ChainLog holds, including keys added later:
 *   Critical when governance (the pause proxy) did not make the change, Info when it did, High when
 *   the governance plan that made it is not a known spell's.
 * - ChainLog UpdateAddress/RemoveAddress (core keys High whether added, re-pointed or removed, others
 *   Info, Critical outside governance)
 *   and UpdateVersion (Info). The bot's own address book follows them.
 * Per transaction it only decodes logs: no call unless a plan execution has to be vouched for
 * (a known-spell check: one batched eth_getTransactionCount of the spell deployers).
 */
import type { Finding, TransactionEvent } from "forta-agent";
import { PAUSE_NOTES } from "../../../shared/abi";
import { blockRefOf, fortaContext, lazyAgent, type Agent, type BotContext } from "../../../shared/bot";
import { createFinding, logKey, type BlockRef } from "../../../shared/findings";
import { undecodableLogFinding, type UndecodableLog } from "../../../shared/logs";
import { AddressBook, type AddressBookChange } from "../../../shared/maker/chainlog";
import { SpellRegistry, describeOrigin, pausePlanOf, type SpellOrigin } from "../../../shared/maker/governance";
import { followChainlog, readNotes } from "../../../shared/maker/tx";
import { ALERTS } from "./alerts";
import { attribute, execTrusted, type Attribution, type ExecNote, type TxGovernance } from "./attribution";
import { loadConfig } from "./config";
import { chainlogAlertKind, chainlogChangeKind, isCoreKey } from "./detectors";
import { WARD_TOPICS, WardDecodeError, wardChangeOf, type WardChange } from "./wards";

export const BOT = "maker-auth";

interface State {
  /** plans seen plotted on MCD_PAUSE, by plan hash: who scheduled them (kept until exec or drop) */
  plans: Record<string, { plotter: string; block: number }>;
}

/** Keep at most this many plotted plans (oldest dropped first). */
const MAX_PLANS = 500;

const VERB: Record<WardChange["action"], string> = {
  rely: "admin rights granted to",
  deny: "admin rights revoked from",
  setOwner: "owner set to",
  setAuthority: "authority set to",
};

export function createAgent(ctx: BotContext): Agent {
  const cfg = loadConfig(ctx.env);
  const book = AddressBook.attach(ctx.persistent("chainlog", () => AddressBook.emptyState(cfg.chainlog)), cfg.chainlog);
  const state = ctx.persistent<State>("auth", () => ({ plans: {} }));
  const spells = new SpellRegistry({ deployers: cfg.spellDeployers, allowList: cfg.knownSpells });

  // address -> ChainLog keys; derived from the book (persistent), rebuilt when it changes
  let index: Map<string, string[]> | null = null;
  function keysIndex(): Map<string, string[]> {
    if (!index) {
      index = new Map();
      for (const e of book.entries()) index.set(e.address, [...(index.get(e.address) ?? []), e.key]);
      if (!index.has(book.chainlog)) index.set(book.chainlog, ["CHANGELOG"]);
    }
    return index;
  }

  function keysOf(address: string, before: Map<string, string[]>): string[] {
    return keysIndex().get(address) ?? before.get(address) ?? [];
  }

  async function handleTransaction(tx: TransactionEvent): Promise<Finding[]> {
    const block = blockRefOf(tx);
    const pause = book.tryGetAddress("MCD_PAUSE") ?? null;
    const proxy = book.tryGetAddress("MCD_PAUSE_PROXY") ?? null;
    const before = keysIndex();
    const followed = followChainlog(book, tx);
    if (followed.changes.some((c) => c.kind !== "version")) index = null;
    const after = keysIndex();
    const undecodable: UndecodableLog[] = [...followed.undecodable];

    // the pause's plans: who scheduled them (plot), which ran here (exec)
    const pauseNotes = pause ? readNotes(tx.logs, PAUSE_NOTES, pause) : { notes: [], undecodable: [] };
    undecodable.push(...pauseNotes.undecodable);
    const execNotes: { logIndex: number; caller: string; planHash: string; usr: string }[] = [];
    const finished: string[] = [];
    for (const n of pauseNotes.notes) {
      const plan = pausePlanOf(n);
      if (!plan) continue;
      if (n.name === "plot") state.plans[plan.hash] = { plotter: n.caller!, block: block.number };
      else {
        finished.push(plan.hash);
        if (n.name === "exec") execNotes.push({ logIndex: n.logIndex, caller: n.caller!, planHash: plan.hash, usr: plan.usr });
      }
    }

    // rights changes on any ChainLog contract (as the ChainLog stood before or after this transaction)
    const changes: WardChange[] = [];
    for (const log of tx.logs) {
      const address = log.address.toLowerCase();
      if (!WARD_TOPICS.has(String(log.topics[0] ?? "").toLowerCase())) continue;
      if (!after.has(address) && !before.has(address)) continue;
      try {
        const c = wardChangeOf(log);
        if (c) changes.push(c);
      } catch (err) {
        if (!(err instanceof WardDecodeError)) throw err;
        undecodable.push({ address, logIndex: log.logIndex, signature: err.signature, error: err.message });
      }
    }

    const findings: { at: number; finding: Finding }[] = undecodable.map((u) => ({ at: u.logIndex, finding: undecodableLogFinding(tx.network, block, tx.hash, u) }));
    if (changes.length || followed.changes.length) {
      const g = await governanceOf(tx, pause, proxy, execNotes, block);
      const spellCache = new Map<string, Promise<SpellOrigin | null>>();
      const spellOf = (exec: ExecNote) => {
        const who = state.plans[exec.planHash]?.plotter ?? exec.caller;
        if (!spellCache.has(who)) spellCache.set(who, spells.origin(ctx.rpc, who, block.number));
        return spellCache.get(who)!;
      };
      for (const c of changes) findings.push({ at: c.logIndex, finding: await rightsFinding(tx, block, c, attribute(g, c.logIndex, c.caller), spellOf, before) });
      for (const c of followed.changes) findings.push({ at: c.logIndex ?? -1, finding: chainlogFinding(tx, block, c, g) });
    }

    for (const h of finished) delete state.plans[h];
    prunePlans();
    return findings.sort((a, b) => a.at - b.at).map((f) => f.finding);
  }

  /** The transaction's governance context: its plan executions, each checked against rule 2 (attribution.ts). */
  async function governanceOf(
    tx: TransactionEvent,
    pause: string | null,
    proxy: string | null,
    execNotes: { logIndex: number; caller: string; planHash: string; usr: string }[],
    block: BlockRef,
  ): Promise<TxGovernance> {
    const base = { from: tx.from.toLowerCase(), to: tx.to ? tx.to.toLowerCase() : null, pause, proxy };
    const execs: ExecNote[] = [];
    for (const e of execNotes) {
      const plotter = state.plans[e.planHash]?.plotter ?? null;
      // only when the transaction went to the exec's caller and that caller did not schedule the plan
      // do we need to know whether it is a known spell (one batched call)
      const needsCheck = base.to === e.caller && e.caller !== plotter && base.to !== pause;
      const known = needsCheck ? (await spells.origin(ctx.rpc, e.caller, block.number)) !== null : false;
      execs.push({ ...e, trusted: execTrusted(base, e, plotter, known) });
    }
    return { ...base, execs };
  }

  async function rightsFinding(
    tx: TransactionEvent,
    block: BlockRef,
    c: WardChange,
    att: Attribution,
    spellOf: (e: ExecNote) => Promise<SpellOrigin | null>,
    before: Map<string, string[]>,
  ): Promise<Finding> {
    const keys = keysOf(c.address, before);
    const name = keys.length ? `${keys.join("/")} ${c.address}` : c.address;
    const key = logKey(tx.network, block, tx.hash, c.logIndex);
    const plotter = att.exec ? (state.plans[att.exec.planHash]?.plotter ?? "") : "";
    const common = {
      contract: c.address,
      contractKeys: keys.join(","),
      action: c.action,
      usr: c.usr,
      caller: c.caller ?? "",
      callerLogged: String(c.caller !== null),
      style: c.style,
      reason: att.reason,
      planHash: att.exec?.planHash ?? "",
      spell: att.exec?.caller ?? "",
      plottedBy: plotter,
      txHash: tx.hash,
      txFrom: tx.from,
      txTo: tx.to ?? "",
    };
    const addresses = [c.address, c.usr, ...(c.caller ? [c.caller] : []), tx.from, ...(tx.to ? [tx.to] : []), ...(att.exec ? [att.exec.caller] : [])];
    if (!att.governance) {
      return createFinding(ALERTS.outside, {
        description: `${name}: ${VERB[c.action]} ${c.usr} OUTSIDE governance: ${att.reason}`,
        key,
        block,
        addresses,
        metadata: { ...common, governance: "false" },
      });
    }
    let origin: SpellOrigin | null = null;
    if (att.via === "plan") origin = await spellOf(att.exec);
    const unknownSpell = att.via === "plan" && origin === null;
    return createFinding(unknownSpell ? ALERTS.unknownSpell : ALERTS.governance, {
      description: unknownSpell
        ? `${name}: ${VERB[c.action]} ${c.usr} by a governance plan that is not a known spell's (spell ${plotter || att.exec!.caller}, plan ${att.exec!.planHash})`
        : `${name}: ${VERB[c.action]} ${c.usr} by governance (${att.reason})`,
      key,
      block,
      addresses,
      metadata: { ...common, governance: "true", via: att.via, spellKnown: att.via === "plan" ? String(!unknownSpell) : "", spellOrigin: att.via === "plan" ? describeOrigin(origin) : "" },
    });
  }

  function chainlogFinding(tx: TransactionEvent, block: BlockRef, c: AddressBookChange, g: TxGovernance): Finding {
    const at = c.logIndex ?? -1;
    const key = logKey(tx.network, block, tx.hash, at);
    const chainlog = book.chainlog;
    const common = { chainlog, txHash: tx.hash, txFrom: tx.from, txTo: tx.to ?? "" };
    if (c.kind === "version") {
      return createFinding(ALERTS.chainlogVersion, {
        description: `ChainLog ${chainlog}: version ${c.from ?? "(none)"} -> ${c.to}`,
        key,
        block,
        addresses: [chainlog, tx.from],
        metadata: { ...common, versionBefore: c.from ?? "", version: c.to },
      });
    }
    const kind = chainlogChangeKind(c.from, c.to);
    const att = attribute(g, at, null);
    const core = isCoreKey(c.key, cfg.coreKeys);
    const what = kind === "removed" ? `${c.key} removed (was ${c.from})` : kind === "added" ? `${c.key} added: ${c.to}` : `${c.key} re-pointed from ${c.from} to ${c.to}`;
    const metadata = { ...common, key: c.key, change: kind, from: c.from ?? "", to: c.to ?? "", coreKey: String(core), governance: String(att.governance), reason: att.reason, planHash: att.exec?.planHash ?? "" };
    const addresses = [chainlog, ...(c.from ? [c.from] : []), ...(c.to ? [c.to] : []), tx.from];
    const alert = chainlogAlertKind(core, att.governance);
    if (alert === "outside") {
      return createFinding(ALERTS.chainlogOutside, {
        description: `ChainLog ${chainlog}: ${what} OUTSIDE governance: ${att.reason}; every bot and integration that resolves ${c.key} through the ChainLog now follows it`,
        key,
        block,
        addresses,
        metadata,
      });
    }
    if (alert === "core") {
      return createFinding(ALERTS.chainlogCore, {
        description: `ChainLog ${chainlog}: core key ${what} (by governance); bots and integrations that resolve ${c.key} follow the change`,
        key,
        block,
        addresses,
        metadata,
      });
    }
    return createFinding(ALERTS.chainlogKey, { description: `ChainLog ${chainlog}: ${what} (by governance)`, key, block, addresses, metadata });
  }

  function prunePlans(): void {
    const hashes = Object.keys(state.plans);
    if (hashes.length <= MAX_PLANS) return;
    hashes.sort((a, b) => state.plans[a]!.block - state.plans[b]!.block);
    for (const h of hashes.slice(0, hashes.length - MAX_PLANS)) delete state.plans[h];
  }

  /**
   * What handleTransaction reads: logs only. A rely/deny of a contract the ChainLog names (the
   * book's addresses, the ChainLog itself among them), the pause's notes, the ChainLog's updates.
   */
  function wantsTransaction(tx: TransactionEvent): boolean {
    const ours = book.addressSet();
    const pause = book.tryGetAddress("MCD_PAUSE");
    for (const log of tx.logs) {
      if (!ours.has(log.address)) continue;
      if (log.address === pause || log.address === book.chainlog || WARD_TOPICS.has(String(log.topics[0] ?? "").toLowerCase())) return true;
    }
    return false;
  }

  return {
    async initialize() {
      await book.ensureLoaded(ctx.rpc, ctx.initBlock);
    },
    handleTransaction,
    wantsTransaction,
  };
}

export default lazyAgent(() => createAgent(fortaContext(BOT)));
