/** Observations in the runtime's store: committed with their block, sampled, rewound on reorg, pruned. */
import { ObservationBuffer, canonicalLabels } from "./observations";
import { RuntimeStore } from "./store";
import { createLogger } from "../log";

const hash = (n: number) => `0x${n.toString(16).padStart(64, "0")}`;
const block = (n: number, t = 1_000 + n * 12) => ({ number: n, hash: hash(n), parentHash: hash(n - 1), timestamp: t });

test("observations are committed with their block, sampled per series, rewound on a reorg and pruned by age", () => {
  const store = new RuntimeStore(":memory:");
  store.observations.intervalS = 60;
  const buf = new ObservationBuffer("maker-vat", createLogger({ level: "silent" }));
  for (let n = 1; n <= 12; n++) {
    buf.observe("maker.vat_line", "1500000000.5");
    buf.observe("maker.ilk_utilisation", n < 10 ? 0.5 : 0.95, { ilk: "ETH-A" });
    store.commitBlock({ block: block(n), findings: [], states: new Map(), next: n + 1, keepBlocks: 1000, observations: buf.drain() });
  }
  // a constant kept once a minute of block time (12 s blocks: every 5th block); a jump kept at once
  expect(store.observations.list("maker.vat_line").map((o) => o.blockNumber)).toEqual([1, 6, 11]);
  expect(store.observations.list("maker.ilk_utilisation").map((o) => [o.blockNumber, o.value])).toEqual([[1, 0.5], [6, 0.5], [10, 0.95]]);
  expect(store.observations.list("maker.ilk_utilisation")[0]).toMatchObject({ bot: "maker-vat", labels: '{"ilk":"ETH-A"}', at: (1_000 + 12) * 1000 });

  store.rewind(9, "test");
  expect(store.observations.list("maker.ilk_utilisation").map((o) => o.blockNumber)).toEqual([1, 6]);

  // retention by block time, applied every 64 blocks
  store.observations.days = 1;
  buf.observe("maker.vat_line", 2);
  store.commitBlock({ block: block(64, 1_000 + 3 * 86_400), findings: [], states: new Map(), next: 65, keepBlocks: 1000, observations: buf.drain() });
  expect(store.observations.list().map((o) => o.blockNumber)).toEqual([64]);
  store.close();
});

test("a bad observation is dropped with a warning naming the fix, never thrown into the bot", () => {
  const lines: string[] = [];
  const log = createLogger({ level: "warn", format: "json", destination: { write: (s: string) => void lines.push(s) } as never });
  const buf = new ObservationBuffer("b", log);
  buf.observe("bad name!", 1);
  buf.observe("ok", Number.NaN);
  buf.observe("ok", "12.5", { z: "1", a: "2" }, 7);
  expect(buf.drain()).toEqual([{ bot: "b", name: "ok", labels: '{"a":"2","z":"1"}', value: 12.5, epoch: 7 }]);
  expect(lines.join("")).toMatch(/observation dropped.*fix the bot's observe call/);
  expect(canonicalLabels(undefined)).toBe("{}");
});
