/**
 * Each allocator vault's debt against its pacing, every block (../shared/reference/sky.md §13):
 * the AutoLine (MCD_IAM_AUTO_LINE, DC-IAM) raises an ALLOCATOR ilk's line to at most debt + `gap`,
 * at most once per `ttl`, so within any `ttl` seconds the vault's debt can grow by the headroom
 * left before the window plus one raise: 2 gaps (SKY_ALLOCATOR_PACE_FACTOR). Growth beyond that means the line was lifted some other way (a spell lifting it directly, or a ward
 * that should not have) and the Star drew into it: an episode per vault (opened, resolved when the
 * growth over the last ttl falls back within the gap: a wipe, or time). Ilks the AutoLine does
 * not pace (gap 0) are not judged. Draws and wipes themselves make no finding (they are the
 * Star's business): the vault's debt is observed as a metric.
 */
import type { BlockEvent, Finding } from "forta-agent";
import { fromBytes32 } from "../../../shared/abi";
import { blockRefOf } from "../../../shared/bot";
import { Episodes, episodeFinding, type EpisodeState } from "../../../shared/episodes";
import { FindingSeverity } from "../../../shared/findings";
import { dec, formatAmount, fromRad } from "../../../shared/math";
import { contract } from "../../../shared/rpc/contract";
import type { Watcher } from "../../../shared/watchers";
import { AUTOLINE_IFACE, PACING_IFACE, VAULT_IFACE } from "./abi";
import { ALERTS } from "./alerts";
import { KEYS, str, type TxView, type WatcherDeps } from "./deps";
import { pacing, recordDebt, type DebtSample } from "./detectors";

interface State {
  episodes: EpisodeState<"fast">;
  /** per vault (lowercase address): its ilk (bytes32) */
  ilks: Record<string, string>;
  /** per vault: its debt samples over the pacing window */
  samples: Record<string, DebtSample[]>;
}

const usds = (rad: string) => `${formatAmount(fromRad(rad))} USDS`;

export function pacingWatcher({ ctx, config, book }: WatcherDeps): Watcher<TxView> {
  const state = ctx.persistent<State>("pacing", () => ({ episodes: {}, ilks: {}, samples: {} }));
  const episodes = new Episodes<"fast">(["fast"], state.episodes);

  async function onBlock(blockEvent: BlockEvent): Promise<Finding[]> {
    const vaults = book.matching(KEYS.vault);
    const vat = book.tryGetAddress("MCD_VAT");
    const autoLine = book.tryGetAddress("MCD_IAM_AUTO_LINE");
    if (!vaults.length || !vat) return [];
    const block = blockRefOf(blockEvent);
    const n = block.number;
    const now = Number(blockEvent.block.timestamp);
    const V = contract(ctx.rpc, vat, PACING_IFACE, "MCD_VAT");
    const reads = await Promise.all(
      vaults.map(async (v) => {
        const ilk = state.ilks[v.address] ?? str((await contract(ctx.rpc, v.address, VAULT_IFACE, v.key).read("ilk", [], n))[0]);
        state.ilks[v.address] = ilk;
        const [urn, il, al] = await Promise.all([
          V.read("urns", [ilk, v.address], n),
          V.read("ilks", [ilk], n),
          autoLine ? contract(ctx.rpc, autoLine, AUTOLINE_IFACE, "MCD_IAM_AUTO_LINE").read("ilks", [ilk], n) : Promise.resolve(null),
        ]);
        return { ...v, ilk, art: str(urn.art), rate: str(il.rate), line: str(il.line), gap: al ? str(al.gap) : "0", ttl: al ? Number(str(al.ttl)) : 0, maxLine: al ? str(al.line) : "0" };
      }),
    );
    const out: Finding[] = [];
    for (const r of reads) {
      const debt = dec(r.art).times(dec(r.rate)).toFixed(0);
      const samples = recordDebt(state.samples[r.address] ?? [], now, debt, r.ttl);
      state.samples[r.address] = samples;
      ctx.observe?.("sky.allocator_debt", fromRad(debt).toFixed(), { vault: r.key });
      const p = pacing(samples, now, debt, r.gap, r.ttl, config.paceFactor);
      const t = episodes.observe(r.address, p.over ? "fast" : null, block);
      if (!t) continue;
      const ilk = fromBytes32(r.ilk) ?? r.ilk;
      out.push(
        episodeFinding(ALERTS.pace, t, () => FindingSeverity.High, {
          description:
            t.kind === "resolved"
              ? `${r.key} ${r.address} (${ilk}): debt growth over the last ${r.ttl} s back to ${usds(p.growth.toFixed(0))}, within the AutoLine's ${usds(p.limit.toFixed(0))}`
              : `${r.key} ${r.address} (${ilk}): debt grew by ${usds(p.growth.toFixed(0))} within ${r.ttl} s, more than the AutoLine's pacing allows (${usds(p.limit.toFixed(0))} per ttl): the line was raised outside the AutoLine and the Star drew into it (debt ${usds(debt)}, line ${usds(r.line)}, AutoLine maximum ${usds(r.maxLine)})`,
          key: [blockEvent.network, r.address],
          addresses: [r.address],
          metadata: { vault: r.address, vaultKey: r.key, ilk, debt: fromRad(debt).toFixed(), growth: fromRad(p.growth).toFixed(), allowed: fromRad(p.limit).toFixed(), gap: fromRad(r.gap).toFixed(), ttl: String(r.ttl), line: fromRad(r.line).toFixed(), autoLineMax: fromRad(r.maxLine).toFixed() },
        }),
      );
    }
    return out;
  }

  return { name: "pacing", onBlock };
}
