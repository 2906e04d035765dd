/** Notifications for channel tests: realistic incidents, findings, a retraction, a digest. */
import type { IncidentSummary, Notification, SourcedFinding } from "../../model/notification";

export const TX = "0x5e1f3c2a9b7d4e6f8a0b1c2d3e4f5a6b7c8d9e0f1a2b3c4d5e6f7a8b9c0d1e2f";
export const ESM = "0x09e05fF6142F2f9de8B6B65855A1d56B6cfE4c58";
export const PAUSE = "0xbE286431454714F511008713973d3B053A2d38f3";

export function finding(over: Partial<SourcedFinding["finding"]> = {}, src: Partial<Omit<SourcedFinding, "finding">> = {}): SourcedFinding {
  return {
    bot: "maker-emergency",
    chainId: 1,
    blockNumber: 19_000_123,
    blockHash: "0xabc0000000000000000000000000000000000000000000000000000000000001",
    txHash: TX,
    ...src,
    finding: {
      name: "Emergency shutdown fired",
      description: "The ESM fired: 150,000 MKR joined <& \"quoted\"> *bold* _under_ [link](x) `code`; the system is shutting down.",
      alertId: "MAKER-ESM-FIRE",
      protocol: "maker",
      severity: "Critical",
      type: "Exploit",
      metadata: { priority: "P0", mkr: "150000000000000000000000", mkrHuman: "150,000" },
      addresses: [ESM, PAUSE],
      uniqueKey: "0x1111111111111111111111111111111111111111111111111111111111111111",
      timestamp: "2026-12-06T07:00:00.000Z",
      ...over,
    },
  };
}

export function incident(over: Partial<IncidentSummary> = {}): IncidentSummary {
  return {
    id: "INC-42",
    title: "Emergency shutdown fired",
    priority: "P0",
    type: "protocol",
    status: "open",
    owner: "maker-core",
    ownerName: "Maker core team",
    openedAt: "2026-12-06T07:00:00.000Z",
    updatedAt: "2026-12-06T07:00:00.000Z",
    url: "https://vigil.example.org/incidents/INC-42",
    rule: "maker-emergency",
    ...over,
  };
}

export function notification(over: Partial<Notification> = {}): Notification {
  return {
    id: "ntf-42-opened-slack",
    event: "opened",
    incident: incident(),
    findings: [finding()],
    createdAt: "2026-12-06T07:02:05.000Z",
    ...over,
  };
}

export function digest(count = 3): Notification {
  return notification({
    id: "ntf-digest-1",
    event: "digest",
    incident: incident({ id: "DIGEST", title: "low-priority updates", priority: "P2" }),
    findings: [],
    digest: Array.from({ length: count }, (_, i) => ({
      incident: incident({ id: `INC-${100 + i}`, title: `Oracle price stale on ETH-${i}`, priority: "P2", url: `https://vigil.example.org/incidents/INC-${100 + i}` }),
      event: "opened" as const,
      finding: finding({ alertId: "MAKER-OSM-STALE", severity: "Medium" }),
    })),
  });
}

/** Every event of the lifecycle, for "renders sensibly" checks. */
export const EVENTS: Notification["event"][] = ["opened", "escalated", "acknowledged", "resolved", "reopened", "requalified", "retracted"];
