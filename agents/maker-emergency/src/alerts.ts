import { FindingSeverity, FindingType, defineAlerts } from "../../../shared/findings";

const protocol = "makerdao";

export const ALERTS = defineAlerts({
  join: { id: "MAKER-ESM-JOIN", name: "Governance tokens joined the ESM", severity: FindingSeverity.Medium, type: FindingType.Suspicious, protocol },
  threshold: {
    id: "MAKER-ESM-THRESHOLD",
    name: "ESM total approaching the shutdown threshold",
    severity: FindingSeverity.High,
    type: FindingType.Suspicious,
    protocol,
  },
  fire: { id: "MAKER-ESM-FIRE", name: "ESM fired: emergency shutdown", severity: FindingSeverity.Critical, type: FindingType.Exploit, protocol },
  denyProxy: {
    id: "MAKER-ESM-DENY-PROXY",
    name: "ESM revoked the governance proxy's rights on a contract",
    severity: FindingSeverity.Critical,
    type: FindingType.Suspicious,
    protocol,
  },
  cage: { id: "MAKER-END-CAGE", name: "End caged: global settlement started", severity: FindingSeverity.Critical, type: FindingType.Exploit, protocol },
  cageIlk: { id: "MAKER-END-CAGE-ILK", name: "End fixed a collateral's cage price", severity: FindingSeverity.Info, type: FindingType.Info, protocol },
  rights: { id: "MAKER-EMERGENCY-RIGHTS", name: "Admin rights changed on the ESM or End", severity: FindingSeverity.High, type: FindingType.Suspicious, protocol },
  file: { id: "MAKER-EMERGENCY-FILE", name: "ESM or End parameter changed", severity: FindingSeverity.Medium, type: FindingType.Info, protocol },
});
