/**
 * maker-vat: the health of MakerDAO's (Sky's) vault engine, the Vat (MCD_VAT).
 *
 * Every block, in one JSON-RPC batch at that block: debt, vice, Line, live, dai(vow), sin(vow) and
 * ilks(i) for every known collateral type. From it:
 * - the fundamental identity `debt == vice + sum_i(Art_i * rate_i)`, exactly (episode, Critical);
 * - utilisation of Line and of each ilk's line (episodes, Medium >= 90%, High >= 98%);
 * - the surplus buffer dai(vow) - sin(vow) falling within a window (episode, High);
 * - jumps of vice, the system's bad debt, from one block to the next;
 * - the Vat caged (live == 0).
 * Per transaction: the Vat's notes (debt ceiling changes `file("Line")` / `file(ilk, "line")`, new
 * ilks) and the IlkRegistry's AddIlk. Addresses come from the ChainLog (MAKER_CHAINLOG).
 */
import type { BlockEvent, Finding, TransactionEvent } from "forta-agent";
import { ILK_REGISTRY_IFACE, VAT_IFACE, fileChangeOf, fromBytes32 } from "../../../shared/abi";
import { blockRefOf, fortaContext, lazyAgent, type Agent, type BotContext } from "../../../shared/bot";
import { Episodes, episodeFinding, type EpisodeState, type EpisodeTransition } from "../../../shared/episodes";
import { errorMessage } from "../../../shared/errors";
import { FindingSeverity, createFinding, logKey, type BlockRef } from "../../../shared/findings";
import { undecodableLogFinding } from "../../../shared/logs";
import { AddressBook } from "../../../shared/maker/chainlog";
import { attributionMetadata, callerPhrase, keepForAttribution } from "../../../shared/maker/attribution";
import { callerAttributionFor, severityOf, typeOf } from "../../../shared/maker/callers";
import { formatAmount, formatPercent, fromRad } from "../../../shared/math";
import { ContractDecodeError, contract, type ContractReader } from "../../../shared/rpc/contract";
import { CallRevertedError } from "../../../shared/rpc/errors";
import { ALERTS } from "./alerts";
import { loadConfig } from "./config";
import {
  ceilingChange,
  checkIdentity,
  daiToRad,
  pushSurplus,
  sinJumpLevel,
  surplusFall,
  utilization,
  utilizationLevel,
  type IdentityCheck,
  type SurplusPoint,
  type UtilizationLevel,
} from "./detectors";
import { INIT_TOPIC, addIlkOf, ilkOfVatNote, vatNotes } from "./ilks";

export const BOT = "maker-vat";

interface VatState {
  /** the Vat the rest of this state is about */
  vat: string | null;
  /** known ilks (bytes32 words, lowercase) */
  ilks: Record<string, true>;
  /** the IlkRegistry whose list() has been merged into `ilks` */
  registry: string | null;
  /** the Vat's init notes have been scanned (eth_getLogs) up to this block; null: never */
  initScannedTo: number | null;
  identity: EpisodeState<"violated">;
  utilization: EpisodeState<UtilizationLevel>;
  surplus: EpisodeState<"fell">;
  caged: EpisodeState<"caged">;
  /** monotonic deque of the surplus buffer over the window (front = maximum) */
  surplusWindow: SurplusPoint[];
  /** the previous block's vice and sin(vow), for jumps */
  last: { block: number; vice: string; vowSin: string } | null;
  /** ceilings set earlier in the block being handled (so two changes in one block chain correctly) */
  ceilings: { block: number; values: Record<string, string> };
}

interface IlkRead {
  word: string;
  name: string;
  Art: bigint;
  rate: bigint;
  line: bigint;
}

const rad = (v: bigint): string => fromRad(v.toString()).toFixed();
const radHuman = (v: bigint): string => `${formatAmount(fromRad(v.toString()))} DAI`;
const GLOBAL = "Line";

export function createAgent(ctx: BotContext): Agent {
  const cfg = loadConfig(ctx.env);
  const book = AddressBook.attach(
    ctx.persistent("chainlog", () => AddressBook.emptyState(cfg.chainlog, { keep: keepForAttribution(/^(MCD_VAT|MCD_VOW|ILK_REGISTRY)$/) })),
    cfg.chainlog,
  );
  const state = ctx.persistent<VatState>("vat", () => ({
    vat: null,
    ilks: {},
    registry: null,
    initScannedTo: null,
    identity: {},
    utilization: {},
    surplus: {},
    caged: {},
    surplusWindow: [],
    last: null,
    ceilings: { block: -1, values: {} },
  }));
  const identity = new Episodes<"violated">(["violated"], state.identity);
  const util = new Episodes<UtilizationLevel>(["medium", "high"], state.utilization);
  const surplus = new Episodes<"fell">(["fell"], state.surplus);
  const caged = new Episodes<"caged">(["caged"], state.caged);
  const thresholds = { medium: cfg.utilizationMedium, high: cfg.utilizationHigh, hysteresis: cfg.utilizationHysteresis };
  const surplusDropRad = daiToRad(cfg.surplusDrop);
  const sinMediumRad = daiToRad(cfg.sinJumpMedium);
  const sinHighRad = daiToRad(cfg.sinJumpHigh);
  const ignored = new Set(cfg.utilizationIgnore);
  const callers = callerAttributionFor(ctx, book, cfg);
  let warnedNoVat = false;

  /**
   * The Vat of the ChainLog; resets what was learnt about another one, and resolves (Info, saying
   * why) the episodes still open about it: the bot no longer watches it, so they would never close.
   */
  function currentVat(block: BlockRef, chainId: number): { vat: string | null; findings: Finding[] } {
    const vat = book.tryGetAddress("MCD_VAT") ?? null;
    const findings: Finding[] = [];
    if (vat !== state.vat) {
      if (state.vat) findings.push(...endVat(state.vat, vat, block, chainId));
      state.vat = vat;
      state.ilks = {};
      state.initScannedTo = null;
      state.registry = null;
      state.last = null;
      state.surplusWindow = [];
    }
    if (!vat && !warnedNoVat) {
      warnedNoVat = true;
      ctx.log.warn({ chainlog: cfg.chainlog }, "the ChainLog has no MCD_VAT: maker-vat has nothing to watch");
    }
    return { vat, findings };
  }

  /** Resolve every episode about `old`, a Vat the ChainLog no longer names as MCD_VAT (`now` instead, or none). */
  function endVat(old: string, now: string | null, block: BlockRef, chainId: number): Finding[] {
    const why = now ? `the ChainLog replaced it: MCD_VAT now points to ${now}` : "the ChainLog removed MCD_VAT";
    const meta = { vat: old, resolvedBecause: "vat-replaced-in-chainlog", replacedBy: now ?? "" };
    const addresses = [old, ...(now ? [now] : [])];
    const ending = "ends here; whether the condition still holds on that Vat is no longer checked";
    const sev = () => FindingSeverity.Info; // resolutions are Info whatever the level
    const none = new Set<string>();
    const out: Finding[] = [];
    for (const t of identity.resolveExcept(none, block)) {
      out.push(episodeFinding(ALERTS.invariant, t, sev, { description: `Vat ${old} is no longer watched (${why}): the episode about its broken identity ${ending}`, key: [old], addresses, metadata: meta }));
    }
    for (const t of util.resolveExcept(none, block)) {
      const global = t.subject === GLOBAL;
      out.push(
        episodeFinding(global ? ALERTS.lineUtilization : ALERTS.ilkUtilization, t, sev, {
          description: `Vat ${old} is no longer watched (${why}): the episode about ${global ? "total debt against Line" : `${t.subject} debt against its line`} ${ending}`,
          key: [old, t.subject],
          addresses,
          metadata: { ...meta, ilk: global ? "" : t.subject },
        }),
      );
    }
    for (const t of surplus.resolveExcept(none, block)) {
      out.push(
        episodeFinding(ALERTS.surplusDrop, t, sev, {
          description: `Vat ${old} is no longer watched (${why}): the episode about the surplus buffer of Vow ${t.subject} held in it ${ending}`,
          key: [t.subject],
          addresses: [t.subject, ...addresses],
          metadata: { ...meta, vow: t.subject },
        }),
      );
    }
    for (const t of caged.resolveExcept(none, block)) {
      out.push(episodeFinding(ALERTS.caged, t, sev, { description: `Vat ${old} is no longer watched (${why}): the episode about it being caged ${ending}`, key: [old], addresses, metadata: meta }));
    }
    if (out.length) ctx.log.info({ vat: old, replacedBy: now, resolved: out.length }, "MCD_VAT changed: the old Vat's open episodes are resolved");
    return out;
  }

  /** Merge the registry's list() into the known ilks (once per registry address), at block n. */
  async function loadRegistry(n: number): Promise<void> {
    const reg = book.tryGetAddress("ILK_REGISTRY") ?? null;
    if (!reg || state.registry === reg) return;
    try {
      const [list] = await contract(ctx.rpc, reg, ILK_REGISTRY_IFACE, "IlkRegistry").read("list()", [], n);
      for (const w of list as string[]) state.ilks[String(w).toLowerCase()] = true;
    } catch (err) {
      if (!(err instanceof CallRevertedError || err instanceof ContractDecodeError)) throw err;
      // not fatal: the Vat's init notes (scanned when debt is unexplained) find every ilk anyway
      ctx.log.error({ registry: reg, block: n, err: errorMessage(err) }, "ILK_REGISTRY does not answer list(); collateral types will be found from the Vat's init notes");
    }
    state.registry = reg;
  }

  /** Scan the Vat's init notes since the last scan for ilks the bot does not know. */
  async function discoverIlks(vat: string, n: number): Promise<{ added: string[]; from: number; error: string | null }> {
    const from = (state.initScannedTo ?? -1) + 1;
    if (from > n) return { added: [], from, error: null };
    try {
      const logs = await ctx.rpc.getLogs({ address: vat, topics: [INIT_TOPIC], fromBlock: from, toBlock: n });
      const { notes, undecodable } = vatNotes(
        logs.filter((l) => !l.removed).map((l) => ({ ...l, logIndex: Number(l.logIndex) })),
        vat,
      );
      const added: string[] = [];
      for (const { note } of notes) {
        const ilk = ilkOfVatNote(note);
        if (ilk && !state.ilks[ilk]) {
          state.ilks[ilk] = true;
          added.push(ilk);
        }
      }
      state.initScannedTo = n;
      const error = undecodable.length ? `${undecodable.length} init note(s) did not decode: ${undecodable[0]!.error}` : null;
      return { added, from, error };
    } catch (err) {
      return { added: [], from, error: errorMessage(err) };
    }
  }

  function readIlks(vat: ContractReader, words: readonly string[], n: number): Promise<IlkRead>[] {
    return words.map((word) =>
      vat.read("ilks", [word], n).then((r) => ({
        word,
        name: fromBytes32(word),
        Art: (r.Art as { toBigInt(): bigint }).toBigInt(),
        rate: (r.rate as { toBigInt(): bigint }).toBigInt(),
        line: (r.line as { toBigInt(): bigint }).toBigInt(),
      })),
    );
  }

  function identityFinding(t: EpisodeTransition<"violated">, vatAddr: string, debt: bigint, vice: bigint, check: IdentityCheck, ilks: IlkRead[], discovery: string): Finding {
    const gapText = `${check.gap > 0n ? "+" : ""}${check.gap.toString()} rad (${check.gap > 0n ? "+" : ""}${rad(check.gap)} DAI)`;
    const description =
      t.kind === "resolved"
        ? `Vat ${vatAddr}: debt == vice + sum(Art * rate) holds again over ${ilks.length} collateral types`
        : `Vat ${vatAddr}: debt (${debt.toString()} rad) != vice + sum(Art * rate) (${check.rhs.toString()} rad) over ${ilks.length} collateral types; debt - (vice + sum) = ${gapText}. The Vat's accounting can no longer be trusted`;
    return episodeFinding(ALERTS.invariant, t, () => FindingSeverity.Critical, {
      description,
      key: [vatAddr],
      addresses: [vatAddr],
      metadata: {
        vat: vatAddr,
        debtRaw: debt.toString(),
        debt: rad(debt),
        viceRaw: vice.toString(),
        vice: rad(vice),
        ilkDebtRaw: check.ilkDebt.toString(),
        ilkDebt: rad(check.ilkDebt),
        gapRaw: check.gap.toString(),
        gap: rad(check.gap),
        ilkCount: ilks.length,
        ilks: ilks.map((i) => i.name).join(","),
        ilkDiscovery: discovery,
      },
    });
  }

  function utilizationFinding(spec: typeof ALERTS.lineUtilization, t: EpisodeTransition<UtilizationLevel>, vatAddr: string, subject: string, debt: bigint, ceiling: bigint): Finding {
    const u = utilization(debt, ceiling);
    const what = subject === GLOBAL ? "total debt against the global ceiling Line" : `${subject} debt (Art * rate) against its ceiling line`;
    const description =
      t.kind === "resolved"
        ? `Vat ${vatAddr}: ${what} is back to ${u ? formatPercent(u) : "no ceiling (0)"} (${radHuman(debt)} of ${radHuman(ceiling)})`
        : `Vat ${vatAddr}: ${what} at ${u ? formatPercent(u) : "?"} (${radHuman(debt)} of ${radHuman(ceiling)}; room ${radHuman(ceiling > debt ? ceiling - debt : 0n)}): ${
            t.level === "high" ? "new borrowing is about to be refused" : "approaching the ceiling"
          }`;
    return episodeFinding(spec, t, (l) => (l === "high" ? FindingSeverity.High : FindingSeverity.Medium), {
      description,
      key: [vatAddr, subject],
      addresses: [vatAddr],
      metadata: {
        vat: vatAddr,
        ilk: subject === GLOBAL ? "" : subject,
        debtRaw: debt.toString(),
        debt: rad(debt),
        ceilingRaw: ceiling.toString(),
        ceiling: rad(ceiling),
        utilisation: u ? u.toFixed(6) : "",
        mediumAt: cfg.utilizationMedium.toFixed(),
        highAt: cfg.utilizationHigh.toFixed(),
      },
    });
  }

  async function handleBlock(blockEvent: BlockEvent): Promise<Finding[]> {
    const block = blockRefOf(blockEvent);
    const { vat: vatAddr, findings: ended } = currentVat(block, blockEvent.network);
    if (!vatAddr) return ended;
    const n = block.number;
    await loadRegistry(n);
    const vow = book.tryGetAddress("MCD_VOW");
    const vat = contract(ctx.rpc, vatAddr, VAT_IFACE, "Vat");
    const words = Object.keys(state.ilks).sort();

    // One batch: every read below is issued before anything is awaited.
    const [debt, vice, Line, live, vowDai, vowSin, ...ilks] = await Promise.all([
      vat.uint("debt", [], n),
      vat.uint("vice", [], n),
      vat.uint("Line", [], n),
      vat.uint("live", [], n),
      vow ? vat.uint("dai", [vow], n) : Promise.resolve(0n),
      vow ? vat.uint("sin", [vow], n) : Promise.resolve(0n),
      ...readIlks(vat, words, n),
    ] as const);
    const ilkReads = ilks as unknown as IlkRead[];
    const findings: Finding[] = [...ended];

    // --- cage -------------------------------------------------------------------------------------
    const cageT = caged.observe(vatAddr, live === 0n ? "caged" : null, block);
    if (cageT) {
      findings.push(
        episodeFinding(ALERTS.caged, cageT, () => FindingSeverity.Critical, {
          description:
            cageT.kind === "resolved"
              ? `Vat ${vatAddr} is live again (live = 1)`
              : `Vat ${vatAddr} is caged (live = 0): emergency shutdown; no vault can be changed and debt ceilings, rates and liquidations are frozen`,
          key: [vatAddr],
          addresses: [vatAddr],
          metadata: { vat: vatAddr, live: live.toString(), debt: rad(debt), vice: rad(vice) },
        }),
      );
    }

    // --- the identity, exactly ----------------------------------------------------------------------
    let check = checkIdentity(debt, vice, ilkReads);
    let discovery = "not needed";
    if (check.gap > 0n) {
      // Debt the known ilks do not explain: look for ilks initialised in the Vat that we do not know.
      const found = await discoverIlks(vatAddr, n);
      discovery = found.error
        ? `scan of Vat init notes from block ${found.from} failed: ${found.error}`
        : `scanned Vat init notes from block ${found.from} to ${n}: ${found.added.length ? `added ${found.added.map(fromBytes32).join(", ")}` : "no unknown ilk"}`;
      if (found.added.length) {
        ilkReads.push(...(await Promise.all(readIlks(vat, found.added, n))));
        check = checkIdentity(debt, vice, ilkReads);
      }
    }
    const idT = identity.observe(vatAddr, check.gap === 0n ? null : "violated", block);
    if (idT) findings.push(identityFinding(idT, vatAddr, debt, vice, check, ilkReads, discovery));

    // --- utilisation -------------------------------------------------------------------------------
    const uGlobal = util.observe(GLOBAL, utilizationLevel(debt, Line, thresholds, !!util.get(GLOBAL)), block);
    ctx.observe?.("maker.vat_debt", rad(debt));
    ctx.observe?.("maker.vat_line", rad(Line));
    if (uGlobal) findings.push(utilizationFinding(ALERTS.lineUtilization, uGlobal, vatAddr, GLOBAL, debt, Line));
    for (const i of ilkReads) {
      if (ignored.has(i.name)) continue;
      const ilkDebt = i.Art * i.rate;
      if (i.line > 0n) ctx.observe?.("maker.ilk_utilisation", utilization(ilkDebt, i.line)?.toFixed(6) ?? "0", { ilk: i.name });
      const t = util.observe(i.name, utilizationLevel(ilkDebt, i.line, thresholds, !!util.get(i.name)), block);
      if (t) findings.push(utilizationFinding(ALERTS.ilkUtilization, t, vatAddr, i.name, ilkDebt, i.line));
    }

    // --- surplus buffer and bad debt -----------------------------------------------------------------
    if (vow) {
      const buffer = vowDai - vowSin;
      pushSurplus(state.surplusWindow, { t: block.timestamp, b: n, v: buffer.toString() }, cfg.surplusWindow);
      const fall = surplusFall(state.surplusWindow)!;
      const sT = surplus.observe(vow, fall.fall >= surplusDropRad && fall.fall > 0n ? "fell" : null, block);
      if (sT) {
        const peakV = BigInt(fall.peak.v);
        findings.push(
          episodeFinding(ALERTS.surplusDrop, sT, () => FindingSeverity.High, {
            description:
              sT.kind === "resolved"
                ? `Surplus buffer of Vow ${vow}: no fall of ${formatAmount(cfg.surplusDrop)} DAI or more within the last ${cfg.surplusWindow} s any more (now ${radHuman(buffer)})`
                : `Surplus buffer of Vow ${vow} (dai(vow) - sin(vow)) fell by ${radHuman(fall.fall)} within ${cfg.surplusWindow} s: from ${radHuman(peakV)} at block ${fall.peak.b} to ${radHuman(buffer)}`,
            key: [vow],
            addresses: [vow, vatAddr],
            metadata: {
              vow,
              vat: vatAddr,
              surplusRaw: buffer.toString(),
              surplus: rad(buffer),
              peakRaw: peakV.toString(),
              peak: rad(peakV),
              peakBlock: fall.peak.b,
              fallRaw: fall.fall.toString(),
              fall: rad(fall.fall),
              vowDai: rad(vowDai),
              vowSin: rad(vowSin),
              threshold: cfg.surplusDrop.toFixed(),
              windowSeconds: cfg.surplusWindow,
            },
          }),
        );
      }
    }
    const last = state.last;
    if (last && last.block < n) {
      const delta = vice - BigInt(last.vice);
      const level = sinJumpLevel(delta, sinMediumRad, sinHighRad);
      if (level) {
        findings.push(
          createFinding(ALERTS.sinJump, {
            description: `System bad debt (Vat vice) rose by ${radHuman(delta)} ${last.block === n - 1 ? "in block" : `between block ${last.block} and block`} ${n}: ${radHuman(BigInt(last.vice))} -> ${radHuman(vice)}${
              vow ? `; sin(vow) ${radHuman(BigInt(last.vowSin))} -> ${radHuman(vowSin)}` : ""
            }`,
            key: [blockEvent.network, block.hash, vatAddr, "vice"],
            block,
            severity: level === "high" ? FindingSeverity.High : FindingSeverity.Medium,
            addresses: [vatAddr, ...(vow ? [vow] : [])],
            metadata: {
              vat: vatAddr,
              vow: vow ?? "",
              fromBlock: last.block,
              viceBeforeRaw: last.vice,
              viceBefore: rad(BigInt(last.vice)),
              viceAfterRaw: vice.toString(),
              viceAfter: rad(vice),
              riseRaw: delta.toString(),
              rise: rad(delta),
              vowSinBefore: rad(BigInt(last.vowSin)),
              vowSinAfter: rad(vowSin),
              mediumAt: cfg.sinJumpMedium.toFixed(),
              highAt: cfg.sinJumpHigh.toFixed(),
            },
          }),
        );
      }
    }
    state.last = { block: n, vice: vice.toString(), vowSin: vowSin.toString() };
    return findings;
  }

  /** The ceiling before a change at block n: an earlier change in the same block, else the value at n - 1. */
  async function ceilingBefore(vat: ContractReader, key: string, ilkWord: string | null, n: number): Promise<bigint> {
    if (state.ceilings.block !== n) state.ceilings = { block: n, values: {} };
    const seen = state.ceilings.values[key];
    if (seen !== undefined) return BigInt(seen);
    if (ilkWord) return ((await vat.read("ilks", [ilkWord], n - 1)).line as { toBigInt(): bigint }).toBigInt();
    return vat.uint("Line", [], n - 1);
  }

  async function handleTransaction(tx: TransactionEvent): Promise<Finding[]> {
    const block = blockRefOf(tx);
    const n = block.number;
    const changes = book.applyTransaction(tx);
    const who = callers.observe(tx);
    if (changes.some((c) => c.key === "ILK_REGISTRY")) state.registry = null; // merged again at the next block
    const { vat: vatAddr, findings: ended } = currentVat(block, tx.network);
    if (!vatAddr) return ended;
    const findings: Finding[] = [...ended];

    // IlkRegistry: new collateral types
    const reg = book.tryGetAddress("ILK_REGISTRY");
    if (reg) {
      for (const log of tx.logs) {
        if (log.address.toLowerCase() !== reg) continue;
        const a = addIlkOf(log);
        if (!a) continue;
        if ("ilk" in a) state.ilks[a.ilk] = true;
        else findings.push(undecodableLogFinding(tx.network, block, tx.hash, { address: reg, logIndex: log.logIndex, signature: "AddIlk(bytes32)", error: a.error }));
      }
    }

    // The Vat's notes: ilks it touches, and debt ceiling changes
    const { notes, undecodable } = vatNotes(tx.logs, vatAddr);
    for (const u of undecodable) findings.push(undecodableLogFinding(tx.network, block, tx.hash, u));
    const vat = contract(ctx.rpc, vatAddr, VAT_IFACE, "Vat");
    for (const { note, logIndex } of notes) {
      const ilk = ilkOfVatNote(note);
      if (ilk) state.ilks[ilk] = true;
      if (note.name !== "file") continue;
      const change = fileChangeOf(note);
      if (!change) continue;
      const isGlobal = change.ilk === null && change.what === "Line";
      const isIlk = change.ilk !== null && change.what === "line";
      if (!isGlobal && !isIlk) continue;
      const ilkWord = isIlk ? note.rawArgs[0]! : null;
      const key = ilkWord ?? GLOBAL;
      const newValue = BigInt(change.value);
      const oldValue = await ceilingBefore(vat, key, ilkWord, n);
      state.ceilings.values[key] = newValue.toString();
      const c = ceilingChange(oldValue, newValue, cfg.ceilingRaiseWarn);
      const by = await who.classify({ contract: vatAddr, param: change.what, logIndex, loggedCaller: null });
      const effect = c.large ? FindingSeverity.Medium : FindingSeverity.Info;
      const name = isGlobal ? "Line (global debt ceiling)" : `line of ${change.ilk}`;
      const sign = c.delta > 0n ? "+" : c.delta < 0n ? "-" : "±";
      const abs = c.delta < 0n ? -c.delta : c.delta;
      findings.push(
        createFinding(isGlobal ? ALERTS.lineChanged : ALERTS.ilkLineChanged, {
          description: `Vat ${vatAddr}: ${name} ${c.delta === 0n ? "re-set to" : c.delta > 0n ? "raised to" : "lowered to"} ${radHuman(newValue)} from ${radHuman(oldValue)} (${sign}${radHuman(abs)}${
            c.fraction ? `, ${sign}${formatPercent(c.fraction.abs())}` : ""
          }) ${callerPhrase(by)}, in a transaction from ${tx.from} to ${tx.to ?? "(contract creation)"}`,
          key: logKey(tx.network, block, tx.hash, logIndex),
          block,
          severity: severityOf(by, effect),
          type: typeOf(by, (isGlobal ? ALERTS.lineChanged : ALERTS.ilkLineChanged).type),
          addresses: [vatAddr, tx.from, ...(tx.to ? [tx.to] : []), ...(by.caller ? [by.caller] : [])],
          metadata: {
            vat: vatAddr,
            ilk: change.ilk ?? "",
            what: change.what,
            oldRaw: oldValue.toString(),
            old: rad(oldValue),
            newRaw: newValue.toString(),
            new: rad(newValue),
            changeRaw: c.delta.toString(),
            change: rad(c.delta),
            changeFraction: c.fraction ? c.fraction.toFixed(6) : "",
            raiseWarnAt: cfg.ceilingRaiseWarn.toFixed(),
            from: tx.from,
            to: tx.to ?? "",
            ...attributionMetadata(by),
            txHash: tx.hash,
          },
        }),
      );
    }
    return findings;
  }

  return {
    async initialize() {
      await book.ensureLoaded(ctx.rpc, ctx.initBlock);
    },
    handleBlock,
    handleTransaction,
  };
}

export default lazyAgent(() => createAgent(fortaContext(BOT)));
