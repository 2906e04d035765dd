/**
 * OSM-like oracles (the LP-token oracles: the OSM's getters over another storage layout, named
 * events instead of notes): staleness and hop changes through the getters every block; the
 * queued price against the current one from the `Value(curVal, nxtVal)` event each poke writes.
 * Their controls (Stop, Start, Link, Change, Kiss, Diss, Rely, Deny) are rows of events.ts.
 */
import type { BlockEvent, Finding, TransactionEvent } from "forta-agent";
import { blockRefOf } from "../../../shared/bot";
import { logKey } from "../../../shared/findings";
import { decodeEvents, undecodableLogFinding, type LogInput } from "../../../shared/logs";
import { LP_ORACLE_IFACE } from "./abi";
import type { Deps } from "./deps";
import { feedsOfValueEvent, isDormant, priceJump } from "./detectors";
import { hopFinding } from "./hop";
import { jumpFinding, jumpRule } from "./price-jump";
import { readOsmLike } from "./reads";
import type { Watcher } from "../../../shared/watchers";

export function osmLikeWatcher(deps: Deps): Watcher {
  const { ctx, config: cfg, oracles, staleness } = deps;
  const state = oracles.state;
  return {
    name: "osm-like",
    async onBlock(blockEvent: BlockEvent): Promise<Finding[]> {
      const block = blockRefOf(blockEvent);
      const chainId = blockEvent.network;
      const table = oracles.pips();
      const likes = oracles.ofKind("osm-like", table);
      const reads = await Promise.all(likes.map((a) => readOsmLike(ctx.rpc, a, block.number)));
      const findings: Finding[] = [];
      likes.forEach((a, i) => {
        const keys = table.get(a)!;
        const r = reads[i]!;
        const prev = state.likes[a];
        if (prev && prev.hop !== r.hop) findings.push(hopFinding(oracles.label(a, keys), a, keys, prev.hop, r.hop, r.zzz, block, chainId, true));
        let dormant = prev ? prev.dormant : isDormant(block.timestamp, r.zzz, cfg.dormantAfter);
        if (prev && prev.zzz !== r.zzz) dormant = r.zzz === 0;
        findings.push(...staleness.observe(a, keys, r, dormant, !prev, block, chainId));
        state.likes[a] = { ...r, dormant };
      });
      return findings;
    },

    async onTransaction(tx: TransactionEvent): Promise<Finding[]> {
      const table = oracles.pips();
      const likes = oracles.ofKind("osm-like", table);
      if (likes.length === 0) return [];
      const block = blockRefOf(tx);
      const findings: Finding[] = [];
      const { events, undecodable } = decodeEvents(tx.logs as unknown as LogInput[], LP_ORACLE_IFACE, likes, ["Value"]);
      for (const u of undecodable) findings.push(undecodableLogFinding(tx.network, block, tx.hash, u));
      for (const e of events) {
        const keys = table.get(e.address) ?? [];
        const { cur, nxt } = feedsOfValueEvent(BigInt(String(e.args.curVal)), BigInt(String(e.args.nxtVal)));
        const rule = jumpRule(cfg, keys);
        const j = priceJump(cur, nxt, rule);
        if (!j) continue;
        const { hop, zzz } = await readOsmLike(ctx.rpc, e.address, block.number);
        findings.push(jumpFinding(oracles.label(e.address, keys), e.address, keys, cur.val, nxt.val, j, rule, zzz, hop, logKey(tx.network, block, tx.hash, e.logIndex), block, "Value event"));
      }
      return findings;
    },
  };
}
