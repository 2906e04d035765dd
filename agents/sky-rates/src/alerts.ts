import { FindingSeverity, FindingType, defineAlerts } from "../../../shared/findings";

const protocol = "sky";

export const ALERTS = defineAlerts({
  set: { id: "SKY-SPBEAM-SET", name: "SPBEAM set a rate", severity: FindingSeverity.Low, type: FindingType.Info, protocol },
  bud: { id: "SKY-SPBEAM-BUD", name: "SPBEAM operator (bud) added or removed", severity: FindingSeverity.High, type: FindingType.Suspicious, protocol },
  bounds: { id: "SKY-SPBEAM-BOUNDS", name: "SPBEAM rate bounds changed", severity: FindingSeverity.High, type: FindingType.Suspicious, protocol },
  halt: { id: "SKY-SPBEAM-HALT", name: "SPBEAM halted", severity: FindingSeverity.High, type: FindingType.Suspicious, protocol },
  config: { id: "SKY-SPBEAM-CONFIG", name: "SPBEAM setting changed (tau, toc, un-halt)", severity: FindingSeverity.Medium, type: FindingType.Info, protocol },
  rights: { id: "SKY-SPBEAM-RIGHTS", name: "Rights changed on SPBEAM or its MOM", severity: FindingSeverity.High, type: FindingType.Suspicious, protocol },
  unexplained: { id: "SKY-RATE-UNEXPLAINED", name: "Jug, Pot or sUSDS rate changed by neither SPBEAM nor a spell", severity: FindingSeverity.Critical, type: FindingType.Exploit, protocol },
  spell: { id: "SKY-RATE-SPELL", name: "Jug, Pot or sUSDS rate changed by a spell", severity: FindingSeverity.Low, type: FindingType.Info, protocol },
});
