/**
 * Whether the capped LOCKSTAKE_ORACLE's cap binds (../shared/reference/sky.md 8.5): the wrapper's
 * `peek()`/`peep()` read as the Spotter reads them (eth_call from MCD_SPOT, a bud; as the wrapper
 * reads its OSM when the Spotter is refused) against `cap()`. An episode per wrapper: Low while
 * only the queued price is at the cap, Medium once the current one is, Info when it no longer
 * binds (the README says why not High: binding is the cap doing its job, and governance's choice).
 */
import type { Finding } from "forta-agent";
import type { BotContext } from "../../../shared/bot";
import { Episodes, episodeFinding, type EpisodeState, type EpisodeTransition } from "../../../shared/episodes";
import { FindingSeverity, type BlockRef } from "../../../shared/findings";
import { formatAmount, fromWad } from "../../../shared/math";
import type { RpcClient } from "../../../shared/rpc/client";
import { callData, contract, decodeAnswer } from "../../../shared/rpc/contract";
import { CallRevertedError } from "../../../shared/rpc/errors";
import { CAPPED_IFACE } from "./abi";
import { ALERTS } from "./alerts";
import { capBinding, type CappedFeed } from "./detectors";
import { answer } from "./reads";
import type { Oracles } from "./oracles";

type Level = "queued" | "current";

/** What the bot read of a capped wrapper at a block. */
export interface CapSnapshot {
  cap: bigint;
  /** the wrapper's answers (min(OSM value, cap)); `peep` undefined when the wrapper has none */
  cur?: CappedFeed;
  nxt?: CappedFeed;
  /** who they were read as: the Spotter (`spotter`), or the wrapper reading its OSM (`wrapper`) */
  readAs: "spotter" | "wrapper";
  /** the OSM behind the wrapper (`osm()`) and its own prices, read as the wrapper, when it answers */
  source?: string;
  rawCur?: CappedFeed;
  rawNxt?: CappedFeed;
}

/** `peek()`/`peep()` of `to` called as `from`: undefined when refused (not a bud) or absent. Node failures throw. */
async function feedAs(rpc: RpcClient, to: string, fn: "peek" | "peep", from: string, block: number): Promise<CappedFeed | undefined> {
  let out: string;
  try {
    out = await rpc.call({ to, data: callData(CAPPED_IFACE, fn), from }, block);
  } catch (err) {
    if (err instanceof CallRevertedError) return undefined;
    throw err;
  }
  try {
    const [val, has] = decodeAnswer(CAPPED_IFACE, fn, out) as unknown as [string, boolean];
    return { val: BigInt(val), has };
  } catch {
    return undefined;
  }
}

async function source(rpc: RpcClient, wrapper: string, block: number): Promise<string | undefined> {
  return (await answer(contract(rpc, wrapper, CAPPED_IFACE, "LOCKSTAKE_ORACLE").addr("osm", [], block)))?.toLowerCase();
}

/** The OSM's own prices as the wrapper reads them (for the finding, and when the Spotter cannot read the wrapper). */
export async function readRaw(rpc: RpcClient, wrapper: string, block: number): Promise<Pick<CapSnapshot, "source" | "rawCur" | "rawNxt">> {
  const osm = await source(rpc, wrapper, block);
  if (!osm) return {};
  const [rawCur, rawNxt] = await Promise.all([feedAs(rpc, osm, "peek", wrapper, block), feedAs(rpc, osm, "peep", wrapper, block)]);
  return { source: osm, rawCur, rawNxt };
}

const min = (f: CappedFeed | undefined, cap: bigint): CappedFeed | undefined => (f ? { val: f.val < cap ? f.val : cap, has: f.has } : undefined);

/** The wrapper as the Spotter reads it (one batch); as the wrapper reads its OSM when the Spotter is refused. Null when neither answers, or `cap()` does not. */
export async function readCapped(rpc: RpcClient, wrapper: string, spotter: string | undefined, block: number): Promise<CapSnapshot | null> {
  const [cap, cur, nxt] = await Promise.all([
    answer(contract(rpc, wrapper, CAPPED_IFACE, "LOCKSTAKE_ORACLE").uint("cap", [], block)),
    spotter ? feedAs(rpc, wrapper, "peek", spotter, block) : Promise.resolve(undefined),
    spotter ? feedAs(rpc, wrapper, "peep", spotter, block) : Promise.resolve(undefined),
  ]);
  if (cap === undefined) return null; // no cap() any more (other code at the address): nothing to compare
  if (cur) return { cap, cur, nxt, readAs: "spotter" };
  const raw = await readRaw(rpc, wrapper, block);
  if (!raw.rawCur) return null;
  return { cap, cur: min(raw.rawCur, cap), nxt: min(raw.rawNxt, cap), readAs: "wrapper", ...raw };
}

const usd = (v: bigint | undefined) => (v === undefined ? "" : fromWad(v.toString()).toFixed());
const human = (v: bigint) => formatAmount(fromWad(v.toString()), 4);

/** The cap binding, an episode per wrapper. */
export class CapBindingCheck {
  private readonly episodes: Episodes<Level>;

  constructor(
    ctx: BotContext,
    private readonly oracles: Oracles,
  ) {
    this.episodes = new Episodes<Level>(["queued", "current"], ctx.persistent<EpisodeState<Level>>("capBinding", () => ({})));
  }

  /** Whether `level` would open or escalate the wrapper's episode (then the finding names the OSM's own prices). */
  moves(wrapper: string, level: Level | null): boolean {
    if (level === null) return false;
    const open = this.episodes.get(wrapper);
    return !open || this.episodes.levels.indexOf(level) > this.episodes.levels.indexOf(open.peak);
  }

  observe(wrapper: string, keys: readonly string[], s: CapSnapshot, block: BlockRef, chainId: number): Finding[] {
    const t = this.episodes.observe(wrapper, capBinding(s.cap, s.cur, s.nxt), block);
    return t ? [this.finding(t, wrapper, keys, chainId, s)] : [];
  }

  forget(wrapper: string, block: BlockRef, chainId: number, why: string): Finding[] {
    const t = this.episodes.observe(wrapper, null, block);
    return t ? [this.finding(t, wrapper, [], chainId, null, `no longer watched: ${why}`)] : [];
  }

  private finding(t: EpisodeTransition<Level>, wrapper: string, keys: readonly string[], chainId: number, s: CapSnapshot | null, resolvedWhy?: string): Finding {
    const label = this.oracles.label(wrapper, keys);
    let description: string;
    if (t.kind === "resolved") {
      description = `${label}: its cap no longer binds${resolvedWhy ? ` (${resolvedWhy})` : s?.cur?.has ? `: the price read is ${human(s.cur.val)}, under the cap ${human(s.cap)}` : ""}`;
    } else {
      const raw = t.level === "current" ? s!.rawCur : s!.rawNxt;
      const price = `the ${t.level} SKY price of the oracle it wraps${raw?.has ? ` (${human(raw.val)})` : ""} is at or above`;
      description =
        `${label}: its cap binds: ${price} the cap ${human(s!.cap)}, so the Spotter and the clipper read ${human(s!.cap)}${t.level === "queued" ? " from the next poke" : ""}. ` +
        "The collateral's borrowing capacity is held at the cap (what the cap is for: a SKY price run-up does not become new debt) and an auction would start from the cap, below the market: governance decides whether to keep it";
    }
    return episodeFinding(ALERTS.capBinding, t, (l) => (l === "current" ? FindingSeverity.Medium : FindingSeverity.Low), {
      description,
      key: [chainId, wrapper, "cap-binding"],
      addresses: [wrapper, ...(s?.source ? [s.source] : [])],
      metadata: {
        osm: wrapper,
        keys: keys.join(","),
        ...(s
          ? {
              capRaw: s.cap.toString(),
              cap: usd(s.cap),
              curRaw: s.cur?.val.toString() ?? "",
              cur: usd(s.cur?.val),
              nxtRaw: s.nxt?.val.toString() ?? "",
              nxt: usd(s.nxt?.val),
              readAs: s.readAs,
              source: s.source ?? "",
              sourceCurRaw: s.rawCur?.val.toString() ?? "",
              sourceCur: usd(s.rawCur?.val),
              sourceNxtRaw: s.rawNxt?.val.toString() ?? "",
              sourceNxt: usd(s.rawNxt?.val),
            }
          : {}),
        ...(resolvedWhy ? { resolvedBecause: resolvedWhy } : {}),
      },
    });
  }
}

