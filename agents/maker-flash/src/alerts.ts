import { FindingSeverity, FindingType, defineAlerts } from "../../../shared/findings";

const protocol = "makerdao";

export const ALERTS = defineAlerts({
  largeLoan: {
    id: "MAKER-FLASH-LARGE-LOAN",
    name: "Large DssFlash flash mint",
    severity: FindingSeverity.Info,
    type: FindingType.Info,
    protocol,
  },
  combined: {
    id: "MAKER-FLASH-COMBINED",
    name: "Flash mint in the same transaction as a governance, oracle, liquidation, ESM or PSM-draining action",
    severity: FindingSeverity.High,
    type: FindingType.Suspicious,
    protocol,
  },
  file: { id: "MAKER-FLASH-FILE", name: "DssFlash parameter changed", severity: FindingSeverity.Medium, type: FindingType.Info, protocol },
});
