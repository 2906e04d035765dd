/**
 * Dirt against Hole: the DAI needed to cover running auctions against the Dog's limit, per
 * collateral (dirt/hole) and overall (Dirt/Hole), as episodes (medium, high). Read at start-up
 * and after every transaction whose Dog events move them (Bark, Digs, file of Hole or hole).
 */
import type { BlockEvent, Finding, ethers } from "forta-agent";
import { DOG_IFACE, fromBytes32 } from "../../../shared/abi";
import { blockRefOf } from "../../../shared/bot";
import { Episodes, episodeFinding, type EpisodeTransition } from "../../../shared/episodes";
import { FindingSeverity, type BlockRef } from "../../../shared/findings";
import { dec, formatPercent } from "../../../shared/math";
import { contract } from "../../../shared/rpc/contract";
import type { Watcher } from "../../../shared/watchers";
import { ALERTS } from "./alerts";
import { dirtLevel, type DirtLevel } from "./detectors";
import { GLOBAL, big, dai, daiHuman, type LiqDeps, type LiqTx } from "./model";

/**
 * Two watchers over the same episodes: `atStart` reads the conditions that already hold on the
 * first block; `changes` reads them again after each transaction that moves them, once the
 * transaction's other findings are out (agent.ts runs it last).
 */
export function dirtWatchers({ ctx, cfg, book, state }: LiqDeps): { atStart: Watcher<LiqTx>; changes: Watcher<LiqTx> } {
  const dirtIlk = new Episodes<DirtLevel>(["medium", "high"], state.dirtIlk);
  const dirtGlobal = new Episodes<DirtLevel>(["medium", "high"], state.dirtGlobal);
  const dirtT = { medium: cfg.dirtMedium, high: cfg.dirtHigh };

  async function checkDirt(dog: string, ilkWords: readonly string[], global: boolean, block: BlockRef): Promise<Finding[]> {
    const n = block.number;
    const r = contract(ctx.rpc, dog, DOG_IFACE, "Dog");
    const [Hole, Dirt, ...ilks] = await Promise.all([r.uint("Hole", [], n), r.uint("Dirt", [], n), ...ilkWords.map((w) => r.read("ilks", [w], n))]);
    const out: Finding[] = [];
    const finding = (spec: typeof ALERTS.dirt, t: EpisodeTransition<DirtLevel>, subject: string, dirt: bigint, hole: bigint): Finding => {
      const share = hole === 0n ? null : dec(dirt).div(dec(hole));
      const names = subject === GLOBAL ? ["Dirt", "Hole"] : [`dirt of ${subject}`, `hole of ${subject}`];
      const description =
        t.kind === "resolved"
          ? `Dog ${dog}: ${names[0]} is back to ${share ? formatPercent(share) : "n/a"} of ${names[1]} (${daiHuman(dirt)} of ${daiHuman(hole)})`
          : hole === 0n
            ? `Dog ${dog}: Hole is 0: the Dog refuses every new liquidation`
            : `Dog ${dog}: ${names[0]} (DAI needed to cover running auctions) is ${formatPercent(share!)} of ${names[1]} (${daiHuman(dirt)} of ${daiHuman(hole)}; room ${daiHuman(hole > dirt ? hole - dirt : 0n)})${
                dirt >= hole ? ": the limit is hit, new liquidations are refused" : ""
              }`;
      return episodeFinding(spec, t, (l) => (l === "high" ? FindingSeverity.High : FindingSeverity.Medium), {
        description,
        key: [dog, subject],
        addresses: [dog],
        metadata: {
          dog,
          ilk: subject === GLOBAL ? "" : subject,
          dirtRaw: dirt.toString(),
          dirt: dai(dirt),
          holeRaw: hole.toString(),
          hole: dai(hole),
          share: share ? share.toFixed(6) : "",
          mediumAt: cfg.dirtMedium.toFixed(),
          highAt: cfg.dirtHigh.toFixed(),
        },
      });
    };
    if (global) {
      for (const [name, v] of [["maker.dog_dirt", Dirt], ["maker.dog_hole", Hole]] as const) ctx.observe?.(name, dai(v));
      const t = dirtGlobal.observe(GLOBAL, dirtLevel(Dirt, Hole, dirtT, true), block);
      if (t) out.push(finding(ALERTS.dirt, t, GLOBAL, Dirt, Hole));
    }
    ilkWords.forEach((w, i) => {
      const r2 = ilks[i] as ethers.utils.Result;
      const hole = big(r2.hole);
      const dirt = big(r2.dirt);
      const name = fromBytes32(w);
      const t = dirtIlk.observe(name, dirtLevel(dirt, hole, dirtT, false), block);
      if (t) out.push(finding(ALERTS.ilkDirt, t, name, dirt, hole));
    });
    return out;
  }

  const atStart: Watcher<LiqTx> = {
    async onBlock(blockEvent: BlockEvent) {
      if (state.started) return [];
      state.started = true;
      // conditions that already hold when the bot starts
      const dog = book.tryGetAddress("MCD_DOG");
      const ilks = [...new Set(Object.values(state.clips).map((c) => c.ilkWord))].sort();
      return dog ? checkDirt(dog, ilks, true, blockRefOf(blockEvent)) : [];
    },
  };
  const changes: Watcher<LiqTx> = {
    async onTransaction({ block, dog, dogEvents }) {
      if (!dog) return [];
      const ilks = new Set<string>();
      let all = false;
      for (const e of dogEvents) {
        if (e.name === "Bark" || e.name === "Digs") {
          ilks.add(String(e.args.ilk).toLowerCase());
          all = true;
        } else if (e.name === "File") {
          const ilkWord = e.signature.startsWith("File(bytes32,bytes32") ? String(e.args.ilk).toLowerCase() : null;
          const what = fromBytes32(String(e.args.what));
          if (what === "Hole") all = true;
          if (ilkWord && what === "hole") ilks.add(ilkWord);
        }
      }
      return all || ilks.size ? checkDirt(dog, [...ilks].sort(), all, block) : [];
    },
  };
  return { atStart, changes };
}
