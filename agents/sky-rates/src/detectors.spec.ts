import { loosens, moveOf } from "./detectors";

describe("sky-rates detectors", () => {
  it("a bound change widens what buds may do when max or step go up or min goes down", () => {
    expect(loosens("max", 3000, 5000)).toBe(true);
    expect(loosens("max", 3000, 2000)).toBe(false);
    expect(loosens("step", 400, 500)).toBe(true);
    expect(loosens("min", 200, 100)).toBe(true);
    expect(loosens("min", 200, 300)).toBe(false);
    expect(loosens("tau", 1, 2)).toBe(false);
  });
  it("whole-step moves and their direction", () => {
    expect(moveOf(650, 1050, 400)).toEqual({ delta: 400, maxStep: true, dir: 1 });
    expect(moveOf(650, 600, 400)).toEqual({ delta: -50, maxStep: false, dir: -1 });
    expect(moveOf(650, 650, 0)).toEqual({ delta: 0, maxStep: false, dir: 0 });
  });
});
