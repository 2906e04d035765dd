import { FindingSeverity, FindingType, defineAlerts } from "../../../shared/findings";

export const ALERTS = defineAlerts({
  lost: {
    id: "CONSENSUS-FINALITY-LOST",
    name: "Ethereum is not finalising",
    severity: FindingSeverity.High,
    type: FindingType.Degraded,
    incidentType: "A",
  },
  restored: {
    id: "CONSENSUS-FINALITY-RESTORED",
    name: "Ethereum finalises again",
    severity: FindingSeverity.Info,
    type: FindingType.Info,
    incidentType: "A",
  },
  justification: {
    id: "CONSENSUS-JUSTIFICATION-STALLED",
    name: "Ethereum justification stalled",
    severity: FindingSeverity.Medium,
    type: FindingType.Degraded,
    incidentType: "A",
  },
});
