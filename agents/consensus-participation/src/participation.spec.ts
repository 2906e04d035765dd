import { dec } from "../../../shared/math";
import type { AttestationRewards, ValidatorInfo } from "../../../shared/beacon/types";
import { baseline, computeParticipation, dropLevel, median } from "./participation";

const ETH = 1_000_000_000n;
const validator = (index: number, eth: bigint): ValidatorInfo => ({
  index,
  pubkey: "0x",
  status: "active_ongoing",
  balance: eth * ETH,
  effectiveBalance: eth * ETH,
  slashed: false,
  activationEpoch: 0n,
  exitEpoch: 2n ** 64n - 1n,
  withdrawableEpoch: 2n ** 64n - 1n,
});
const reward = (validatorIndex: number, source: bigint, target: bigint, head: bigint) => ({ validatorIndex, source, target, head, inactivity: 0n });

describe("computeParticipation", () => {
  const active = [validator(0, 32n), validator(1, 32n), validator(2, 64n), validator(3, 2048n)];

  it("counts a flag as earned when its reward is not a penalty, weighted by effective balance", () => {
    const rewards: AttestationRewards = {
      ideal: [{ effectiveBalance: 32n * ETH, head: 10n, target: 20n, source: 10n, inactivity: 0n }],
      total: [reward(0, 10n, 20n, 10n), reward(1, -10n, -20n, 0n), reward(2, 10n, 20n, 0n), reward(3, 10n, -20n, 0n)],
      finalized: true,
    };
    const p = computeParticipation(7, active, rewards);
    expect(p).toMatchObject({ epoch: 7, activeValidators: 4, activeGwei: 2176n * ETH, sourceGwei: 2144n * ETH, targetGwei: 96n * ETH, headGwei: 32n * ETH, targetValidators: 2, unreported: 0 });
  });

  it("during an inactivity leak: earned source/target show as 0 (not a penalty), head cannot be told", () => {
    const rewards: AttestationRewards = {
      ideal: [{ effectiveBalance: 32n * ETH, head: 0n, target: 0n, source: 0n, inactivity: 0n }],
      total: [reward(0, 0n, 0n, 0n), reward(1, -10n, -20n, 0n), reward(2, 0n, 0n, 0n), reward(3, 0n, 0n, 0n)],
      finalized: false,
    };
    const p = computeParticipation(7, active, rewards);
    expect(p.targetGwei).toBe(2144n * ETH);
    expect(p.headGwei).toBeNull();
  });

  it("counts active validators the route does not mention as missing", () => {
    const rewards: AttestationRewards = { ideal: [], total: [reward(0, 1n, 1n, 1n)], finalized: true };
    expect(computeParticipation(1, active, rewards)).toMatchObject({ targetGwei: 32n * ETH, unreported: 3 });
  });
});

describe("baseline", () => {
  const h = (epoch: number, target: string, flagged = false) => ({ epoch, target, flagged });

  it("is the median of the last n finalised, unflagged epochs before the measured one", () => {
    const history = [h(1, "0.5"), h(2, "0.97"), h(3, "0.99"), h(4, "0.2", true), h(5, "0.98"), h(6, "0.96"), h(7, "0.1")];
    // finalized up to 6: epoch 7 is left out; flagged 4 too; the last 3 of the rest: 3, 5, 6
    expect(baseline(history, 8, 6, 3, 3)).toEqual({ value: dec("0.98"), epochs: [3, 5, 6] });
    expect(baseline(history, 8, 6, 4, 4)!.value.toFixed()).toBe("0.975");
    expect(baseline(history, 8, 2, 3, 3)).toBeNull();
  });

  it("median of an even count is the mean of the middle two", () => {
    expect(median([dec(4), dec(1), dec(3), dec(2)]).toFixed()).toBe("2.5");
  });
});

describe("dropLevel", () => {
  const t = { noiseFloor: dec("0.05"), severeDrop: dec("0.25") };
  it.each([
    ["1", "1", null],
    ["1.02", "1", null], // above the baseline
    ["0.96", "1", null], // 4%: noise
    ["0.95", "1", "drop"], // 5%: High
    ["0.750001", "1", "drop"],
    ["0.75", "1", "severe"], // 25%: Critical
    ["0.675", "0.9", "severe"], // relative: 25% of 0.9
  ])("%s against a baseline of %s -> %s", (current, base, level) => {
    expect(dropLevel(dec(current), dec(base), t).level).toBe(level);
  });
});

describe("configuration", () => {
  // eslint-disable-next-line @typescript-eslint/no-var-requires
  const { loadConfig } = require("./config") as typeof import("./config");
  const { fraction } = require("./participation") as typeof import("./participation");

  it("keeps 2/3 exact: exactly two thirds of the stake is enough for finality", () => {
    const cfg = loadConfig({});
    expect(fraction(2n * 32n, 3n * 32n).lt(cfg.finalityThreshold)).toBe(false);
    expect(fraction(2n * 32n - 1n, 3n * 32n).lt(cfg.finalityThreshold)).toBe(true);
    expect(loadConfig({ PARTICIPATION_FINALITY_THRESHOLD: "0.7" }).finalityThreshold.toFixed()).toBe("0.7");
  });

  it("names the key and the fix on bad values", () => {
    expect(() => loadConfig({ PARTICIPATION_FINALITY_THRESHOLD: "3/2" })).toThrow(
      'configuration PARTICIPATION_FINALITY_THRESHOLD="3/2" is invalid: expected a fraction between 0 and 1, such as 2/3 or 0.7',
    );
    expect(() => loadConfig({ PARTICIPATION_NOISE_FLOOR: "0.3" })).toThrow("must not exceed PARTICIPATION_SEVERE_DROP (0.25)");
  });
});
