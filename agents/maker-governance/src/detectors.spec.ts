import { dec } from "../../../shared/math";
import { SKY_CHIEF_IFACE, chiefActions, type ChiefAction } from "./chief";
import { ethers } from "forta-agent";
import { approvalsGrace, approvalsLevel, decodeSymbol, tokensPerMkr, bypassesDelay, delayChange, governanceTakeover, hatMoves, isKnownLifter, type TokenTransfer } from "./detectors";

const WAD = 10n ** 18n;
const CHIEF = "0x00000000000000000000000000000000000000c1";
const LENDER = "0x00000000000000000000000000000000000000d1";
const ATTACKER = "0x00000000000000000000000000000000000000a1";
const SPELL = "0x00000000000000000000000000000000000000b1";
const tr = (logIndex: number, from: string, to: string, tokens: bigint): TokenTransfer => ({ logIndex, from, to, wad: tokens * WAD });
const act = (logIndex: number, kind: ChiefAction["kind"], caller: string | null, extra: Partial<ChiefAction> = {}): ChiefAction => ({ logIndex, kind, caller, style: "ds-note", ...extra });

describe("maker-governance detectors", () => {
  it("places the hat's approvals against both thresholds exactly, to the wei", () => {
    const min = dec("40000");
    const crit = dec("10000");
    expect(approvalsLevel(40_000n * WAD, min, crit)).toBeNull();
    expect(approvalsLevel(40_000n * WAD - 1n, min, crit)).toBe("low");
    expect(approvalsLevel(10_000n * WAD, min, crit)).toBe("low");
    expect(approvalsLevel(10_000n * WAD - 1n, min, crit)).toBe("critical");
    expect(approvalsLevel(0n, min, crit)).toBe("critical");
  });

  it("takes the thresholds in MKR: a SKY chief's approvals count 24,000 SKY to the MKR, exactly", () => {
    const min = dec("40000");
    const crit = dec("10000");
    const sky = tokensPerMkr("SKY", dec("24000"));
    expect(sky.toFixed()).toBe("24000");
    expect(tokensPerMkr("MKR", dec("24000")).toFixed()).toBe("1");
    expect(tokensPerMkr(null, dec("24000")).toFixed()).toBe("1");
    // 81,001 SKY is far above 40,000 as MKR but only ~3.4 MKR worth on a SKY chief
    expect(approvalsLevel(81_001n * WAD, min, crit)).toBeNull();
    expect(approvalsLevel(81_001n * WAD, min, crit, sky)).toBe("critical");
    expect(approvalsLevel(960_000_000n * WAD, min, crit, sky)).toBeNull();
    expect(approvalsLevel(960_000_000n * WAD - 1n, min, crit, sky)).toBe("low");
    expect(approvalsLevel(240_000_000n * WAD - 1n, min, crit, sky)).toBe("critical");
  });

  it("reads a token symbol answered as an ABI string (SKY) or as a bytes32 (mainnet MKR), and nothing else", () => {
    expect(decodeSymbol(ethers.utils.defaultAbiCoder.encode(["string"], ["SKY"]))).toBe("SKY");
    expect(decodeSymbol(ethers.utils.formatBytes32String("MKR"))).toBe("MKR");
    expect(decodeSymbol("0x")).toBeNull();
    expect(decodeSymbol("0x" + "ff".repeat(32))).toBeNull();
  });

  it("runs the approvals grace period per hat: a newly lifted low hat gets the whole period", () => {
    const A = "0x00000000000000000000000000000000000000aa";
    const B = "0x00000000000000000000000000000000000000bb";
    expect(approvalsGrace(null, A, false, 100, 10)).toBeNull();
    expect(approvalsGrace(null, A, true, 100, 10)).toEqual({ since: 100, hat: A, due: false });
    expect(approvalsGrace({ since: 100, hat: A }, A, true, 109, 10)).toEqual({ since: 100, hat: A, due: false });
    expect(approvalsGrace({ since: 100, hat: A }, A, true, 110, 10)).toEqual({ since: 100, hat: A, due: true });
    // hat A low since 100, B lifted at 107 and low too: B's period starts at 107, not 100
    expect(approvalsGrace({ since: 100, hat: A }, B, true, 107, 10)).toEqual({ since: 107, hat: B, due: false });
    expect(approvalsGrace({ since: 107, hat: B }, B, true, 116, 10)).toEqual({ since: 107, hat: B, due: false });
    expect(approvalsGrace({ since: 107, hat: B }, B, true, 117, 10)).toEqual({ since: 107, hat: B, due: true });
    expect(approvalsGrace({ since: 100, hat: A }, A, false, 105, 10)).toBeNull();
    // state saved before the hat was recorded: the period goes on for the current hat
    expect(approvalsGrace({ since: 100, hat: undefined }, B, true, 110, 10)).toEqual({ since: 100, hat: B, due: true });
    expect(approvalsGrace(null, A, true, 100, 0)).toEqual({ since: 100, hat: A, due: true });
  });

  it("moves the hat only when a lift names another address", () => {
    const A = "0x00000000000000000000000000000000000000aa";
    const B = "0x00000000000000000000000000000000000000bb";
    expect(hatMoves(A, [B])).toEqual([{ whom: B, previous: A, moved: true }]);
    expect(hatMoves(A, [A])).toEqual([{ whom: A, previous: A, moved: false }]);
    expect(hatMoves(A, [B, A, A])).toEqual([
      { whom: B, previous: A, moved: true },
      { whom: A, previous: B, moved: true },
      { whom: A, previous: A, moved: false },
    ]);
    expect(hatMoves(null, [A])).toEqual([{ whom: A, previous: null, moved: true }]);
  });

  it("tells a reduced delay from a raised or re-set one", () => {
    expect(delayChange("57600", "0")).toBe("reduced");
    expect(delayChange("57600", "57599")).toBe("reduced");
    expect(delayChange("0", "57600")).toBe("raised");
    expect(delayChange("57600", "57600")).toBe("unchanged");
  });

  it("flags a plan due sooner than the delay in force, and not one due exactly at it", () => {
    expect(bypassesDelay(1000 + 57600, 1000, "57600")).toBe(false);
    expect(bypassesDelay(1000 + 57599, 1000, "57600")).toBe(true);
    expect(bypassesDelay(1000, 1000, "0")).toBe(false);
    expect(bypassesDelay("115792089237316195423570985008687907853269984665640564039457584007913129639935", 1000, "57600")).toBe(false);
  });

  it("knows a lifter by the caller the chief logs or by the transaction's sender", () => {
    const known = new Set([ATTACKER]);
    expect(isKnownLifter(ATTACKER, LENDER, known)).toBe(true);
    expect(isKnownLifter(LENDER, ATTACKER, known)).toBe(true);
    expect(isKnownLifter(null, LENDER, known)).toBe(false);
  });

  describe("the governance takeover pattern", () => {
    // borrow 100 from the lender, lock it (pull to the chief), vote, lift, free, repay
    const flash = [tr(0, LENDER, ATTACKER, 100n), tr(2, ATTACKER, CHIEF, 100n), tr(9, CHIEF, ATTACKER, 100n), tr(11, ATTACKER, LENDER, 100n)];
    const actions = [act(3, "lock", ATTACKER, { wad: (100n * WAD).toString() }), act(5, "vote", ATTACKER), act(6, "vote", ATTACKER), act(7, "lift", ATTACKER, { whom: SPELL }), act(10, "free", ATTACKER)];

    it("recognises a flash loan: arrived, locked, voted, lifted, freed and returned", () => {
      const ev = governanceTakeover(CHIEF, flash, actions)!;
      expect(ev).not.toBeNull();
      expect(ev.participants).toEqual([{ account: ATTACKER, received: 100n * WAD, sources: [LENDER], locked: 100n * WAD, voted: true, freed: 100n * WAD, returned: 100n * WAD }]);
      expect(ev.lift.whom).toBe(SPELL);
      expect(ev.repaidInTx).toBe(true);
    });

    it("recognises tokens transferred in (not borrowed) and kept locked", () => {
      const ev = governanceTakeover(CHIEF, flash.slice(0, 2), actions.slice(0, 4))!;
      expect(ev.repaidInTx).toBe(false);
      expect(ev.received).toBe(100n * WAD);
    });

    it("needs all three: no lift, no arrival before the lock, or no lock means no finding", () => {
      expect(governanceTakeover(CHIEF, flash, actions.filter((a) => a.kind !== "lift"))).toBeNull(); // a vote proxy locking: no lift
      expect(governanceTakeover(CHIEF, [tr(2, ATTACKER, CHIEF, 100n), tr(4, LENDER, ATTACKER, 100n)], actions)).toBeNull(); // tokens came after the lock
      expect(governanceTakeover(CHIEF, [tr(0, LENDER, ATTACKER, 100n)], actions)).toBeNull(); // nothing locked
      expect(governanceTakeover(CHIEF, [tr(2, ATTACKER, CHIEF, 100n)], actions)).toBeNull(); // own tokens locked, then lifted
    });

    it("counts the SKY chief's Vote(bytes32), which does not log the voter, as the vote of the account that locked before it", () => {
      const skyChief = "0x929d9a1435662357f54aaaf64eb6758b6a7ff6c9";
      const ev = (name: string, args: unknown[], logIndex: number) => ({ address: skyChief, logIndex, ...SKY_CHIEF_IFACE.encodeEventLog(SKY_CHIEF_IFACE.getEvent(name), args) });
      const slate = ethers.utils.keccak256(ethers.utils.solidityPack(["address[]"], [[SPELL]]));
      const logs = [ev("Lock(uint256)", [100n * WAD], 3), ev("Etch", [slate, [SPELL]], 4), ev("Vote(bytes32)", [slate], 5), ev("Lift", [SPELL], 7), ev("Free(uint256)", [100n * WAD], 10)];
      const transfers = [tr(0, LENDER, ATTACKER, 100n), tr(2, ATTACKER, skyChief, 100n), tr(9, skyChief, ATTACKER, 100n), tr(11, ATTACKER, LENDER, 100n)];
      const { actions: skyActions } = chiefActions(logs, skyChief);
      expect(skyActions.find((a) => a.kind === "vote")!.caller).toBeNull();
      expect(governanceTakeover(skyChief, transfers, skyActions)!.participants[0]!.voted).toBe(true);
      // a vote before any lock is no participant's
      const early = skyActions.map((a) => (a.kind === "vote" ? { ...a, logIndex: 1 } : a));
      expect(governanceTakeover(skyChief, transfers, early)!.participants[0]!.voted).toBe(false);
    });

    it("does not count the chief paying out (free) as tokens arriving, and needs the lift after the lock", () => {
      expect(governanceTakeover(CHIEF, [tr(0, CHIEF, ATTACKER, 100n), tr(2, ATTACKER, CHIEF, 100n)], actions)).toBeNull();
      expect(governanceTakeover(CHIEF, flash, [act(1, "lift", ATTACKER, { whom: SPELL }), ...actions.filter((a) => a.kind !== "lift")])).toBeNull();
    });
  });
});
