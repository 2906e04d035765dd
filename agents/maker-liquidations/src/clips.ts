/**
 * The Clippers the bot knows: the ChainLog's (MCD_CLIP_*), and any a Bark or `Dog.file(ilk,
 * "clip", ...)` names. Learning one reads its ilk, breaker level, tail and the auctions it runs.
 */
import type { ethers } from "forta-agent";
import { CLIP_IFACE, fromBytes32 } from "../../../shared/abi";
import { VigilError, errorMessage } from "../../../shared/errors";
import { CHAINLOG_KEYS } from "../../../shared/maker/chainlog";
import { CallRevertedError } from "../../../shared/rpc/errors";
import { contract } from "../../../shared/rpc/contract";
import { decodeSale } from "./detectors";
import type { BlockEvent } from "forta-agent";
import type { Watcher } from "../../../shared/watchers";
import { auctionKey, type LiqDeps, type LiqTx } from "./model";

/** The registry; as a watcher, each block registers the ChainLog's new clippers. */
export interface ClipRegistry extends Watcher<LiqTx> {
  /** Learn a clipper at block n (nothing if it is known); `source` says where the bot heard of it. */
  register(clip: string, n: number, source: string): Promise<void>;
  /**
   * Register the ChainLog's clippers the bot does not know yet (all at once). A key that does not
   * answer like a Clipper is logged as an error once and left alone.
   */
  registerChainlog(n: number): Promise<void>;
}

export function clipRegistry({ ctx, book, state }: LiqDeps): ClipRegistry {
  async function readSale(clip: string, id: bigint, n: number) {
    const out = await ctx.rpc.call({ to: clip, data: CLIP_IFACE.encodeFunctionData("sales", [id]) }, n);
    return decodeSale(out);
  }

  async function register(clip: string, n: number, source: string): Promise<void> {
    if (state.clips[clip]) return;
    const r = contract(ctx.rpc, clip, CLIP_IFACE, `Clipper ${source}`);
    const [[ilkWord], stopped, tail, [ids]] = await Promise.all([r.read("ilk", [], n), r.uint("stopped", [], n), r.uint("tail", [], n), r.read("list", [], n)]);
    const ilk = fromBytes32(String(ilkWord));
    state.clips[clip] = { ilk, ilkWord: String(ilkWord).toLowerCase(), stopped: Number(stopped), tail: Number(tail), source };
    const running = (ids as ethers.BigNumber[]).map((id) => id.toBigInt());
    const sales = await Promise.all(running.map((id) => readSale(clip, id, n)));
    running.forEach((id, i) => {
      const s = sales[i]!;
      const key = auctionKey(clip, id.toString());
      state.auctions[key] ??= { clip, id: id.toString(), ilk, tic: s.tic, top: s.top.toString(), tab: s.tab.toString(), lot: s.lot.toString(), usr: s.usr, since: null };
    });
  }

  async function registerChainlog(n: number): Promise<void> {
    const fresh = book.matching(CHAINLOG_KEYS.clippers).filter((e) => !state.clips[e.address] && state.unreadable[e.address] === undefined);
    await Promise.all(
      fresh.map((e) =>
        register(e.address, n, e.key).catch((err: unknown) => {
          if (!(err instanceof CallRevertedError || (err instanceof VigilError && ["CONTRACT_DECODE", "BAD_SALE"].includes(err.code)))) throw err;
          state.unreadable[e.address] = errorMessage(err);
          ctx.log.error({ key: e.key, address: e.address, block: n, err: errorMessage(err) }, "a ChainLog clipper does not answer like a Clipper; its auctions are not watched");
        }),
      ),
    );
  }

  return {
    register,
    registerChainlog,
    async onBlock(b: BlockEvent) {
      await registerChainlog(b.blockNumber);
      return [];
    },
  };
}
