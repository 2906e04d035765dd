import { createTransactionEvent, ethers, filterLog } from "forta-agent";
import {
  Bytes32Error,
  CHAINLOG_IFACE,
  ESM_EVENTS,
  ESM_IFACE,
  L1_ESCROW_EVENTS,
  MAKER_ABIS,
  MAKER_NOTES,
  FLASH_EVENTS,
  OSM_SLOTS,
  decodeMedianValAge,
  decodeOsmFeed,
  decodeOsmSrcHopZzz,
  fromBytes32,
  ilkName,
  toBytes32,
  tryFromBytes32,
} from "./index";

describe("contract ABIs", () => {
  it("give every event and function fragment a place in the contract's Interface", () => {
    for (const [name, abi] of Object.entries(MAKER_ABIS)) {
      for (const e of Object.values(abi.events)) expect(() => abi.iface.getEvent(ethers.utils.EventFragment.from(e.replace(/^event /, "")).format())).not.toThrow();
      for (const f of Object.values(abi.functions)) expect(abi.iface.getFunction(ethers.utils.FunctionFragment.from(f.replace(/^function /, "")).format()).name).toBeTruthy();
      expect(Object.keys(abi.functions).length).toBeGreaterThan(0);
      if ("notes" in abi) expect(MAKER_NOTES[name as keyof typeof MAKER_NOTES]).toBe(abi.notes);
    }
  });

  it("hash to the event topics published for the mainnet contracts", () => {
    // topics as printed in public Go bindings generated from the verified mainnet ABIs
    const topic = (iface: ethers.utils.Interface, fragment: string) => iface.getEventTopic(ethers.utils.EventFragment.from(fragment.replace(/^event /, "")));
    expect(topic(CHAINLOG_IFACE, "RemoveAddress(bytes32 key)")).toBe("0x236084b20b5721ddf3e40ed45b570186612a08edec64abae6894b60f315c54bc");
    expect(topic(ESM_IFACE, ESM_EVENTS.DenyProxy)).toBe("0x74269424d52f84560e5738dd2769b61b0e04d5c87c87ca043a1e005e0722a678");
    expect(topic(MAKER_ABIS.FLASH.iface, FLASH_EVENTS.VatDaiFlashLoan)).toBe("0xbca56acc64a74a4c131755895cf7f72fc3f9e39af64241f7ad0f77e86f41ada9");
    expect(topic(MAKER_ABIS.L1_ESCROW.iface, L1_ESCROW_EVENTS.Approve)).toBe("0x6e11fb1b7f119e3f2fa29896ef5fdf8b8a2d0d4df6fe90ba8668e7d8b2ffa25e");
    expect(topic(CHAINLOG_IFACE, "UpdateAddress(bytes32 key, address addr)")).toBe("0xcf0ecd10d1399d98978051da48095f368d6f1fa3292d5fc09135b92aa2a4d733");
    expect(topic(MAKER_ABIS.DOG.iface, MAKER_ABIS.DOG.events.Bark)).toBe("0x85258d09e1e4ef299ff3fc11e74af99563f022d21f3f940db982229dc2a3358c");
    expect(topic(MAKER_ABIS.CLIP.iface, MAKER_ABIS.CLIP.events.Take)).toBe("0x05e309fd6ce72f2ab888a20056bb4210df08daed86f21f95053deb19964d86b1");
    expect(topic(MAKER_ABIS.SPOT.iface, MAKER_ABIS.SPOT.events.Poke)).toBe("0xdfd7467e425a8107cfd368d159957692c25085aacbcf5228ce08f10f2146486e");
    expect(topic(MAKER_ABIS.OSM.iface, MAKER_ABIS.OSM.events.LogValue)).toBe("0x296ba4ca62c6c21c95e828080cb8aec7481b71390585605300a8a76f9e95b527");
  });

  it("work as forta-agent filterLog fragments (txEvent.filterLog(ESM_EVENTS.Join, esm))", () => {
    const esm = "0x09e05ff6142f2f9de8b6b65855a1d56b6cfe4c58";
    const usr = "0x00000000000000000000000000000000000000aa";
    const join = ESM_IFACE.encodeEventLog(ESM_IFACE.getEvent("Join"), [usr, ethers.utils.parseEther("3")]);
    const logs = [
      { address: esm, ...join, logIndex: 0, blockNumber: 1, blockHash: "0x", transactionIndex: 0, transactionHash: "0x", removed: false },
      { address: "0x0000000000000000000000000000000000000001", ...join, logIndex: 1, blockNumber: 1, blockHash: "0x", transactionIndex: 0, transactionHash: "0x", removed: false },
    ];
    const found = filterLog(logs, ESM_EVENTS.Join, esm);
    expect(found).toHaveLength(1);
    expect(found[0]!.args.wad.toString()).toBe(ethers.utils.parseEther("3").toString());

    const txEvent = createTransactionEvent({ transaction: {} as never, block: {} as never, logs } as never);
    expect(txEvent.filterLog(ESM_EVENTS.Join, esm)).toHaveLength(1);
  });
});

describe("bytes32 names", () => {
  it("round-trip ilk ids and file keys", () => {
    expect(toBytes32("ETH-A")).toBe(`0x4554482d41${"0".repeat(54)}`);
    expect(fromBytes32(toBytes32("ETH-A"))).toBe("ETH-A");
    expect(ilkName(toBytes32("Line"))).toBe("Line");
    const longest = "X".repeat(32);
    expect(fromBytes32(toBytes32(longest))).toBe(longest);
  });

  it("show words that are not names as hex, and say null when asked strictly", () => {
    const hash = ethers.utils.id("not a name");
    expect(fromBytes32(hash)).toBe(hash);
    expect(tryFromBytes32(hash)).toBeNull();
    // printable text followed by a non-zero byte after the padding is not a name
    const odd = `0x41${"00".repeat(30)}42`;
    expect(tryFromBytes32(odd)).toBeNull();
    expect(tryFromBytes32(`0x${"0".repeat(64)}`)).toBeNull();
  });

  it("reject what cannot be a bytes32 name, with the reason", () => {
    expect(() => toBytes32("X".repeat(33))).toThrow(/at most 32/);
    expect(() => toBytes32("ETH-Ä")).toThrow(/ASCII/);
    expect(() => toBytes32("")).toThrow(Bytes32Error);
    expect(() => fromBytes32("0x1234")).toThrow(/32-byte hex word/);
  });
});

describe("oracle storage words", () => {
  it("split an OSM feed into value and has-flag", () => {
    const val = 2500n * 10n ** 18n;
    const word = `0x${((1n << 128n) | val).toString(16).padStart(64, "0")}`;
    expect(decodeOsmFeed(word)).toEqual({ val, has: true });
    expect(decodeOsmFeed(`0x${val.toString(16).padStart(64, "0")}`)).toEqual({ val, has: false });
    expect(OSM_SLOTS.nxt).toBe(4);
  });

  it("split the OSM's packed src/hop/zzz slot and the Median's val/age slot", () => {
    const src = 0x64de91f5a373cd4c28de3600cb34c7c6ce410c85n;
    const word = `0x${((1_700_000_000n << 176n) | (3600n << 160n) | src).toString(16).padStart(64, "0")}`;
    expect(decodeOsmSrcHopZzz(word)).toEqual({ src: "0x64de91f5a373cd4c28de3600cb34c7c6ce410c85", hop: 3600, zzz: 1_700_000_000 });
    const median = `0x${((1_700_000_123n << 128n) | 1999n * 10n ** 18n).toString(16).padStart(64, "0")}`;
    expect(decodeMedianValAge(median)).toEqual({ val: 1999n * 10n ** 18n, age: 1_700_000_123 });
    expect(() => decodeOsmFeed("nope")).toThrow(/storage word/);
  });
});
