import { FindingSeverity, FindingType, defineAlerts } from "../../../shared/findings";

const protocol = "makerdao";

export const ALERTS = defineAlerts({
  largeSwap: { id: "MAKER-PSM-LARGE-SWAP", name: "Large PSM swap", severity: FindingSeverity.Info, type: FindingType.Info, protocol },
  run: { id: "MAKER-PSM-RUN", name: "Run on a PSM's reserve", severity: FindingSeverity.High, type: FindingType.Suspicious, protocol },
  file: { id: "MAKER-PSM-FILE", name: "PSM fee or parameter changed", severity: FindingSeverity.Medium, type: FindingType.Info, protocol },
  whitelist: { id: "MAKER-PSM-WHITELIST", name: "Lite PSM fee-free swap whitelist changed", severity: FindingSeverity.Medium, type: FindingType.Info, protocol },
  liteSolvency: { id: "MAKER-PSM-LITE-INSOLVENT", name: "Lite PSM holds less DAI and gems than its debt", severity: FindingSeverity.Critical, type: FindingType.Exploit, protocol },
  litePending: { id: "MAKER-PSM-LITE-FILL-LAGGING", name: "Lite PSM fill or trim left undone (keepers not running)", severity: FindingSeverity.Medium, type: FindingType.Degraded, protocol },
  line: { id: "MAKER-PSM-LINE", name: "PSM collateral type near its debt ceiling", severity: FindingSeverity.Medium, type: FindingType.Degraded, protocol },
});
