import { ethers } from "forta-agent";
import type { TransactionEvent } from "forta-agent";
import { FindingSeverity, FindingType, createFinding, defineAlerts } from "../../../shared/findings";
import { runEventTable, runTransaction, type EventAlert, type Watcher } from "./watcher";

const ALERTS = defineAlerts({
  caged: { id: "TEST-CAGED", name: "caged", severity: FindingSeverity.High, type: FindingType.Info },
  other: { id: "TEST-OTHER", name: "other", severity: FindingSeverity.Info, type: FindingType.Info },
});
const IFACE = new ethers.utils.Interface(["event Cage(uint256 when)", "event Other(address indexed who)"]);
const A = "0x00000000000000000000000000000000000000aa";
const block = { number: 7, hash: "0x" + "11".repeat(32), timestamp: 1000 };

function tx(logs: { address: string; topics: string[]; data: string; logIndex: number }[]): TransactionEvent {
  return { network: 1, hash: "0x" + "22".repeat(32), from: "0x00000000000000000000000000000000000000f0", to: A, logs, blockNumber: 7, block } as unknown as TransactionEvent;
}
const log = (name: string, args: unknown[], logIndex: number, address = A) => {
  const l = IFACE.encodeEventLog(IFACE.getEvent(name), args);
  return { address, topics: l.topics, data: l.data, logIndex };
};

describe("runEventTable", () => {
  const rows: EventAlert<string>[] = [
    { contract: "X", iface: IFACE, event: "Cage", alert: ALERTS.caged, describe: (e, s) => `caged at ${e.args.when} (${s.extra})` },
    { contract: "X", iface: IFACE, event: "Other(address)", alert: ALERTS.other, describe: (e) => `other ${e.args.who}`, severity: () => FindingSeverity.Low },
  ];
  it("turns each row's events into a finding keyed by its log, in log order, with the row's words", async () => {
    const t = tx([log("Other", [A], 3), log("Cage", [5], 1), log("Cage", [6], 2, "0x00000000000000000000000000000000000000bb")]);
    const out = await runEventTable(rows, t, block, { addressesOf: (k) => (k === "X" ? [A] : []), extra: async () => "why" });
    expect(out.map((p) => [p.at, p.finding.alertId, p.finding.severity, p.finding.description])).toEqual([
      [1, "TEST-CAGED", FindingSeverity.High, "caged at 5 (why)"],
      [3, "TEST-OTHER", FindingSeverity.Low, `other ${ethers.utils.getAddress(A)}`],
    ]);
    const again = await runEventTable(rows, t, block, { addressesOf: () => [A], extra: async () => "why" });
    expect(again.map((p) => p.finding.uniqueKey)).toEqual(out.map((p) => p.finding.uniqueKey));
  });
  it("reports a watched event that does not decode instead of dropping it", async () => {
    const bad = { ...log("Cage", [5], 4), data: "0x01" };
    const out = await runEventTable(rows, tx([bad]), block, { addressesOf: () => [A] });
    expect(out.map((p) => p.finding.alertId)).toEqual(["VIGIL-UNDECODABLE-LOG"]);
  });
});

describe("runTransaction", () => {
  it("orders the watchers' findings by their place in the transaction, whichever watcher made them", async () => {
    const f = (id: string) => createFinding(ALERTS.other, { description: id, key: [id], block });
    const w1: Watcher<null> = { onTransaction: async () => [{ at: 5, finding: f("a5") }, { at: 1, finding: f("a1") }] };
    const w2: Watcher<null> = { onTransaction: async () => [{ at: 1.5, finding: f("b1.5") }, { at: -1, finding: f("b-1") }] };
    const out = await runTransaction([w1, {}, w2], tx([]), null);
    expect(out.map((x) => x.description)).toEqual(["b-1", "a1", "b1.5", "a5"]);
  });
});
