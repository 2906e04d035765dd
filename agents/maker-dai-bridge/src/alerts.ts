import { FindingSeverity, FindingType, defineAlerts } from "../../../shared/findings";

const protocol = "makerdao";

export const ALERTS = defineAlerts({
  shortfall: {
    id: "MAKER-DAI-BRIDGE-SHORTFALL",
    name: "L2 DAI supply exceeds the DAI locked in its L1 escrow",
    severity: FindingSeverity.High,
    type: FindingType.Exploit,
    protocol,
  },
  supplyJump: { id: "MAKER-DAI-BRIDGE-SUPPLY-JUMP", name: "L2 DAI supply jumped", severity: FindingSeverity.Info, type: FindingType.Info, protocol },
  l2Unavailable: {
    id: "MAKER-DAI-BRIDGE-L2-UNAVAILABLE",
    name: "An L2 cannot be read: its bridge is not being checked",
    severity: FindingSeverity.Low,
    type: FindingType.Degraded,
    protocol,
  },
});
