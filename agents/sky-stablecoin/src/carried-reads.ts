/**
 * Reads sky-stablecoin carries instead of asking them every block, each in memory only (a restart
 * or a reorg reads it again): MKR_SKY's immutable `rate`, and SKY's ward bits (MKR_SKY's, which
 * every block prefetches for its conversions' mints, and a minter's).
 */
import type { BlockEvent } from "forta-agent";
import { MKR_SKY_IFACE, USDS_IFACE } from "../../../shared/abi/sky";
import type { BotContext } from "../../../shared/bot";
import { carryableLogs } from "../../../shared/rpc/block-logs";
import { contract } from "../../../shared/rpc/contract";

/** topic 0 of ERC-20 Transfer and Approval: SKY's logs that change no ward bit */
const TOKEN_MOVES = new Set(["Transfer", "Approval"].map((e) => USDS_IFACE.getEventTopic(e).toLowerCase()));
const lc = (v: unknown) => String(v).toLowerCase();
const str = (v: unknown) => (v as { toString(): string }).toString();

export function carriedReads(ctx: BotContext, chainlog: string) {
  /** MKR_SKY's `rate` per converter: immutable in MkrSky (v1 and v2), so read once per address (in memory). */
  const mkrSkyRates = new Map<string, Promise<string>>();
  function mkrSkyRate(mkrSky: string, n: number): Promise<string> {
    let rate = mkrSkyRates.get(mkrSky);
    if (!rate) {
      rate = contract(ctx.rpc, mkrSky, MKR_SKY_IFACE, "MKR_SKY").read("rate", [], n).then((r) => str(r[0]));
      rate.catch(() => mkrSkyRates.delete(mkrSky)); // a failed read is asked again
      mkrSkyRates.set(mkrSky, rate);
    }
    return rate;
  }

  /**
   * SKY's ward bits as read at block `block` (`hash`), in memory only (a restart or a reorg reads them
   * again); carried to the next block when SKY logs nothing there but Transfer and Approval (only
   * rely/deny, which log Rely/Deny, write a ward bit) and the ChainLog logs nothing (`carryWards`).
   */
  let skyWards: { block: number; hash: string; sky: string; bits: Record<string, Promise<bigint>> } | undefined;

  async function carryWards(blockEvent: BlockEvent, sky: string | undefined): Promise<void> {
    const b = blockEvent.block;
    const prev = skyWards;
    skyWards = sky ? { block: b.number, hash: lc(b.hash), sky, bits: {} } : undefined;
    if (!sky || !prev || prev.sky !== sky) return;
    const logs = await carryableLogs(ctx.rpc, { n: b.number, txCount: b.transactions.length, parentHash: b.parentHash, carriedAt: prev.hash, chainlog });
    if (!logs || logs.some((l) => lc(l.address) === sky && !TOKEN_MOVES.has(lc(l.topics[0])))) return;
    skyWards!.bits = prev.bits;
  }

  /** SKY's `wards(who)` at the end of block `n`: carried, or read (and kept for the next blocks). */
  function skyWard(sky: string, who: string, n: number): Promise<bigint> {
    const w = skyWards?.block === n && skyWards.sky === sky ? skyWards : undefined;
    const known = w?.bits[who];
    if (known) return known;
    const bit = contract(ctx.rpc, sky, USDS_IFACE, "SKY").read("wards", [who], n).then((r) => BigInt(String(r[0])));
    if (w) {
      w.bits[who] = bit;
      bit.catch(() => delete w.bits[who]); // a failed read is asked again
    }
    return bit;
  }

  return { mkrSkyRate, carryWards, skyWard };
}
