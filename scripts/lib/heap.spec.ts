import { tuneHeap } from "./heap";

describe("tuneHeap", () => {
  it("sets V8's heap growing factor unless the user gave one (on node's command line or in NODE_OPTIONS)", () => {
    expect(tuneHeap([], "")).toBe(true);
    expect(tuneHeap(["--heap-growing-percent=30"], "")).toBe(false);
    expect(tuneHeap([], "--max-old-space-size=512 --heap_growing_percent=20")).toBe(false);
  });
});
