/**
 * A big sUSDS drip (sky.md §6: "one Drip with a very large diff ... the cost lands on the vow sin"):
 * each `Drip(chi, diff)` with diff > 0 is compared with what the rate, the time since the last drip
 * and the supply explain (read at the block before: ssr, chi, rho, totalSupply; every deposit and
 * withdrawal drips first, so these are the values the block's first drip started from). More than
 * (1 + SUSDS_DRIP_EXCESS) times that is High: the vault minted yield its rate does not give. At or
 * above SUSDS_DRIP_LARGE USDS otherwise is Medium: a long gap on a large supply, paid by the Vow.
 */
import type { Finding, TransactionEvent } from "forta-agent";
import { SUSDS_IFACE } from "../../../shared/abi/sky";
import type { BotContext } from "../../../shared/bot";
import { FindingSeverity, createFinding, logKey, type BlockRef } from "../../../shared/findings";
import type { DecodedEvent } from "../../../shared/logs";
import { dec, formatAmount, fromRay, fromWad, toWad } from "../../../shared/math";
import { contract } from "../../../shared/rpc/contract";
import { ALERTS } from "./alerts";
import type { StablecoinConfig } from "./config";
import { expectedDrip } from "./flows";

const big = (r: { readonly [i: number]: unknown }) => BigInt(String(r[0]));

export async function bigDrips(ctx: BotContext, cfg: StablecoinConfig, susds: string, events: readonly DecodedEvent[], tx: TransactionEvent, block: BlockRef): Promise<Finding[]> {
  const drips = events.filter((e) => e.name === "Drip" && BigInt(String(e.args.diff)) > 0n);
  if (!drips.length) return [];
  const S = contract(ctx.rpc, susds, SUSDS_IFACE, "SUSDS");
  const n = block.number;
  const [ssr, chi, rho, supply] = (await Promise.all([S.read("ssr", [], n - 1), S.read("chi", [], n - 1), S.read("rho", [], n - 1), S.read("totalSupply", [], n - 1)])).map(big) as [bigint, bigint, bigint, bigint];
  const expected = expectedDrip(ssr, chi, rho, supply, BigInt(block.timestamp));
  const large = BigInt(toWad(cfg.dripLarge));
  const out: Finding[] = [];
  for (const e of drips) {
    const diff = BigInt(String(e.args.diff));
    const excess = dec(diff.toString()).gt(dec(expected.toString()).times(cfg.dripExcess.plus(1)).plus(1));
    if (!excess && diff < large) continue;
    const secs = BigInt(block.timestamp) - rho;
    out.push(
      createFinding(ALERTS.bigDrip, {
        description: excess
          ? `sUSDS ${susds}: a drip minted ${formatAmount(fromWad(diff.toString()))} USDS of yield where the rate (ssr ${fromRay(ssr.toString()).toFixed()}), ${secs} s since the last drip and ${formatAmount(fromWad(supply.toString()))} shares explain ${formatAmount(fromWad(expected.toString()))}: the vault minted more than its rate gives, paid by the Vow`
          : `sUSDS ${susds}: one drip minted ${formatAmount(fromWad(diff.toString()))} USDS of yield (${secs} s since the last drip on ${formatAmount(fromWad(supply.toString()))} shares), at or above ${formatAmount(cfg.dripLarge)}: its cost lands on the Vow's sin at once`,
        key: logKey(tx.network, block, tx.hash, e.logIndex),
        block,
        severity: excess ? FindingSeverity.High : FindingSeverity.Medium,
        addresses: [susds, tx.from],
        metadata: {
          susds,
          diffRaw: diff.toString(),
          diff: fromWad(diff.toString()).toFixed(),
          expectedRaw: expected.toString(),
          expected: fromWad(expected.toString()).toFixed(),
          chiAfter: String(e.args.chi),
          chiBefore: chi.toString(),
          ssr: ssr.toString(),
          secondsSinceLastDrip: secs.toString(),
          supplyWad: supply.toString(),
          excess: String(excess),
          largeAt: cfg.dripLarge.toFixed(),
          excessAllowed: cfg.dripExcess.toFixed(),
          txHash: tx.hash,
        },
      }),
    );
  }
  return out;
}
