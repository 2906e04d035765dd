/**
 * maker-governance: MakerDAO's (Sky's) executive governance.
 *
 * - Chief (MCD_ADM; ds-chief 1.2 ds-notes or the 2025 SKY chief's events): hat changes, a hat that
 *   is not a known spell (an episode), the hat's approvals below a threshold (an episode), lifts by
 *   unknown lifters, and the governance flash-loan pattern (tokens arrive, are locked, the hat moves,
 *   all in one transaction).
 * - DSPause (MCD_PAUSE): plot (known spell, unknown caller, delay bypassed), drop, exec (naming what
 *   ran), setDelay, setOwner, setAuthority.
 * Addresses come from the ChainLog (MAKER_CHAINLOG) and follow its updates.
 */
import type { Finding, TransactionEvent } from "forta-agent";
import { ethers } from "forta-agent";
import { DS_CHIEF_IFACE, ERC20_IFACE, PAUSE_IFACE, PAUSE_NOTES } from "../../../shared/abi";
import { blockRefOf, fortaContext, lazyAgent, type Agent, type BotContext } from "../../../shared/bot";
import { Episodes, episodeFinding, type EpisodeState } from "../../../shared/episodes";
import { FindingSeverity, createFinding, logKey, type BlockRef } from "../../../shared/findings";
import { decodeEvents, undecodableLogFinding, type UndecodableLog } from "../../../shared/logs";
import { AddressBook } from "../../../shared/maker/chainlog";
import { SpellRegistry, describeOrigin, faxSelector, pausePlanOf, type SpellOrigin } from "../../../shared/maker/governance";
import { followChainlog, readNotes } from "../../../shared/maker/tx";
import { formatAmount, fromWad, type Decimal } from "../../../shared/math";
import { CallRevertedError } from "../../../shared/rpc/errors";
import { contract } from "../../../shared/rpc/contract";
import { attributionMetadata, callerPhrase } from "../../../shared/maker/attribution";
import { CallerAttribution, emptyPlans, severityOf, typeOf, type PlansState, type TxCallers } from "../../../shared/maker/callers";
import { ALERTS } from "./alerts";
import { chiefActions, type ChiefAction } from "./chief";
import { loadConfig } from "./config";
import { approvalsGrace, approvalsLevel, decodeSymbol, tokensPerMkr, bypassesDelay, delayChange, governanceTakeover, hatMoves, isKnownLifter, secondsUntil, type ApprovalsLevel, type TokenTransfer } from "./detectors";

export const BOT = "maker-governance";

const ZERO = ethers.constants.AddressZero;
const DESCRIPTION_IFACE = new ethers.utils.Interface(["function description() view returns (string)"]);

/** A plan seen plotted, kept until it is executed or dropped. */
interface PlanRecord {
  usr: string;
  eta: string;
  plotter: string;
  known: boolean;
  block: number;
  txHash: string;
}

interface State {
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

/** symbol() */
const SYMBOL_SELECTOR = "0x95d89b41";

/** Keep at most this many plotted plans (oldest dropped first); mainnet plots a few a week. */
const MAX_PLANS = 500;

export function createAgent(ctx: BotContext): Agent {
  const cfg = loadConfig(ctx.env);
  const book = AddressBook.attach(
    ctx.persistent("chainlog", () => AddressBook.emptyState(cfg.chainlog, { keep: /^MCD_(ADM|PAUSE|PAUSE_PROXY)$/ })),
    cfg.chainlog,
  );
  const state = ctx.persistent<State>("governance", () => ({ chief: null, gov: null, hat: null, plans: {}, approvals: {}, unknownHat: {}, unknownHatOf: {}, lowSince: {}, lowHat: {} }));
  const spells = new SpellRegistry({ deployers: cfg.spellDeployers, allowList: cfg.knownSpells });
  // who changed a pause setting (shared/maker/attribution.ts); set first thing in handleTransaction
  const callers = new CallerAttribution({ rpc: ctx.rpc, book, plans: ctx.persistent<PlansState>("governance-plans", emptyPlans), spells });
  let currentCallers: TxCallers | null = null;
  const knownLifters = new Set([...cfg.knownLifters, ...cfg.spellDeployers]);
  const approvalsEpisodes = new Episodes<ApprovalsLevel>(["low", "critical"], state.approvals);
  const unknownEpisodes = new Episodes<"unknown">(["unknown"], state.unknownHat);

  const chiefReader = (chief: string) => contract(ctx.rpc, chief, DS_CHIEF_IFACE, "Chief");
  const tokens = (wad: bigint | string) => formatAmount(fromWad(wad.toString()));

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

  /**
   * Start following `chief` (first block, or MCD_ADM re-pointed; null: MCD_ADM removed): its token
   * and hat, and both hat episodes. The episodes about the chief followed until now end (Info,
   * saying the ChainLog replaced it) rather than stay open forever.
   */
  async function syncChief(chief: string | null, block: BlockRef, chainId: number): Promise<Finding[]> {
    if (state.chief === chief) {
      if (state.gov && state.govSymbol === undefined) state.govSymbol = await readSymbol(state.gov, block.number);
      return [];
    }
    const ended = state.chief ? endChief(state.chief, chief, block, chainId) : [];
    state.lowSince ??= {};
    state.lowHat ??= {};
    if (!chief) {
      state.chief = null;
      state.gov = null;
      state.govSymbol = null;
      state.hat = null;
      state.lowSince = {};
      state.lowHat = {};
      state.unknownHatOf = {};
      return ended;
    }
    const reader = chiefReader(chief);
    // the hat before this block is the "previous hat" of a lift in it; the episodes look at the hat after it
    const [[gov], [hatBefore], [hatNow]] = await Promise.all([
      reader.read("GOV", [], block.number),
      reader.read("hat", [], Math.max(0, block.number - 1)).catch(() => [null]), // no chief there yet: no previous hat
      reader.read("hat", [], block.number),
    ]);
    state.chief = chief;
    state.gov = String(gov).toLowerCase();
    state.govSymbol = await readSymbol(state.gov, block.number);
    const hat = String(hatNow).toLowerCase();
    state.hat = hatBefore === null ? hat : String(hatBefore).toLowerCase();
    for (const c of Object.keys(state.lowSince)) if (c !== chief) delete state.lowSince[c];
    for (const c of Object.keys(state.lowHat)) if (c !== chief) delete state.lowHat[c];
    for (const c of Object.keys(state.unknownHatOf)) if (c !== chief) delete state.unknownHatOf[c];
    return [...ended, ...(await checkHatKnown(chief, hat, block, chainId)), ...(await checkApprovals(chief, block, chainId))];
  }

  /** Resolve the hat episodes of `old`, a chief the ChainLog no longer names as MCD_ADM (`now` instead, or none). */
  function endChief(old: string, now: string | null, block: BlockRef, chainId: number): Finding[] {
    const alive = new Set(now ? [now] : []);
    const why = now ? `the ChainLog replaced it: MCD_ADM now points to ${now}` : "the ChainLog removed MCD_ADM";
    const replaced = { resolvedBecause: "chief-replaced-in-chainlog", replacedBy: now ?? "" };
    const out: Finding[] = [];
    for (const t of unknownEpisodes.resolveExcept(alive, block)) {
      const hat = state.unknownHatOf[t.subject] ?? "";
      out.push(
        episodeFinding(ALERTS.hatUnknown, t, () => FindingSeverity.High, {
          description: `The chief ${t.subject} is no longer watched (${why}): the episode about its hat ${hat || "(unknown)"}, not a known spell, ends here; the hat is not known to have changed`,
          key: [chainId, t.subject],
          addresses: [t.subject, ...(hat ? [hat] : []), ...(now ? [now] : [])],
          metadata: { chief: t.subject, hat, currentHat: "", spellDeployers: cfg.spellDeployers.join(","), origin: "", ...replaced },
        }),
      );
    }
    for (const t of approvalsEpisodes.resolveExcept(alive, block)) {
      const hat = t.subject === state.chief ? (state.hat ?? "") : "";
      out.push(
        episodeFinding(ALERTS.hatApprovals, t, (l) => (l === "critical" ? FindingSeverity.Critical : FindingSeverity.High), {
          description: `The chief ${t.subject} is no longer watched (${why}): the episode about its hat's low approvals ends here; the approvals are not known to have recovered`,
          key: [chainId, t.subject],
          addresses: [t.subject, ...(hat ? [hat] : []), ...(now ? [now] : [])],
          metadata: { chief: t.subject, hat, approvalsWad: "", approvals: "", minApprovals: cfg.minApprovals.toFixed(), criticalApprovals: cfg.criticalApprovals.toFixed(), ...replaced },
        }),
      );
    }
    return out;
  }

  /** The hat-not-a-known-spell episode for `hat` (the zero address is "no hat": nothing can be authorised). */
  async function checkHatKnown(chief: string, hat: string, block: BlockRef, chainId: number): Promise<Finding[]> {
    const out: Finding[] = [];
    const origin = hat === ZERO ? null : await spells.origin(ctx.rpc, hat, block.number);
    const unknown = hat !== ZERO && !origin;
    const episodeHat = state.unknownHatOf[chief];
    const emit = (t: NonNullable<ReturnType<typeof unknownEpisodes.observe>>, subjectHat: string) => {
      const resolved = t.kind === "resolved";
      out.push(
        episodeFinding(ALERTS.hatUnknown, t, () => FindingSeverity.High, {
          description: resolved
            ? `The chief ${chief}'s hat is no longer ${subjectHat} (not a known spell): the hat is now ${hat === ZERO ? "the zero address" : `${hat} (${describeOrigin(origin)})`}`
            : `The chief ${chief}'s hat ${subjectHat} is not a known spell (not allow-listed, not deployed by a configured spell deployer): it can plot any plan on the pause`,
          key: [chainId, chief],
          addresses: [chief, subjectHat],
          metadata: { chief, hat: subjectHat, currentHat: hat, spellDeployers: cfg.spellDeployers.join(","), origin: describeOrigin(origin) },
        }),
      );
    };
    if (episodeHat && episodeHat !== hat) {
      // a different hat: the episode about the old one ends (a new one opens below if this one is unknown too)
      const t = unknownEpisodes.observe(chief, null, block);
      if (t) emit(t, episodeHat);
      delete state.unknownHatOf[chief];
    }
    const t = unknownEpisodes.observe(chief, unknown ? "unknown" : null, block);
    if (t) emit(t, t.kind === "resolved" ? (episodeHat ?? hat) : hat);
    if (unknown) state.unknownHatOf[chief] = hat;
    else delete state.unknownHatOf[chief];
    return out;
  }

  /** The low-approvals episode: the hat and its approvals read at `block` (one batch when the hat is as expected). */
  async function checkApprovals(chief: string, block: BlockRef, chainId: number): Promise<Finding[]> {
    const reader = chiefReader(chief);
    const guess = state.hat ?? ZERO;
    const [[hatNow], [guessed]] = await Promise.all([reader.read("hat", [], block.number), reader.read("approvals", [guess], block.number)]);
    const hat = String(hatNow).toLowerCase();
    const approvals = hat === guess ? (guessed as ethers.BigNumber) : ((await reader.read("approvals", [hat], block.number))[0] as ethers.BigNumber);
    const perMkr = tokensPerMkr(state.govSymbol ?? null, cfg.skyPerMkr);
    const level = approvalsLevel(approvals.toString(), cfg.minApprovals, cfg.criticalApprovals, perMkr);
    let lowSince: number | null = null;
    state.lowHat ??= {};
    if (level === null) {
      delete state.lowSince[chief];
      delete state.lowHat[chief];
    } else if (!approvalsEpisodes.get(chief)) {
      // not open yet: the condition must last GOV_HAT_APPROVALS_GRACE_BLOCKS for the same hat
      // (a new hat starts its own period; handleBlock re-checks when it is due)
      const since = state.lowSince[chief];
      const g = approvalsGrace(since === undefined ? null : { since, hat: state.lowHat[chief] }, hat, true, block.number, cfg.graceBlocks)!;
      lowSince = g.since;
      if (!g.due) {
        state.lowSince[chief] = g.since;
        state.lowHat[chief] = g.hat;
        return [];
      }
      delete state.lowSince[chief];
      delete state.lowHat[chief];
    }
    const t = approvalsEpisodes.observe(chief, level, block);
    if (!t) return [];
    const unit = state.govSymbol ?? "MKR";
    const scaled = !perMkr.eq(1);
    // "960,000,000.00 SKY (40,000.00 MKR)" for a SKY chief, "40,000.00 MKR" otherwise
    const inToken = (mkr: Decimal) => `${formatAmount(mkr.times(perMkr))} ${unit}${scaled ? ` (${formatAmount(mkr)} MKR)` : ""}`;
    const approvalsMkr = fromWad(approvals.toString()).div(perMkr);
    const amount = `${tokens(approvals.toString())} ${unit}${scaled ? ` (${formatAmount(approvalsMkr)} MKR)` : ""}`;
    const description =
      t.kind === "resolved"
        ? `The chief ${chief}'s hat ${hat} holds ${amount} of approvals again, at or above ${inToken(cfg.minApprovals)}`
        : t.level === "critical"
          ? `The chief ${chief}'s hat ${hat} holds only ${amount} of approvals, below ${inToken(cfg.criticalApprovals)}: a spell backed by slightly more can be lifted over it`
          : `The chief ${chief}'s hat ${hat} holds only ${amount} of approvals, below ${inToken(cfg.minApprovals)}: a spell backed by slightly more can be lifted over it`;
    return [
      episodeFinding(ALERTS.hatApprovals, t, (l) => (l === "critical" ? FindingSeverity.Critical : FindingSeverity.High), {
        description,
        key: [chainId, chief],
        addresses: [chief, hat],
        metadata: {
          chief,
          hat,
          approvalsWad: approvals.toString(),
          approvals: fromWad(approvals.toString()).toFixed(),
          approvalsMkr: approvalsMkr.toFixed(),
          token: unit,
          tokensPerMkr: perMkr.toFixed(),
          minApprovals: cfg.minApprovals.toFixed(),
          criticalApprovals: cfg.criticalApprovals.toFixed(),
          ...(lowSince !== null ? { lowSinceBlock: lowSince } : {}),
        },
      }),
    ];
  }

  type Ordered = { at: number; finding: Finding };

  async function handlePause(tx: TransactionEvent, pause: string, block: BlockRef): Promise<{ findings: Ordered[]; undecodable: UndecodableLog[] }> {
    const out: Ordered[] = [];
    const { notes, undecodable } = readNotes(tx.logs, PAUSE_NOTES, pause);
    const reader = contract(ctx.rpc, pause, PAUSE_IFACE, "DSPause");
    const delayBefore = async () => ((await reader.read("delay", [], Math.max(0, block.number - 1)))[0] as ethers.BigNumber).toString();
    for (const n of notes) {
      const key = logKey(tx.network, block, tx.hash, n.logIndex);
      const caller = n.caller!;
      const base = { pause, caller, txHash: tx.hash, txFrom: tx.from };
      if (n.name === "setDelay") {
        const after = (n.args!.delay_ as ethers.BigNumber).toString();
        const before = await delayBefore();
        const change = delayChange(before, after);
        const spec = change === "reduced" ? ALERTS.delayReduced : ALERTS.delayRaised;
        const by = await currentCallers!.classify({ contract: pause, param: "setDelay", logIndex: n.logIndex, loggedCaller: caller });
        out.push({
          at: n.logIndex,
          finding: createFinding(spec, {
            description: `The governance delay of pause ${pause} was ${change === "reduced" ? "reduced" : change === "raised" ? "raised" : "re-set"} from ${before} s to ${after} s ${callerPhrase(by)}${change === "reduced" ? ": spells can now run sooner after being scheduled" : ""}`,
            key,
            block,
            severity: severityOf(by, spec.severity),
            type: typeOf(by, spec.type),
            addresses: [pause, caller, tx.from],
            metadata: { ...base, delayBefore: before, delayAfter: after, delayBeforeHours: hours(before), delayAfterHours: hours(after), change, ...attributionMetadata(by) },
          }),
        });
        continue;
      }
      const plan = pausePlanOf(n);
      if (!plan) continue;
      const planMeta = { usr: plan.usr, tag: plan.tag, fax: plan.fax, faxSelector: faxSelector(plan.fax), eta: plan.eta, etaIso: isoTime(plan.eta), planHash: plan.hash };
      if (n.name === "plot") {
        const [origin, before, description] = await Promise.all([spells.origin(ctx.rpc, caller, block.number), delayBefore(), descriptionOf(caller, block.number)]);
        const lead = secondsUntil(plan.eta, block.timestamp);
        const bypass = bypassesDelay(plan.eta, block.timestamp, before);
        state.plans[plan.hash] = { usr: plan.usr, eta: plan.eta, plotter: caller, known: origin !== null, block: block.number, txHash: tx.hash };
        prunePlans();
        const spec = bypass ? ALERTS.plotBypass : origin ? ALERTS.plot : ALERTS.plotUnknown;
        const who = `${caller}${description ? ` ("${description}")` : ""}`;
        out.push({
          at: n.logIndex,
          finding: createFinding(spec, {
            description: bypass
              ? `Pause ${pause}: ${who} scheduled plan ${plan.hash} (usr ${plan.usr}) to run ${lead.toFixed()} s after this block, less than the ${before} s delay in force when the block began: the governance delay was bypassed`
              : origin
                ? `Pause ${pause}: spell ${who} scheduled plan ${plan.hash} (usr ${plan.usr}, eta ${isoTime(plan.eta)}, in ${hours(lead.toFixed())} h)`
                : `Pause ${pause}: ${who}, not a known spell, scheduled plan ${plan.hash} (usr ${plan.usr}, eta ${isoTime(plan.eta)}, in ${hours(lead.toFixed())} h)`,
            key,
            block,
            addresses: [pause, caller, plan.usr, tx.from],
            metadata: { ...base, ...planMeta, secondsUntilEta: lead.toFixed(), delayInForce: before, spellKnown: String(origin !== null), spellOrigin: describeOrigin(origin), spellDescription: description, hat: state.hat ?? "" },
          }),
        });
      } else if (n.name === "drop") {
        const origin = await spells.origin(ctx.rpc, caller, block.number);
        const record = state.plans[plan.hash];
        delete state.plans[plan.hash];
        out.push({
          at: n.logIndex,
          finding: createFinding(ALERTS.drop, {
            severity: origin ? FindingSeverity.Info : FindingSeverity.Medium,
            description: `Pause ${pause}: plan ${plan.hash} (usr ${plan.usr}, eta ${isoTime(plan.eta)}) was cancelled by ${caller}${origin ? " (a known spell)" : ", not a known spell"}`,
            key,
            block,
            addresses: [pause, caller, plan.usr, tx.from],
            metadata: { ...base, ...planMeta, spellKnown: String(origin !== null), spellOrigin: describeOrigin(origin), plottedBy: record?.plotter ?? "", plottedAtBlock: record?.block ?? "" },
          }),
        });
      } else if (n.name === "exec") {
        const record = state.plans[plan.hash];
        delete state.plans[plan.hash];
        const [callerOrigin, description] = await Promise.all([spells.origin(ctx.rpc, caller, block.number), descriptionOf(caller, block.number)]);
        let origin: SpellOrigin | null = callerOrigin;
        let known = record ? record.known : callerOrigin !== null;
        if (!record && !known) {
          origin = await spells.origin(ctx.rpc, plan.usr, block.number); // plotted before the bot started: is the action itself known?
          known = origin !== null;
        }
        const what = `${description ? `"${description}" ` : ""}(spell ${caller}, action ${plan.usr}, call ${faxSelector(plan.fax) || "(none)"})`;
        out.push({
          at: n.logIndex,
          finding: createFinding(known ? ALERTS.exec : ALERTS.execUnknown, {
            description: known
              ? `Pause ${pause} executed ${what} through the pause proxy${record ? `, scheduled at block ${record.block}` : ""}`
              : `Pause ${pause} executed a plan that is not a known spell's: ${what}${record ? `, scheduled at block ${record.block} by ${record.plotter}` : ", scheduled before this bot started watching"}; it ran with the pause proxy's admin rights`,
            key,
            block,
            addresses: [pause, caller, plan.usr, tx.from],
            metadata: {
              ...base,
              ...planMeta,
              spellDescription: description,
              spellKnown: String(known),
              spellOrigin: record ? (record.known ? "plotted by a known spell" : "plotted by an unknown contract") : describeOrigin(origin),
              plottedBy: record?.plotter ?? "",
              plottedAtBlock: record?.block ?? "",
            },
          }),
        });
      }
    }

    const events = decodeEvents(tx.logs, PAUSE_IFACE, pause, ["LogSetOwner", "LogSetAuthority"]);
    for (const e of events.events) {
      const isOwner = e.name === "LogSetOwner";
      const value = String(isOwner ? e.args.owner : e.args.authority).toLowerCase();
      const by = await currentCallers!.classify({ contract: pause, param: isOwner ? "setOwner" : "setAuthority", logIndex: e.logIndex, loggedCaller: null });
      out.push({
        at: e.logIndex,
        finding: createFinding(isOwner ? ALERTS.owner : ALERTS.authority, {
          description: `Pause ${pause}: ${isOwner ? "owner" : "authority"} set to ${value}${value === ZERO ? " (none)" : ""} ${callerPhrase(by)}; ${isOwner ? "the owner can plot and drop plans without the chief" : "the authority decides who can plot (normally the chief)"} (tx from ${tx.from})`,
          key: logKey(tx.network, block, tx.hash, e.logIndex),
          block,
          type: typeOf(by, (isOwner ? ALERTS.owner : ALERTS.authority).type),
          addresses: [pause, value, tx.from, ...(by.caller ? [by.caller] : [])],
          metadata: { pause, [isOwner ? "owner" : "authority"]: value, txHash: tx.hash, txFrom: tx.from, txTo: tx.to ?? "", ...attributionMetadata(by) },
        }),
      });
    }
    return { findings: out, undecodable: [...undecodable, ...events.undecodable] };
  }

  async function handleChief(tx: TransactionEvent, chief: string, block: BlockRef): Promise<{ findings: Ordered[]; undecodable: UndecodableLog[] }> {
    const out: Ordered[] = [];
    const { actions, undecodable } = chiefActions(tx.logs, chief);
    const lifts = actions.filter((a): a is ChiefAction & { whom: string } => a.kind === "lift" && !!a.whom);
    let last = Infinity;
    if (lifts.length) {
      const reader = chiefReader(chief);
      const approvals = await Promise.all(lifts.map((l) => reader.read("approvals", [l.whom], block.number)));
      const origins = await Promise.all(lifts.map((l) => spells.origin(ctx.rpc, l.whom, block.number)));
      const moves = hatMoves(state.hat, lifts.map((l) => l.whom));
      lifts.forEach((l, i) => {
        const previous = moves[i]!.previous ?? "";
        state.hat = l.whom;
        const lifter = l.caller ?? tx.from;
        const ap = (approvals[i]![0] as ethers.BigNumber).toString();
        const key = logKey(tx.network, block, tx.hash, l.logIndex);
        // a lift of the hat already in place (which the chiefs refuse) moved nothing: no HAT-CHANGED
        if (moves[i]!.moved) out.push({
          at: l.logIndex,
          finding: createFinding(ALERTS.hatChanged, {
            description: `The chief ${chief}'s hat moved from ${previous || "(unknown)"} to ${l.whom} (${describeOrigin(origins[i]!)}), lifted by ${lifter} with ${tokens(ap)} approvals`,
            key,
            block,
            addresses: [chief, l.whom, lifter, tx.from],
            metadata: { chief, previousHat: previous, hat: l.whom, lifter, approvalsWad: ap, approvals: fromWad(ap).toFixed(), spellKnown: String(origins[i] !== null), spellOrigin: describeOrigin(origins[i]!), txHash: tx.hash, txFrom: tx.from },
          }),
        });
        if (!isKnownLifter(l.caller, tx.from, knownLifters)) {
          out.push({
            at: l.logIndex + 0.1,
            finding: createFinding(ALERTS.lifter, {
              description: `The chief ${chief}'s hat was lifted to ${l.whom} by ${lifter}${l.caller && l.caller !== tx.from ? ` (transaction from ${tx.from})` : ""}, not a known lifter`,
              key,
              block,
              addresses: [chief, lifter, tx.from, l.whom],
              metadata: { chief, lifter, txFrom: tx.from, hat: l.whom, knownLifters: [...knownLifters].join(","), txHash: tx.hash },
            }),
          });
        }
      });
      last = lifts[lifts.length - 1]!.logIndex;
      for (const f of await checkHatKnown(chief, state.hat!, block, tx.network)) out.push({ at: last + 0.3, finding: f });

      // the governance flash-loan pattern
      if (state.gov) {
        const t = decodeEvents(tx.logs, ERC20_IFACE, state.gov, ["Transfer"]);
        undecodable.push(...t.undecodable);
        const transfers: TokenTransfer[] = t.events.map((e) => ({
          logIndex: e.logIndex,
          from: String(e.args.from).toLowerCase(),
          to: String(e.args.to).toLowerCase(),
          wad: (e.args.value as ethers.BigNumber).toBigInt(),
        }));
        const ev = governanceTakeover(chief, transfers, actions);
        if (ev) {
          const accounts = ev.participants.map((p) => p.account);
          const sources = [...new Set(ev.participants.flatMap((p) => p.sources))];
          out.push({
            at: ev.lift.logIndex + 0.2,
            finding: createFinding(ALERTS.takeover, {
              description:
                `Governance takeover pattern in one transaction: ${tokens(ev.received)} governance tokens reached ${accounts.join(", ")} from ${sources.join(", ")}, ` +
                `${tokens(ev.locked)} were locked in the chief ${chief}${ev.participants.some((p) => p.voted) ? " and voted" : ""}, and the hat moved to ${ev.lift.whom}` +
                (ev.repaidInTx ? "; the tokens were freed and returned in the same transaction (a flash loan)" : ""),
              key: logKey(tx.network, block, tx.hash, ev.lift.logIndex),
              block,
              addresses: [chief, ev.lift.whom!, tx.from, ...accounts, ...sources],
              metadata: {
                chief,
                hat: ev.lift.whom ?? "",
                lifter: ev.lift.caller ?? tx.from,
                accounts: accounts.join(","),
                sources: sources.join(","),
                receivedWad: ev.received.toString(),
                received: fromWad(ev.received.toString()).toFixed(),
                lockedWad: ev.locked.toString(),
                locked: fromWad(ev.locked.toString()).toFixed(),
                freedWad: ev.participants.reduce((s, p) => s + p.freed, 0n).toString(),
                returnedWad: ev.participants.reduce((s, p) => s + p.returned, 0n).toString(),
                voted: String(ev.participants.some((p) => p.voted)),
                repaidInTx: String(ev.repaidInTx),
                govToken: state.gov,
                txHash: tx.hash,
                txFrom: tx.from,
                txTo: tx.to ?? "",
              },
            }),
          });
        }
      }
    }
    // any activity of the chief may change the hat's approvals: re-check (reads are cached per block)
    const touched = tx.logs.some((l) => l.address.toLowerCase() === chief);
    if (touched) {
      const at = Math.max(...tx.logs.filter((l) => l.address.toLowerCase() === chief).map((l) => l.logIndex)) + 0.4;
      for (const f of await checkApprovals(chief, block, tx.network)) out.push({ at, finding: f });
    }
    return { findings: out, undecodable };
  }

  function prunePlans(): void {
    const hashes = Object.keys(state.plans);
    if (hashes.length <= MAX_PLANS) return;
    hashes.sort((a, b) => state.plans[a]!.block - state.plans[b]!.block);
    for (const h of hashes.slice(0, hashes.length - MAX_PLANS)) delete state.plans[h];
  }

  async function handleTransaction(tx: TransactionEvent): Promise<Finding[]> {
    const block = blockRefOf(tx);
    const findings: Ordered[] = [];
    const pauseBefore = book.tryGetAddress("MCD_PAUSE");
    const followed = followChainlog(book, tx);
    currentCallers = callers.observe(tx);
    const undecodable: UndecodableLog[] = [...followed.undecodable];
    const chief = book.tryGetAddress("MCD_ADM");
    if (followed.changes.some((c) => c.key === "MCD_ADM")) {
      for (const f of await syncChief(chief ?? null, block, tx.network)) findings.push({ at: -1, finding: f });
    }
    // the pause as it was and as it is after this transaction (a spell re-pointing MCD_PAUSE runs through the old one)
    for (const pause of new Set([pauseBefore, book.tryGetAddress("MCD_PAUSE")])) {
      if (!pause) continue;
      const p = await handlePause(tx, pause, block);
      findings.push(...p.findings);
      undecodable.push(...p.undecodable);
    }
    if (chief) {
      if (state.chief !== chief) for (const f of await syncChief(chief, block, tx.network)) findings.push({ at: -1, finding: f });
      const c = await handleChief(tx, chief, block);
      findings.push(...c.findings);
      undecodable.push(...c.undecodable);
    }
    for (const u of undecodable) findings.push({ at: u.logIndex, finding: undecodableLogFinding(tx.network, block, tx.hash, u) });
    return findings.sort((a, b) => a.at - b.at).map((o) => o.finding);
  }

  return {
    async initialize() {
      await book.ensureLoaded(ctx.rpc, ctx.initBlock);
    },
    async handleBlock(blockEvent) {
      // Start following the chief (once, and again if the ChainLog points MCD_ADM elsewhere): a
      // condition that already holds when the bot starts is reported here.
      const chief = book.tryGetAddress("MCD_ADM");
      if (!chief) return [];
      if (state.chief !== chief) return syncChief(chief, blockRefOf(blockEvent), blockEvent.network);
      // a low-approvals condition whose grace period ends at this block: is it still there?
      const since = state.lowSince[chief];
      if (since !== undefined && blockEvent.blockNumber - since >= cfg.graceBlocks) return checkApprovals(chief, blockRefOf(blockEvent), blockEvent.network);
      return [];
    },
    handleTransaction,
  };
}

function hours(seconds: string): string {
  return (Number(seconds) / 3600).toFixed(2);
}

function isoTime(unix: string): string {
  const n = Number(unix);
  return Number.isSafeInteger(n) && n >= 0 && n < 8.64e12 ? new Date(n * 1000).toISOString() : unix;
}

export default lazyAgent(() => createAgent(fortaContext(BOT)));
