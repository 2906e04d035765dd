import { Registry } from "prom-client";
import { LabelledHistogram } from "./metrics";

describe("LabelledHistogram", () => {
  it("exposes cumulative buckets, +Inf, _sum and _count per label set in prom-client's text format", async () => {
    const reg = new Registry();
    const h = new LabelledHistogram("t_seconds", "a test histogram", ["bot", "handler"] as const, [0.1, 1, 0.01], [reg]);
    const a = h.labels("a", "handleBlock");
    expect(h.labels("a", "handleBlock")).toBe(a);
    for (const v of [0.005, 0.01, 0.5, 3]) a.observe(v);
    h.labels('q"x', "handleTransaction").observe(1);
    const text = await reg.metrics();
    expect(text).toContain("# TYPE t_seconds histogram");
    expect(text).toContain('t_seconds_bucket{bot="a",handler="handleBlock",le="0.01"} 2');
    expect(text).toContain('t_seconds_bucket{bot="a",handler="handleBlock",le="0.1"} 2');
    expect(text).toContain('t_seconds_bucket{bot="a",handler="handleBlock",le="1"} 3');
    expect(text).toContain('t_seconds_bucket{bot="a",handler="handleBlock",le="+Inf"} 4');
    expect(text).toContain('t_seconds_sum{bot="a",handler="handleBlock"} 3.515');
    expect(text).toContain('t_seconds_count{bot="a",handler="handleBlock"} 4');
    expect(text).toContain('t_seconds_count{bot="q\\"x",handler="handleTransaction"} 1');
    expect(() => a.observe(NaN)).toThrow(/not a valid number/);
    expect(() => h.labels("only-one")).toThrow(/label values/);
    reg.resetMetrics();
    expect(await reg.metrics()).not.toContain("t_seconds_count");
  });
});
