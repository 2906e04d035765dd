/**
 * maker-oracles: every price feed of the ChainLog (`PIP_*`) and the Median behind each OSM.
 *
 * - Per block (state at that block, whatever the transactions were or their order): each OSM's
 *   control words (stopped; src | hop | zzz) and its Median's value from storage; the feeds
 *   (`cur`, `nxt`) when the control words moved. From them: stale OSMs (episode), queued price
 *   jumps, Median/OSM divergence (episode), hop changes, the Median to follow after `change`.
 * - Per transaction: the ChainLog's UpdateAddress/RemoveAddress of PIP_* keys (the watch list
 *   follows them), the LogNotes of the OSMs, Medians and DSValues (who changed what), and the
 *   named events of the OSM-like (LP-token) oracles (their queued price at each poke, controls).
 * Addresses come from the ChainLog (MAKER_CHAINLOG), never from configuration.
 */
import type { Finding, TransactionEvent } from "forta-agent";
import {
  MEDIAN_NOTES,
  NoteDecodeError,
  OSM_NOTES,
  decodeMedianValAge,
  decodeNote,
  decodeOsmFeed,
  decodeOsmSrcHopZzz,
  selectorOfNoteTopic,
  type DecodedNote,
  type NoteSpec,
} from "../../../shared/abi";
import { blockRefOf, fortaContext, lazyAgent, type Agent, type BotContext } from "../../../shared/bot";
import { Episodes, episodeFinding, type EpisodeState, type EpisodeTransition } from "../../../shared/episodes";
import { FindingSeverity, createFinding, logKey, type BlockRef } from "../../../shared/findings";
import { decodeEvents, undecodableLogFinding, type DecodedEvent, type LogInput } from "../../../shared/logs";
import { AddressBook, type AddressBookChange } from "../../../shared/maker/chainlog";
import { formatAmount, formatPercent, fromWad } from "../../../shared/math";
import { readCode } from "../../../shared/rpc/contract";
import { attributionMetadata, keepForAttribution, type Classification } from "../../../shared/maker/attribution";
import { callerAttributionFor, type TxCallers } from "../../../shared/maker/callers";
import { ALERTS } from "./alerts";
import { DSVALUE_IFACE, DSVALUE_NOTES, LP_ORACLE_IFACE, LP_ORACLE_WATCHED } from "./abi";
import { loadConfig, thresholdFor } from "./config";
import {
  LEVELS,
  classifyPip,
  controlSeverity,
  divergence,
  feedsOfValueEvent,
  hopChangeSeverity,
  isDormant,
  isMedian,
  lateness,
  priceJump,
  relative,
  severityOf,
  staleLevel,
  trustedCallerChange,
  UNATTRIBUTED_CONTROL_SEVERITY,
  type ControlAction,
  type Level,
  type MagnitudeRule,
  type PipKind,
  type PriceJump,
} from "./detectors";
import {
  probePip,
  peekSourceAs,
  probeSource,
  readMedianBar,
  readMedianFeeds,
  readMedianWord,
  readOsmControlWords,
  readOsmFeedWords,
  readOsmFeeds,
  readOsmLike,
  readValue,
} from "./reads";

export const BOT = "maker-oracles";

/** What the bot remembers of an OSM between blocks (storage words as 0x hex). */
interface OsmRecord {
  /** slot 1 (stopped) and slot 2 (src | hop | zzz) at the last block seen */
  w1: string;
  w2: string;
  /** slots 3 and 4 (cur, nxt) as last read */
  cur: string;
  nxt: string;
  /** never poked or long retired when first seen: not checked for staleness until poked */
  dormant: boolean;
  /** a void was seen: read the feeds again at the next block */
  dirty: boolean;
}

/** An OSM-like oracle (LP-token oracles): its getters at the last block seen. */
interface LikeRecord {
  hop: number;
  zzz: number;
  stopped: boolean;
  dormant: boolean;
}

interface State {
  /** what each PIP address is (classified once, at the block it was first seen) */
  kinds: Record<string, PipKind>;
  /** whether each OSM source address is a Median */
  sources: Record<string, boolean>;
  /** OSM -> its source as last read */
  srcOf: Record<string, string>;
  osms: Record<string, OsmRecord>;
  likes: Record<string, LikeRecord>;
  /** addresses already announced as not watched (unknown kind, no code) */
  announced: Record<string, true>;
}

const KIND_TEXT: Record<PipKind, string> = {
  osm: "an OSM",
  "osm-like": "an OSM-like oracle with its own storage layout (an LP-token oracle), watched through its getters and named events",
  value: "a fixed-price DSValue",
  unknown: "neither an OSM nor a fixed-price DSValue",
  none: "an address without contract code",
};

const HUMAN_TIME = (t: number) => new Date(t * 1000).toISOString().replace(".000Z", "Z");

export function createAgent(ctx: BotContext): Agent {
  const cfg = loadConfig(ctx.env);
  const book = AddressBook.attach(
    ctx.persistent("chainlog", () => AddressBook.emptyState(cfg.chainlog, { keep: keepForAttribution(/^(PIP_|MCD_PAUSE_PROXY$|OSM_MOM$)/) })),
    cfg.chainlog,
  );
  const callers = callerAttributionFor(ctx, book, cfg);
  /** the attribution context of the transaction being handled (set first thing in handleTransaction) */
  let current: TxCallers | null = null;

  /**
   * Who made an oracle control (shared/maker/attribution.ts): governance, a sanctioned module in
   * its role (OSM_MOM stopping an OSM), a caller listed in ORACLE_TRUSTED_CALLERS, or an outsider.
   */
  async function attributeControl(address: string, keys: readonly string[], param: string, logIndex: number, loggedCaller: string | null): Promise<Classification> {
    const by = await current!.classify({ contract: address, contractKeys: keys, param, logIndex, loggedCaller });
    if (by.callerClass === "outsider" && by.caller && cfg.trustedCallers.map((a) => a.toLowerCase()).includes(by.caller)) {
      return { ...by, callerClass: "automation", module: "ORACLE_TRUSTED_CALLERS", reason: `made by ${by.caller}, listed in ORACLE_TRUSTED_CALLERS (trusted like governance by configuration)` };
    }
    return by;
  }
  const whoText = (by: Classification): string =>
    by.callerClass === "governance"
      ? `${by.caller} (governance)`
      : by.callerClass === "automation"
        ? `${by.caller} (sanctioned automation: ${by.module})`
        : `${by.caller || "an unknown caller"}, which is neither governance nor a sanctioned module acting in its role`;
  const state = ctx.persistent<State>("oracles", () => ({ kinds: {}, sources: {}, srcOf: {}, osms: {}, likes: {}, announced: {} }));
  const staleEpisodes = new Episodes<Level>(LEVELS, ctx.persistent<EpisodeState<Level>>("stale", () => ({})));
  const divergenceEpisodes = new Episodes<Level>(LEVELS, ctx.persistent<EpisodeState<Level>>("divergence", () => ({})));
  const staleRule = { grace: cfg.staleGrace, highHops: cfg.staleHighHops, criticalHops: cfg.staleCriticalHops };
  /** OSMs whose current price is not valid (`cur.has` = 0: after a void, until two pokes have passed) */
  const noPriceEpisodes = new Episodes<"missing">(["missing"], ctx.persistent<EpisodeState<"missing">>("noPrice", () => ({})));

  // ---- the watch list ------------------------------------------------------------------------

  /** PIP address -> the ChainLog keys naming it (several keys may share one contract). */
  function pips(): Map<string, string[]> {
    const out = new Map<string, string[]>();
    for (const { key, address } of book.matching(/^PIP_/)) out.set(address, [...(out.get(address) ?? []), key]);
    return out;
  }

  function label(address: string, keys?: readonly string[]): string {
    const k = keys ?? pips().get(address) ?? [];
    return k.length ? `${k.join("/")} (${address})` : address;
  }

  function jumpRule(keys: readonly string[]): MagnitudeRule {
    return { threshold: thresholdFor(keys, cfg.jumpThresholds, cfg.jumpThreshold), highFactor: cfg.highFactor, criticalFactor: cfg.criticalFactor };
  }
  function divergenceRule(keys: readonly string[]): MagnitudeRule {
    return {
      threshold: thresholdFor(keys, cfg.divergenceThresholds, cfg.divergenceThreshold),
      highFactor: cfg.highFactor,
      criticalFactor: cfg.criticalFactor,
    };
  }

  /** Governance: the pause proxy and the OsmMom of the ChainLog, and the configured callers. */
  function trusted(): Set<string> {
    const t = new Set(cfg.trustedCallers);
    for (const k of ["MCD_PAUSE_PROXY", "OSM_MOM"]) {
      const a = book.tryGetAddress(k);
      if (a) t.add(a);
    }
    return t;
  }

  /** Classify the PIP addresses not classified yet, and the sources of the OSMs among them, at `block`. */
  async function classify(addresses: readonly string[], block: number | "latest"): Promise<void> {
    const todo = addresses.filter((a) => state.kinds[a] === undefined);
    if (todo.length === 0) return;
    const probes = await Promise.all(todo.map((a) => probePip(ctx.rpc, a, block)));
    todo.forEach((a, i) => {
      const kind = classifyPip(probes[i]!);
      state.kinds[a] = kind;
      if (kind === "osm") state.srcOf[a] ??= decodeOsmSrcHopZzz(probes[i]!.slot2).src;
      ctx.log.info({ pip: label(a), kind }, "oracle classified");
    });
    await classifySources(Object.values(state.srcOf), block);
  }

  async function classifySources(sources: readonly string[], block: number | "latest"): Promise<void> {
    const todo = [...new Set(sources)].filter((s) => state.sources[s] === undefined);
    if (todo.length === 0) return;
    const probes = await Promise.all(todo.map((s) => probeSource(ctx.rpc, s, block)));
    todo.forEach((s, i) => {
      state.sources[s] = isMedian(probes[i]!);
    });
  }

  /**
   * PIPs classified "none" (no code when first seen) whose address now has code (seen by the
   * per-block code check, a ChainLog edit naming them again, or a log they emitted): classify them
   * again and say what they turned out to be. Watched from the next block.
   */
  async function reprobe(addresses: readonly string[], block: BlockRef, chainId: number): Promise<Finding[]> {
    const todo = addresses.filter((a) => state.kinds[a] === "none");
    if (todo.length === 0) return [];
    for (const a of todo) delete state.kinds[a];
    await classify(todo, block.number);
    const out: Finding[] = [];
    for (const a of todo) {
      const kind = state.kinds[a]!;
      if (kind === "none") continue; // still no code (a ChainLog edit naming it again): nothing new to say
      const watched = kind !== "unknown";
      if (watched) delete state.announced[a];
      else state.announced[a] = true;
      const keys = pips().get(a) ?? [];
      out.push(
        createFinding(ALERTS.watch, {
          description: `${label(a, keys)}, which had no contract code when the bot first saw it, now has some: it is ${KIND_TEXT[kind]}; ${watched ? "watched from now on" : "it cannot be watched"}`,
          key: [chainId, block.hash, a, "watch", "code-appeared"],
          block,
          addresses: [a],
          metadata: { pip: a, keys: keys.join(","), kind, reason: "code-appeared" },
        }),
      );
    }
    return out;
  }

  /** Close the episodes of an oracle that is no longer watched, and forget it. */
  function forget(address: string, block: BlockRef, chainId: number, why: string): Finding[] {
    const out: Finding[] = [];
    const stale = staleEpisodes.observe(address, null, block);
    if (stale) out.push(staleFinding(stale, address, [], chainId, null, `no longer watched: ${why}`));
    const div = divergenceEpisodes.observe(address, null, block);
    if (div) out.push(divergenceFinding(div, address, [], chainId, null, null, null, `no longer watched: ${why}`));
    const np = noPriceEpisodes.observe(address, null, block);
    if (np) out.push(noPriceFinding(np, address, [], chainId, null, `no longer watched: ${why}`));
    delete state.osms[address];
    delete state.likes[address];
    delete state.srcOf[address];
    delete state.announced[address];
    return out;
  }

  // ---- findings of the state checks ----------------------------------------------------------

  function staleFinding(
    t: EpisodeTransition<Level>,
    osm: string,
    keys: readonly string[],
    chainId: number,
    s: { zzz: number; hop: number; stopped: boolean } | null,
    resolvedWhy?: string,
  ): Finding {
    const now = t.at.timestamp;
    const late = s ? lateness(now, s.zzz, s.hop) : null;
    const lateText = late !== null ? `${Math.floor(late / 60)} min` : "";
    const description =
      t.kind === "resolved"
        ? `${label(osm, keys)} is no longer stale: ${resolvedWhy ?? (s?.stopped ? "it is stopped" : `poked at ${HUMAN_TIME(s!.zzz)}`)}`
        : `${label(osm, keys)} has not been poked: its last poke was at ${HUMAN_TIME(s!.zzz)} and the next was due at ${HUMAN_TIME(s!.zzz + s!.hop)}, ${lateText} ago (grace ${cfg.staleGrace} s); the price the protocol uses is getting old`;
    return episodeFinding(ALERTS.stale, t, severityOf, {
      description,
      key: [chainId, osm],
      addresses: [osm],
      metadata: {
        osm,
        keys: keys.join(","),
        ...(s
          ? {
              zzz: s.zzz,
              lastPoke: HUMAN_TIME(s.zzz),
              hop: s.hop,
              dueAt: HUMAN_TIME(s.zzz + s.hop),
              lateSeconds: late,
              stopped: s.stopped,
            }
          : {}),
        graceSeconds: cfg.staleGrace,
        blockTimestamp: now,
      },
    });
  }

  /**
   * An OSM without a valid current price: `peek()` answers has = false, so the Spotter cannot
   * revalue the collateral and Clippers cannot start or reprice auctions (they need a valid price).
   * A void clears both feeds; after `start` the first poke moves the cleared `nxt` into `cur`, so a
   * valid price returns only with the second poke, a hop later.
   */
  function noPriceFinding(
    t: EpisodeTransition<"missing">,
    osm: string,
    keys: readonly string[],
    chainId: number,
    s: { zzz: number; hop: number; stopped: boolean; nxt: { has: boolean; val: bigint } } | null,
    resolvedWhy?: string,
  ): Finding {
    const earliest = s ? (s.nxt.has ? s.zzz + s.hop : s.zzz + 2 * s.hop) : null;
    const when = !s
      ? ""
      : s.stopped
        ? "it is stopped: no price until it is started and poked twice (a hop apart)"
        : s.nxt.has
          ? `the queued ${formatAmount(fromWad(s.nxt.val.toString()), 4)} becomes current with the next poke, at ${HUMAN_TIME(earliest!)} at the earliest`
          : `nothing is queued either: a valid price needs two pokes, the second at ${HUMAN_TIME(earliest!)} at the earliest`;
    const description =
      t.kind === "resolved"
        ? `${label(osm, keys)} has a valid current price again${resolvedWhy ? ` (${resolvedWhy})` : ""}`
        : `${label(osm, keys)} has no valid current price (peek() answers has = false): the Spotter cannot revalue this collateral and its Clipper cannot start or reprice auctions; ${when}`;
    return episodeFinding(ALERTS.noPrice, t, () => FindingSeverity.High, {
      description,
      key: [chainId, osm],
      addresses: [osm],
      metadata: {
        osm,
        keys: keys.join(","),
        ...(s
          ? {
              stopped: s.stopped,
              zzz: s.zzz,
              hop: s.hop,
              nxtValid: s.nxt.has,
              nxtPrice: s.nxt.has ? fromWad(s.nxt.val.toString()).toFixed() : "",
              validPriceEarliestAt: s.stopped ? "" : HUMAN_TIME(earliest!),
            }
          : {}),
        ...(resolvedWhy ? { resolvedBecause: resolvedWhy } : {}),
      },
    });
  }

  function divergenceFinding(
    t: EpisodeTransition<Level>,
    osm: string,
    keys: readonly string[],
    chainId: number,
    median: string | null,
    medianVal: bigint | null,
    curVal: bigint | null,
    resolvedWhy?: string,
  ): Finding {
    const gap = medianVal !== null && curVal !== null ? relative(curVal, medianVal) : null;
    const threshold = divergenceRule(keys).threshold;
    const prices =
      medianVal !== null && curVal !== null
        ? `the Median ${median} reads ${formatAmount(fromWad(medianVal.toString()), 4)}, the OSM's current price is ${formatAmount(fromWad(curVal.toString()), 4)}${gap ? ` (${formatPercent(gap)})` : ""}`
        : "";
    const description =
      t.kind === "resolved"
        ? resolvedWhy
          ? `${label(osm, keys)}: the Median/OSM divergence is no longer measured: ${resolvedWhy}`
          : `${label(osm, keys)}: the Median and the OSM agree again: ${prices}`
        : `${label(osm, keys)}: ${prices}, beyond ${formatPercent(threshold)}: the protocol prices this collateral away from its market source`;
    return episodeFinding(ALERTS.divergence, t, severityOf, {
      description,
      key: [chainId, osm],
      addresses: [osm, ...(median ? [median] : [])],
      metadata: {
        osm,
        median: median ?? "",
        keys: keys.join(","),
        medianRaw: medianVal ?? "",
        medianPrice: medianVal !== null ? fromWad(medianVal.toString()).toFixed() : "",
        osmCurRaw: curVal ?? "",
        osmCurPrice: curVal !== null ? fromWad(curVal.toString()).toFixed() : "",
        gap: gap?.toFixed(6) ?? "",
        gapPercent: gap ? formatPercent(gap) : "",
        threshold: threshold.toFixed(),
      },
    });
  }

  // ---- per block: state ----------------------------------------------------------------------

  async function handleBlock(blockEvent: Parameters<NonNullable<Agent["handleBlock"]>>[0]): Promise<Finding[]> {
    const block = blockRefOf(blockEvent);
    const n = block.number;
    const chainId = blockEvent.network;
    const now = block.timestamp;
    const table = pips();
    await classify([...table.keys()], n);
    const findings: Finding[] = [];

    const osms = [...table.keys()].filter((a) => state.kinds[a] === "osm");
    const likes = [...table.keys()].filter((a) => state.kinds[a] === "osm-like");
    const empty = [...table.keys()].filter((a) => state.kinds[a] === "none");

    // Round trip 1: control words of every OSM, its Median's value, the OSM-like getters.
    const medianOf = (a: string): string | null => {
      const s = state.srcOf[a];
      return s && state.sources[s] ? s : null;
    };
    const [words, likeReads, emptyCodes] = await Promise.all([
      Promise.all(
        osms.map((a) => {
          const m = medianOf(a);
          return Promise.all([readOsmControlWords(ctx.rpc, a, n), m ? readMedianWord(ctx.rpc, m, n) : Promise.resolve(null)]);
        }),
      ),
      Promise.all(likes.map((a) => readOsmLike(ctx.rpc, a, n))),
      Promise.all(empty.map((a) => readCode(ctx.rpc, a, n))), // PIPs without code yet: one cheap read each, same batch
    ]);

    // Round trip 2 (blocks where something moved): new sources, feeds that may have changed.
    const decoded = osms.map((a, i) => {
      const [[w1, w2], mWord] = words[i]!;
      return { a, w1, w2, mWord, s: decodeOsmSrcHopZzz(w2), stopped: BigInt(w1) !== 0n };
    });
    const newSources = decoded.filter((d) => d.s.src !== state.srcOf[d.a] || state.sources[d.s.src] === undefined).map((d) => d.s.src);
    const feedsNeeded = decoded.filter((d) => {
      const r = state.osms[d.a];
      return !r || r.w1 !== d.w1 || r.w2 !== d.w2 || r.dirty;
    });
    const [, feedWords] = await Promise.all([
      classifySources(newSources, n),
      Promise.all(feedsNeeded.map((d) => readOsmFeedWords(ctx.rpc, d.a, n))),
    ]);
    const feedsOf = new Map(feedsNeeded.map((d, i) => [d.a, feedWords[i]!]));
    // A source that changed this block: its value was not in round trip 1.
    const changedMedians = decoded.filter((d) => d.s.src !== state.srcOf[d.a] && state.sources[d.s.src]);
    const medianWords = await Promise.all(changedMedians.map((d) => readMedianWord(ctx.rpc, d.s.src, n)));
    changedMedians.forEach((d, i) => {
      d.mWord = medianWords[i]!;
    });

    for (const d of decoded) {
      const keys = table.get(d.a)!;
      const prev = state.osms[d.a];
      const { src, hop, zzz } = d.s;
      const [curWord, nxtWord] = feedsOf.get(d.a) ?? [prev!.cur, prev!.nxt];
      const cur = decodeOsmFeed(curWord);
      const nxt = decodeOsmFeed(nxtWord);
      const prevS = prev ? decodeOsmSrcHopZzz(prev.w2) : null;

      // hop (step is not noted on mainnet: the change is seen in state only)
      if (prevS && prevS.hop !== hop) {
        findings.push(
          createFinding(ALERTS.hop, {
            description: `${label(d.a, keys)}: the delay (hop) changed from ${prevS.hop} s to ${hop} s${hop < prevS.hop ? ": less time to react to a bad price" : ""}`,
            key: [chainId, block.hash, d.a, "hop"],
            block,
            severity: hopChangeSeverity(prevS.hop, hop),
            addresses: [d.a],
            metadata: { osm: d.a, keys: keys.join(","), hopBefore: prevS.hop, hop, zzz },
          }),
        );
      }

      // staleness, from zzz, hop and the block time
      let dormant = prev ? prev.dormant : isDormant(now, zzz, cfg.dormantAfter);
      if (prev && prevS && prevS.zzz !== zzz) dormant = zzz === 0; // poked since: watched again
      if (!prev && dormant) findings.push(dormantFinding(d.a, keys, zzz, chainId, block));
      const level = d.stopped || dormant || zzz === 0 ? null : staleLevel(now, zzz, hop, staleRule);
      const st = staleEpisodes.observe(d.a, level, block);
      if (st) findings.push(staleFinding(st, d.a, keys, chainId, { zzz, hop, stopped: d.stopped }));

      // no valid current price (after a void, until the second poke after start); not for OSMs never poked
      const np = noPriceEpisodes.observe(d.a, !dormant && zzz !== 0 && !cur.has ? "missing" : null, block);
      if (np) findings.push(noPriceFinding(np, d.a, keys, chainId, { zzz, hop, stopped: d.stopped, nxt }));

      // price jump: the queued price against the current one, whenever they change
      if (!prev || prev.cur !== curWord || prev.nxt !== nxtWord) {
        for (const [which, p] of [["current", cur], ["queued", nxt]] as const) if (p.has) ctx.observe?.("maker.osm_price", fromWad(p.val.toString()).toFixed(), { osm: keys[0] ?? d.a, which });
        const rule = jumpRule(keys);
        const j = priceJump(cur, nxt, rule);
        if (j) findings.push(jumpFinding(d.a, keys, cur.val, nxt.val, j, rule, zzz, hop, [chainId, block.hash, d.a, "jump"], block, "storage"));
      }

      // the Median against the OSM's current price
      const median = state.sources[src] ? src : null;
      const medianVal = median && d.mWord ? decodeMedianValAge(d.mWord).val : null;
      const open = divergenceEpisodes.get(d.a) !== undefined;
      const dv = medianVal !== null ? divergence(medianVal, cur, divergenceRule(keys), cfg.divergenceResolve, open) : { gap: null, level: null };
      const dt = divergenceEpisodes.observe(d.a, dv.level, block);
      if (dt) {
        const why = medianVal === null ? `the source ${src} is not a Median` : !cur.has ? "the OSM has no current price" : undefined;
        findings.push(divergenceFinding(dt, d.a, keys, chainId, median, medianVal, cur.has ? cur.val : null, why));
      }

      state.srcOf[d.a] = src;
      state.osms[d.a] = { w1: d.w1, w2: d.w2, cur: curWord, nxt: nxtWord, dormant, dirty: false };
    }

    likes.forEach((a, i) => {
      const keys = table.get(a)!;
      const r = likeReads[i]!;
      const prev = state.likes[a];
      if (prev && prev.hop !== r.hop) {
        findings.push(
          createFinding(ALERTS.hop, {
            description: `${label(a, keys)} (an OSM-like oracle): the delay (hop) changed from ${prev.hop} s to ${r.hop} s`,
            key: [chainId, block.hash, a, "hop"],
            block,
            severity: hopChangeSeverity(prev.hop, r.hop),
            addresses: [a],
            metadata: { osm: a, keys: keys.join(","), hopBefore: prev.hop, hop: r.hop, zzz: r.zzz },
          }),
        );
      }
      let dormant = prev ? prev.dormant : isDormant(now, r.zzz, cfg.dormantAfter);
      if (prev && prev.zzz !== r.zzz) dormant = r.zzz === 0;
      if (!prev && dormant) findings.push(dormantFinding(a, keys, r.zzz, chainId, block));
      const level = r.stopped || dormant || r.zzz === 0 ? null : staleLevel(now, r.zzz, r.hop, staleRule);
      const st = staleEpisodes.observe(a, level, block);
      if (st) findings.push(staleFinding(st, a, keys, chainId, r));
      state.likes[a] = { ...r, dormant };
    });

    // PIPs that had no code and now have some: classified again (watched from the next block).
    findings.push(...(await reprobe(empty.filter((_, i) => emptyCodes[i] !== "0x"), block, chainId)));

    // PIPs this bot cannot watch: said once, not dropped silently.
    for (const [a, keys] of table) {
      const kind = state.kinds[a];
      if ((kind === "unknown" || kind === "none") && !state.announced[a]) {
        state.announced[a] = true;
        findings.push(
          createFinding(ALERTS.watch, {
            description: `${label(a, keys)} is ${KIND_TEXT[kind!]}: it is not watched`,
            key: [chainId, block.hash, a, "watch", kind!],
            block,
            addresses: [a],
            metadata: { pip: a, keys: keys.join(","), kind, reason: kind },
          }),
        );
      }
    }
    return findings;
  }

  /** A queued price far from the current one, read from an OSM's storage or an OSM-like oracle's Value event. */
  function jumpFinding(
    a: string,
    keys: readonly string[],
    curVal: bigint,
    nxtVal: bigint,
    j: PriceJump,
    rule: MagnitudeRule,
    zzz: number,
    hop: number,
    key: (string | number)[],
    block: BlockRef,
    seenIn: "storage" | "Value event",
  ): Finding {
    const curH = formatAmount(fromWad(curVal.toString()), 4);
    const nxtH = formatAmount(fromWad(nxtVal.toString()), 4);
    return createFinding(ALERTS.priceJump, {
      description: `${label(a, keys)} queued ${nxtH} against the current ${curH} (${formatPercent(j.change)}, threshold ${formatPercent(rule.threshold)}); it becomes the protocol's price at the next poke, from ${HUMAN_TIME(zzz + hop)}`,
      key,
      block,
      severity: severityOf(j.level),
      addresses: [a],
      metadata: {
        osm: a,
        keys: keys.join(","),
        curRaw: curVal,
        curPrice: fromWad(curVal.toString()).toFixed(),
        nxtRaw: nxtVal,
        nxtPrice: fromWad(nxtVal.toString()).toFixed(),
        change: j.change.toFixed(6),
        changePercent: formatPercent(j.change),
        direction: j.change.isNegative() ? "down" : "up",
        threshold: rule.threshold.toFixed(),
        zzz,
        effectiveFrom: HUMAN_TIME(zzz + hop),
        ...(seenIn === "Value event" ? { seenIn } : {}),
      },
    });
  }

  function dormantFinding(a: string, keys: readonly string[], zzz: number, chainId: number, block: BlockRef): Finding {
    return createFinding(ALERTS.watch, {
      description:
        zzz === 0
          ? `${label(a, keys)} has never been poked: it is not checked for staleness until its first poke`
          : `${label(a, keys)} was last poked at ${HUMAN_TIME(zzz)}, more than ${Math.round(cfg.dormantAfter / 86400)} days ago: treated as retired and not checked for staleness until it is poked again`,
      key: [chainId, block.hash, a, "watch", "dormant"],
      block,
      addresses: [a],
      metadata: { pip: a, keys: keys.join(","), kind: state.kinds[a], reason: zzz === 0 ? "never-poked" : "dormant", zzz, lastPoke: zzz ? HUMAN_TIME(zzz) : "" },
    });
  }

  // ---- per transaction: the ChainLog and the notes -------------------------------------------

  async function onBookChange(c: AddressBookChange, tx: TransactionEvent, block: BlockRef): Promise<Finding[]> {
    if (c.kind === "version") return [];
    const findings: Finding[] = [];
    const key = [...logKey(tx.network, block, tx.hash, c.logIndex ?? -1), c.key];
    if (!c.key.startsWith("PIP_")) {
      if (c.key !== "MCD_PAUSE_PROXY" && c.key !== "OSM_MOM") return findings; // kept for the attribution only
      findings.push(
        createFinding(ALERTS.watch, {
          description: trustedCallerChange(c.key, c.from, c.to, trusted()),
          key,
          block,
          addresses: [c.from, c.to].filter((x): x is string => !!x),
          metadata: { key: c.key, from: c.from ?? "", to: c.to ?? "", kind: "trusted-caller", txHash: tx.hash },
        }),
      );
      return findings;
    }
    let kind: PipKind | "" = "";
    if (c.to) {
      if (state.kinds[c.to] === "none") delete state.kinds[c.to]; // no code when last probed: look again
      await classify([c.to], block.number);
      kind = state.kinds[c.to]!;
    }
    const watched = kind !== "unknown" && kind !== "none";
    if (c.to && !watched) state.announced[c.to] = true;
    const stillNamed = c.from ? pips().has(c.from) : false;
    findings.push(
      createFinding(ALERTS.watch, {
        description: c.to
          ? `The ChainLog points ${c.key} to ${c.to} (${KIND_TEXT[kind as PipKind]})${c.from ? `, replacing ${c.from}` : ""}: ${watched ? "the bot watches the new address from now on" : "it cannot be watched"}`
          : `The ChainLog removed ${c.key}${c.from ? ` (${c.from})` : ""}: it is no longer watched`,
        key,
        block,
        addresses: [c.from, c.to].filter((x): x is string => !!x),
        metadata: { key: c.key, from: c.from ?? "", to: c.to ?? "", kind, txHash: tx.hash },
      }),
    );
    if (c.from && !stillNamed) findings.push(...forget(c.from, block, tx.network, `the ChainLog moved ${c.key} to ${c.to ?? "nothing"}`));
    return findings;
  }

  function decodeOrReport(log: LogInput, spec: NoteSpec, tx: TransactionEvent, block: BlockRef, out: Finding[]): DecodedNote | null {
    try {
      return decodeNote(log, spec);
    } catch (err) {
      if (!(err instanceof NoteDecodeError)) throw err;
      const selector = selectorOfNoteTopic(log.topics[0] ?? "") ?? String(log.topics[0] ?? "");
      let signature = selector;
      try {
        signature = spec.iface.getFunction(selector).format();
      } catch {
        /* keep the selector */
      }
      out.push(undecodableLogFinding(tx.network, block, tx.hash, { address: log.address.toLowerCase(), logIndex: log.logIndex, signature: `${spec.contract} note ${signature}`, error: err.message }));
      return null;
    }
  }

  const addressArgs = (note: DecodedNote): string[] | null => {
    if (!note.args) return null;
    const v = note.args[0] as unknown;
    return (Array.isArray(v) ? v : [v]).map((x) => String(x).toLowerCase());
  };

  async function handleTransaction(tx: TransactionEvent): Promise<Finding[]> {
    const block = blockRefOf(tx);
    const n = block.number;
    const chainId = tx.network;
    const findings: Finding[] = [];
    for (const c of book.applyTransaction(tx)) findings.push(...(await onBookChange(c, tx, block)));
    current = callers.observe(tx);

    const table = pips();
    const logs = tx.logs as unknown as LogInput[];
    // PIPs that logged something and are not classified yet (e.g. added by this very transaction),
    // or were classified without code: a log proves they have some now
    const emitters = new Set(logs.map((l) => l.address.toLowerCase()));
    findings.push(...(await reprobe([...table.keys()].filter((a) => emitters.has(a)), block, chainId)));
    await classify([...table.keys()].filter((a) => emitters.has(a)), n);
    const medians = new Map<string, string[]>(); // median -> every watched OSM reading it
    for (const [osm, src] of Object.entries(state.srcOf)) if (state.sources[src] && table.has(osm)) medians.set(src, [...(medians.get(src) ?? []), osm]);
    const gov = trusted();

    for (const log of logs) {
      const address = log.address.toLowerCase();
      const kind = table.has(address) ? state.kinds[address] : undefined;
      if (kind === "osm") {
        const note = decodeOrReport(log, OSM_NOTES, tx, block, findings);
        if (note) findings.push(...(await osmNote(note, table.get(address)!, gov, tx, block, log.logIndex, medians)));
      } else if (kind === "value") {
        const note = decodeOrReport(log, DSVALUE_NOTES, tx, block, findings);
        if (note) findings.push(...(await valueNote(note, table.get(address)!, gov, tx, block, log.logIndex)));
      } else if (medians.has(address)) {
        const note = decodeOrReport(log, MEDIAN_NOTES, tx, block, findings);
        if (note) findings.push(...(await medianNote(note, medians.get(address)!, gov, tx, block, log.logIndex)));
      }
    }

    // OSM-like (LP-token) oracles: named events, without the caller.
    const likes = [...table.keys()].filter((a) => state.kinds[a] === "osm-like");
    if (likes.length) {
      const { events, undecodable } = decodeEvents(logs, LP_ORACLE_IFACE, likes, LP_ORACLE_WATCHED);
      for (const u of undecodable) findings.push(undecodableLogFinding(chainId, block, tx.hash, u));
      for (const e of events) findings.push(...(await likeEvent(e, table.get(e.address) ?? [], tx, block)));
    }

    // DSValue owner/authority changes are named events (ds-auth), without the caller.
    const values = [...table.keys()].filter((a) => state.kinds[a] === "value");
    if (values.length) {
      const { events, undecodable } = decodeEvents(logs, DSVALUE_IFACE, values);
      for (const u of undecodable) findings.push(undecodableLogFinding(chainId, block, tx.hash, u));
      for (const e of events) {
        const who = String(e.name === "LogSetOwner" ? e.args.owner : e.args.authority).toLowerCase();
        const what = e.name === "LogSetOwner" ? "owner" : "authority";
        const action = `set${what[0]!.toUpperCase()}${what.slice(1)}`;
        const by = await attributeControl(e.address, table.get(e.address) ?? [], action, e.logIndex, null);
        findings.push(
          createFinding(ALERTS.rights, {
            description: `${label(e.address)} (fixed-price oracle): ${what} set to ${who} by ${whoText(by)} (transaction from ${tx.from}); the owner can set the price`,
            key: logKey(chainId, block, tx.hash, e.logIndex),
            block,
            severity: by.callerClass === "outsider" ? FindingSeverity.Critical : FindingSeverity.High,
            addresses: [e.address, who, tx.from, ...(by.caller ? [by.caller] : [])],
            metadata: { oracle: e.address, keys: (table.get(e.address) ?? []).join(","), contract: "DSValue", action, usr: who, caller: "", txFrom: tx.from, txHash: tx.hash, ...attributionMetadata(by) },
          }),
        );
      }
    }
    return findings;
  }

  async function controlBase(contractName: string, address: string, keys: readonly string[], note: DecodedNote, _gov: Set<string>, tx: TransactionEvent, logIndex: number) {
    const caller = note.caller ?? "";
    // a Median is not in the ChainLog: no module's role covers it (its keys here are its OSMs')
    const by = await attributeControl(address, contractName === "Median" ? [] : keys, note.name, logIndex, note.caller);
    const byGov = by.callerClass !== "outsider";
    return {
      byGov,
      who: whoText(by),
      metadata: { [contractName === "Median" ? "median" : "osm"]: address, keys: keys.join(","), caller, byGovernance: byGov, txFrom: tx.from, txHash: tx.hash, ...attributionMetadata(by) },
    };
  }

  async function osmNote(
    note: DecodedNote,
    keys: readonly string[],
    gov: Set<string>,
    tx: TransactionEvent,
    block: BlockRef,
    logIndex: number,
    medians: Map<string, string[]>,
  ): Promise<Finding[]> {
    const osm = note.address;
    const chainId = tx.network;
    const key = logKey(chainId, block, tx.hash, logIndex);
    const base = await controlBase("OSM", osm, keys, note, gov, tx, logIndex);
    const name = `${keys.join("/")} (OSM ${osm})`;
    const control = (action: ControlAction, spec: (typeof ALERTS)[keyof typeof ALERTS], description: string, extra: Record<string, string | number | boolean> = {}, addresses: string[] = []) =>
      createFinding(spec, {
        description,
        key,
        block,
        severity: controlSeverity(action, base.byGov),
        addresses: [osm, note.caller ?? "", ...addresses].filter(Boolean),
        metadata: { ...base.metadata, action, ...extra },
      });
    switch (note.name) {
      case "change": {
        const to = String(note.args?.[0] ?? `0x${note.rawArgs[0]!.slice(26)}`).toLowerCase();
        const n = block.number;
        const [beforeWord, feeds, probe, peek] = await Promise.all([
          readOsmControlWords(ctx.rpc, osm, n - 1),
          readOsmFeeds(ctx.rpc, osm, n),
          probeSource(ctx.rpc, to, n),
          peekSourceAs(ctx.rpc, to, osm, n),
        ]);
        const from = decodeOsmSrcHopZzz(beforeWord[1]).src;
        const toIsMedian = isMedian(probe);
        state.sources[to] ??= toIsMedian;
        if (toIsMedian && !medians.get(to)?.includes(osm)) medians.set(to, [...(medians.get(to) ?? []), osm]);
        // a Median's price from storage (whatever its whitelist); any other source through peek(), as the OSM reads it
        const newVal = toIsMedian ? decodeMedianValAge(probe.slot1).val : peek.ok && peek.has ? peek.val : null;
        const gap = newVal !== null && feeds.cur.has ? relative(feeds.cur.val, newVal) : null;
        const notMedian = toIsMedian ? "" : " (not a Median: divergence is not checked while it is the source)";
        const priceText =
          newVal !== null
            ? `; the new source${notMedian} reads ${formatAmount(fromWad(newVal.toString()), 4)}${gap ? ` (${formatPercent(gap)} from the OSM's current price)` : ""} and will be queued at the next poke`
            : peek.ok
              ? `; the new source${notMedian} reports no valid price (peek: has = false): pokes leave the OSM's prices as they are`
              : `; the new source${notMedian} gives no price: ${peek.error}; pokes will fail`;
        return [
          control(
            "change",
            ALERTS.source,
            `${name}: price source changed from ${from} to ${to} by ${base.who}${priceText}`,
            {
              from,
              to,
              newSourceIsMedian: toIsMedian,
              newSourcePriceRaw: newVal?.toString() ?? "",
              newSourcePrice: newVal !== null ? fromWad(newVal.toString()).toFixed() : "",
              newSourceGap: gap?.toFixed(6) ?? "",
              newSourcePriceValid: newVal !== null,
              newSourceReadError: toIsMedian || peek.ok ? "" : peek.error,
            },
            [from, to],
          ),
        ];
      }
      case "stop":
        return [control("stop", ALERTS.stop, `${name} was stopped by ${base.who}: its price is frozen (no pokes) until it is started again`)];
      case "start":
        return [control("start", ALERTS.start, `${name} was started by ${base.who}: pokes can move its price again`)];
      case "void": {
        const rec = state.osms[osm];
        if (rec) rec.dirty = true;
        return [control("void", ALERTS.void, `${name} was voided by ${base.who}: its current and queued prices are cleared and it is stopped; collateral priced by it cannot be revalued or liquidated at a new price`)];
      }
      case "rely":
      case "deny": {
        const usr = addressArgs(note)?.[0] ?? `0x${note.rawArgs[0]!.slice(26)}`;
        return [
          control(
            note.name,
            ALERTS.rights,
            `${name}: admin rights ${note.name === "rely" ? "granted to" : "revoked from"} ${usr} by ${base.who}`,
            { contract: "OSM", usr },
            [usr],
          ),
        ];
      }
      case "kiss":
      case "diss":
        return [whitelist(note, "OSM", osm, keys, base, key, block)];
      default:
        return []; // poke: the state checks of handleBlock see its effects
    }
  }

  function whitelist(
    note: DecodedNote,
    contractName: "OSM" | "Median",
    address: string,
    keys: readonly string[],
    base: Awaited<ReturnType<typeof controlBase>>,
    key: (string | number)[],
    block: BlockRef,
  ): Finding {
    const readers = addressArgs(note);
    const action = note.name as "kiss" | "diss";
    const list = readers ? readers.join(", ") : `(more addresses than a note carries; see transaction ${key[2]})`;
    return createFinding(ALERTS.whitelist, {
      description: `${contractName} ${address} (${keys.join("/")}): ${action === "kiss" ? "may now be read by" : "may no longer be read by"} ${list}; by ${base.who}${action === "diss" ? " (a dissed Spotter or Clipper can no longer price this collateral)" : ""}`,
      key,
      block,
      severity: controlSeverity(action, base.byGov),
      addresses: [address, note.caller ?? "", ...(readers ?? [])].filter(Boolean),
      metadata: { ...base.metadata, contract: contractName, action, readers: readers?.join(",") ?? "" },
    });
  }

  async function medianNote(note: DecodedNote, readers: readonly string[], gov: Set<string>, tx: TransactionEvent, block: BlockRef, logIndex: number): Promise<Finding[]> {
    const median = note.address;
    // every watched OSM reading this Median, named in one finding (ordered by their ChainLog keys)
    const table = pips();
    const osms = [...readers].sort((a, b) => (table.get(a)?.[0] ?? a).localeCompare(table.get(b)?.[0] ?? b));
    const keys = osms.flatMap((o) => table.get(o) ?? []);
    const osm = osms.join(",");
    const chainId = tx.network;
    const key = logKey(chainId, block, tx.hash, logIndex);
    const base = await controlBase("Median", median, keys, note, gov, tx, logIndex);
    const name = `Median ${median} behind ${osms.map((o) => `${(table.get(o) ?? []).join("/")} (OSM ${o})`).join(" and ")}`;
    const n = block.number;
    switch (note.name) {
      case "lift":
      case "drop": {
        let listed = addressArgs(note);
        let added: string[] = [];
        let removed: string[] = [];
        let count = "";
        if (!listed) {
          // 5+ addresses do not fit in the note: compare the feed sets before and after the block
          const [before, after] = await Promise.all([readMedianFeeds(ctx.rpc, median, n - 1), readMedianFeeds(ctx.rpc, median, n)]);
          added = after.filter((a) => !before.includes(a));
          removed = before.filter((a) => !after.includes(a));
          listed = note.name === "lift" ? added : removed;
          count = String(after.length);
        }
        const verb = note.name === "lift" ? "added" : "removed";
        return [
          createFinding(ALERTS.feeds, {
            description: `${name}: ${listed.length} price feed(s) ${verb} by ${base.who}: ${listed.join(", ") || "(none changed)"}${note.name === "lift" ? "; a new feed signs the prices this collateral is valued at" : ""}`,
            key,
            block,
            severity: controlSeverity(note.name, base.byGov),
            addresses: [median, ...osms, note.caller ?? "", ...listed].filter(Boolean),
            metadata: {
              ...base.metadata,
              osm,
              action: note.name,
              feeds: listed.join(","),
              feedCount: listed.length,
              feedsAfter: count,
              fromNote: note.args !== null,
              ...(note.args === null ? { addedInBlock: added.join(","), removedInBlock: removed.join(",") } : {}),
            },
          }),
        ];
      }
      case "setBar": {
        const bar = BigInt(String(note.args?.[0] ?? note.rawArgs[0]));
        const before = await readMedianBar(ctx.rpc, median, n - 1);
        const action: ControlAction = bar < before ? "setBar.lower" : "setBar.raise";
        return [
          createFinding(ALERTS.bar, {
            description: `${name}: quorum (bar) changed from ${before} to ${bar} signatures by ${base.who}${bar < before ? ": fewer feeds are needed to move the price" : ""}`,
            key,
            block,
            severity: controlSeverity(action, base.byGov),
            addresses: [median, ...osms, note.caller ?? ""].filter(Boolean),
            metadata: { ...base.metadata, osm, action: "setBar", barBefore: before, bar },
          }),
        ];
      }
      case "rely":
      case "deny": {
        const usr = addressArgs(note)?.[0] ?? `0x${note.rawArgs[0]!.slice(26)}`;
        return [
          createFinding(ALERTS.rights, {
            description: `${name}: admin rights ${note.name === "rely" ? "granted to" : "revoked from"} ${usr} by ${base.who}`,
            key,
            block,
            severity: controlSeverity(note.name, base.byGov),
            addresses: [median, ...osms, usr, note.caller ?? ""].filter(Boolean),
            metadata: { ...base.metadata, osm, contract: "Median", action: note.name, usr },
          }),
        ];
      }
      case "kiss":
      case "diss":
        return [whitelist(note, "Median", median, keys, base, key, block)];
      default:
        return [];
    }
  }

  /** An OSM-like (LP-token) oracle's named event: its queued price at a poke, or a control (caller not logged). */
  async function likeEvent(e: DecodedEvent, keys: readonly string[], tx: TransactionEvent, block: BlockRef): Promise<Finding[]> {
    const a = e.address;
    const chainId = tx.network;
    const key = logKey(chainId, block, tx.hash, e.logIndex);
    const name = `${keys.join("/")} (OSM-like oracle ${a})`;
    if (e.name === "Value") {
      const { cur, nxt } = feedsOfValueEvent(BigInt(String(e.args.curVal)), BigInt(String(e.args.nxtVal)));
      const rule = jumpRule(keys);
      const j = priceJump(cur, nxt, rule);
      if (!j) return [];
      const { hop, zzz } = await readOsmLike(ctx.rpc, a, block.number);
      return [jumpFinding(a, keys, cur.val, nxt.val, j, rule, zzz, hop, key, block, "Value event")];
    }
    const by = await attributeControl(a, keys, e.name.toLowerCase(), e.logIndex, null);
    const who = `the caller is not logged; ${by.callerClass === "outsider" ? "made OUTSIDE governance" : `attributed to ${whoText(by)}`} (${by.callerSource === "tx-to" ? "inferred from the transaction's target" : by.callerSource})`;
    const metadata = { osm: a, keys: keys.join(","), caller: "", callerLogged: false, byGovernance: String(by.callerClass !== "outsider"), txFrom: tx.from, txHash: tx.hash, ...attributionMetadata(by) };
    const severity = by.callerClass === "outsider" ? FindingSeverity.Critical : UNATTRIBUTED_CONTROL_SEVERITY;
    const control = (spec: (typeof ALERTS)[keyof typeof ALERTS], action: string, description: string, extra: Record<string, string> = {}, addresses: string[] = []) =>
      createFinding(spec, { description, key, block, severity, addresses: [a, ...addresses, tx.from, ...(by.caller ? [by.caller] : [])], metadata: { ...metadata, action, ...extra } });
    switch (e.name) {
      case "Stop":
        return [control(ALERTS.stop, "stop", `${name} was stopped (transaction from ${tx.from}; ${who}): its current and queued prices are cleared and it cannot be poked until started again`)];
      case "Start":
        return [control(ALERTS.start, "start", `${name} was started (transaction from ${tx.from}; ${who}): pokes can move its price again`)];
      case "Link": {
        const orb = String(e.args.orb).toLowerCase();
        const id = "id" in e.args ? String(e.args.id) : "";
        return [
          control(ALERTS.source, "link", `${name}: price source ${id ? `orb${id} ` : ""}replaced by ${orb} (transaction from ${tx.from}; ${who}); the LP price is computed from it from the next poke`, { to: orb, orbId: id, from: "" }, [orb]),
        ];
      }
      case "Change": {
        const src = String(e.args.src).toLowerCase();
        return [control(ALERTS.source, "change", `${name}: price source (src) changed to ${src} (transaction from ${tx.from}; ${who})`, { to: src, orbId: "", from: "" }, [src])];
      }
      case "Kiss":
      case "Diss": {
        const reader = String(e.args.a).toLowerCase();
        const action = e.name === "Kiss" ? "kiss" : "diss";
        return [
          control(
            ALERTS.whitelist,
            action,
            `${name}: ${action === "kiss" ? "may now be read by" : "may no longer be read by"} ${reader} (transaction from ${tx.from}; ${who})${action === "diss" ? " (a dissed Spotter or Clipper can no longer price this collateral)" : ""}`,
            { contract: "OSM-like", readers: reader },
            [reader],
          ),
        ];
      }
      case "Rely":
      case "Deny": {
        const usr = String(e.args.usr).toLowerCase();
        const action = e.name === "Rely" ? "rely" : "deny";
        return [control(ALERTS.rights, action, `${name}: admin rights ${action === "rely" ? "granted to" : "revoked from"} ${usr} (transaction from ${tx.from}; ${who})`, { contract: "OSM-like", usr }, [usr])];
      }
      default:
        return [];
    }
  }

  async function valueNote(note: DecodedNote, keys: readonly string[], gov: Set<string>, tx: TransactionEvent, block: BlockRef, logIndex: number): Promise<Finding[]> {
    const pip = note.address;
    const key = logKey(tx.network, block, tx.hash, logIndex);
    const caller = note.caller ?? "";
    void gov;
    const by = await attributeControl(pip, keys, note.name, logIndex, note.caller);
    const byGov = by.callerClass !== "outsider";
    const who = whoText(by);
    const before = await readValue(ctx.rpc, pip, block.number - 1);
    const beforeText = before ? (before.has ? formatAmount(fromWad(before.val.toString()), 4) : "unset") : "unknown";
    const base = { oracle: pip, keys: keys.join(","), caller, byGovernance: byGov, txFrom: tx.from, txHash: tx.hash, beforeRaw: before?.val ?? "", beforeSet: before?.has ?? "", ...attributionMetadata(by) };
    if (note.name === "poke") {
      const val = BigInt(String(note.args?.[0] ?? note.rawArgs[0]));
      const change = before?.has ? relative(before.val, val) : null;
      return [
        createFinding(ALERTS.value, {
          description: `${keys.join("/")} (fixed-price oracle ${pip}): price set from ${beforeText} to ${formatAmount(fromWad(val.toString()), 4)}${change ? ` (${formatPercent(change)})` : ""} by ${who}`,
          key,
          block,
          severity: controlSeverity("value.poke", byGov),
          addresses: [pip, caller].filter(Boolean),
          metadata: { ...base, action: "poke", valueRaw: val, value: fromWad(val.toString()).toFixed(), change: change?.toFixed(6) ?? "" },
        }),
      ];
    }
    if (note.name === "void") {
      return [
        createFinding(ALERTS.value, {
          description: `${keys.join("/")} (fixed-price oracle ${pip}): price cleared (void, was ${beforeText}) by ${who}; collateral priced by it can no longer be revalued`,
          key,
          block,
          severity: controlSeverity("value.void", byGov),
          addresses: [pip, caller].filter(Boolean),
          metadata: { ...base, action: "void", valueRaw: "", value: "" },
        }),
      ];
    }
    return [];
  }

  return {
    async initialize() {
      await book.ensureLoaded(ctx.rpc, ctx.initBlock);
      // Classify every PIP (and the Median behind each OSM) up front, so that the first
      // transactions' notes are recognised whatever the handler order.
      await classify([...pips().keys()], ctx.initBlock);
      const kinds: Record<string, number> = {};
      for (const a of pips().keys()) kinds[state.kinds[a]!] = (kinds[state.kinds[a]!] ?? 0) + 1;
      ctx.log.info({ oracles: kinds }, "watching the ChainLog's price feeds");
    },
    handleBlock,
    handleTransaction,
  };
}

export default lazyAgent(() => createAgent(fortaContext(BOT)));
