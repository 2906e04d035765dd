/**
 * LogNote decoders against logs built byte for byte as the mainnet contracts emit them:
 * - dss LibNote: log4(mark, 288, sig, caller, calldataload(4), calldataload(36)) with the memory
 *   at mark = 0x20 | 224 | calldata[0:224] (zero-padded past the end of calldata);
 * - the Vat's note: the same data, topics sig, calldataload(4), calldataload(36), calldataload(68);
 * - ds-note: emit LogNote(msg.sig, msg.sender, foo, bar, msg.value, msg.data).
 */
import { ethers } from "forta-agent";
import {
  DS_CHIEF_IFACE,
  DS_CHIEF_NOTES,
  MEDIAN_IFACE,
  MEDIAN_NOTES,
  NoteDecodeError,
  OSM_IFACE,
  OSM_NOTES,
  PAUSE_IFACE,
  PAUSE_NOTES,
  SPOT_IFACE,
  VAT_IFACE,
  VAT_NOTES,
  decodeDsNote,
  decodeLibNote,
  decodeNote,
  decodeVatNote,
  fileChangeOf,
  fileSets,
  filterNotes,
  noteSelector,
  noteTopic,
  pausePlanHash,
  toBytes32,
  type LogLike,
} from "./index";

const OSM = "0x81fe72b5a8d1a857d176c3e7d5bd2679a9b85763";
const VAT = "0x35d1b3f3d7966a1dfe207aa4514c12a259a0492b";
const PAUSE = "0xbe286431454714f511008713973d3b053a2d38f3";
const CALLER = "0x1234567890abcdef1234567890abcdef12345678";
const PROXY = "0xbe8e3e3618f7474f8cb1d074a26affef007e98fb";

const word = (hex: string) => ethers.utils.hexZeroPad(hex, 32).toLowerCase();
/** calldataload(offset): 32 bytes of calldata from `offset`, zero-padded past its end */
const calldataload = (calldata: string, offset: number) => `0x${calldata.slice(2 + offset * 2, 2 + offset * 2 + 64).padEnd(64, "0")}`;
const selectorTopic = (calldata: string) => calldata.slice(0, 10).padEnd(66, "0");

/** The 288 bytes the dss note modifiers log: 0x20, 224, then calldata[0:224]. */
function dssNoteData(calldata: string): string {
  const window = calldata.slice(2, 2 + 448).padEnd(448, "0");
  return `0x${(32).toString(16).padStart(64, "0")}${(224).toString(16).padStart(64, "0")}${window}`;
}

function libNoteLog(address: string, caller: string, calldata: string): LogLike {
  return {
    address,
    topics: [selectorTopic(calldata), word(caller), calldataload(calldata, 4), calldataload(calldata, 36)],
    data: dssNoteData(calldata),
  };
}

function vatNoteLog(calldata: string): LogLike {
  return {
    address: VAT,
    topics: [selectorTopic(calldata), calldataload(calldata, 4), calldataload(calldata, 36), calldataload(calldata, 68)],
    data: dssNoteData(calldata),
  };
}

function dsNoteLog(address: string, caller: string, calldata: string, value = 0): LogLike {
  return {
    address,
    topics: [selectorTopic(calldata), word(caller), calldataload(calldata, 4), calldataload(calldata, 36)],
    data: ethers.utils.defaultAbiCoder.encode(["uint256", "bytes"], [value, calldata]),
  };
}

const RAY = 10n ** 27n;
const RAD = 10n ** 45n;

describe("selectors", () => {
  it("match the selectors seen on mainnet LogNotes", () => {
    expect(noteSelector("rely(address)")).toBe("0x65fae35e");
    expect(noteSelector("deny(address)")).toBe("0x9c52a7f1");
    expect(noteSelector("function file(bytes32 what, uint256 data)")).toBe("0x29ae8114");
    expect(noteTopic("file(bytes32,bytes32,uint256)")).toBe(`0x1a0b287e${"0".repeat(56)}`);
    expect(noteSelector("poke()")).toBe("0x18178358");
  });

  it("reject text that is not a function signature, saying how to write one", () => {
    expect(() => noteSelector("file(bytes32")).toThrow(/write it like "file\(bytes32,uint256\)"/);
  });
});

describe("dss LibNote (OSM, Spotter, Median, ...)", () => {
  it("decodes OSM.rely: caller from topics[1], argument from calldata", () => {
    const usr = "0x00000000000000000000000000000000000000aa";
    const note = decodeLibNote(libNoteLog(OSM, CALLER, OSM_IFACE.encodeFunctionData("rely", [usr])), OSM_IFACE);
    expect(note).toMatchObject({ layout: "libnote", address: OSM, name: "rely", signature: "rely(address)", selector: "0x65fae35e", caller: CALLER, argsError: null, calldataIsExact: false, value: null });
    expect(note!.args!.usr).toBe(ethers.utils.getAddress(usr));
    expect(note!.rawArgs).toEqual([word(usr), word("0x00")]);
  });

  it("decodes OSM.poke (no arguments) and Spotter.file(ilk, 'mat', ray) into a file change", () => {
    expect(decodeNote(libNoteLog(OSM, CALLER, OSM_IFACE.encodeFunctionData("poke", [])), OSM_NOTES)?.name).toBe("poke");

    const spot = "0x65c79fcb50ca1594b025960e539ed7a9a6d434a3";
    const calldata = SPOT_IFACE.encodeFunctionData("file(bytes32,bytes32,uint256)", [toBytes32("ETH-A"), toBytes32("mat"), 145n * 10n ** 25n]);
    const note = decodeLibNote(libNoteLog(spot, PROXY, calldata), SPOT_IFACE)!;
    expect(note.signature).toBe("file(bytes32,bytes32,uint256)");
    expect(note.caller).toBe(PROXY);
    expect(fileChangeOf(note)).toEqual({ ilk: "ETH-A", what: "mat", value: (145n * 10n ** 25n).toString(), valueType: "uint256" });
  });

  it("decodes Median.lift with 4 feeds, but not with 6: a LibNote keeps only 224 bytes of calldata", () => {
    const feeds = (n: number) => Array.from({ length: n }, (_, i) => ethers.utils.getAddress(`0x${(i + 1).toString(16).padStart(2, "0").repeat(20)}`));
    const median = "0x64de91f5a373cd4c28de3600cb34c7c6ce410c85";

    const four = decodeNote(libNoteLog(median, PROXY, MEDIAN_IFACE.encodeFunctionData("lift", [feeds(4)])), MEDIAN_NOTES)!;
    expect(four.args!.a).toEqual(feeds(4));

    const six = decodeNote(libNoteLog(median, PROXY, MEDIAN_IFACE.encodeFunctionData("lift", [feeds(6)])), MEDIAN_NOTES)!;
    expect(six.name).toBe("lift");
    expect(six.caller).toBe(PROXY);
    expect(six.args).toBeNull();
    expect(six.argsError).toMatch(/224 bytes/);
    // what the topics still tell: the array's offset (0x20) and its length (6)
    expect(six.rawArgs).toEqual([word("0x20"), word("0x06")]);
  });

  it("returns null for logs that are not notes of the interface's functions", () => {
    const notNote = libNoteLog(OSM, CALLER, OSM_IFACE.encodeFunctionData("rely", [CALLER]));
    // unknown selector
    expect(decodeLibNote({ ...notNote, topics: [`0xdeadbeef${"0".repeat(56)}`, ...notNote.topics.slice(1)] }, OSM_IFACE)).toBeNull();
    // a named event (topic 0 is a full hash) with four topics
    expect(decodeLibNote({ ...notNote, topics: [ethers.utils.id("Bark(bytes32,address,uint256,uint256,uint256,address,uint256)"), ...notNote.topics.slice(1)] }, OSM_IFACE)).toBeNull();
    // LogValue (one topic)
    const logValue = OSM_IFACE.encodeEventLog(OSM_IFACE.getEvent("LogValue"), [word("0x01")]);
    expect(decodeLibNote({ address: OSM, ...logValue }, OSM_IFACE)).toBeNull();
  });
});

describe("the Vat's own note", () => {
  it("decodes Vat.file(ilk, 'line', rad): three argument words in the topics, no caller", () => {
    const calldata = VAT_IFACE.encodeFunctionData("file(bytes32,bytes32,uint256)", [toBytes32("ETH-A"), toBytes32("line"), 15_000_000_000n * RAD]);
    const note = decodeVatNote(vatNoteLog(calldata), VAT_IFACE)!;
    expect(note).toMatchObject({ layout: "vat", name: "file", caller: null });
    expect(note.rawArgs).toEqual([toBytes32("ETH-A"), toBytes32("line"), word(ethers.BigNumber.from(15_000_000_000n * RAD).toHexString())]);
    expect(fileChangeOf(note)).toMatchObject({ ilk: "ETH-A", what: "line", value: (15_000_000_000n * RAD).toString() });
  });

  it("tells which parameter a file note sets without decoding its arguments (fileSets), as fileChangeOf would", () => {
    const ilkLine = decodeVatNote(vatNoteLog(VAT_IFACE.encodeFunctionData("file(bytes32,bytes32,uint256)", [toBytes32("ETH-A"), toBytes32("line"), 1n])), VAT_IFACE)!;
    const spot = decodeVatNote(vatNoteLog(VAT_IFACE.encodeFunctionData("file(bytes32,bytes32,uint256)", [toBytes32("line"), toBytes32("spot"), 1n])), VAT_IFACE)!;
    const global = decodeVatNote(vatNoteLog(VAT_IFACE.encodeFunctionData("file(bytes32,uint256)", [toBytes32("Line"), 1n])), VAT_IFACE)!;
    const frob = decodeVatNote(vatNoteLog(VAT_IFACE.encodeFunctionData("frob", [toBytes32("ETH-A"), VAT, VAT, VAT, 1n, 1n])), VAT_IFACE)!;
    expect([fileSets(ilkLine, "line"), fileSets(ilkLine, "Line"), fileSets(ilkLine, "ETH-A")]).toEqual([true, false, false]);
    expect([fileSets(spot, "spot"), fileSets(spot, "line")]).toEqual([true, false]); // the ilk named "line" is not the parameter
    expect([fileSets(global, "Line"), fileSets(global, "line")]).toEqual([true, false]);
    expect(fileSets(frob, "line")).toBe(false);
    for (const n of [ilkLine, spot, global]) expect(fileSets(n, fileChangeOf(n)!.what)).toBe(true);
  });

  it("decodes Vat.frob with a negative dink (six arguments fit in the 224-byte window)", () => {
    const calldata = VAT_IFACE.encodeFunctionData("frob", [toBytes32("ETH-A"), CALLER, CALLER, CALLER, -5n * 10n ** 18n, 1000n * 10n ** 18n]);
    const note = decodeNote(vatNoteLog(calldata), VAT_NOTES)!;
    expect(note.args!.dink.toString()).toBe((-5n * 10n ** 18n).toString());
    expect(note.args!.dart.toString()).toBe((1000n * 10n ** 18n).toString());
  });

  it("refuses a Vat note read as LibNote, naming the layout mix-up", () => {
    const log = vatNoteLog(VAT_IFACE.encodeFunctionData("file(bytes32,bytes32,uint256)", [toBytes32("ETH-A"), toBytes32("dust"), 7500n * RAD]));
    expect(() => decodeLibNote(log, VAT_IFACE)).toThrow(NoteDecodeError);
    expect(() => decodeLibNote(log, VAT_IFACE)).toThrow(/decodeVatNote/);
  });
});

describe("ds-note (DSPause, DSChief)", () => {
  it("decodes Pause.plot fully: ds-note carries the whole calldata, however long", () => {
    const usr = "0x00000000000000000000000000000000000000c1";
    const tag = ethers.utils.id("codehash");
    const fax = `0x61461954${"ab".repeat(300)}`; // longer than any LibNote window
    const eta = 1_700_000_000;
    const calldata = PAUSE_IFACE.encodeFunctionData("plot", [usr, tag, fax, eta]);
    const chief = "0x929d9a1435662357f54adcf64dcee4d6b867a6f9";
    const note = decodeDsNote(dsNoteLog(PAUSE, chief, calldata), PAUSE_IFACE)!;
    expect(note).toMatchObject({ layout: "dsnote", name: "plot", caller: chief, calldataIsExact: true, value: "0", argsError: null });
    expect(note.args!.fax).toBe(fax);
    expect(note.args!.eta.toNumber()).toBe(eta);
    expect(note.rawArgs).toEqual([word(usr), tag]);
    // the plan the note scheduled can be looked up in `plans(hash)`
    expect(pausePlanHash(note.args!.usr, note.args!.tag, note.args!.fax, note.args!.eta)).toBe(pausePlanHash(usr, tag, fax, eta));
    expect(filterNotes([dsNoteLog(PAUSE, chief, calldata)], PAUSE_NOTES, PAUSE)).toHaveLength(1);
  });

  it("decodes DSChief.vote(address[]), whose internal etch/vote(bytes32) notes carry the outer selector", () => {
    const yays = [ethers.utils.getAddress(`0x${"11".repeat(20)}`)];
    const note = decodeNote(dsNoteLog("0x0a3f6849f78076aefadf113f5bed87720274ddc0", CALLER, DS_CHIEF_IFACE.encodeFunctionData("vote(address[])", [yays])), DS_CHIEF_NOTES)!;
    expect(note.signature).toBe("vote(address[])");
    expect(note.args!.yays).toEqual(yays);
  });

  it("reports msg.value sent with the call", () => {
    const calldata = PAUSE_IFACE.encodeFunctionData("setDelay", [172800]);
    expect(decodeDsNote(dsNoteLog(PAUSE, PROXY, calldata, 7), PAUSE_IFACE)?.value).toBe("7");
  });
});

describe("ds-note from solc 0.4.x builds (MKR, the 2019 chief, old DSValue PIPs): fax unpadded", () => {
  const CHIEF = "0x9ef05f7f6deb616fd37ac3c959a2ddd25a54e4f5";
  /** What solc 0.4.x writes: wad | 0x40 | length | fax, with no padding after fax. */
  const unpadded = (log: LogLike, calldata: string): LogLike => ({ ...log, data: log.data.slice(0, 2 + 3 * 64) + calldata.slice(2) });

  it("decodes a lock(uint256) note of 132 bytes (a strict ABI decoder wants 160) like the padded one", () => {
    const calldata = DS_CHIEF_IFACE.encodeFunctionData("lock", [ethers.utils.parseEther("50000")]);
    const padded = dsNoteLog(CHIEF, CALLER, calldata);
    const short = unpadded(padded, calldata);
    expect((short.data.length - 2) / 2).toBe(132);
    expect(() => ethers.utils.defaultAbiCoder.decode(["uint256", "bytes"], short.data)).toThrow(); // what broke before
    const a = decodeNote(short, DS_CHIEF_NOTES)!;
    const b = decodeNote(padded, DS_CHIEF_NOTES)!;
    expect(a.signature).toBe("lock(uint256)");
    expect(a.caller).toBe(CALLER);
    expect(a.calldata).toBe(calldata);
    expect(a.args!.wad.toString()).toBe(ethers.utils.parseEther("50000").toString());
    expect({ ...a, fragment: null, args: null }).toEqual({ ...b, fragment: null, args: null });
  });

  it("decodes unpadded notes of every length: lift(address), vote(address[]), Pause.plot with a spell's fax", () => {
    const yays = ["0x0000000000000000000000000000000000000001", "0x00000000000000000000000000000000000000f2"];
    const plotFax = PAUSE_IFACE.encodeFunctionData("plot", [CALLER, `0x${"ab".repeat(32)}`, "0x61461954", 1_700_000_000]);
    for (const [iface, calldata, addr] of [
      [DS_CHIEF_IFACE, DS_CHIEF_IFACE.encodeFunctionData("lift", [CALLER]), CHIEF],
      [DS_CHIEF_IFACE, DS_CHIEF_IFACE.encodeFunctionData("vote(address[])", [yays]), CHIEF],
      [DS_CHIEF_IFACE, DS_CHIEF_IFACE.encodeFunctionData("launch", []), CHIEF],
      [PAUSE_IFACE, plotFax, PAUSE],
    ] as const) {
      const note = decodeDsNote(unpadded(dsNoteLog(addr, CALLER, calldata), calldata), iface)!;
      expect(note.calldata).toBe(calldata);
      expect(note.argsError).toBeNull();
    }
  });

  it("still refuses data that is neither layout: a length past the end, non-zero bytes after fax, extra words", () => {
    const calldata = DS_CHIEF_IFACE.encodeFunctionData("lock", [1]);
    const log = dsNoteLog(CHIEF, CALLER, calldata);
    const cut = { ...log, data: log.data.slice(0, 2 + 3 * 64 + 30 * 2) };
    const dirty = { ...log, data: log.data.slice(0, -2) + "01" };
    const extra = { ...log, data: log.data + "00".repeat(32) };
    for (const bad of [cut, dirty, extra]) expect(() => decodeNote(bad, DS_CHIEF_NOTES)).toThrow(/padded or not/);
  });
});

describe("malformed input: a clear NoteDecodeError, never a crash", () => {
  const good = () => libNoteLog(OSM, CALLER, OSM_IFACE.encodeFunctionData("stop", []));

  it.each([
    ["null", null],
    ["no topics", { address: OSM, data: "0x" }],
    ["a topic that is not a 32-byte word", { ...good(), topics: ["0x1234", ...good().topics.slice(1)] }],
    ["odd-length data", { ...good(), data: "0x123" }],
    ["a bad address", { ...good(), address: "0x12" }],
  ])("%s", (_what, log) => {
    expect(() => decodeLibNote(log as unknown as LogLike, OSM_IFACE)).toThrow(NoteDecodeError);
  });

  it("data that is not the ABI bytes a LibNote carries (truncated log data)", () => {
    const log = good();
    expect(() => decodeLibNote({ ...log, data: log.data.slice(0, 2 + 64 * 2) }, OSM_IFACE)).toThrow(/data is not the bytes a libnote LogNote carries/);
  });

  it("a caller topic that is not an address", () => {
    const log = good();
    expect(() => decodeLibNote({ ...log, topics: [log.topics[0]!, `0x${"ff".repeat(32)}`, log.topics[2]!, log.topics[3]!] }, OSM_IFACE)).toThrow(/caller/);
  });
});

describe("filterNotes", () => {
  it("keeps the notes of the given contracts and functions only", () => {
    const other = "0x0000000000000000000000000000000000000abc";
    const logs = [
      libNoteLog(OSM, CALLER, OSM_IFACE.encodeFunctionData("rely", [CALLER])),
      libNoteLog(OSM, CALLER, OSM_IFACE.encodeFunctionData("poke", [])),
      libNoteLog(other, CALLER, OSM_IFACE.encodeFunctionData("deny", [CALLER])),
      { address: OSM, ...OSM_IFACE.encodeEventLog(OSM_IFACE.getEvent("LogValue"), [word("0x01")]) },
    ];
    expect(filterNotes(logs, OSM_NOTES).map((n) => n.name)).toEqual(["rely", "poke", "deny"]);
    expect(filterNotes(logs, OSM_NOTES, OSM.toUpperCase().replace("0X", "0x")).map((n) => n.name)).toEqual(["rely", "poke"]);
    expect(filterNotes(logs, OSM_NOTES, [OSM, other], ["rely", "deny(address)"]).map((n) => n.name)).toEqual(["rely", "deny"]);
  });
});
