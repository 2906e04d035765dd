import { FindingSeverity, FindingType, defineAlerts } from "../../../shared/findings";

export const ALERTS = defineAlerts({
  split: {
    id: "CONSENSUS-SPLIT",
    name: "Consensus split: beacon nodes finalized conflicting checkpoints",
    severity: FindingSeverity.Critical,
    type: FindingType.Exploit,
    incidentType: "A",
  },
  headsDiverged: {
    id: "CONSENSUS-HEADS-DIVERGED",
    name: "Beacon nodes follow different chains",
    severity: FindingSeverity.High,
    type: FindingType.Degraded,
    incidentType: "A",
  },
  reorg: { id: "CONSENSUS-REORG", name: "Beacon chain reorg", severity: FindingSeverity.High, type: FindingType.Degraded, incidentType: "A" },
  reorgRate: {
    id: "CONSENSUS-REORG-RATE",
    name: "Many beacon chain reorgs in one epoch",
    severity: FindingSeverity.Medium,
    type: FindingType.Degraded,
    incidentType: "A",
  },
  nodeUnhealthy: {
    id: "CONSENSUS-NODE-UNHEALTHY",
    name: "Beacon node unhealthy or unreachable",
    severity: FindingSeverity.High,
    type: FindingType.Degraded,
    incidentType: "B",
  },
  nodeSyncing: { id: "CONSENSUS-NODE-SYNCING", name: "Beacon node syncing or behind", severity: FindingSeverity.Medium, type: FindingType.Degraded, incidentType: "B" },
  nodeElOffline: {
    id: "CONSENSUS-NODE-EL-OFFLINE",
    name: "Beacon node's execution client offline",
    severity: FindingSeverity.High,
    type: FindingType.Degraded,
    incidentType: "B",
  },
  nodeOptimistic: {
    id: "CONSENSUS-NODE-OPTIMISTIC",
    name: "Beacon node following the chain optimistically",
    severity: FindingSeverity.Medium,
    type: FindingType.Degraded,
    incidentType: "B",
  },
  nodePeers: { id: "CONSENSUS-NODE-PEERS-LOW", name: "Beacon node has few peers", severity: FindingSeverity.Medium, type: FindingType.Degraded, incidentType: "B" },
});
