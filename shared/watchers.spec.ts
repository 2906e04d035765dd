import { Finding, FindingSeverity, FindingType, ethers } from "forta-agent";
import { defineAlerts } from "./findings";
import type { DecodedEvent } from "./logs";
import { assemble, eventAlerts, type EventAlert, type Watcher } from "./watchers";

const ALERTS = defineAlerts({
  caged: { id: "TEST-CAGED", name: "End caged", severity: FindingSeverity.Critical, type: FindingType.Suspicious },
  fired: { id: "TEST-FIRED", name: "ESM fired", severity: FindingSeverity.Critical, type: FindingType.Suspicious },
});

const finding = (description: string) => Finding.fromObject({ name: "n", description, alertId: "X", protocol: "ethereum", severity: FindingSeverity.Info, type: FindingType.Info, metadata: {} });
const event = (name: string, logIndex: number, args: Record<string, unknown> = {}): DecodedEvent => ({
  name,
  signature: `${name}()`,
  args: Object.assign([], args) as unknown as ethers.utils.Result,
  address: "0x00000000000000000000000000000000000000e1",
  logIndex,
});

describe("assemble: the watchers as one bot", () => {
  it("calls each handler of the watchers that have it, in their order, and keeps their findings' order", async () => {
    const calls: string[] = [];
    const a: Watcher<string, number> = {
      async initialize() {
        calls.push("a.init");
      },
      async onBlock(n) {
        calls.push(`a.block ${n}`);
        return [finding("a1"), finding("a2")];
      },
    };
    const b: Watcher<string, number> = {
      async onTransaction(tx) {
        calls.push(`b.tx ${tx}`);
        return [finding("b1")];
      },
      async onBlock() {
        calls.push("b.block");
        return [finding("b2")];
      },
    };
    const bot = assemble([a, b]);
    await bot.initialize();
    expect((await bot.onBlock(7)).map((f) => f.description)).toEqual(["a1", "a2", "b2"]);
    expect((await bot.onTransaction("0xt")).map((f) => f.description)).toEqual(["b1"]);
    expect(calls).toEqual(["a.init", "a.block 7", "b.block", "b.tx 0xt"]);
  });
});

describe("eventAlerts: a table of 'this event happened' alerts, run by one handler", () => {
  const rows: EventAlert<{ prefix: string }>[] = [
    { contract: "MCD_END", event: "Cage", alert: ALERTS.caged, describe: (_e, on) => ({ description: `${on.context.prefix}: End.cage by ${on.from}`, addresses: [on.address] }) },
    { contract: "MCD_ESM", event: "Fire", alert: ALERTS.fired, describe: (e) => (e.args.usr ? { description: `ESM fired by ${String(e.args.usr)}` } : undefined) },
  ];
  const on = { chainId: 1, block: { number: 10, hash: "0xb10", timestamp: 1_700_000_000 }, txHash: "0xt1", from: "0xsender", context: { prefix: "test" } };

  it("one finding per matching (contract key, event), keyed on its log, in the events' order", () => {
    const fs = eventAlerts(
      rows,
      [
        { contract: "MCD_ESM", event: event("Fire", 3, { usr: "0xabc" }) },
        { contract: "MCD_END", event: event("Cage", 5) },
        { contract: "MCD_ESM", event: event("Cage", 6) }, // a Cage of another contract: no row
        { contract: "MCD_END", event: event("Thaw", 7) }, // no row for this event
      ],
      on,
    );
    expect(fs.map((f) => [f.alertId, f.description])).toEqual([
      ["TEST-FIRED", "ESM fired by 0xabc"],
      ["TEST-CAGED", "test: End.cage by 0xsender"],
    ]);
    expect(fs[1]!.addresses).toEqual(["0x00000000000000000000000000000000000000e1"]);
    // the same log gives the same key; another log another
    const again = eventAlerts(rows, [{ contract: "MCD_END", event: event("Cage", 5) }], on);
    expect(again[0]!.uniqueKey).toBe(fs[1]!.uniqueKey);
    expect(eventAlerts(rows, [{ contract: "MCD_END", event: event("Cage", 8) }], on)[0]!.uniqueKey).not.toBe(fs[1]!.uniqueKey);
  });

  it("a row that finds the occurrence not worth an alert says so with undefined", () => {
    expect(eventAlerts(rows, [{ contract: "MCD_ESM", event: event("Fire", 1) }], on)).toEqual([]);
  });
});
