/**
 * maker-psm: every peg stability module in the ChainLog (MCD_PSM_*, MCD_LITE_PSM_*).
 *
 * - Large SellGem/BuyGem (Info, Low from a larger size).
 * - A run on the reserve: net outflow of gems within a sliding window, as a fraction of the
 *   reserve at the window's start (episode: High, Critical).
 * - tin/tout (and buf, vow) changes (Medium), lite PSM fee-free whitelist (Kiss/Diss, Medium).
 * - The PSM's collateral type near its debt ceiling (episode: Medium, High).
 *
 * The reserve is the gems the PSM can pay out: the gem balance of the GemJoin (classic PSM) or
 * of the pocket (lite PSM). Admin rights (Rely/Deny) are maker-auth's.
 */
import type { Finding, TransactionEvent } from "forta-agent";
import { ethers } from "forta-agent";
import { ERC20_IFACE, LITE_PSM_IFACE, NoteDecodeError, PSM_IFACE, VAT_IFACE, VAT_NOTES, decodeNote, fileChangeOf, fileSets, fromBytes32 } from "../../../shared/abi";
import { blockRefOf, fortaContext, lazyAgent, type Agent, type BotContext } from "../../../shared/bot";
import { Episodes, episodeFinding, type EpisodeState } from "../../../shared/episodes";
import { errorMessage } from "../../../shared/errors";
import { FindingSeverity, createFinding, logKey, type BlockRef } from "../../../shared/findings";
import { decodeEvents, undecodableLogFinding, type DecodedEvent } from "../../../shared/logs";
import { bookKeys, touching } from "../../../shared/interest";
import { AddressBook, CHAINLOG_KEYS } from "../../../shared/maker/chainlog";
import { emptyFiled, previousFiled } from "../../../shared/maker/filed";
import { dec, formatAmount, formatPercent, fromRad, fromWad } from "../../../shared/math";
import { ContractDecodeError, contract } from "../../../shared/rpc/contract";
import { CallRevertedError } from "../../../shared/rpc/errors";
import { attributionMetadata, callerPhrase, keepForAttribution } from "../../../shared/maker/attribution";
import { callerAttributionFor, severityOf, typeOf, type TxCallers } from "../../../shared/maker/callers";
import { ALERTS } from "./alerts";
import type { PsmInfo } from "./psm";
import { loadConfig } from "./config";
import { emptyLiteReserve, liteReserveWatcher } from "./lite-reserve";
import { HALTED, addFlow, gemUnits, lineLevel, pruneWindow, runLevel, swapLevel, type FlowWindow, type LineLevel, type RunLevel } from "./detectors";

export const BOT = "maker-psm";

const KEEP = new RegExp(`^MCD_VAT$|^MCD_DAI$|${CHAINLOG_KEYS.psms.source}`);
/** The GemJoin of a classic PSM (AuthGemJoin5 and the like). */
const GEM_JOIN_IFACE = new ethers.utils.Interface(["function gem() view returns (address)", "function dec() view returns (uint256)"]);
/** How long a PSM whose contracts could not be read waits before the next attempt (blocks). */
const RETRY_LOAD_BLOCKS = 1000;


interface State {
  psms: Record<string, PsmInfo>;
  /** psm address -> { key, address, block, error } of a failed load (retried after RETRY_LOAD_BLOCKS) */
  failed: Record<string, { key: string; block: number; error: string }>;
  windows: Record<string, FlowWindow>;
  run: EpisodeState<RunLevel>;
  line: EpisodeState<LineLevel>;
  lineChecked: Record<string, true>;
  /**
   * The block (hash) at which a handler last brought state.psms in line with the book (kept with the
   * state, so a block retried or rewound after a reorg lists them again).
   */
  syncedAt?: string;
}

export function createAgent(ctx: BotContext): Agent {
  const cfg = loadConfig(ctx.env);
  const bookOpts = { keep: keepForAttribution(KEEP) };
  const book = AddressBook.attach(ctx.persistent("chainlog", () => AddressBook.emptyState(cfg.chainlog, bookOpts)), cfg.chainlog, bookOpts);
  const state = ctx.persistent<State>("psm", () => ({ psms: {}, failed: {}, windows: {}, run: {}, line: {}, lineChecked: {} }));
  const filed = ctx.persistent("filed", emptyFiled);
  const callers = callerAttributionFor(ctx, book, cfg);
  const runs = new Episodes<RunLevel>(["run", "severe"], state.run);
  const lines = new Episodes<LineLevel>(["near", "full"], state.line);
  const lite = liteReserveWatcher(ctx, book, cfg, ctx.persistent("lite-reserve", emptyLiteReserve));
  const runParams = { fraction: cfg.runFraction, criticalFraction: cfg.runCriticalFraction, min: cfg.runMin };
  const touchesOurs = touching(bookKeys(book, ["MCD_VAT", "MCD_PAUSE"]), (address) => state.psms[address] !== undefined);

  async function loadPsm(key: string, address: string, block: number | "latest"): Promise<PsmInfo> {
    if (key.startsWith("MCD_LITE_PSM_")) {
      const r = contract(ctx.rpc, address, LITE_PSM_IFACE, key);
      const [[ilk], gem, pocket] = await Promise.all([r.read("ilk", [], block), r.addr("gem", [], block), r.addr("pocket", [], block)]);
      const { decimals, symbol } = await gemInfo(gem, block);
      return { key, kind: "lite", ilk: String(ilk), ilkName: fromBytes32(String(ilk)), gem, symbol, decimals, reserveHolder: pocket };
    }
    const r = contract(ctx.rpc, address, PSM_IFACE, key);
    const [[ilk], gemJoin] = await Promise.all([r.read("ilk", [], block), r.addr("gemJoin", [], block)]);
    const join = contract(ctx.rpc, gemJoin, GEM_JOIN_IFACE, `${key} gemJoin`);
    const gem = await join.addr("gem", [], block);
    const { decimals, symbol } = await gemInfo(gem, block);
    return { key, kind: "psm", ilk: String(ilk), ilkName: fromBytes32(String(ilk)), gem, symbol, decimals, reserveHolder: gemJoin };
  }

  /** The gem's decimals (required: amounts depend on them) and symbol (optional). One batch. */
  async function gemInfo(gem: string, block: number | "latest"): Promise<{ decimals: number; symbol: string }> {
    const token = contract(ctx.rpc, gem, ERC20_IFACE, "gem");
    const [decimals, symbol] = await Promise.all([token.uint("decimals", [], block), token.tryRead("symbol", [], block).catch(() => null)]);
    const sym = typeof symbol?.[0] === "string" && /^[\x20-\x7e]{1,16}$/.test(symbol[0]) ? symbol[0] : "gems";
    return { decimals: Number(decimals), symbol: sym };
  }

  /** Resolve the run and line episodes of every PSM not in `alive` (the ChainLog removed or re-pointed its key). */
  function endPsms(alive: ReadonlySet<string>, block: BlockRef, chainId: number): Finding[] {
    const out: Finding[] = [];
    const sev = () => FindingSeverity.Info;
    const about = (psm: string) => {
      const key = state.psms[psm]?.key ?? "";
      return { psm, key, ilk: state.psms[psm]?.ilkName ?? "", name: key ? `${key} ${psm}` : `PSM ${psm}`, resolvedBecause: "psm-removed-from-chainlog" };
    };
    const ending = "ends here: the ChainLog no longer names it, so it is no longer watched";
    for (const t of runs.resolveExcept(alive, block)) {
      const { name, ...meta } = about(t.subject);
      out.push(episodeFinding(ALERTS.run, t, sev, { description: `${name}: the episode about a run on its reserve ${ending}`, key: [chainId, t.subject], addresses: [t.subject], metadata: meta }));
    }
    for (const t of lines.resolveExcept(alive, block)) {
      const { name, ...meta } = about(t.subject);
      out.push(episodeFinding(ALERTS.line, t, sev, { description: `${name}: the episode about its collateral type near its debt ceiling ${ending}`, key: [chainId, t.subject], addresses: [t.subject], metadata: meta }));
    }
    return out;
  }

  /**
   * Make state.psms match the PSMs the book holds: forget removed ones (their windows; their open
   * episodes are resolved, returned as findings), read the new ones at `block`. A PSM that cannot be read is logged as an error (once
   * per attempt), left unwatched and retried after RETRY_LOAD_BLOCKS blocks; the other PSMs go on.
   */
  async function ensurePsms(block: number | "latest", at?: { ref: BlockRef; chainId: number }): Promise<Finding[]> {
    delete state.syncedAt;
    const wanted = new Map(book.matching(CHAINLOG_KEYS.psms).map((e) => [e.address, e.key] as const));
    const alive = new Set(wanted.keys());
    // episodes of a PSM the ChainLog no longer names end with a resolved finding (at initialize,
    // with no block to report them at, they wait for the first handler)
    const ended = at ? endPsms(alive, at.ref, at.chainId) : [];
    for (const a of Object.keys(state.psms)) if (!wanted.has(a) || wanted.get(a) !== state.psms[a]!.key) delete state.psms[a];
    for (const a of Object.keys(state.windows)) if (!state.psms[a] && !wanted.has(a)) delete state.windows[a];
    for (const a of Object.keys(state.lineChecked)) if (!alive.has(a)) delete state.lineChecked[a];

    const n = typeof block === "number" ? block : Infinity;
    const todo = [...wanted].filter(([a]) => !state.psms[a] && !(state.failed[a] && n < state.failed[a]!.block + RETRY_LOAD_BLOCKS));
    const results = await Promise.allSettled(todo.map(([a, key]) => loadPsm(key, a, block)));
    const errors: string[] = [];
    results.forEach((r, i) => {
      const [a, key] = todo[i]!;
      if (r.status === "fulfilled") {
        state.psms[a] = r.value;
        delete state.failed[a];
      } else {
        // a node that fails is not the PSM's fault: let the runtime retry the block
        if (!(r.reason instanceof CallRevertedError || r.reason instanceof ContractDecodeError)) throw r.reason;
        state.failed[a] = { key, block: Number.isFinite(n) ? n : 0, error: errorMessage(r.reason) };
        errors.push(`${key} (${a}): ${errorMessage(r.reason)}`);
      }
    });
    if (errors.length) {
      ctx.log.error({ block, psms: errors }, `cannot read ${errors.length} PSM(s) listed in the ChainLog: not watched until they can be read (retried every ${RETRY_LOAD_BLOCKS} blocks)`);
    }
    if (at) state.syncedAt = at.ref.hash;
    return ended;
  }

  const human = (p: PsmInfo, raw: string | bigint) => `${formatAmount(gemUnits(raw, p.decimals))} ${p.symbol}`;

  function swapFinding(e: DecodedEvent, p: PsmInfo, block: BlockRef, tx: TransactionEvent): Finding | null {
    const value = e.args.value.toString();
    const level = swapLevel(value, p.decimals, cfg.swapInfoMin, cfg.swapLowMin);
    if (!level) return null;
    const owner = String(e.args.owner).toLowerCase();
    const sell = e.name === "SellGem";
    const units = gemUnits(value, p.decimals);
    return createFinding(ALERTS.largeSwap, {
      description: sell
        ? `${p.key}: ${formatAmount(units)} ${p.symbol} sold to the PSM for DAI paid to ${owner} (the reserve grows; tx from ${tx.from})`
        : `${p.key}: ${formatAmount(units)} ${p.symbol} bought from the PSM with DAI and sent to ${owner} (the reserve shrinks; tx from ${tx.from})`,
      key: logKey(tx.network, block, tx.hash, e.logIndex),
      block,
      severity: level === "low" ? FindingSeverity.Low : FindingSeverity.Info,
      addresses: [e.address, owner, tx.from, p.gem],
      metadata: {
        psm: e.address,
        key: p.key,
        ilk: p.ilkName,
        event: e.name,
        owner,
        gem: p.gem,
        gemSymbol: p.symbol,
        gemDecimals: p.decimals,
        valueRaw: value,
        value: units.toFixed(),
        feeWad: e.args.fee.toString(),
        fee: fromWad(e.args.fee.toString()).toFixed(),
        level,
        infoMin: cfg.swapInfoMin.toFixed(),
        lowMin: cfg.swapLowMin.toFixed(),
        from: tx.from,
        txHash: tx.hash,
      },
    });
  }

  async function fileFinding(e: DecodedEvent, p: PsmInfo, block: BlockRef, tx: TransactionEvent, who: TxCallers): Promise<Finding> {
    const what = fromBytes32(String(e.args.what));
    const isAddress = typeof e.args.data === "string";
    const value = isAddress ? String(e.args.data).toLowerCase() : (e.args.data as ethers.BigNumber).toString();
    const show = (raw: string): string => {
      if (isAddress) return raw;
      if (what === "tin" || what === "tout") return BigInt(raw) === HALTED ? "HALTED (this direction of swaps is stopped)" : `${formatPercent(fromWad(raw), 4)} fee`;
      if (what === "buf") return `${formatAmount(fromWad(raw))} DAI`;
      return raw;
    };
    const getter = ["tin", "tout", "buf", "vow"].includes(what) ? what : null;
    const previous = await previousFiled(filed, block.number, e.address, what, value, async () => {
      const before = getter ? await contract(ctx.rpc, e.address, LITE_PSM_IFACE, p.key).tryRead(getter, [], block.number - 1).catch(() => null) : null;
      return before ? (typeof before[0] === "string" ? before[0].toLowerCase() : String(before[0])) : "";
    });
    const direction = what === "tin" ? " (selling gems to the PSM)" : what === "tout" ? " (buying gems from the PSM)" : "";
    const by = await who.classify({ contract: e.address, param: what, logIndex: e.logIndex, loggedCaller: null });
    return createFinding(ALERTS.file, {
      description: `${p.key} ${e.address}: ${what}${direction} set to ${show(value)}${previous ? ` (was ${show(previous)})` : ""} ${callerPhrase(by)} (tx from ${tx.from})`,
      key: logKey(tx.network, block, tx.hash, e.logIndex),
      block,
      severity: severityOf(by, ALERTS.file.severity),
      type: typeOf(by, ALERTS.file.type),
      addresses: [e.address, tx.from, ...(by.caller ? [by.caller] : [])],
      metadata: { psm: e.address, key: p.key, ilk: p.ilkName, what, value, valueHuman: show(value), previous, previousHuman: previous ? show(previous) : "", from: tx.from, txHash: tx.hash, ...attributionMetadata(by) },
    });
  }

  async function whitelistFinding(e: DecodedEvent, p: PsmInfo, block: BlockRef, tx: TransactionEvent, who: TxCallers): Promise<Finding> {
    const usr = String(e.args.usr).toLowerCase();
    const kiss = e.name === "Kiss";
    const by = await who.classify({ contract: e.address, param: kiss ? "kiss" : "diss", logIndex: e.logIndex, loggedCaller: null });
    return createFinding(ALERTS.whitelist, {
      description: `${p.key} ${e.address}: ${usr} ${kiss ? "may now swap without fees (kiss)" : "may no longer swap without fees (diss)"} ${callerPhrase(by)} (tx from ${tx.from})`,
      key: logKey(tx.network, block, tx.hash, e.logIndex),
      block,
      severity: severityOf(by, ALERTS.whitelist.severity),
      type: typeOf(by, ALERTS.whitelist.type),
      addresses: [e.address, usr, tx.from, ...(by.caller ? [by.caller] : [])],
      metadata: { psm: e.address, key: p.key, action: kiss ? "kiss" : "diss", usr, from: tx.from, txHash: tx.hash, ...attributionMetadata(by) },
    });
  }

  /** Re-evaluate the run episode of `psm` from its window (already pruned to `block`). */
  function runTransition(psm: string, p: PsmInfo, block: BlockRef, chainId: number): Finding[] {
    const w = state.windows[psm];
    const r = w ? runLevel(w, p.decimals, runParams) : null;
    if (w && r) ctx.observe?.("maker.psm_reserve", gemUnits(dec(w.base).minus(r.net).toFixed(0), p.decimals).toFixed(), { psm: p.key });
    const t = runs.observe(psm, r?.level ?? null, block);
    if (!t) return [];
    const net = r?.net ?? dec(0);
    const base = w?.base ?? "0";
    const share = r?.share ? formatPercent(r.share) : "0.00%";
    const minutes = Math.round(cfg.runWindow / 60);
    const description =
      t.kind === "resolved"
        ? `${p.key}: the reserve's net outflow over the last ${minutes} min is back below ${formatPercent(cfg.runFraction)} (${human(p, net.isNegative() ? "0" : net.toFixed(0))} out, ${share})`
        : `${p.key}: ${human(p, net.toFixed(0))} left the reserve (net of what was sold in) within ${minutes} min, ${share} of the ${human(p, base)} it held at the window's start: ${t.level === "severe" ? "a run on the peg" : "heavy redemptions"}`;
    return [
      episodeFinding(ALERTS.run, t, (l) => (l === "severe" ? FindingSeverity.Critical : FindingSeverity.High), {
        description,
        key: [chainId, psm],
        addresses: [psm, p.reserveHolder, p.gem],
        metadata: {
          psm,
          key: p.key,
          ilk: p.ilkName,
          gem: p.gem,
          reserveHolder: p.reserveHolder,
          windowSeconds: cfg.runWindow,
          netOutflowRaw: net.toFixed(0),
          netOutflow: gemUnits(net.toFixed(0), p.decimals).toFixed(),
          reserveAtWindowStartRaw: base,
          reserveAtWindowStart: gemUnits(base, p.decimals).toFixed(),
          share: r?.share?.toFixed(6) ?? "",
          windowStartBlock: w?.flows[0]?.b ?? "",
          runFraction: cfg.runFraction.toFixed(),
          criticalFraction: cfg.runCriticalFraction.toFixed(),
        },
      }),
    ];
  }

  /** Read the ilk of `psm` at `block` and report a change of its line episode. */
  async function checkLine(psm: string, p: PsmInfo, block: BlockRef, chainId: number): Promise<Finding[]> {
    const vat = book.tryGetAddress("MCD_VAT");
    if (!vat) return [];
    const ilk = await contract(ctx.rpc, vat, VAT_IFACE, "Vat").read("ilks", [p.ilk], block.number);
    state.lineChecked[psm] = true;
    const Art = ilk.Art.toString();
    const rate = ilk.rate.toString();
    const line = ilk.line.toString();
    const r = lineLevel(Art, rate, line, cfg.lineWarn, cfg.lineFull);
    const t = lines.observe(psm, r.level, block);
    if (!t) return [];
    const util = r.utilization ? formatPercent(r.utilization) : "n/a (line is 0)";
    const what = `${formatAmount(fromRad(r.debt.toFixed(0)))} DAI of debt against a line of ${formatAmount(fromRad(line))} DAI (${util})`;
    const description =
      t.kind === "resolved"
        ? `${p.key} (${p.ilkName}) is back below ${formatPercent(cfg.lineWarn)} of its debt ceiling: ${what}`
        : t.level === "full"
          ? `${p.key} (${p.ilkName}) is at its debt ceiling: ${what}; ${p.kind === "psm" ? "no more gems can be sold to it for DAI" : "it cannot pre-mint more DAI for swaps"}`
          : `${p.key} (${p.ilkName}) is near its debt ceiling: ${what}`;
    return [
      episodeFinding(ALERTS.line, t, (l) => (l === "full" ? FindingSeverity.High : FindingSeverity.Medium), {
        description,
        key: [chainId, psm],
        addresses: [psm, vat],
        metadata: {
          psm,
          key: p.key,
          ilk: p.ilkName,
          artWad: Art,
          rateRay: rate,
          debtRad: r.debt.toFixed(0),
          debt: fromRad(r.debt.toFixed(0)).toFixed(),
          lineRad: line,
          line: fromRad(line).toFixed(),
          utilization: r.utilization?.toFixed(6) ?? "",
          warnFraction: cfg.lineWarn.toFixed(),
          fullFraction: cfg.lineFull.toFixed(),
        },
      }),
    ];
  }

  async function handleTransaction(tx: TransactionEvent): Promise<Finding[]> {
    const block = blockRefOf(tx);
    const changed = book.applyTransaction(tx).length > 0;
    const who = callers.observe(tx);
    // the PSM list follows the book: re-listed when this transaction changed the ChainLog, or at the
    // first handler call of a block (a failed PSM's retry depends on the block number), not on every
    // transaction (listing and sorting the book's keys was ~3% of the suite's replay CPU)
    const findings: Finding[] = changed || state.syncedAt !== block.hash ? await ensurePsms(block.number, { ref: block, chainId: tx.network }) : [];
    const psms = Object.keys(state.psms);
    const lineRecheck = new Set<string>();
    const swapped = new Map<string, { direction: "out" | "in"; raw: string }[]>();

    if (psms.length > 0) {
      // LITE_PSM_IFACE holds every event of both kinds (same signatures); Rely/Deny are maker-auth's
      const { events, undecodable } = decodeEvents(tx.logs, LITE_PSM_IFACE, psms, ["SellGem", "BuyGem", "File", "Kiss", "Diss", "Fill", "Trim"]);
      for (const u of undecodable) findings.push(undecodableLogFinding(tx.network, block, tx.hash, u));
      for (const e of events) {
        const p = state.psms[e.address]!;
        switch (e.name) {
          case "SellGem":
          case "BuyGem": {
            const f = swapFinding(e, p, block, tx);
            if (f) findings.push(f);
            swapped.set(e.address, [...(swapped.get(e.address) ?? []), { direction: e.name === "BuyGem" ? "out" : "in", raw: e.args.value.toString() }]);
            if (p.kind === "psm") lineRecheck.add(e.address); // a classic PSM frobs its urn on every swap
            break;
          }
          case "File":
            findings.push(await fileFinding(e, p, block, tx, who));
            break;
          case "Kiss":
          case "Diss":
            findings.push(await whitelistFinding(e, p, block, tx, who));
            break;
          case "Fill":
          case "Trim":
            lineRecheck.add(e.address);
            break;
        }
      }
    }

    // A new line for a PSM's ilk (a spell, or the auto-line) is a Vat file note.
    const vat = book.tryGetAddress("MCD_VAT");
    if (vat && psms.length > 0) {
      for (const log of tx.logs) {
        if (log.address.toLowerCase() !== vat) continue;
        try {
          const note = decodeNote(log, VAT_NOTES);
          const fc = note && note.signature === "file(bytes32,bytes32,uint256)" && fileSets(note, "line") ? fileChangeOf(note) : null;
          if (fc?.what !== "line") continue;
          for (const [a, p] of Object.entries(state.psms)) if (p.ilkName === fc.ilk) lineRecheck.add(a);
        } catch (err) {
          if (!(err instanceof NoteDecodeError)) throw err;
          findings.push(undecodableLogFinding(tx.network, block, tx.hash, { address: vat, logIndex: log.logIndex, signature: "Vat LogNote", error: err.message }));
        }
      }
    }

    // The window of each PSM swapped with: its reserve at the window's start, then this transaction's flows.
    const fresh = [...swapped.keys()].filter((a) => !(state.windows[a] && pruneWindow(state.windows[a]!, block.timestamp, cfg.runWindow)));
    const bases = await Promise.all(
      fresh.map((a) => contract(ctx.rpc, state.psms[a]!.gem, ERC20_IFACE, "gem").uint("balanceOf", [state.psms[a]!.reserveHolder], block.number - 1)),
    );
    fresh.forEach((a, i) => (state.windows[a] = { base: bases[i]!.toString(), flows: [] }));
    for (const [a, flows] of swapped) {
      for (const f of flows) addFlow(state.windows[a]!, block.number, block.timestamp, f.direction, f.raw);
      findings.push(...runTransition(a, state.psms[a]!, block, tx.network));
    }

    const checks = await Promise.all([...lineRecheck].map((a) => checkLine(a, state.psms[a]!, block, tx.network)));
    for (const c of checks) findings.push(...c);
    return findings;
  }

  async function handleBlock(blockEvent: import("forta-agent").BlockEvent): Promise<Finding[]> {
    const block = blockRefOf(blockEvent);
    const findings: Finding[] = await ensurePsms(block.number, { ref: block, chainId: blockEvent.network });
    // The window slides with time: old flows leave it, and a run may end without any new swap.
    for (const a of Object.keys(state.windows)) {
      const p = state.psms[a];
      if (!p) continue;
      if (!pruneWindow(state.windows[a]!, block.timestamp, cfg.runWindow)) delete state.windows[a];
      if (runs.get(a)) findings.push(...runTransition(a, p, block, blockEvent.network));
    }
    // A condition that already holds when the bot starts (or when a PSM appears) is reported once.
    const unchecked = Object.keys(state.psms).filter((a) => !state.lineChecked[a]);
    const checks = await Promise.all(unchecked.map((a) => checkLine(a, state.psms[a]!, block, blockEvent.network)));
    for (const c of checks) findings.push(...c);
    for (const [a, p] of Object.entries(state.psms)) findings.push(...(await lite.check(a, p, block, blockEvent.network)));
    return findings;
  }

  return {
    async initialize() {
      await book.ensureLoaded(ctx.rpc, ctx.initBlock);
      await ensurePsms(ctx.initBlock);
    },
    handleBlock,
    handleTransaction,
    // what handleTransaction reads: the PSMs' logs, the Vat's notes, the pause's plots, the ChainLog's
    // updates; and any transaction while the PSM list is not synced with this block (handleBlock syncs it)
    wantsTransaction: (tx) => state.syncedAt !== tx.block.hash || touchesOurs(tx),
  };
}

export default lazyAgent(() => createAgent(fortaContext(BOT)));
