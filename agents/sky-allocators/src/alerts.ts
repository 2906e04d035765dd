import { FindingSeverity, FindingType, defineAlerts } from "../../../shared/findings";

const protocol = "sky";

export const ALERTS = defineAlerts({
  ilkAdmin: { id: "SKY-ALLOCATOR-ILK-ADMIN", name: "An allocator ilk's admin changed (who grants the Star's roles)", severity: FindingSeverity.High, type: FindingType.Suspicious, protocol },
  role: { id: "SKY-ALLOCATOR-ROLE", name: "An allocator role was granted or revoked", severity: FindingSeverity.High, type: FindingType.Suspicious, protocol },
  roleAction: { id: "SKY-ALLOCATOR-ROLE-ACTION", name: "What an allocator role may call changed", severity: FindingSeverity.High, type: FindingType.Suspicious, protocol },
  config: { id: "SKY-ALLOCATOR-CONFIG", name: "The allocator registry's buffer or a vault's jug changed", severity: FindingSeverity.High, type: FindingType.Suspicious, protocol },
  approve: { id: "SKY-ALLOCATOR-APPROVE", name: "An allocator buffer approved a spender", severity: FindingSeverity.High, type: FindingType.Suspicious, protocol },
  pace: { id: "SKY-ALLOCATOR-PACE", name: "An allocator vault's debt grew faster than its AutoLine pacing", severity: FindingSeverity.High, type: FindingType.Suspicious, protocol },
  subProxy: { id: "SKY-STAR-SUBPROXY-RIGHTS", name: "Who may run code as a Star's SubProxy changed", severity: FindingSeverity.High, type: FindingType.Suspicious, protocol },
  plot: { id: "SKY-STARGUARD-PLOT", name: "A StarGuard plotted, dropped or re-timed a Star payload", severity: FindingSeverity.Medium, type: FindingType.Info, protocol },
  exec: { id: "SKY-STARGUARD-EXEC", name: "A StarGuard executed a Star payload", severity: FindingSeverity.Low, type: FindingType.Info, protocol },
});
