/**
 * The watch list every concern of maker-oracles shares: the ChainLog's `PIP_*` addresses, what
 * each one is (classified once, at the block it was first seen), the source behind each OSM and
 * whether that source is a Median. Its state is one `ctx.persistent("oracles")` object, so restarts
 * and reorgs restore it.
 */
import { decodeOsmSrcHopZzz } from "../../../shared/abi";
import type { BotContext } from "../../../shared/bot";
import type { AddressBook } from "../../../shared/maker/chainlog";
import { classifyPip, isScribe, sourceKindOf, type PipKind, type SourceKind } from "./detectors";
import { probePip, probeSource } from "./reads";

/** What the bot remembers of an OSM between blocks (storage words as 0x hex). */
export interface OsmRecord {
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
export interface LikeRecord {
  hop: number;
  zzz: number;
  stopped: boolean;
  dormant: boolean;
}

export interface OraclesState {
  /** what each PIP address is (classified once, at the block it was first seen) */
  kinds: Record<string, PipKind>;
  /** whether each OSM source address is a Median */
  sources: Record<string, boolean>;
  /** what each OSM source address is (a Median, a Chronicle Scribe, ...); absent in state saved before Scribes were told apart */
  sourceKinds?: Record<string, SourceKind>;
  /** OSM -> its source as last read */
  srcOf: Record<string, string>;
  osms: Record<string, OsmRecord>;
  likes: Record<string, LikeRecord>;
  /** addresses already announced as not watched (unknown kind, no code) */
  announced: Record<string, true>;
}

export const KIND_TEXT: Record<PipKind, string> = {
  osm: "an OSM",
  capped: "a capped OSM wrapper (LOCKSTAKE_ORACLE-shaped), watched for its cap, readers and wards",
  "osm-like": "an OSM-like oracle with its own storage layout (an LP-token oracle), watched through its getters and named events",
  value: "a fixed-price DSValue",
  unknown: "neither an OSM nor a fixed-price DSValue",
  none: "an address without contract code",
};

/** The ChainLog keys of the oracles this bot watches: every `PIP_*`, and LOCKSTAKE_ORACLE (the capped PIP_SKY the Lockstake ilk is priced by). */
export const ORACLE_KEYS = /^(PIP_|LOCKSTAKE_ORACLE$)/;
export const isOracleKey = (key: string): boolean => ORACLE_KEYS.test(key);

export const HUMAN_TIME = (t: number) => new Date(t * 1000).toISOString().replace(".000Z", "Z");

export class Oracles {
  readonly state: OraclesState;

  constructor(
    private readonly ctx: BotContext,
    private readonly book: AddressBook,
  ) {
    this.state = ctx.persistent<OraclesState>("oracles", () => ({ kinds: {}, sources: {}, srcOf: {}, osms: {}, likes: {}, announced: {} }));
  }

  /** PIP address -> the ChainLog keys naming it (several keys may share one contract). */
  pips(): Map<string, string[]> {
    const out = new Map<string, string[]>();
    for (const { key, address } of this.book.matching(ORACLE_KEYS)) out.set(address, [...(out.get(address) ?? []), key]);
    return out;
  }

  /** The watched PIPs of one kind. */
  ofKind(kind: PipKind, table = this.pips()): string[] {
    return [...table.keys()].filter((a) => this.state.kinds[a] === kind);
  }

  label(address: string, keys?: readonly string[]): string {
    const k = keys ?? this.pips().get(address) ?? [];
    return k.length ? `${k.join("/")} (${address})` : address;
  }

  /** The OSM's source when it is a Median, else null. */
  medianOf(osm: string): string | null {
    const s = this.state.srcOf[osm];
    return s && this.state.sources[s] ? s : null;
  }

  /** Whether `address` is the source of an OSM seen (a Median, a Scribe, ...): no set built, asked per transaction. */
  isSource(address: string): boolean {
    const srcOf = this.state.srcOf;
    for (const osm in srcOf) if (srcOf[osm] === address) return true;
    return false;
  }

  /** Median -> every watched OSM reading it. */
  medians(table = this.pips()): Map<string, string[]> {
    const out = new Map<string, string[]>();
    for (const [osm, src] of Object.entries(this.state.srcOf)) if (this.state.sources[src] && table.has(osm)) out.set(src, [...(out.get(src) ?? []), osm]);
    return out;
  }

  /** Classify the PIP addresses not classified yet, and the sources of the OSMs among them, at `block`. */
  async classify(addresses: readonly string[], block: number | "latest"): Promise<void> {
    const todo = addresses.filter((a) => this.state.kinds[a] === undefined);
    if (todo.length === 0) return;
    const probes = await Promise.all(todo.map((a) => probePip(this.ctx.rpc, a, block)));
    todo.forEach((a, i) => {
      const kind = classifyPip(probes[i]!);
      this.state.kinds[a] = kind;
      if (kind === "osm") this.state.srcOf[a] ??= decodeOsmSrcHopZzz(probes[i]!.slot2).src;
      this.ctx.log.info({ pip: this.label(a), kind }, "oracle classified");
    });
    await this.classifySources(Object.values(this.state.srcOf), block);
  }

  async classifySources(sources: readonly string[], block: number | "latest"): Promise<void> {
    const kinds = (this.state.sourceKinds ??= {});
    const todo = [...new Set(sources)].filter((s) => this.state.sources[s] === undefined || kinds[s] === undefined);
    if (todo.length === 0) return;
    const probes = await Promise.all(todo.map((s) => probeSource(this.ctx.rpc, s, block)));
    todo.forEach((s, i) => {
      const kind = sourceKindOf(probes[i]!);
      kinds[s] = kind;
      this.state.sources[s] = kind === "median"; // never a Median unless it is one: a Scribe also answers bar()
      if (kind !== "median" && kind !== "other") this.ctx.log.info({ source: s, kind }, "OSM source classified");
    });
  }

  sourceKind(source: string): SourceKind | undefined {
    return this.state.sourceKinds?.[source];
  }

  /** Scribe -> every watched OSM reading it (a Chronicle Scribe or ScribeOptimistic source). */
  scribes(table = this.pips()): Map<string, string[]> {
    const out = new Map<string, string[]>();
    for (const [osm, src] of Object.entries(this.state.srcOf)) if (isScribe(this.sourceKind(src)) && table.has(osm) && this.state.kinds[osm] === "osm") out.set(src, [...(out.get(src) ?? []), osm]);
    return out;
  }
}
