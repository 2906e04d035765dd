import { FindingSeverity, FindingType, defineAlerts } from "../../../shared/findings";

const protocol = "sky";

export const ALERTS = defineAlerts({
  set: { id: "SKY-RATE-SETTER-SET", name: "A rate setter (SPBEAM, stUSDS rate setter) set rates", severity: FindingSeverity.Low, type: FindingType.Info, protocol },
  bud: { id: "SKY-RATE-SETTER-BUD", name: "Rate setter operator (bud) added or removed", severity: FindingSeverity.High, type: FindingType.Suspicious, protocol },
  bounds: { id: "SKY-RATE-SETTER-BOUNDS", name: "Rate setter bounds changed", severity: FindingSeverity.High, type: FindingType.Suspicious, protocol },
  halt: { id: "SKY-RATE-SETTER-HALT", name: "Rate setter halted", severity: FindingSeverity.High, type: FindingType.Suspicious, protocol },
  config: { id: "SKY-RATE-SETTER-CONFIG", name: "Rate setter setting changed (tau, toc, un-halt)", severity: FindingSeverity.Medium, type: FindingType.Info, protocol },
  rights: { id: "SKY-RATE-SETTER-RIGHTS", name: "Rights changed on a rate setter or its MOM", severity: FindingSeverity.High, type: FindingType.Suspicious, protocol },
  momZero: { id: "SKY-STUSDS-MOM-ZERO", name: "STUSDS_MOM zeroed the stUSDS cap or the Lockstake line", severity: FindingSeverity.High, type: FindingType.Suspicious, protocol },
  unexplained: { id: "SKY-RATE-UNEXPLAINED", name: "Jug, Pot, sUSDS or stUSDS rate changed by neither a rate setter nor a spell", severity: FindingSeverity.Critical, type: FindingType.Exploit, protocol },
  spell: { id: "SKY-RATE-SPELL", name: "Jug, Pot, sUSDS or stUSDS rate changed by a spell", severity: FindingSeverity.Low, type: FindingType.Info, protocol },
});
