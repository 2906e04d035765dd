import { createLogger } from "../log";
import { BotFailures, STATE_HANDLER, handlerKind } from "./failures";

const log = createLogger({ level: "silent" });
const blk = (n: number) => ({ number: n, hash: `0x${n.toString(16).padStart(64, "0")}`, timestamp: 1_000 + 12 * n });
const line = (fs: ReturnType<BotFailures["failed"]>) => fs.map((f) => `${f.blockNumber} ${f.finding.alertId} ${f.finding.severity} ${f.finding.metadata.episode}`);

describe("BotFailures: a bot's failures as episodes", () => {
  it("opens once, escalates once after the escalation time, resolves when the handler succeeds again", () => {
    const b = new BotFailures(1, log, 60);
    const out: string[] = [];
    for (let n = 10; n <= 20; n++) out.push(...line(b.failed({ bot: "x", handler: "handleBlock", block: blk(n), err: new Error(`boom ${n}`), timedOut: false })));
    out.push(...line(b.succeeded("x", "handleBlock", blk(21))));
    out.push(...line(b.succeeded("x", "handleBlock", blk(22))));
    expect(out).toEqual(["10 VIGIL-BOT-ERROR High opened", "15 VIGIL-BOT-ERROR Critical escalated", "21 VIGIL-BOT-ERROR Info resolved"]);
  });

  it("keeps one episode per bot and handler kind; a timeout opens VIGIL-BOT-TIMEOUT, and the episode keeps its alert id", () => {
    const b = new BotFailures(1, log, 3600);
    const out = [
      ...b.failed({ bot: "x", handler: "handleTransaction", block: blk(1), err: new Error("slow"), timedOut: true, txHash: "0xab" }),
      ...b.failed({ bot: "x", handler: "handleBlock", block: blk(1), err: new Error("a"), timedOut: false }),
      ...b.failed({ bot: "y", handler: "handleBlock", block: blk(1), err: new Error("b"), timedOut: false }),
      ...b.failed({ bot: "x", handler: "handleTransaction", block: blk(2), err: new Error("c"), timedOut: false }),
      ...b.succeeded("x", "handleTransaction", blk(3)),
    ];
    expect(out.map((f) => `${f.finding.alertId} ${f.finding.metadata.bot} ${f.finding.metadata.handler} ${f.finding.metadata.episode}`)).toEqual([
      "VIGIL-BOT-TIMEOUT x handleTransaction opened",
      "VIGIL-BOT-ERROR x handleBlock opened",
      "VIGIL-BOT-ERROR y handleBlock opened",
      "VIGIL-BOT-TIMEOUT x handleTransaction resolved",
    ]);
    expect(out[0]!.txHash).toBe("0xab");
    expect(Object.keys(b.open()).sort()).toEqual(["x|block", "y|block"]);
  });

  it("resumes from its serialized state: nothing opened twice, the same keys as an uninterrupted run", () => {
    const whole = new BotFailures(1, log, 60);
    const keys = (b: BotFailures, from: number, to: number) => {
      const ks: string[] = [];
      for (let n = from; n <= to; n++) ks.push(...b.failed({ bot: "x", handler: "handleBlock", block: blk(n), err: new Error("e"), timedOut: false }).map((f) => f.finding.uniqueKey));
      return ks;
    };
    const all = [...keys(whole, 1, 9), ...whole.succeeded("x", "handleBlock", blk(10)).map((f) => f.finding.uniqueKey)];
    const first = new BotFailures(1, log, 60);
    const part1 = keys(first, 1, 3);
    const second = new BotFailures(1, log, 60, first.serialize());
    const part2 = [...keys(second, 4, 9), ...second.succeeded("x", "handleBlock", blk(10)).map((f) => f.finding.uniqueKey)];
    expect([...part1, ...part2]).toEqual(all);
    expect(all).toHaveLength(3);
  });

  it("names the kinds", () => {
    expect(["handleBlock", "handleTransaction", "handleBeaconEvent", STATE_HANDLER].map(handlerKind)).toEqual(["block", "transaction", "event", "state"]);
  });
});
