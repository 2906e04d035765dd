import { FindingSeverity, FindingType, defineAlerts } from "../../../shared/findings";

const protocol = "sky";

export const ALERTS = defineAlerts({
  peer: { id: "SKY-LZ-PEER", name: "A bridge OApp's remote peer was set or changed", severity: FindingSeverity.High, type: FindingType.Suspicious, protocol },
  config: { id: "SKY-LZ-CONFIG", name: "A bridge OApp's LayerZero configuration changed (DVNs, executor, libraries, delegate)", severity: FindingSeverity.High, type: FindingType.Suspicious, protocol },
  owner: { id: "SKY-LZ-OWNER", name: "A bridge OApp changed owner", severity: FindingSeverity.High, type: FindingType.Suspicious, protocol },
  migrated: { id: "SKY-LZ-MIGRATED", name: "All locked tokens of an OFT adapter were moved out", severity: FindingSeverity.High, type: FindingType.Suspicious, protocol },
  pause: { id: "SKY-LZ-PAUSE", name: "A bridge was paused or unpaused", severity: FindingSeverity.High, type: FindingType.Suspicious, protocol },
  pauser: { id: "SKY-LZ-PAUSER", name: "Who may pause a bridge changed", severity: FindingSeverity.High, type: FindingType.Suspicious, protocol },
  rateLimit: { id: "SKY-LZ-RATE-LIMIT", name: "A bridge's rate limit changed", severity: FindingSeverity.High, type: FindingType.Suspicious, protocol },
  inbound: { id: "SKY-LZ-INBOUND-NEAR-LIMIT", name: "Inbound volume near a bridge's inbound limit", severity: FindingSeverity.High, type: FindingType.Suspicious, protocol },
  govTarget: { id: "SKY-LZ-GOV-TARGET", name: "Who may send governance calls to a remote target changed", severity: FindingSeverity.High, type: FindingType.Suspicious, protocol },
  govCall: { id: "SKY-LZ-GOV-CALL", name: "A governance call was sent to a remote chain", severity: FindingSeverity.Low, type: FindingType.Info, protocol },
});
