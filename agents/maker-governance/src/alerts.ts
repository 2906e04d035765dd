import { FindingSeverity, FindingType, defineAlerts } from "../../../shared/findings";

const protocol = "makerdao";

export const ALERTS = defineAlerts({
  hatChanged: { id: "MAKER-GOV-HAT-CHANGED", name: "Chief hat changed", severity: FindingSeverity.Info, type: FindingType.Info, protocol },
  hatUnknown: { id: "MAKER-GOV-HAT-UNKNOWN", name: "Chief hat is not a known spell", severity: FindingSeverity.High, type: FindingType.Suspicious, protocol },
  hatApprovals: { id: "MAKER-GOV-HAT-APPROVALS-LOW", name: "Chief hat has few approvals", severity: FindingSeverity.High, type: FindingType.Suspicious, protocol },
  lifter: { id: "MAKER-GOV-LIFTER-UNKNOWN", name: "Chief lift by an unknown lifter", severity: FindingSeverity.Low, type: FindingType.Suspicious, protocol },
  takeover: {
    id: "MAKER-GOV-FLASH-TAKEOVER",
    name: "Governance takeover: borrowed or transferred tokens locked and the hat lifted in one transaction",
    severity: FindingSeverity.Critical,
    type: FindingType.Exploit,
    protocol,
  },
  plot: { id: "MAKER-PAUSE-PLOT", name: "Spell scheduled on the pause", severity: FindingSeverity.Info, type: FindingType.Info, protocol },
  plotUnknown: { id: "MAKER-PAUSE-PLOT-UNKNOWN", name: "Pause plan scheduled by a contract that is not a known spell", severity: FindingSeverity.Critical, type: FindingType.Suspicious, protocol },
  plotBypass: {
    id: "MAKER-PAUSE-PLOT-DELAY-BYPASS",
    name: "Pause plan scheduled to run sooner than the governance delay",
    severity: FindingSeverity.Critical,
    type: FindingType.Exploit,
    protocol,
  },
  drop: { id: "MAKER-PAUSE-DROP", name: "Pause plan cancelled", severity: FindingSeverity.Info, type: FindingType.Info, protocol },
  exec: { id: "MAKER-PAUSE-EXEC", name: "Spell executed through the pause", severity: FindingSeverity.Info, type: FindingType.Info, protocol },
  execUnknown: { id: "MAKER-PAUSE-EXEC-UNKNOWN", name: "Pause executed a plan that is not a known spell's", severity: FindingSeverity.High, type: FindingType.Suspicious, protocol },
  delayReduced: { id: "MAKER-PAUSE-DELAY-REDUCED", name: "Governance delay reduced", severity: FindingSeverity.Critical, type: FindingType.Suspicious, protocol },
  delayRaised: { id: "MAKER-PAUSE-DELAY-RAISED", name: "Governance delay raised or re-set", severity: FindingSeverity.Info, type: FindingType.Info, protocol },
  owner: { id: "MAKER-PAUSE-OWNER", name: "Pause owner changed", severity: FindingSeverity.Critical, type: FindingType.Suspicious, protocol },
  authority: { id: "MAKER-PAUSE-AUTHORITY", name: "Pause authority changed", severity: FindingSeverity.Critical, type: FindingType.Suspicious, protocol },
  // the new Chief (MCD_ADM since 2025) and its emergency paths
  skyLift: { id: "SKY-GOV-LIFT", name: "New Chief: what was lifted to hat (normal spell, emergency spell, Protego, unknown)", severity: FindingSeverity.Info, type: FindingType.Info, protocol: "sky" },
  skyOverHat: { id: "SKY-GOV-CANDIDATE-OVER-HAT", name: "New Chief: a spell that is not vetted has more approvals than the hat", severity: FindingSeverity.Critical, type: FindingType.Suspicious, protocol: "sky" },
  skySwing: { id: "SKY-GOV-DELEGATION-SWING", name: "New Chief: a large share of the hat's approvals moved into one VoteDelegate", severity: FindingSeverity.Medium, type: FindingType.Suspicious, protocol: "sky" },
  skyDelegate: { id: "SKY-GOV-DELEGATE-CREATED", name: "VoteDelegate created", severity: FindingSeverity.Info, type: FindingType.Info, protocol: "sky" },
  skyMom: { id: "SKY-GOV-MOM-BY-HAT", name: "The hat acted on a MOM directly (no governance delay)", severity: FindingSeverity.High, type: FindingType.Suspicious, protocol: "sky" },
  skyEmsp: { id: "SKY-GOV-EMSP-SCHEDULED", name: "Emergency spell scheduled: its breaker tripped", severity: FindingSeverity.High, type: FindingType.Suspicious, protocol: "sky" },
  skyEmspFail: { id: "SKY-GOV-EMSP-FAIL", name: "Emergency spell ran but part of its breaker failed (Fail)", severity: FindingSeverity.High, type: FindingType.Suspicious, protocol: "sky" },
  planClock: { id: "MAKER-PAUSE-PLAN-CLOCK", name: "A plan no known spell scheduled is waiting in the pause: its clock runs down", severity: FindingSeverity.High, type: FindingType.Suspicious, protocol },
  skyProtegoDeploy: { id: "SKY-GOV-PROTEGO-DEPLOY", name: "Protego made a drop spell for a planned spell", severity: FindingSeverity.Low, type: FindingType.Info, protocol: "sky" },
  skyProtegoDrop: { id: "SKY-GOV-PROTEGO-DROP", name: "Protego or one of its drop spells dropped a planned spell", severity: FindingSeverity.Medium, type: FindingType.Suspicious, protocol: "sky" },
});
