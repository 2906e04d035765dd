/**
 * What happens to the engine, transaction by transaction:
 * - parameter changes on the Kicker (kbump, khump), the Splitter (burn, hop, flapper, farm) and
 *   the flapper (want, pip), attributed (governance, the SplitterMom, or an outsider: Critical);
 * - the Splitter's hop set to never (SplitterMom.stop, or directly) and its cage;
 * - each flapper Exec measured against the oracle price: close to the worst it accepts is reported;
 * - each poke of the flap oracle against the previous price.
 */
import type { Finding, TransactionEvent } from "forta-agent";
import { fromBytes32 } from "../../../shared/abi";
import { blockRefOf } from "../../../shared/bot";
import { FindingSeverity, FindingType, createFinding, logKey, type BlockRef } from "../../../shared/findings";
import { decodeEvents, undecodableLogFinding, type DecodedEvent } from "../../../shared/logs";
import { attributionMetadata, callerPhrase, type Classification } from "../../../shared/maker/attribution";
import { severityOf, typeOf, type TxCallers } from "../../../shared/maker/callers";
import { dec, formatAmount, formatPercent, fromWad } from "../../../shared/math";
import { contract, readStorage } from "../../../shared/rpc/contract";
import { FLAPPER_IFACE, KICKER_IFACE, SCRIBE_IFACE, SCRIBE_POKE_SLOT, SPLITTER_IFACE, SPLITTER_MOM_IFACE, SPOT_PAR_IFACE } from "./abi";
import { ALERTS } from "./alerts";
import { flapRatio, isNever, paramWidens, pokeDataOf, priceMove } from "./detectors";
import type { Watcher } from "../../../shared/watchers";
import { lc, str, type WatcherDeps } from "./deps";

const RAY = "1000000000000000000000000000";
const POKED = SCRIBE_IFACE.getEventTopic("Poked").toLowerCase();

/** A Scribe's Poked in the transaction (whose, the handler asks the flapper: its pip need not be in the ChainLog). */
export function hasPoke(tx: TransactionEvent): boolean {
  for (const l of tx.logs) if (l.topics.length > 0 && lc(l.topics[0]) === POKED) return true;
  return false;
}
const name32 = (v: unknown) => fromBytes32(String(v)) ?? String(v);
type Iface = Parameters<typeof decodeEvents>[1];

interface State {
  /** last price poked per oracle [wad, decimal string] */
  lastPoke: Record<string, string>;
}

/** how a value reads for people: amounts in rad (kbump, khump) as USDS, wads (want, burn) as decimals */
function human(contractKey: string, what: string, raw: string): string {
  if (/^0x[0-9a-f]{40}$/i.test(raw)) return raw.toLowerCase();
  if (contractKey === "MCD_KICK") return `${formatAmount(dec(raw).shiftedBy(-45))} USDS`;
  if (what === "want" || what === "burn") return formatPercent(fromWad(raw));
  if (what === "hop") return isNever(raw) ? "never" : `${raw} s`;
  return raw;
}

export function engineWatcher({ ctx, config, book, callers }: WatcherDeps): Watcher {
  const state = ctx.persistent<State>("engine", () => ({ lastPoke: {} }));
  const GETTER: Record<string, Iface> = { MCD_KICK: KICKER_IFACE, MCD_SPLIT: SPLITTER_IFACE, MCD_FLAP: FLAPPER_IFACE };

  async function paramFinding(key: "MCD_KICK" | "MCD_SPLIT" | "MCD_FLAP", e: DecodedEvent, block: BlockRef, tx: TransactionEvent, who: TxCallers, momStop: DecodedEvent | undefined): Promise<Finding> {
    const what = name32(e.args.what);
    const after = typeof e.args.data === "string" ? lc(e.args.data) : str(e.args.data);
    const [prev] = await contract(ctx.rpc, e.address, GETTER[key]!, key).read(what, [], block.number - 1).catch(() => [""]);
    const before = typeof prev === "string" ? lc(prev) : str(prev);
    let by: Classification = await who.classify({ contract: e.address, param: what, logIndex: e.logIndex, loggedCaller: null });
    const mom = book.tryGetAddress("SPLITTER_MOM");
    if (key === "MCD_SPLIT" && what === "hop" && momStop && by.callerClass === "outsider" && isNever(after)) {
      by = { ...by, callerClass: "automation", caller: momStop.address, module: "SPLITTER_MOM", reason: `made by SplitterMom ${momStop.address} (its Stop event follows), within its role; only the chief's hat or the MOM's owner may call it (tx from ${tx.from})` };
    }
    const key_ = logKey(tx.network, block, tx.hash, e.logIndex);
    const common = { contract: e.address, contractKey: key, what, before, after, beforeHuman: before === "" ? "" : human(key, what, before), afterHuman: human(key, what, after), txHash: tx.hash, ...attributionMetadata(by) };
    if (key === "MCD_SPLIT" && what === "hop" && isNever(after)) {
      return createFinding(ALERTS.halted, {
        description: `Splitter ${e.address}: hop set to never ${momStop ? `by SplitterMom ${mom ?? momStop.address} (stop(): the chief's hat, an emergency spell or the MOM's owner, no delay; tx from ${tx.from})` : callerPhrase(by)}: no kick can happen, burns are halted until governance sets a hop again`,
        key: key_, block, severity: severityOf(by, FindingSeverity.High), type: typeOf(by, FindingType.Suspicious),
        addresses: [e.address, ...(momStop ? [momStop.address] : []), tx.from], metadata: { ...common, byMom: !!momStop, txFrom: tx.from },
      });
    }
    const widens = paramWidens(key, what, before, after);
    const resumed = key === "MCD_SPLIT" && what === "hop" && before !== "" && isNever(before);
    const why =
      what === "khump" ? (widens ? ": flaps now go on deeper into deficit" : "") :
      what === "kbump" ? (widens ? ": more USDS sucked against the Vow per flap" : "") :
      what === "want" ? (widens ? ": the flapper now accepts worse prices (more room for sandwiches and oracle games)" : "") :
      what === "pip" ? ": the flapper now prices SKY with another oracle" :
      what === "flapper" || what === "farm" ? `: the burn's USDS now goes to ${after}` :
      resumed ? " (burns resumed)" : what === "hop" && widens ? ": flaps more often" : "";
    return createFinding(ALERTS.param, {
      description: `${key} ${e.address}: ${what} ${common.beforeHuman || "?"} -> ${common.afterHuman} ${callerPhrase(by)}${why}`,
      key: key_, block, severity: severityOf(by, widens ? FindingSeverity.High : FindingSeverity.Medium), type: typeOf(by, widens ? FindingType.Suspicious : FindingType.Info),
      addresses: [e.address, ...(what === "pip" || what === "flapper" || what === "farm" ? [after] : [])], metadata: { ...common, widens },
    });
  }

  async function execFinding(e: DecodedEvent, block: BlockRef, tx: TransactionEvent): Promise<Finding | null> {
    const n = block.number;
    const F = contract(ctx.rpc, e.address, FLAPPER_IFACE, "MCD_FLAP");
    const spot = book.tryGetAddress("MCD_SPOT");
    const [[pip], [want], par] = await Promise.all([F.read("pip", [], n), F.read("want", [], n), spot ? contract(ctx.rpc, spot, SPOT_PAR_IFACE, "MCD_SPOT").read("par", [], n).then(([p]) => str(p)) : Promise.resolve(RAY)]);
    const { val } = pokeDataOf(await readStorage(ctx.rpc, lc(pip), SCRIBE_POKE_SLOT, n));
    const [lot, bought] = [str(e.args.lot), str(e.args.bought)];
    if (val === 0n || dec(lot).isZero() || dec(bought).isZero()) return null;
    const ratio = flapRatio(lot, bought, val.toString(), par);
    const wantD = fromWad(str(want));
    const realised = dec(lot).div(bought);
    ctx.observe?.("sky.flap_realised_ratio", ratio.toFixed(6));
    if (ratio.gte(wantD.plus(config.bandMargin))) return null;
    return createFinding(ALERTS.nearBand, {
      description: `flapper ${e.address}: ${formatAmount(fromWad(lot))} USDS bought ${formatAmount(fromWad(bought))} SKY at ${realised.toFixed(8)} USDS per SKY, ${formatPercent(ratio)} of the oracle's ${fromWad(val.toString()).toFixed()} (the flapper accepts down to ${formatPercent(wantD)}): the pool was pushed against the flap (a sandwich, or the oracle lags the market)`,
      key: logKey(tx.network, block, tx.hash, e.logIndex), block,
      addresses: [e.address, lc(pip), tx.from],
      metadata: { flapper: e.address, oracle: lc(pip), lotWad: lot, lot: fromWad(lot).toFixed(), boughtWad: bought, bought: fromWad(bought).toFixed(), realisedPrice: realised.toFixed(18), oraclePrice: fromWad(val.toString()).toFixed(), ratio: ratio.toFixed(18), want: wantD.toFixed(), bandMargin: config.bandMargin.toFixed(), txHash: tx.hash, txFrom: tx.from },
    });
  }

  async function pokeFindings(tx: TransactionEvent, block: BlockRef, out: Finding[]): Promise<void> {
    if (!hasPoke(tx)) return;
    const flapper = book.tryGetAddress("MCD_FLAP");
    const oracles = new Set<string>([book.tryGetAddress("FLAP_SKY_ORACLE"), flapper ? lc((await contract(ctx.rpc, flapper, FLAPPER_IFACE, "MCD_FLAP").read("pip", [], block.number))[0]) : undefined].filter((a): a is string => !!a));
    for (const oracle of oracles) {
      const { events, undecodable } = decodeEvents(tx.logs, SCRIBE_IFACE, oracle);
      for (const u of undecodable) out.push(undecodableLogFinding(tx.network, block, tx.hash, u));
      for (const e of events) {
        const val = str(e.args.val);
        const prev = state.lastPoke[oracle] ?? pokeDataOf(await readStorage(ctx.rpc, oracle, SCRIBE_POKE_SLOT, block.number - 1)).val.toString();
        state.lastPoke[oracle] = val;
        const move = priceMove(prev, val);
        if (prev === "0" || move.lt(config.oracleJump)) continue;
        out.push(
          createFinding(ALERTS.oracleJump, {
            description: `flap oracle ${oracle}: SKY/USD poked at ${fromWad(val).toFixed()} from ${fromWad(prev).toFixed()} (${dec(val).gt(prev) ? "+" : "-"}${formatPercent(move)} in one poke, by ${lc(e.args.caller)}): the flapper prices its swaps with it, and PIP_SKY (Lockstake collateral) reads it on mainnet`,
            key: logKey(tx.network, block, tx.hash, e.logIndex), block,
            addresses: [oracle, lc(e.args.caller)],
            metadata: { oracle, caller: lc(e.args.caller), priceWad: val, price: fromWad(val).toFixed(), previousPrice: fromWad(prev).toFixed(), move: move.toFixed(18), jumpThreshold: config.oracleJump.toFixed(), age: str(e.args.age), txHash: tx.hash },
          }),
        );
      }
    }
  }

  return {
    async onTransaction(tx) {
      const block = blockRefOf(tx);
      const who = callers.observe(tx);
      const out: Finding[] = [];
      const decode = (iface: Iface, addr: string | undefined) => {
        if (!addr) return [] as DecodedEvent[];
        const { events, undecodable } = decodeEvents(tx.logs, iface, addr);
        for (const u of undecodable) out.push(undecodableLogFinding(tx.network, block, tx.hash, u));
        return events;
      };
      const splitter = book.tryGetAddress("MCD_SPLIT");
      const momEvents = decode(SPLITTER_MOM_IFACE, book.tryGetAddress("SPLITTER_MOM"));
      const momStop = momEvents.find((m) => m.name === "Stop");
      const files: [("MCD_KICK" | "MCD_SPLIT" | "MCD_FLAP"), DecodedEvent][] = [];
      for (const e of decode(KICKER_IFACE, book.tryGetAddress("MCD_KICK"))) if (e.name === "File") files.push(["MCD_KICK", e]);
      for (const e of decode(SPLITTER_IFACE, splitter)) {
        if (e.name === "File") files.push(["MCD_SPLIT", e]);
        if (e.name === "Cage") {
          const by = await who.classify({ contract: e.address, param: "cage", logIndex: e.logIndex, loggedCaller: null });
          out.push(
            createFinding(ALERTS.caged, {
              description: `Splitter ${e.address} caged ${callerPhrase(by)}: live = 0, no kick can happen again (global settlement, or the splitter is being replaced)`,
              key: logKey(tx.network, block, tx.hash, e.logIndex), block, severity: severityOf(by, FindingSeverity.High), type: typeOf(by, FindingType.Suspicious),
              addresses: [e.address, tx.from], metadata: { splitter: e.address, txHash: tx.hash, ...attributionMetadata(by) },
            }),
          );
        }
      }
      const flapperEvents = decode(FLAPPER_IFACE, book.tryGetAddress("MCD_FLAP"));
      for (const e of flapperEvents) if (e.name === "File") files.push(["MCD_FLAP", e]);
      for (const [key, e] of files.sort((a, b) => a[1].logIndex - b[1].logIndex)) out.push(await paramFinding(key, e, block, tx, who, key === "MCD_SPLIT" ? momStop : undefined));
      for (const e of flapperEvents) {
        if (e.name !== "Exec") continue;
        const f = await execFinding(e, block, tx);
        if (f) out.push(f);
      }
      await pokeFindings(tx, block, out);
      return out;
    },
  };
}
