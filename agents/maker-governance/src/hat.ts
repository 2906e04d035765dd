/**
 * The hat watcher: which chief is followed (MCD_ADM, re-synced when the ChainLog re-points it), and
 * the two hat episodes: a hat that is not a known spell (MAKER-GOV-HAT-UNKNOWN) and a hat with few
 * approvals (MAKER-GOV-HAT-APPROVALS-LOW, with its grace period). The lifts watcher asks it to
 * re-check both after a lift or any chief activity.
 */
import type { Finding } from "forta-agent";
import { ethers } from "forta-agent";
import { blockRefOf } from "../../../shared/bot";
import { Episodes, episodeFinding } from "../../../shared/episodes";
import { FindingSeverity, type BlockRef } from "../../../shared/findings";
import { describeOrigin } from "../../../shared/maker/governance";
import { formatAmount, fromWad, type Decimal } from "../../../shared/math";
import { ALERTS } from "./alerts";
import { ZERO, type GovDeps, type TxScope } from "./deps";
import { approvalsGrace, approvalsLevel, tokensPerMkr, type ApprovalsLevel } from "./detectors";
import type { Watcher } from "./watcher";

export interface HatWatcher extends Watcher<TxScope> {
  /** start following `chief` (null: MCD_ADM removed); ends the episodes of the chief followed until now */
  syncChief(chief: string | null, block: BlockRef, chainId: number): Promise<Finding[]>;
  checkHatKnown(chief: string, hat: string, block: BlockRef, chainId: number): Promise<Finding[]>;
  checkApprovals(chief: string, block: BlockRef, chainId: number): Promise<Finding[]>;
}

export function hatWatcher(deps: GovDeps): HatWatcher {
  const { config, book, state, chiefReader, tokens, readSymbol } = deps;
  const approvalsEpisodes = new Episodes<ApprovalsLevel>(["low", "critical"], state.approvals);
  const unknownEpisodes = new Episodes<"unknown">(["unknown"], state.unknownHat);

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
          metadata: { chief: t.subject, hat, currentHat: "", spellDeployers: config.spellDeployers.join(","), origin: "", ...replaced },
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
          metadata: { chief: t.subject, hat, approvalsWad: "", approvals: "", minApprovals: config.minApprovals.toFixed(), criticalApprovals: config.criticalApprovals.toFixed(), ...replaced },
        }),
      );
    }
    return out;
  }

  /** The hat-not-a-known-spell episode for `hat` (the zero address is "no hat": nothing can be authorised). */
  async function checkHatKnown(chief: string, hat: string, block: BlockRef, chainId: number): Promise<Finding[]> {
    const out: Finding[] = [];
    const origin = hat === ZERO ? null : await deps.knownSpell(hat, block);
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
          metadata: { chief, hat: subjectHat, currentHat: hat, spellDeployers: config.spellDeployers.join(","), origin: describeOrigin(origin) },
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
    const perMkr = tokensPerMkr(state.govSymbol ?? null, config.skyPerMkr);
    const level = approvalsLevel(approvals.toString(), config.minApprovals, config.criticalApprovals, perMkr);
    let lowSince: number | null = null;
    state.lowHat ??= {};
    if (level === null) {
      delete state.lowSince[chief];
      delete state.lowHat[chief];
    } else if (!approvalsEpisodes.get(chief)) {
      // not open yet: the condition must last GOV_HAT_APPROVALS_GRACE_BLOCKS for the same hat
      // (a new hat starts its own period; handleBlock re-checks when it is due)
      const since = state.lowSince[chief];
      const g = approvalsGrace(since === undefined ? null : { since, hat: state.lowHat[chief] }, hat, true, block.number, config.graceBlocks)!;
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
        ? `The chief ${chief}'s hat ${hat} holds ${amount} of approvals again, at or above ${inToken(config.minApprovals)}`
        : t.level === "critical"
          ? `The chief ${chief}'s hat ${hat} holds only ${amount} of approvals, below ${inToken(config.criticalApprovals)}: a spell backed by slightly more can be lifted over it`
          : `The chief ${chief}'s hat ${hat} holds only ${amount} of approvals, below ${inToken(config.minApprovals)}: a spell backed by slightly more can be lifted over it`;
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
          minApprovals: config.minApprovals.toFixed(),
          criticalApprovals: config.criticalApprovals.toFixed(),
          ...(lowSince !== null ? { lowSinceBlock: lowSince } : {}),
        },
      }),
    ];
  }

  return {
    syncChief,
    checkHatKnown,
    checkApprovals,
    async onBlock(blockEvent) {
      // Start following the chief (once, and again if the ChainLog points MCD_ADM elsewhere): a
      // condition that already holds when the bot starts is reported here.
      const chief = book.tryGetAddress("MCD_ADM");
      if (!chief) return [];
      if (state.chief !== chief) return syncChief(chief, blockRefOf(blockEvent), blockEvent.network);
      // a low-approvals condition whose grace period ends at this block: is it still there?
      const since = state.lowSince[chief];
      if (since !== undefined && blockEvent.blockNumber - since >= config.graceBlocks) return checkApprovals(chief, blockRefOf(blockEvent), blockEvent.network);
      return [];
    },
    async onTransaction(tx, scope) {
      // the ChainLog re-pointed (or removed) MCD_ADM: follow the new chief before anything else of this transaction
      if (!scope.chiefRepointed) return [];
      return (await syncChief(book.tryGetAddress("MCD_ADM") ?? null, scope.block, tx.network)).map((finding) => ({ at: -1, finding }));
    },
  };
}
