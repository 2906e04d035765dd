/**
 * The OSMs' state, every block (whatever the transactions were or their order): each OSM's control
 * words (stopped; src | hop | zzz) and its Median's value from storage in one batch, the feeds
 * (`cur`, `nxt`) when the control words moved. A Chronicle Scribe source is read as its OSM reads
 * it (`tryReadWithAge`), never as a Median. Each OSM's snapshot then goes through the checks
 * in a fixed order: hop, staleness, no price, price jump, Median divergence.
 * An OSM that logs `LogValue` in the block was poked (its zzz, so its control words, moved): its
 * feeds are asked with the first batch instead of a second round trip (`pokedAhead`).
 */
import type { BlockEvent, Finding } from "forta-agent";
import { ethers } from "forta-agent";
import { decodeMedianValAge, decodeOsmFeed, decodeOsmSrcHopZzz } from "../../../shared/abi";
import { blockLogs, carryableLogs, emittersOf } from "../../../shared/rpc/block-logs";
import { blockRefOf } from "../../../shared/bot";
import { fromWad } from "../../../shared/math";
import type { Deps } from "./deps";
import { isDormant, isScribe, priceJump } from "./detectors";
import { hopFinding } from "./hop";
import { jumpFinding, jumpRule } from "./price-jump";
import { readMedianWord, readOsmControlWords, readOsmFeedWords, readScribe } from "./reads";
import type { Watcher } from "../../../shared/watchers";

const LOG_VALUE = ethers.utils.id("LogValue(bytes32)");

export function osmStateWatcher(deps: Deps): Watcher {
  const { ctx, config: cfg, oracles, staleness, noPrice, divergence } = deps;
  const state = oracles.state;
  /**
   * Ask, with the block's first batch, the feeds of every OSM poked in the block (a `LogValue` in
   * the block's receipts: the runtime's own eth_getBlockReceipts, a cache hit): a poke moves zzz,
   * so round trip 2 asks exactly these, then from the client's cache. Failures are left to round 2.
   */
  function pokedAhead(blockEvent: BlockEvent, osms: readonly string[]): void {
    if (osms.length === 0) return;
    const n = blockEvent.block.number;
    const watched = new Set(osms.map((a) => a.toLowerCase()));
    blockLogs(ctx.rpc, n, blockEvent.block.transactions.length)
      .then((logs) => {
        const poked = new Set<string>();
        for (const log of logs ?? []) {
          const a = String(log.address).toLowerCase();
          if (watched.has(a) && String(log.topics[0]).toLowerCase() === LOG_VALUE) poked.add(a);
        }
        for (const a of osms) if (poked.has(a.toLowerCase())) readOsmFeedWords(ctx.rpc, a, n).catch(() => undefined);
      })
      .catch(() => undefined);
  }

  /**
   * Storage words as read at block `hash`, in memory only (a restart or a reorg reads them again),
   * by `${address}:stopped` (an OSM's slot 1, written only by stop and start, which note) and
   * `${address}:valAge` (a Median's slot 1, written only by poke, which logs LogMedianPrice).
   * Carried to the next block for each contract that logs nothing there, when the ChainLog logs
   * nothing either. An OSM's src | hop | zzz word is read every block: `step` sets hop without a log.
   */
  let carried: { hash: string; words: Record<string, string> } | undefined;

  async function carriedWords(blockEvent: BlockEvent): Promise<Record<string, string>> {
    const b = blockEvent.block;
    const logs = carried && (await carryableLogs(ctx.rpc, { n: b.number, txCount: b.transactions.length, parentHash: b.parentHash, carriedAt: carried.hash, chainlog: cfg.chainlog }));
    if (!carried || !logs) return {};
    const emitters = emittersOf(logs);
    return Object.fromEntries(Object.entries(carried.words).filter(([k]) => !emitters.has(k.slice(0, k.indexOf(":")))));
  }

  return {
    name: "osm-state",
    async onBlock(blockEvent: BlockEvent): Promise<Finding[]> {
      const block = blockRefOf(blockEvent);
      const n = block.number;
      const chainId = blockEvent.network;
      const now = block.timestamp;
      const table = oracles.pips();
      const osms = oracles.ofKind("osm", table);
      const findings: Finding[] = [];
      pokedAhead(blockEvent, osms);
      const prev = await carriedWords(blockEvent);
      const fresh: Record<string, string> = {};
      const median = (m: string) => {
        const key = `${m.toLowerCase()}:valAge`;
        const w = prev[key];
        return (w !== undefined ? Promise.resolve(w) : readMedianWord(ctx.rpc, m, n)).then((word) => (fresh[key] = word));
      };

      // Round trip 1: control words of every OSM, its Median's value (or its Chronicle Scribe's, read as the OSM).
      const words = await Promise.all(
        osms.map((a) => {
          const m = oracles.medianOf(a);
          const src = state.srcOf[a];
          const scribe = src && isScribe(oracles.sourceKind(src)) ? src : null;
          return Promise.all([
            readOsmControlWords(ctx.rpc, a, n, prev[`${a.toLowerCase()}:stopped`]).then((w) => ((fresh[`${a.toLowerCase()}:stopped`] = w[0]), w)),
            m ? median(m) : Promise.resolve(null),
            scribe ? readScribe(ctx.rpc, scribe, a, n).then((r) => ({ src: scribe, ...r })) : Promise.resolve(null),
          ]);
        }),
      );

      // Round trip 2 (blocks where something moved): new sources, feeds that may have changed.
      const decoded = osms.map((a, i) => {
        const [[w1, w2], mWord, scribe] = words[i]!;
        return { a, w1, w2, mWord, scribe, s: decodeOsmSrcHopZzz(w2), stopped: BigInt(w1) !== 0n };
      });
      const newSources = decoded.filter((d) => d.s.src !== state.srcOf[d.a] || state.sources[d.s.src] === undefined).map((d) => d.s.src);
      const feedsNeeded = decoded.filter((d) => {
        const r = state.osms[d.a];
        return !r || r.w1 !== d.w1 || r.w2 !== d.w2 || r.dirty;
      });
      const [, feedWords] = await Promise.all([oracles.classifySources(newSources, n), Promise.all(feedsNeeded.map((d) => readOsmFeedWords(ctx.rpc, d.a, n)))]);
      const feedsOf = new Map(feedsNeeded.map((d, i) => [d.a, feedWords[i]!]));
      // A source that changed this block: its value was not in round trip 1.
      const changedMedians = decoded.filter((d) => d.s.src !== state.srcOf[d.a] && state.sources[d.s.src]);
      const medianWords = await Promise.all(changedMedians.map((d) => median(d.s.src)));
      changedMedians.forEach((d, i) => {
        d.mWord = medianWords[i]!;
      });
      // A Scribe that became the source this block: read it as its new OSM.
      const changedScribes = decoded.filter((d) => d.scribe?.src !== d.s.src && isScribe(oracles.sourceKind(d.s.src)));
      const scribeReads = await Promise.all(changedScribes.map((d) => readScribe(ctx.rpc, d.s.src, d.a, n)));
      changedScribes.forEach((d, i) => {
        d.scribe = { src: d.s.src, ...scribeReads[i]! };
      });

      for (const d of decoded) {
        const keys = table.get(d.a)!;
        const label = oracles.label(d.a, keys);
        const prev = state.osms[d.a];
        const { src, hop, zzz } = d.s;
        const [curWord, nxtWord] = feedsOf.get(d.a) ?? [prev!.cur, prev!.nxt];
        const cur = decodeOsmFeed(curWord);
        const nxt = decodeOsmFeed(nxtWord);
        const prevS = prev ? decodeOsmSrcHopZzz(prev.w2) : null;

        // hop (step is not noted on mainnet: the change is seen in state only)
        if (prevS && prevS.hop !== hop) findings.push(hopFinding(label, d.a, keys, prevS.hop, hop, zzz, block, chainId, false));

        // staleness, from zzz, hop and the block time
        let dormant = prev ? prev.dormant : isDormant(now, zzz, cfg.dormantAfter);
        if (prev && prevS && prevS.zzz !== zzz) dormant = zzz === 0; // poked since: watched again
        findings.push(...staleness.observe(d.a, keys, { zzz, hop, stopped: d.stopped }, dormant, !prev, block, chainId));

        // no valid current price (after a void, until the second poke after start); not for OSMs never poked
        findings.push(...noPrice.observe(d.a, keys, { zzz, hop, stopped: d.stopped, nxt }, cur, dormant, block, chainId));

        // price jump: the queued price against the current one, whenever they change
        if (!prev || prev.cur !== curWord || prev.nxt !== nxtWord) {
          for (const [which, p] of [["current", cur], ["queued", nxt]] as const) if (p.has) ctx.observe?.("maker.osm_price", fromWad(p.val.toString()).toFixed(), { osm: keys[0] ?? d.a, which });
          const rule = jumpRule(cfg, keys);
          const j = priceJump(cur, nxt, rule);
          if (j) findings.push(jumpFinding(label, d.a, keys, cur.val, nxt.val, j, rule, zzz, hop, [chainId, block.hash, d.a, "jump"], block, "storage"));
        }

        // the Median (or the Chronicle Scribe) against the OSM's current price
        const median = state.sources[src] ? src : null;
        if (median) {
          findings.push(...divergence.observe(d.a, keys, src, median, d.mWord ? decodeMedianValAge(d.mWord).val : null, cur, block, chainId));
        } else if (d.scribe && d.scribe.src === src && isScribe(oracles.sourceKind(src))) {
          findings.push(...divergence.observe(d.a, keys, src, src, d.scribe.has ? d.scribe.val : null, cur, block, chainId, "scribe"));
        } else {
          findings.push(...divergence.observe(d.a, keys, src, null, null, cur, block, chainId));
        }

        state.srcOf[d.a] = src;
        state.osms[d.a] = { w1: d.w1, w2: d.w2, cur: curWord, nxt: nxtWord, dormant, dirty: false };
      }
      carried = { hash: block.hash.toLowerCase(), words: fresh };
      return findings;
    },
  };
}
