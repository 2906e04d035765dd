/**
 * The runtime's own findings: a bot that throws, times out or cannot start, and reorgs that
 * retract findings already emitted. They come from the pseudo-bot "vigil-runtime".
 */
import { FindingSeverity, FindingType, defineAlerts } from "../findings";

export const RUNTIME_BOT = "vigil-runtime";

export const RUNTIME_ALERTS = defineAlerts({
  botError: {
    id: "VIGIL-BOT-ERROR",
    name: "Bot handler failed",
    severity: FindingSeverity.High,
    type: FindingType.Degraded,
    protocol: "vigil",
  },
  botTimeout: {
    id: "VIGIL-BOT-TIMEOUT",
    name: "Bot handler timed out",
    severity: FindingSeverity.High,
    type: FindingType.Degraded,
    protocol: "vigil",
  },
  botInitFailed: {
    id: "VIGIL-BOT-INIT-FAILED",
    name: "Bot could not initialize",
    severity: FindingSeverity.High,
    type: FindingType.Degraded,
    protocol: "vigil",
  },
  reorg: {
    id: "VIGIL-REORG-RETRACTION",
    name: "Chain reorganisation: findings of orphaned blocks retracted",
    severity: FindingSeverity.Info,
    type: FindingType.Info,
    protocol: "vigil",
    priority: "none",
  },
});
