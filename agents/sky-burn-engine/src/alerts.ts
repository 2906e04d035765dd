import { FindingSeverity, FindingType, defineAlerts } from "../../../shared/findings";

const protocol = "sky";

export const ALERTS = defineAlerts({
  headroom: { id: "SKY-BURN-HEADROOM", name: "The Vow's net position is near or below the Kicker's threshold (burns about to stop, or stopped)", severity: FindingSeverity.High, type: FindingType.Degraded, protocol },
  param: { id: "SKY-BURN-PARAM", name: "A Smart Burn Engine parameter changed (Kicker kbump/khump, Splitter burn/hop/flapper/farm, Flapper want/pip)", severity: FindingSeverity.Medium, type: FindingType.Info, protocol },
  halted: { id: "SKY-BURN-HALTED", name: "The Splitter's hop set to never (SplitterMom stop): burns halted", severity: FindingSeverity.High, type: FindingType.Suspicious, protocol },
  caged: { id: "SKY-BURN-CAGED", name: "The Splitter was caged", severity: FindingSeverity.High, type: FindingType.Suspicious, protocol },
  nearBand: { id: "SKY-FLAP-NEAR-BAND", name: "A flap bought SKY close to the worst price the flapper accepts", severity: FindingSeverity.Medium, type: FindingType.Suspicious, protocol },
  oracleJump: { id: "SKY-FLAP-ORACLE-JUMP", name: "The flap oracle's price moved sharply in one poke", severity: FindingSeverity.Medium, type: FindingType.Suspicious, protocol },
  oracleStale: { id: "SKY-FLAP-ORACLE-STALE", name: "The flap oracle's price is older than allowed", severity: FindingSeverity.Medium, type: FindingType.Degraded, protocol },
});
