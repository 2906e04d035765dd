/**
 * Rights changes read from logs built byte for byte as each style writes them (see
 * shared/abi/note.ts for the layouts), including the ds-note rely our test deployment has no
 * contract for, and malformed logs.
 */
import { ethers } from "forta-agent";
import { WardDecodeError, wardChangeOf } from "./wards";

const C = "0x35d1b3f3d7966a1dfe207aa4514c12a259a0492b";
const USR = "0x1234567890abcdef1234567890abcdef12345678";
const CALLER = "0xbe8e3e3618f7474f8cb1d074a26affef007e98fb";
const iface = new ethers.utils.Interface(["function rely(address usr)", "function deny(address usr)"]);
const word = (hex: string) => ethers.utils.hexZeroPad(hex, 32).toLowerCase();
const load = (calldata: string, o: number) => `0x${calldata.slice(2 + o * 2, 2 + o * 2 + 64).padEnd(64, "0")}`;
const sigTopic = (calldata: string) => calldata.slice(0, 10).padEnd(66, "0");
const dssData = (calldata: string) => `0x${(32).toString(16).padStart(64, "0")}${(224).toString(16).padStart(64, "0")}${calldata.slice(2, 450).padEnd(448, "0")}`;

const libnote = (fn: "rely" | "deny") => {
  const cd = iface.encodeFunctionData(fn, [USR]);
  return { address: C, logIndex: 7, topics: [sigTopic(cd), word(CALLER), load(cd, 4), load(cd, 36)], data: dssData(cd) };
};
const vatNote = (fn: "rely" | "deny") => {
  const cd = iface.encodeFunctionData(fn, [USR]);
  return { address: C, logIndex: 7, topics: [sigTopic(cd), load(cd, 4), load(cd, 36), load(cd, 68)], data: dssData(cd) };
};
const dsNote = (fn: "rely" | "deny") => {
  const cd = iface.encodeFunctionData(fn, [USR]);
  return { address: C, logIndex: 7, topics: [sigTopic(cd), word(CALLER), load(cd, 4), load(cd, 36)], data: ethers.utils.defaultAbiCoder.encode(["uint256", "bytes"], [0, cd]) };
};

describe("rights changes in every style", () => {
  it("reads named Rely/Deny with the address indexed, and the ChainLog's unindexed ones", () => {
    const topic = ethers.utils.id("Rely(address)");
    expect(wardChangeOf({ address: C, logIndex: 1, topics: [topic, word(USR)], data: "0x" })).toEqual({ address: C, logIndex: 1, action: "rely", usr: USR, caller: null, style: "named" });
    expect(wardChangeOf({ address: C, logIndex: 2, topics: [ethers.utils.id("Deny(address)")], data: word(USR) })).toMatchObject({ action: "deny", usr: USR, style: "named-unindexed" });
  });

  it("reads a Chronicle Scribe's AuthGranted/AuthRenounced (chronicle-std rely/deny) with the caller", () => {
    expect(wardChangeOf({ address: C, logIndex: 3, topics: [ethers.utils.id("AuthGranted(address,address)"), word(CALLER), word(USR)], data: "0x" })).toEqual({ address: C, logIndex: 3, action: "rely", usr: USR, caller: CALLER, style: "chronicle-auth" });
    expect(wardChangeOf({ address: C, logIndex: 4, topics: [ethers.utils.id("AuthRenounced(address,address)"), word(CALLER), word(USR)], data: "0x" })).toMatchObject({ action: "deny", usr: USR, caller: CALLER, style: "chronicle-auth" });
    expect(() => wardChangeOf({ address: C, logIndex: 5, topics: [ethers.utils.id("AuthGranted(address,address)"), word(USR)], data: "0x" })).toThrow(/expected caller and who indexed/);
  });

  it("reads dss LibNote rely/deny with the caller, and the Vat's note without it", () => {
    expect(wardChangeOf(libnote("rely"))).toEqual({ address: C, logIndex: 7, action: "rely", usr: USR, caller: CALLER, style: "libnote" });
    expect(wardChangeOf(libnote("deny"))).toMatchObject({ action: "deny", caller: CALLER, style: "libnote" });
    expect(wardChangeOf(vatNote("rely"))).toEqual({ address: C, logIndex: 7, action: "rely", usr: USR, caller: null, style: "vat-note" });
    expect(wardChangeOf(vatNote("deny"))).toMatchObject({ action: "deny", caller: null, style: "vat-note" });
  });

  it("reads a ds-note rely/deny (no contract of the test deployment writes one)", () => {
    expect(wardChangeOf(dsNote("rely"))).toEqual({ address: C, logIndex: 7, action: "rely", usr: USR, caller: CALLER, style: "ds-note" });
    expect(wardChangeOf(dsNote("deny"))).toMatchObject({ action: "deny", style: "ds-note" });
  });

  it("reads OZ Ownable's OwnershipTransferred (the LayerZero OApps) and Chronicle's AuthGranted/AuthRenounced (the caller is logged)", () => {
    const PREV = "0x" + "11".repeat(20);
    expect(wardChangeOf({ address: C, logIndex: 6, topics: [ethers.utils.id("OwnershipTransferred(address,address)"), word(PREV), word(USR)], data: "0x" })).toMatchObject({ action: "setOwner", usr: USR, style: "ownable", caller: null });
    expect(wardChangeOf({ address: C, logIndex: 7, topics: [ethers.utils.id("AuthGranted(address,address)"), word(PREV), word(USR)], data: "0x" })).toMatchObject({ action: "rely", usr: USR, caller: PREV, style: "chronicle-auth" });
    expect(wardChangeOf({ address: C, logIndex: 8, topics: [ethers.utils.id("AuthRenounced(address,address)"), word(PREV), word(USR)], data: "0x" })).toMatchObject({ action: "deny", usr: USR, style: "chronicle-auth" });
    expect(() => wardChangeOf({ address: C, logIndex: 9, topics: [ethers.utils.id("OwnershipTransferred(address,address)"), word(USR)], data: "0x" })).toThrow(/expected both addresses indexed/);
  });

  it("reads the Sky MOMs' SetOwner / SetAuthority", () => {
    expect(wardChangeOf({ address: C, logIndex: 4, topics: [ethers.utils.id("SetOwner(address)"), word(USR)], data: "0x" })).toMatchObject({ action: "setOwner", usr: USR, style: "mom-auth", caller: null });
    expect(wardChangeOf({ address: C, logIndex: 5, topics: [ethers.utils.id("SetAuthority(address)"), word(USR)], data: "0x" })).toMatchObject({ action: "setAuthority", usr: USR, style: "mom-auth" });
  });

  it("reads ds-auth LogSetOwner / LogSetAuthority", () => {
    expect(wardChangeOf({ address: C, logIndex: 3, topics: [ethers.utils.id("LogSetOwner(address)"), word(USR)], data: "0x" })).toMatchObject({ action: "setOwner", usr: USR, style: "ds-auth", caller: null });
    expect(wardChangeOf({ address: C, logIndex: 3, topics: [ethers.utils.id("LogSetAuthority(address)"), word(USR)], data: "0x" })).toMatchObject({ action: "setAuthority", usr: USR });
  });

  it("ignores every other log", () => {
    expect(wardChangeOf({ address: C, logIndex: 0, topics: [ethers.utils.id("Transfer(address,address,uint256)"), word(USR), word(CALLER)], data: word("0x01") })).toBeNull();
    expect(wardChangeOf({ address: C, logIndex: 0, topics: [], data: "0x" })).toBeNull();
    const file = ethers.utils.id("file(bytes32,uint256)").slice(0, 10).padEnd(66, "0");
    expect(wardChangeOf({ address: C, logIndex: 0, topics: [file, word(CALLER), word("0x01"), word("0x02")], data: "0x" })).toBeNull();
  });

  it("throws a WardDecodeError naming the contract for logs with a rights topic that do not decode", () => {
    const bad = [
      { address: C, logIndex: 0, topics: [ethers.utils.id("Rely(address)"), word(USR), word(USR)], data: "0x" },
      { address: C, logIndex: 0, topics: [ethers.utils.id("Rely(address)")], data: "0x" },
      { address: C, logIndex: 0, topics: [ethers.utils.id("Rely(address)"), `0x${"ff".repeat(32)}`], data: "0x" },
      { address: C, logIndex: 0, topics: [ethers.utils.id("LogSetOwner(address)")], data: word(USR) },
      { ...libnote("rely"), topics: [libnote("rely").topics[0]!, word(CALLER), word("0x99"), word("0x00")] },
      { ...libnote("rely"), data: "0x1234" },
    ];
    for (const log of bad) {
      expect(() => wardChangeOf(log)).toThrow(WardDecodeError);
      try {
        wardChangeOf(log);
      } catch (err) {
        expect((err as WardDecodeError).address).toBe(C);
        expect((err as Error).message).toContain(C);
      }
    }
  });
});
