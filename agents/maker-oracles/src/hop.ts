/** An OSM's (or OSM-like oracle's) delay changed: `step` writes no note on mainnet, so it is seen in state. */
import type { Finding } from "forta-agent";
import { createFinding, type BlockRef } from "../../../shared/findings";
import { ALERTS } from "./alerts";
import { hopChangeSeverity } from "./detectors";

export function hopFinding(label: string, a: string, keys: readonly string[], before: number, hop: number, zzz: number, block: BlockRef, chainId: number, osmLike: boolean): Finding {
  return createFinding(ALERTS.hop, {
    description: osmLike
      ? `${label} (an OSM-like oracle): the delay (hop) changed from ${before} s to ${hop} s`
      : `${label}: the delay (hop) changed from ${before} s to ${hop} s${hop < before ? ": less time to react to a bad price" : ""}`,
    key: [chainId, block.hash, a, "hop"],
    block,
    severity: hopChangeSeverity(before, hop),
    addresses: [a],
    metadata: { osm: a, keys: keys.join(","), hopBefore: before, hop, zzz },
  });
}
