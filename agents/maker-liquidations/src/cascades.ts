/**
 * Liquidation cascades: the debt liquidated within a rolling window (`window` seconds), per
 * collateral and overall, as episodes (high, critical). Fed by the Dog's Bark and the legacy
 * Cat's Bite; the window is pruned and the episodes re-evaluated on every liquidation and block.
 */
import type { BlockEvent, Finding } from "forta-agent";
import { blockRefOf } from "../../../shared/bot";
import { Episodes, episodeFinding, type EpisodeTransition } from "../../../shared/episodes";
import { FindingSeverity, type BlockRef } from "../../../shared/findings";
import { fromBytes32 } from "../../../shared/abi";
import type { Watcher } from "../../../shared/watchers";
import { ALERTS } from "./alerts";
import { cascadeLevel, daiToRad, pruneWindow, windowVolumes, type CascadeLevel } from "./detectors";
import { GLOBAL, big, dai, daiHuman, type LiqDeps, type LiqTx } from "./model";

export function cascadeWatcher({ cfg, book, state, rad }: LiqDeps): Watcher<LiqTx> {
  const cascadeIlk = new Episodes<CascadeLevel>(["high", "critical"], state.cascadeIlk);
  const cascadeGlobal = new Episodes<CascadeLevel>(["high", "critical"], state.cascadeGlobal);

  function cascadeFinding(spec: typeof ALERTS.cascade, t: EpisodeTransition<CascadeLevel>, subject: string, total: bigint, count: number, firstBlock: number, dog: string): Finding {
    const scope = subject === GLOBAL ? "across all collateral" : `in ${subject}`;
    const description =
      t.kind === "resolved"
        ? `Liquidations ${scope} are back below ${daiHuman(daiToRad(subject === GLOBAL ? cfg.cascadeHigh : cfg.ilkCascadeHigh))} within ${cfg.window} s (${daiHuman(total)} now)`
        : `${daiHuman(total)} of debt liquidated ${scope} in ${count} liquidation(s) within the last ${cfg.window} s (since block ${firstBlock}): ${t.level === "critical" ? "an extreme cascade" : "a liquidation cascade"}`;
    return episodeFinding(spec, t, (l) => (l === "critical" ? FindingSeverity.Critical : FindingSeverity.High), {
      description,
      key: [dog, subject],
      addresses: [dog],
      metadata: {
        dog,
        ilk: subject === GLOBAL ? "" : subject,
        volumeRaw: total.toString(),
        volume: dai(total),
        liquidations: count,
        sinceBlock: count ? firstBlock : "",
        windowSeconds: cfg.window,
        highAt: (subject === GLOBAL ? cfg.cascadeHigh : cfg.ilkCascadeHigh).toFixed(),
        criticalAt: (subject === GLOBAL ? cfg.cascadeCritical : cfg.ilkCascadeCritical).toFixed(),
      },
    });
  }

  /** Prune the window at `block` and report the cascade episodes that changed. */
  function evaluate(block: BlockRef, dog: string): Finding[] {
    pruneWindow(state.window, block.timestamp, cfg.window);
    const v = windowVolumes(state.window);
    const out: Finding[] = [];
    const g = cascadeGlobal.observe(GLOBAL, cascadeLevel(v.global.total, rad.high, rad.critical), block);
    if (g) out.push(cascadeFinding(ALERTS.cascade, g, GLOBAL, v.global.total, v.global.count, v.global.firstBlock, dog));
    const subjects = [...new Set([...Object.keys(v.ilks), ...cascadeIlk.subjects()])].sort();
    for (const ilk of subjects) {
      const vol = v.ilks[ilk] ?? { total: 0n, count: 0, firstBlock: 0 };
      const t = cascadeIlk.observe(ilk, cascadeLevel(vol.total, rad.ilkHigh, rad.ilkCritical), block);
      if (t) out.push(cascadeFinding(ALERTS.ilkCascade, t, ilk, vol.total, vol.count, vol.firstBlock, dog));
    }
    return out;
  }

  return {
    async onTransaction({ block, dog, cat, dogEvents, catEvents }) {
      const out: Finding[] = [];
      for (const e of dog ? dogEvents : []) {
        if (e.name !== "Bark") continue;
        state.window.push({ t: block.timestamp, b: block.number, ilk: fromBytes32(String(e.args.ilk).toLowerCase()), due: big(e.args.due).toString(), via: "dog" });
        out.push(...evaluate(block, dog!));
      }
      for (const e of cat ? catEvents : []) {
        state.window.push({ t: block.timestamp, b: block.number, ilk: fromBytes32(String(e.args.ilk)), due: big(e.args.tab).toString(), via: "cat" });
        out.push(...evaluate(block, dog ?? cat!));
      }
      return out;
    },
    async onBlock(blockEvent: BlockEvent) {
      const dog = book.tryGetAddress("MCD_DOG");
      const cat = book.tryGetAddress("MCD_CAT");
      return dog || cat ? evaluate(blockRefOf(blockEvent), dog ?? cat!) : [];
    },
  };
}
