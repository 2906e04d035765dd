import { FindingSeverity, FindingType, defineAlerts } from "../../../shared/findings";

const protocol = "makerdao";

export const ALERTS = defineAlerts({
  outside: {
    id: "MAKER-AUTH-RIGHTS-OUTSIDE-GOVERNANCE",
    name: "Admin rights changed on a Maker contract outside governance",
    severity: FindingSeverity.Critical,
    type: FindingType.Exploit,
    protocol,
  },
  governance: { id: "MAKER-AUTH-RIGHTS-GOVERNANCE", name: "Admin rights changed by governance", severity: FindingSeverity.Info, type: FindingType.Info, protocol },
  unknownSpell: {
    id: "MAKER-AUTH-RIGHTS-UNKNOWN-SPELL",
    name: "Admin rights changed by a governance plan that is not a known spell's",
    severity: FindingSeverity.High,
    type: FindingType.Suspicious,
    protocol,
  },
  chainlogCore: { id: "MAKER-AUTH-CHAINLOG-CORE", name: "ChainLog core key added, re-pointed or removed", severity: FindingSeverity.High, type: FindingType.Suspicious, protocol },
  chainlogKey: { id: "MAKER-AUTH-CHAINLOG-KEY", name: "ChainLog key added or changed", severity: FindingSeverity.Info, type: FindingType.Info, protocol },
  chainlogVersion: { id: "MAKER-AUTH-CHAINLOG-VERSION", name: "ChainLog version changed", severity: FindingSeverity.Info, type: FindingType.Info, protocol },
  chainlogOutside: {
    id: "MAKER-AUTH-CHAINLOG-OUTSIDE-GOVERNANCE",
    name: "ChainLog entry changed outside governance",
    severity: FindingSeverity.Critical,
    type: FindingType.Exploit,
    protocol,
  },
});
