import { FindingSeverity, FindingType, defineAlerts } from "../../../shared/findings";

const protocol = "makerdao";

export const ALERTS = defineAlerts({
  largeBark: { id: "MAKER-LIQ-LARGE-BARK", name: "Large liquidation (Dog bark)", severity: FindingSeverity.Medium, type: FindingType.Info, protocol },
  ilkCascade: {
    id: "MAKER-LIQ-ILK-CASCADE",
    name: "Liquidation cascade in one collateral type",
    severity: FindingSeverity.High,
    type: FindingType.Degraded,
    protocol,
  },
  cascade: { id: "MAKER-LIQ-CASCADE", name: "Liquidation cascade across the system", severity: FindingSeverity.High, type: FindingType.Degraded, protocol },
  ilkDirt: {
    id: "MAKER-LIQ-ILK-DIRT",
    name: "DAI in auctions approaching a collateral's limit (dirt vs hole)",
    severity: FindingSeverity.Medium,
    type: FindingType.Degraded,
    protocol,
  },
  dirt: { id: "MAKER-LIQ-DIRT", name: "DAI in auctions approaching the global limit (Dirt vs Hole)", severity: FindingSeverity.Medium, type: FindingType.Degraded, protocol },
  takeBelowOracle: {
    id: "MAKER-LIQ-TAKE-BELOW-ORACLE",
    name: "Collateral bought far below the oracle price",
    severity: FindingSeverity.Critical,
    type: FindingType.Exploit,
    protocol,
  },
  redoOverdue: {
    id: "MAKER-LIQ-REDO-OVERDUE",
    name: "Auction needs a redo and nobody redid it",
    severity: FindingSeverity.High,
    type: FindingType.Degraded,
    protocol,
  },
  keeperIncentive: {
    id: "MAKER-LIQ-KEEPER-INCENTIVE",
    name: "Outlying keeper incentive paid on kick or redo",
    severity: FindingSeverity.Medium,
    type: FindingType.Suspicious,
    protocol,
  },
  breaker: { id: "MAKER-LIQ-BREAKER", name: "Clipper breaker level changed", severity: FindingSeverity.High, type: FindingType.Info, protocol },
  param: { id: "MAKER-LIQ-PARAM-CHANGED", name: "Liquidation parameter changed", severity: FindingSeverity.Info, type: FindingType.Info, protocol },
  catBite: {
    id: "MAKER-LIQ-CAT-BITE",
    name: "Liquidation through the legacy Cat (flip auction)",
    severity: FindingSeverity.Medium,
    type: FindingType.Suspicious,
    protocol,
  },
});
