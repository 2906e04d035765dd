import { dec } from "../../../shared/math";
import { activeDrop, added, attribute, exitBurstThreshold, indexRanges, judgeSlashings, newExits, snapshot } from "./validators";
import { FAR_FUTURE_EPOCH, type ValidatorInfo, type ValidatorStatus } from "../../../shared/beacon/types";

const block = (slot: number, proposers: number[], attesters: number[][]) => ({
  root: undefined,
  slot,
  proposerIndex: 0,
  version: "electra",
  proposerSlashings: proposers.map((proposerIndex) => ({ proposerIndex })),
  attesterSlashings: attesters.map((slashedIndices) => ({ slashedIndices })),
  voluntaryExits: [],
});

describe("validator-set detectors", () => {
  it("snapshot: active count and balance from the active statuses; slashed ones whether active or exited", () => {
    const v = (index: number, status: ValidatorStatus, exitEpoch = FAR_FUTURE_EPOCH): ValidatorInfo => ({
      index,
      status,
      pubkey: "0x",
      balance: 32_000_000_000n,
      effectiveBalance: 32_000_000_000n,
      slashed: status.endsWith("_slashed"),
      activationEpoch: 0n,
      exitEpoch,
      withdrawableEpoch: FAR_FUTURE_EPOCH,
    });
    const s = snapshot(10, [v(1, "active_ongoing"), v(4, "exited_slashed", 8n), v(2, "active_slashed", 12n), v(3, "active_exiting", 13n)]);
    expect(s).toEqual({ epoch: 10, active: 3, activeGwei: 96_000_000_000n, slashed: [2, 4], exiting: [{ index: 3, exitEpoch: 13n }] });
  });

  it("added: members that are new", () => {
    expect(added([1, 2, 3], [2, 3, 4, 9])).toEqual([4, 9]);
    expect(added([1, 2], [1])).toEqual([]);
  });

  it("newExits: exits past the last exit epoch seen, or at it and not seen there; keeps only that tail", () => {
    const ex = (index: number, exitEpoch: number) => ({ index, exitEpoch: BigInt(exitEpoch) });
    const first = newExits(null, [ex(1, 100), ex(2, 101), ex(3, 101)]);
    expect(first).toEqual({ added: [1, 2, 3], tail: { epoch: "101", indices: [2, 3] } }); // nothing seen before: all new
    const second = newExits(first.tail, [ex(1, 100), ex(2, 101), ex(3, 101), ex(4, 101), ex(5, 102)]);
    expect(second).toEqual({ added: [4, 5], tail: { epoch: "102", indices: [5] } });
    // everyone exited meanwhile: the tail stays, the next exits are still new
    const third = newExits(second.tail, []);
    expect(third).toEqual({ added: [], tail: second.tail });
    expect(newExits(third.tail, [ex(9, 110)]).added).toEqual([9]);
  });

  it("activeDrop: against the highest count in the window", () => {
    expect(activeDrop([{ epoch: 1, count: 100 }, { epoch: 2, count: 98 }], 97)).toEqual({ reference: 100, drop: dec("0.03") });
    expect(activeDrop([], 50)).toEqual({ reference: 50, drop: dec(0) });
    expect(activeDrop([{ epoch: 1, count: 90 }], 95).drop.toFixed()).toBe("0");
  });

  it("attribute: the first block that slashed each validator, proposer or attester; others unknown", () => {
    const who = attribute([3, 5, 6, 9], [block(12, [], [[5, 6]]), block(11, [3], []), block(13, [5], [])]);
    expect(Object.fromEntries(who)).toEqual({
      3: { kind: "proposer", slot: 11 },
      5: { kind: "attester", slot: 12 },
      6: { kind: "attester", slot: 12 },
      9: { kind: "unknown", slot: null },
    });
  });

  it("judgeSlashings: major above 10% of all validators or of the operator set", () => {
    const ten = dec("0.1");
    expect(judgeSlashings([1, 2, 3, 4, 5, 6], 64, new Set(), ten).major).toBe(false); // 9.4%
    expect(judgeSlashings([1, 2, 3, 4, 5, 6, 7], 64, new Set(), ten).major).toBe(true); // 10.9%
    expect(judgeSlashings([1, 2, 3, 4, 5, 6, 7, 8, 9, 10], 100, new Set(), ten).major).toBe(false); // exactly 10%: not more
    const op = judgeSlashings([7], 1000, new Set([7, 8, 9, 10, 11]), ten);
    expect(op).toMatchObject({ major: true, operatorSlashed: 1 });
    expect(op.fractionOfOperatorSet!.toFixed()).toBe("0.2");
  });

  it("exitBurstThreshold: the larger of the minimum count and the fraction of the active set", () => {
    expect(exitBurstThreshold(64, 8, dec("0.0001"))).toBe(8);
    expect(exitBurstThreshold(1_000_000, 8, dec("0.0001"))).toBe(100);
    expect(exitBurstThreshold(1_000_001, 8, dec("0.0001"))).toBe(101);
  });

  it("indexRanges: compact lists", () => {
    expect(indexRanges([12, 3, 5, 6, 7, 8])).toBe("3,5-8,12");
    expect(indexRanges([])).toBe("");
  });
});
