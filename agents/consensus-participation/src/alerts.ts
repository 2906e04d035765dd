import { FindingSeverity, FindingType, defineAlerts } from "../../../shared/findings";

export const ALERTS = defineAlerts({
  drop: {
    id: "CONSENSUS-PARTICIPATION-DROP",
    name: "Ethereum attestation participation dropped",
    severity: FindingSeverity.High,
    type: FindingType.Degraded,
    incidentType: "A",
  },
  belowFinality: {
    id: "CONSENSUS-PARTICIPATION-BELOW-FINALITY",
    name: "Ethereum target participation below 2/3: finality at risk",
    severity: FindingSeverity.Critical,
    type: FindingType.Degraded,
    incidentType: "A",
  },
});
