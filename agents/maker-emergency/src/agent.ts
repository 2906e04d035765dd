/**
 * maker-emergency: MakerDAO's (Sky's) emergency shutdown machinery.
 *
 * - ESM (MCD_ESM): joins of governance tokens, the running total against `min()` (an episode),
 *   `Fire()`, `denyProxy`, rights (Rely/Deny) and parameters (File).
 * - End (MCD_END): `Cage()` (global settlement), `Cage(ilk)`, rights and parameters.
 * Both addresses come from the ChainLog (MAKER_CHAINLOG) and follow its updates.
 */
import type { Finding, TransactionEvent } from "forta-agent";
import { END_IFACE, ESM_IFACE, fromBytes32 } from "../../../shared/abi";
import { blockRefOf, fortaContext, lazyAgent, type Agent, type BotContext } from "../../../shared/bot";
import { Episodes, episodeFinding, type EpisodeState } from "../../../shared/episodes";
import { FindingSeverity, createFinding, logKey, type BlockRef } from "../../../shared/findings";
import { decodeEvents, undecodableLogFinding, type DecodedEvent } from "../../../shared/logs";
import { touching } from "../../../shared/interest";
import { AddressBook } from "../../../shared/maker/chainlog";
import { formatAmount, formatPercent, fromWad } from "../../../shared/math";
import { contract } from "../../../shared/rpc/contract";
import { attributionMetadata, callerPhrase, keepForAttribution } from "../../../shared/maker/attribution";
import { callerAttributionFor, severityOf, typeOf, type TxCallers } from "../../../shared/maker/callers";
import { ALERTS } from "./alerts";
import { loadConfig } from "./config";
import { isReportableJoin, progress, thresholdLevel, type ThresholdLevel } from "./detectors";

export const BOT = "maker-emergency";

interface State {
  /** the threshold episode, per ESM address */
  threshold: EpisodeState<ThresholdLevel>;
  /** ESM addresses whose threshold has been checked at least once */
  checked: Record<string, true>;
}

export function createAgent(ctx: BotContext): Agent {
  const cfg = loadConfig(ctx.env);
  const bookOpts = { keep: keepForAttribution(/^MCD_(ESM|END)$/) };
  const book = AddressBook.attach(ctx.persistent("chainlog", () => AddressBook.emptyState(cfg.chainlog, bookOpts)), cfg.chainlog, bookOpts);
  const callers = callerAttributionFor(ctx, book, cfg);
  const state = ctx.persistent<State>("emergency", () => ({ threshold: {}, checked: {} }));
  const episodes = new Episodes<ThresholdLevel>(["approaching", "reached"], state.threshold);

  /** Read Sum() and min() at `block` and report a change of the threshold episode. */
  async function checkThreshold(esm: string, block: BlockRef, chainId: number): Promise<Finding[]> {
    const reader = contract(ctx.rpc, esm, ESM_IFACE, "ESM");
    const [[sum], [min]] = await Promise.all([reader.read("Sum", [], block.number), reader.read("min", [], block.number)]);
    for (const [name, v] of [["maker.esm_sum", sum], ["maker.esm_min", min]] as const) ctx.observe?.(name, fromWad(v.toString()).toFixed(), { esm });
    state.checked[esm] = true;
    const t = episodes.observe(esm, thresholdLevel(sum.toString(), min.toString(), cfg.warnFraction), block);
    if (!t) return [];
    const share = progress(sum.toString(), min.toString());
    const shareText = share ? formatPercent(share) : "n/a (min is 0)";
    const description =
      t.kind === "resolved"
        ? `ESM ${esm} is back below ${formatPercent(cfg.warnFraction)} of its threshold: ${formatAmount(fromWad(sum.toString()))} of ${formatAmount(fromWad(min.toString()))} tokens (${shareText})`
        : t.level === "reached"
          ? `ESM ${esm} holds ${formatAmount(fromWad(sum.toString()))} tokens, at or above min() ${formatAmount(fromWad(min.toString()))}: anyone can now fire an emergency shutdown`
          : `ESM ${esm} holds ${formatAmount(fromWad(sum.toString()))} tokens, ${shareText} of min() ${formatAmount(fromWad(min.toString()))}`;
    return [
      episodeFinding(ALERTS.threshold, t, (l) => (l === "reached" ? FindingSeverity.Critical : FindingSeverity.High), {
        description,
        key: [chainId, esm],
        addresses: [esm],
        metadata: {
          esm,
          sumWad: sum.toString(),
          sum: fromWad(sum.toString()).toFixed(),
          minWad: min.toString(),
          min: fromWad(min.toString()).toFixed(),
          share: share?.toFixed(6) ?? "",
          warnFraction: cfg.warnFraction.toFixed(),
        },
      }),
    ];
  }

  async function rightsOrFile(e: DecodedEvent, contractName: "ESM" | "End", block: BlockRef, tx: TransactionEvent, who: TxCallers): Promise<Finding | null> {
    const key = logKey(tx.network, block, tx.hash, e.logIndex);
    const base = { [contractName === "ESM" ? "esm" : "end"]: e.address, txHash: tx.hash, from: tx.from };
    if (e.name === "Rely" || e.name === "Deny") {
      const usr = String(e.args.usr).toLowerCase();
      const by = await who.classify({ contract: e.address, param: e.name.toLowerCase(), logIndex: e.logIndex, loggedCaller: null });
      return createFinding(ALERTS.rights, {
        description: `${contractName} ${e.address}: ${e.name === "Rely" ? "admin rights granted to" : "admin rights revoked from"} ${usr} ${callerPhrase(by)} (tx from ${tx.from})`,
        key,
        block,
        severity: severityOf(by, ALERTS.rights.severity),
        type: typeOf(by, ALERTS.rights.type),
        addresses: [e.address, usr, tx.from, ...(by.caller ? [by.caller] : [])],
        metadata: { ...base, action: e.name.toLowerCase(), usr, ...attributionMetadata(by) },
      });
    }
    if (e.name === "File") {
      const what = fromBytes32(String(e.args.what)) ?? String(e.args.what);
      const data = e.args.data as { toString(): string };
      const isAddress = typeof e.args.data === "string";
      const human = isAddress ? String(data).toLowerCase() : what === "min" ? `${formatAmount(fromWad(data.toString()))} tokens` : data.toString();
      const by = await who.classify({ contract: e.address, param: what, logIndex: e.logIndex, loggedCaller: null });
      return createFinding(ALERTS.file, {
        description: `${contractName} ${e.address}: ${what} set to ${human} ${callerPhrase(by)} (tx from ${tx.from})`,
        key,
        block,
        severity: severityOf(by, ALERTS.file.severity),
        type: typeOf(by, ALERTS.file.type),
        addresses: [e.address, tx.from, ...(by.caller ? [by.caller] : [])],
        metadata: { ...base, what, value: isAddress ? String(data).toLowerCase() : data.toString(), valueHuman: human, ...attributionMetadata(by) },
      });
    }
    return null;
  }

  async function handleTransaction(tx: TransactionEvent): Promise<Finding[]> {
    const block = blockRefOf(tx);
    const changes = book.applyTransaction(tx);
    const who = callers.observe(tx);
    const esm = book.tryGetAddress("MCD_ESM");
    const findings: Finding[] = [];
    // A replaced ESM: its episode ends with it, reported as resolved (the new one is checked on the next block).
    if (changes.some((c) => c.kind !== "version" && c.key === "MCD_ESM")) {
      for (const t of episodes.resolveExcept(new Set(esm ? [esm] : []), block)) {
        const why = esm ? `the ChainLog replaced it: MCD_ESM now points to ${esm}` : "the ChainLog removed MCD_ESM";
        findings.push(
          episodeFinding(ALERTS.threshold, t, () => FindingSeverity.Info, {
            description: `ESM ${t.subject} is no longer watched (${why}): the episode about its joined total ends here`,
            key: [tx.network, t.subject],
            addresses: [t.subject, ...(esm ? [esm] : [])],
            metadata: { esm: t.subject, resolvedBecause: "esm-replaced-in-chainlog", replacedBy: esm ?? "" },
          }),
        );
      }
    }
    const end = book.tryGetAddress("MCD_END");
    let recheck = false;

    if (esm) {
      const { events, undecodable } = decodeEvents(tx.logs, ESM_IFACE, esm);
      for (const u of undecodable) findings.push(undecodableLogFinding(tx.network, block, tx.hash, u));
      for (const e of events) {
        const key = logKey(tx.network, block, tx.hash, e.logIndex);
        switch (e.name) {
          case "Join": {
            recheck = true;
            const usr = String(e.args.usr).toLowerCase();
            const wad = e.args.wad.toString();
            if (!isReportableJoin(wad, cfg.joinMin)) break;
            findings.push(
              createFinding(ALERTS.join, {
                description: `${usr} joined ${formatAmount(fromWad(wad))} governance tokens to the ESM ${esm} (irreversible; counts toward an emergency shutdown)`,
                key,
                block,
                addresses: [esm, usr],
                metadata: { esm, usr, wadRaw: wad, wad: fromWad(wad).toFixed(), txHash: tx.hash, joinMin: cfg.joinMin.toFixed() },
              }),
            );
            break;
          }
          case "Fire":
            findings.push(
              createFinding(ALERTS.fire, {
                description: `The ESM ${esm} was fired by ${tx.from}: emergency shutdown of the Maker protocol has begun`,
                key,
                block,
                addresses: [esm, tx.from],
                metadata: { esm, firedBy: tx.from, txHash: tx.hash },
              }),
            );
            break;
          case "DenyProxy": {
            const base = String(e.args.base).toLowerCase();
            const pause = String(e.args.pause).toLowerCase();
            findings.push(
              createFinding(ALERTS.denyProxy, {
                description: `The ESM ${esm} revoked the governance proxy ${pause} on ${base} (tx from ${tx.from})`,
                key,
                block,
                addresses: [esm, base, pause, tx.from],
                metadata: { esm, target: base, pauseProxy: pause, txHash: tx.hash },
              }),
            );
            break;
          }
          default: {
            const f = await rightsOrFile(e, "ESM", block, tx, who);
            if (f) findings.push(f);
            if (e.name === "File" && (fromBytes32(String(e.args.what)) ?? "") === "min") recheck = true;
          }
        }
      }
      if (recheck) findings.push(...(await checkThreshold(esm, block, tx.network)));
    }

    if (end) {
      const { events, undecodable } = decodeEvents(tx.logs, END_IFACE, end);
      for (const u of undecodable) findings.push(undecodableLogFinding(tx.network, block, tx.hash, u));
      for (const e of events) {
        const key = logKey(tx.network, block, tx.hash, e.logIndex);
        if (e.signature === "Cage()") {
          findings.push(
            createFinding(ALERTS.cage, {
              description: `End ${end} was caged (transaction from ${tx.from}): global settlement has started; the Vat, liquidations and auctions stop`,
              key,
              block,
              addresses: [end, tx.from],
              metadata: { end, caller: tx.from, txHash: tx.hash },
            }),
          );
        } else if (e.signature === "Cage(bytes32)") {
          const ilk = fromBytes32(String(e.args.ilk)) ?? String(e.args.ilk);
          findings.push(
            createFinding(ALERTS.cageIlk, {
              description: `End ${end}: the cage price of ${ilk} was fixed`,
              key,
              block,
              addresses: [end],
              metadata: { end, ilk, txHash: tx.hash },
            }),
          );
        } else {
          const f = await rightsOrFile(e, "End", block, tx, who);
          if (f) findings.push(f);
        }
      }
    }
    return findings;
  }

  return {
    async initialize() {
      await book.ensureLoaded(ctx.rpc, ctx.initBlock);
    },
    async handleBlock(blockEvent) {
      // Report a condition that already holds when the bot starts (once per ESM address).
      const esm = book.tryGetAddress("MCD_ESM");
      if (!esm || state.checked[esm]) return [];
      return checkThreshold(esm, blockRefOf(blockEvent), blockEvent.network);
    },
    handleTransaction,
    // what handleTransaction reads: the ESM's and End's logs, the pause's plots (callers), the ChainLog's updates
    wantsTransaction: touching(book),
  };
}

export default lazyAgent(() => createAgent(fortaContext(BOT)));
