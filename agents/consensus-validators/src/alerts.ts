import { FindingSeverity, FindingType, defineAlerts } from "../../../shared/findings";

export const ALERTS = defineAlerts({
  activeDrop: {
    id: "CONSENSUS-ACTIVE-VALIDATORS-DROP",
    name: "Ethereum's active validator count fell",
    severity: FindingSeverity.High,
    type: FindingType.Degraded,
    incidentType: "A",
  },
  slashing: {
    id: "CONSENSUS-SLASHING",
    name: "Validators slashed",
    severity: FindingSeverity.Medium,
    type: FindingType.Suspicious,
    incidentType: "A",
  },
  exitBurst: {
    id: "CONSENSUS-EXIT-BURST",
    name: "Burst of validator exits",
    severity: FindingSeverity.Medium,
    type: FindingType.Info,
    incidentType: "A",
  },
});
