/** The oracle price a Clipper's take is compared with. */
import { CLIP_IFACE, OSM_IFACE, OSM_SLOTS, SPOT_IFACE, decodeOsmFeed, fromBytes32 } from "../../../shared/abi";
import type { BotContext } from "../../../shared/bot";
import { VigilError, errorMessage } from "../../../shared/errors";
import { CallRevertedError } from "../../../shared/rpc/errors";
import { contract, readStorage } from "../../../shared/rpc/contract";
import { RAY, feedPrice } from "./detectors";
import type { Auction } from "./model";

/**
 * The collateral's current oracle price as the Clipper sees it [ray]: the pip of the Clipper's
 * Spotter, `peek()` called as the Clipper (which the OSM whitelists), divided by `par`. Fallbacks:
 * the OSM's `cur` from storage, then the auction's `top / buf` (the price at kick or redo).
 */
export async function oraclePrice(ctx: BotContext, clip: string, ilkWord: string, auction: Auction | undefined, n: number): Promise<{ feed: bigint; source: string; pip: string }> {
  const clipR = contract(ctx.rpc, clip, CLIP_IFACE, "Clipper");
  const [spotter, buf] = await Promise.all([clipR.addr("spotter", [], n), clipR.uint("buf", [], n)]);
  const spot = contract(ctx.rpc, spotter, SPOT_IFACE, "Spotter");
  const [[pipRaw], par] = await Promise.all([spot.read("ilks", [ilkWord], n), spot.uint("par", [], n)]);
  const pip = String(pipRaw).toLowerCase();
  const problems: string[] = [];
  // the pip refusing (a revert) or answering something else than (bytes32, bool) moves on to the
  // next source; a failing node does not (the error propagates and the runtime retries the block)
  let out: string | null = null;
  try {
    out = await ctx.rpc.call({ to: pip, from: clip, data: OSM_IFACE.encodeFunctionData("peek") }, n);
  } catch (err) {
    if (!(err instanceof CallRevertedError)) throw err;
    problems.push(`peek() as the Clipper reverted: ${errorMessage(err)}`);
  }
  if (out !== null) {
    let decoded: [string, boolean] | null = null;
    try {
      decoded = OSM_IFACE.decodeFunctionResult("peek", out) as unknown as [string, boolean];
    } catch {
      problems.push(`peek() as the Clipper answered ${out.slice(0, 74)}, not (bytes32, bool)`);
    }
    if (decoded && decoded[1]) return { feed: feedPrice(BigInt(decoded[0]), par), source: "peek() as the Clipper", pip };
    if (decoded) problems.push("peek() says the price is not valid");
  }
  const cur = decodeOsmFeed(await readStorage(ctx.rpc, pip, OSM_SLOTS.cur, n));
  if (cur.has) return { feed: feedPrice(cur.val, par), source: "OSM cur (storage slot 3)", pip };
  problems.push("no valid OSM cur in storage slot 3");
  if (auction && buf > 0n) return { feed: (BigInt(auction.top) * RAY) / buf, source: "auction top / buf (the oracle price at kick or redo)", pip };
  throw new VigilError("NO_ORACLE_PRICE", `no oracle price for ${fromBytes32(ilkWord)} at block ${n} (Clipper ${clip}, pip ${pip}): ${problems.join("; ")}`);
}
