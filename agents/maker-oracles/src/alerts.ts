import { FindingSeverity, FindingType, defineAlerts } from "../../../shared/findings";

const protocol = "makerdao";

/**
 * maker-oracles alerts. The severity given here is the default; most alerts set the severity of
 * each finding from what happened (size of a move, who made a change): see the README table.
 */
export const ALERTS = defineAlerts({
  priceJump: {
    id: "MAKER-OSM-PRICE-JUMP",
    name: "OSM queued a price far from the current one",
    severity: FindingSeverity.Medium,
    type: FindingType.Suspicious,
    protocol,
  },
  stale: { id: "MAKER-OSM-STALE", name: "OSM not poked in time", severity: FindingSeverity.Medium, type: FindingType.Degraded, protocol },
  divergence: {
    id: "MAKER-ORACLE-DIVERGENCE",
    name: "Median and OSM prices diverge",
    severity: FindingSeverity.Medium,
    type: FindingType.Suspicious,
    protocol,
  },
  source: { id: "MAKER-OSM-SOURCE", name: "OSM price source changed", severity: FindingSeverity.High, type: FindingType.Suspicious, protocol },
  noPrice: { id: "MAKER-OSM-NO-PRICE", name: "OSM has no valid current price", severity: FindingSeverity.High, type: FindingType.Degraded, protocol },
  stop: { id: "MAKER-OSM-STOP", name: "OSM stopped", severity: FindingSeverity.High, type: FindingType.Suspicious, protocol },
  start: { id: "MAKER-OSM-START", name: "OSM started", severity: FindingSeverity.Low, type: FindingType.Suspicious, protocol },
  void: { id: "MAKER-OSM-VOID", name: "OSM voided", severity: FindingSeverity.High, type: FindingType.Suspicious, protocol },
  hop: { id: "MAKER-OSM-HOP", name: "OSM delay (hop) changed", severity: FindingSeverity.Medium, type: FindingType.Suspicious, protocol },
  rights: { id: "MAKER-ORACLE-RIGHTS", name: "Admin rights changed on an oracle", severity: FindingSeverity.Medium, type: FindingType.Suspicious, protocol },
  whitelist: {
    id: "MAKER-ORACLE-WHITELIST",
    name: "Oracle reader whitelist changed",
    severity: FindingSeverity.Info,
    type: FindingType.Suspicious,
    protocol,
  },
  feeds: { id: "MAKER-MEDIAN-FEEDS", name: "Median price feeds added or removed", severity: FindingSeverity.Medium, type: FindingType.Suspicious, protocol },
  bar: { id: "MAKER-MEDIAN-BAR", name: "Median quorum (bar) changed", severity: FindingSeverity.Medium, type: FindingType.Suspicious, protocol },
  value: { id: "MAKER-PIP-VALUE", name: "Fixed-price oracle value changed", severity: FindingSeverity.Medium, type: FindingType.Suspicious, protocol },
  scribeFeeds: {
    id: "MAKER-SCRIBE-FEEDS",
    name: "Chronicle Scribe feeds lifted or dropped",
    severity: FindingSeverity.Medium,
    type: FindingType.Suspicious,
    protocol,
  },
  scribeConfig: {
    id: "MAKER-SCRIBE-BAR",
    name: "Chronicle Scribe quorum (bar) or challenge period changed",
    severity: FindingSeverity.Medium,
    type: FindingType.Suspicious,
    protocol,
  },
  scribeChallenge: {
    id: "MAKER-SCRIBE-CHALLENGE",
    name: "Optimistic poke of a Chronicle Scribe successfully challenged",
    severity: FindingSeverity.Critical,
    type: FindingType.Exploit,
    protocol,
  },
  scribeStale: { id: "MAKER-SCRIBE-STALE", name: "Chronicle Scribe not poked in time", severity: FindingSeverity.Medium, type: FindingType.Degraded, protocol },
  cap: { id: "MAKER-ORACLE-CAP", name: "Capped oracle's cap changed", severity: FindingSeverity.High, type: FindingType.Suspicious, protocol },
  capBinding: { id: "MAKER-ORACLE-CAP-BINDING", name: "Capped oracle reads its cap (the SKY price is above it)", severity: FindingSeverity.Medium, type: FindingType.Info, protocol },
  cappedPip: { id: "MAKER-ORACLE-CAPPED-PIP", name: "Lockstake ilk no longer priced by the capped oracle", severity: FindingSeverity.Critical, type: FindingType.Suspicious, protocol },
  watch: { id: "MAKER-ORACLE-WATCH", name: "Oracle watch list changed", severity: FindingSeverity.Info, type: FindingType.Info, protocol },
});
