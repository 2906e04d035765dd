/** A queued price far from the current one, read from an OSM's storage or an OSM-like oracle's Value event. */
import type { Finding } from "forta-agent";
import { createFinding, type BlockRef } from "../../../shared/findings";
import { formatAmount, formatPercent, fromWad } from "../../../shared/math";
import { ALERTS } from "./alerts";
import { thresholdFor, type Config } from "./config";
import { severityOf, type MagnitudeRule, type PriceJump } from "./detectors";
import { HUMAN_TIME } from "./oracles";

export function jumpRule(cfg: Config, keys: readonly string[]): MagnitudeRule {
  return { threshold: thresholdFor(keys, cfg.jumpThresholds, cfg.jumpThreshold), highFactor: cfg.highFactor, criticalFactor: cfg.criticalFactor };
}

export function jumpFinding(
  label: string,
  a: string,
  keys: readonly string[],
  curVal: bigint,
  nxtVal: bigint,
  j: PriceJump,
  rule: MagnitudeRule,
  zzz: number,
  hop: number,
  key: (string | number)[],
  block: BlockRef,
  seenIn: "storage" | "Value event",
): Finding {
  const curH = formatAmount(fromWad(curVal.toString()), 4);
  const nxtH = formatAmount(fromWad(nxtVal.toString()), 4);
  return createFinding(ALERTS.priceJump, {
    description: `${label} queued ${nxtH} against the current ${curH} (${formatPercent(j.change)}, threshold ${formatPercent(rule.threshold)}); it becomes the protocol's price at the next poke, from ${HUMAN_TIME(zzz + hop)}`,
    key,
    block,
    severity: severityOf(j.level),
    addresses: [a],
    metadata: {
      osm: a,
      keys: keys.join(","),
      curRaw: curVal,
      curPrice: fromWad(curVal.toString()).toFixed(),
      nxtRaw: nxtVal,
      nxtPrice: fromWad(nxtVal.toString()).toFixed(),
      change: j.change.toFixed(6),
      changePercent: formatPercent(j.change),
      direction: j.change.isNegative() ? "down" : "up",
      threshold: rule.threshold.toFixed(),
      zzz,
      effectiveFrom: HUMAN_TIME(zzz + hop),
      ...(seenIn === "Value event" ? { seenIn } : {}),
    },
  });
}
