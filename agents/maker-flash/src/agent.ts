/**
 * maker-flash: MakerDAO's (Sky's) flash mint module, DssFlash (MCD_FLASH, and MCD_FLASH_LEGACY
 * when the ChainLog still lists it).
 *
 * - Flash mints (FlashLoan: DAI; VatDaiFlashLoan: internal dai) from a size up, as Info or Low:
 *   size alone is ordinary arbitrage.
 * - A flash mint in the same transaction as a governance action, an oracle change, a liquidation
 *   take or an ESM action (High): the combination is what matters. Recognised from the
 *   transaction's own logs (see detectors.ts), every contract found through the ChainLog.
 * - `max`, `toll` (and `vow`) changes (Medium). Admin rights (Rely/Deny) are maker-auth's.
 */
import type { Finding, TransactionEvent } from "forta-agent";
import { ethers } from "forta-agent";
import { FLASH_IFACE, LITE_PSM_IFACE, OSM_IFACE, PSM_IFACE, fromBytes32 } from "../../../shared/abi";
import { blockRefOf, fortaContext, lazyAgent, type Agent, type BotContext } from "../../../shared/bot";
import { FindingSeverity, createFinding, logKey, type BlockRef } from "../../../shared/findings";
import { decodeEvents, undecodableLogFinding, type DecodedEvent } from "../../../shared/logs";
import { bookKeys, touching } from "../../../shared/interest";
import { AddressBook, CHAINLOG_KEYS } from "../../../shared/maker/chainlog";
import { emptyFiled, previousFiled } from "../../../shared/maker/filed";
import { formatAmount, formatPercent, fromWad } from "../../../shared/math";
import { contract } from "../../../shared/rpc/contract";
import { attributionMetadata, callerPhrase, keepForAttribution } from "../../../shared/maker/attribution";
import { callerAttributionFor, severityOf, typeOf, type TxCallers } from "../../../shared/maker/callers";
import { ALERTS } from "./alerts";
import { loadConfig } from "./config";
import { classifyActions, loanDai, loanLevel, summarizeActions, type Action, type Watched } from "./detectors";

const GEM_JOIN_DEC_IFACE = new ethers.utils.Interface(["function dec() view returns (uint256)"]);

export const BOT = "maker-flash";


/** ChainLog keys this bot holds and follows. */
const KEEP = /^(MCD_FLASH(_LEGACY)?|MCD_PAUSE|MCD_ADM(_LEGACY)?|MCD_ESM|MCD_SPOT|PIP_[A-Z0-9_]+|MCD_CLIP_(?!CALC_)[A-Z0-9_]+|MCD_(LITE_)?PSM_[A-Z0-9]+_[A-Z])$/;

export function createAgent(ctx: BotContext): Agent {
  const cfg = loadConfig(ctx.env);
  const bookOpts = { keep: keepForAttribution(KEEP) };
  const book = AddressBook.attach(ctx.persistent("chainlog", () => AddressBook.emptyState(cfg.chainlog, bookOpts)), cfg.chainlog, bookOpts);
  const callers = callerAttributionFor(ctx, book, cfg);
  const filed = ctx.persistent("filed", emptyFiled);

  /** The watched contracts as the book holds them now (rebuilt per transaction: the book may change). */
  function watched(medians: ReadonlyMap<string, string>): Watched & { flashes: Map<string, string> } {
    const entries = book.entries();
    const by = (re: RegExp) => new Map(entries.filter((e) => re.test(e.key)).map((e) => [e.address, e.key] as const));
    return {
      flashes: by(/^MCD_FLASH(_LEGACY)?$/),
      pause: new Set(by(/^MCD_PAUSE$/).keys()),
      chiefs: by(/^MCD_ADM(_LEGACY)?$/),
      esm: new Set(by(/^MCD_ESM$/).keys()),
      spot: new Set(by(/^MCD_SPOT$/).keys()),
      pips: by(CHAINLOG_KEYS.pips),
      medians,
      clippers: by(CHAINLOG_KEYS.clippers),
      psms: by(CHAINLOG_KEYS.psms),
    };
  }

  /**
   * A PSM's gem units -> DAI (wad) factor at `block`: the lite PSM's `to18ConversionFactor()`, or
   * 10^(18 - dec) of the classic PSM's GemJoin. null when neither answers.
   */
  async function to18(psm: string, block: number): Promise<bigint | null> {
    const lite = await contract(ctx.rpc, psm, LITE_PSM_IFACE, "LitePSM").tryRead("to18ConversionFactor", [], block).catch(() => null);
    if (lite) return BigInt(lite[0].toString());
    const join = await contract(ctx.rpc, psm, PSM_IFACE, "PSM").tryRead("gemJoin", [], block).catch(() => null);
    if (!join) return null;
    const dec = await contract(ctx.rpc, String(join[0]), GEM_JOIN_DEC_IFACE, "GemJoin").tryRead("dec", [], block).catch(() => null);
    return dec ? 10n ** BigInt(18 - Number(dec[0])) : null;
  }

  /** psm actions of at least FLASH_COMBINED_PSM_MIN DAI (described with their DAI value); the other kinds as they are. */
  async function sized(actions: Action[], block: number): Promise<Action[]> {
    const out: Action[] = [];
    for (const a of actions) {
      if (a.kind !== "psm") {
        out.push(a);
        continue;
      }
      const factor = await to18(a.address, block);
      // a PSM whose units cannot be read counts (better a finding than a silent drain)
      const daiValue = factor === null ? null : fromWad((BigInt(a.gemRaw!) * factor).toString());
      if (daiValue !== null && daiValue.lt(cfg.psmMin)) continue;
      out.push({ ...a, what: daiValue === null ? a.what : `${a.contract}.buyGem(${formatAmount(daiValue)} DAI of gems)` });
    }
    return out;
  }

  /** Medians behind the OSMs at `block`: `src()` of every PIP_* (DSValue pips have none). One batch. */
  async function mediansAt(pips: ReadonlyMap<string, string>, block: number): Promise<Map<string, string>> {
    const out = new Map<string, string>();
    const srcs = await Promise.all([...pips].map(([address]) => contract(ctx.rpc, address, OSM_IFACE, "OSM").tryRead("src", [], block).catch(() => null)));
    [...pips].forEach(([, key], i) => {
      const src = srcs[i]?.[0];
      if (typeof src === "string" && src !== ethers.constants.AddressZero) out.set(src.toLowerCase(), key);
    });
    return out;
  }

  function loanFinding(e: DecodedEvent, flashKey: string, block: BlockRef, tx: TransactionEvent): Finding | null {
    const kind = e.name as "FlashLoan" | "VatDaiFlashLoan";
    const amount = e.args.amount.toString();
    const dai = loanDai(kind, amount);
    ctx.observe?.("maker.flash_loan", dai.toFixed(), { kind });
    const level = loanLevel(dai, cfg.infoMin, cfg.lowMin);
    if (!level) return null;
    const receiver = String(e.args.receiver).toLowerCase();
    const fee = e.args.fee.toString();
    return createFinding(ALERTS.largeLoan, {
      description: `${formatAmount(dai)} DAI flash-minted from ${flashKey} (${kind === "FlashLoan" ? "ERC-3156 DAI" : "internal Vat dai"}) to ${receiver} (tx from ${tx.from})`,
      key: logKey(tx.network, block, tx.hash, e.logIndex),
      block,
      severity: level === "low" ? FindingSeverity.Low : FindingSeverity.Info,
      addresses: [e.address, receiver, tx.from],
      metadata: {
        flash: e.address,
        event: kind,
        receiver,
        amountRaw: amount,
        amountUnit: kind === "FlashLoan" ? "wad" : "rad",
        amount: dai.toFixed(),
        feeRaw: fee,
        token: kind === "FlashLoan" ? String(e.args.token).toLowerCase() : "vat dai",
        level,
        infoMin: cfg.infoMin.toFixed(),
        lowMin: cfg.lowMin.toFixed(),
        txHash: tx.hash,
        from: tx.from,
      },
    });
  }

  async function fileFinding(e: DecodedEvent, flashKey: string, block: BlockRef, tx: TransactionEvent, who: TxCallers): Promise<Finding> {
    const key = logKey(tx.network, block, tx.hash, e.logIndex);
    const what = fromBytes32(String(e.args.what));
    const isAddress = typeof e.args.data === "string";
    const value = isAddress ? String(e.args.data).toLowerCase() : (e.args.data as ethers.BigNumber).toString();
    // the value before this File, for "from X to Y" (the getter may not exist on every version)
    const getter = ["max", "toll", "vow"].includes(what) ? what : null;
    const prevRaw = await previousFiled(filed, block.number, e.address, what, value, async () => {
      const before = getter ? await contract(ctx.rpc, e.address, FLASH_IFACE, "DssFlash").tryRead(getter, [], block.number - 1).catch(() => null) : null;
      return before ? (typeof before[0] === "string" ? before[0].toLowerCase() : String(before[0])) : "";
    });
    const human = (raw: string) => (isAddress ? raw : what === "max" ? `${formatAmount(fromWad(raw))} DAI` : what === "toll" ? `${formatPercent(fromWad(raw), 4)} fee` : raw);
    const by = await who.classify({ contract: e.address, param: what, logIndex: e.logIndex, loggedCaller: null });
    return createFinding(ALERTS.file, {
      description: `${flashKey} ${e.address}: ${what} set to ${human(value)}${prevRaw ? ` (was ${human(prevRaw)})` : ""} ${callerPhrase(by)} (tx from ${tx.from})`,
      key,
      block,
      severity: severityOf(by, ALERTS.file.severity),
      type: typeOf(by, ALERTS.file.type),
      addresses: [e.address, tx.from, ...(by.caller ? [by.caller] : [])],
      metadata: { flash: e.address, what, value, valueHuman: human(value), previous: prevRaw, previousHuman: prevRaw ? human(prevRaw) : "", from: tx.from, txHash: tx.hash, ...attributionMetadata(by) },
    });
  }

  async function handleTransaction(tx: TransactionEvent): Promise<Finding[]> {
    const block = blockRefOf(tx);
    book.applyTransaction(tx);
    const who = callers.observe(tx);
    // Most transactions never touch DssFlash: leave before building anything.
    const flashAddresses = ["MCD_FLASH", "MCD_FLASH_LEGACY"].map((k) => book.tryGetAddress(k)).filter((a): a is string => !!a);
    if (!tx.logs.some((l) => flashAddresses.includes(l.address.toLowerCase()))) return [];
    let w = watched(new Map());
    const findings: Finding[] = [];

    // Rely/Deny on DssFlash are maker-auth's (admin rights on every core contract)
    const { events, undecodable } = decodeEvents(tx.logs, FLASH_IFACE, [...w.flashes.keys()], ["FlashLoan", "VatDaiFlashLoan", "File"]);
    for (const u of undecodable) findings.push(undecodableLogFinding(tx.network, block, tx.hash, u));
    const loans: DecodedEvent[] = [];
    for (const e of events) {
      const flashKey = w.flashes.get(e.address)!;
      if (e.name === "FlashLoan" || e.name === "VatDaiFlashLoan") {
        loans.push(e);
        const f = loanFinding(e, flashKey, block, tx);
        if (f) findings.push(f);
      } else {
        findings.push(await fileFinding(e, flashKey, block, tx, who));
      }
    }
    if (loans.length === 0) return findings;

    // A flash mint: what else does this transaction do?
    let classified = classifyActions(tx.logs, w);
    if (classified.medianCandidates.length > 0) {
      // logs that look like a Median's: learn which Medians sit behind the OSMs, at this block
      w = watched(await mediansAt(w.pips, block.number));
      classified = classifyActions(tx.logs, w);
    }
    for (const u of classified.undecodable) findings.push(undecodableLogFinding(tx.network, block, tx.hash, u));
    const actions = await sized(classified.actions.filter((a) => cfg.combinedWith.includes(a.kind)), block.number);
    if (actions.length === 0) return findings;

    const kinds = [...new Set(actions.map((a) => a.kind))];
    const total = loans.reduce((acc, e) => acc.plus(loanDai(e.name as "FlashLoan", e.args.amount.toString())), fromWad(0));
    const receivers = [...new Set(loans.map((e) => String(e.args.receiver).toLowerCase()))];
    const summary = summarizeActions(actions);
    findings.push(
      createFinding(ALERTS.combined, {
        description: `${formatAmount(total)} DAI flash-minted in the same transaction as ${kinds.join(" and ")} action(s): ${summary} (tx from ${tx.from})`,
        key: [tx.network, block.hash, tx.hash, "combined"],
        block,
        addresses: [...new Set([...loans.map((e) => e.address), ...receivers, ...actions.map((a) => a.address), tx.from])],
        metadata: {
          kinds: kinds.join(","),
          actions: summary,
          actionContracts: [...new Set(actions.map((a) => `${a.contract}=${a.address}`))].join(","),
          flashLoans: loans.length,
          amount: total.toFixed(),
          amountsRaw: loans.map((e) => `${e.name}:${e.args.amount.toString()}`).join(","),
          receivers: receivers.join(","),
          from: tx.from,
          to: tx.to ?? "",
          txHash: tx.hash,
        },
      }),
    );
    return findings;
  }

  return {
    async initialize() {
      await book.ensureLoaded(ctx.rpc, ctx.initBlock);
    },
    handleTransaction,
    // what handleTransaction acts on: DssFlash's logs (the rest of a flash-mint transaction is read
    // only then), the pause's plots (callers), the ChainLog's updates
    wantsTransaction: touching(bookKeys(book, ["MCD_FLASH", "MCD_FLASH_LEGACY", "MCD_PAUSE"])),
  };
}

export default lazyAgent(() => createAgent(fortaContext(BOT)));
