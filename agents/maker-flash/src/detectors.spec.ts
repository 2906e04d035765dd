import { ethers } from "forta-agent";
import { CLIP_IFACE, DS_CHIEF_IFACE, ESM_IFACE, MEDIAN_IFACE, OSM_IFACE, PAUSE_IFACE, SPOT_IFACE } from "../../../shared/abi";
import { dec } from "../../../shared/math";
import { classifyActions, loanDai, loanLevel, type Watched } from "./detectors";

const WAD = 10n ** 18n;
const RAY = 10n ** 27n;
const coder = ethers.utils.defaultAbiCoder;
const word = (a: string) => ethers.utils.hexZeroPad(a, 32).toLowerCase();
const addr = (n: number) => ethers.utils.getAddress(`0x${n.toString(16).padStart(40, "0")}`).toLowerCase();

const PAUSE = addr(0x1001);
const CHIEF = addr(0x1002);
const ESM = addr(0x1003);
const SPOT = addr(0x1004);
const OSM = addr(0x1005);
const DSVALUE = addr(0x1006);
const MEDIAN = addr(0x1007);
const CLIP = addr(0x1008);
const PSM = addr(0x1009);
const STRANGER = addr(0x2000);
const CALLER = addr(0xbeef);

const watched: Watched = {
  pause: new Set([PAUSE]),
  chiefs: new Map([[CHIEF, "MCD_ADM"]]),
  esm: new Set([ESM]),
  spot: new Set([SPOT]),
  pips: new Map([
    [OSM, "PIP_ETH"],
    [DSVALUE, "PIP_USDC"],
  ]),
  medians: new Map([[MEDIAN, "PIP_ETH"]]),
  clippers: new Map([[CLIP, "MCD_CLIP_ETH_A"]]),
  psms: new Map([[PSM, "MCD_PSM_USDC_A"]]),
};

let logIndex = 0;
/** A ds-note LogNote (DSPause, DSChief, DSValue): topics sig, caller, arg1, arg2; data (wad, whole calldata). */
function dsNote(address: string, iface: ethers.utils.Interface, fn: string, args: unknown[]) {
  const calldata = iface.encodeFunctionData(fn, args);
  const argWord = (i: number) => `0x${calldata.slice(10 + 64 * i, 10 + 64 * (i + 1)).padEnd(64, "0")}`;
  return {
    address,
    topics: [calldata.slice(0, 10).padEnd(66, "0"), word(CALLER), argWord(0), argWord(1)],
    data: coder.encode(["uint256", "bytes"], [0, calldata]),
    logIndex: logIndex++,
  };
}
/** A dss LibNote: topics sig, caller, arg1, arg2; data = 224 bytes of calldata. */
function libNote(address: string, iface: ethers.utils.Interface, fn: string, args: unknown[]) {
  const calldata = iface.encodeFunctionData(fn, args);
  const window = `0x${calldata.slice(2).padEnd(448, "0").slice(0, 448)}`;
  const argWord = (i: number) => `0x${calldata.slice(10 + 64 * i, 10 + 64 * (i + 1)).padEnd(64, "0")}`;
  return {
    address,
    topics: [calldata.slice(0, 10).padEnd(66, "0"), word(CALLER), argWord(0), argWord(1)],
    data: coder.encode(["bytes"], [window]),
    logIndex: logIndex++,
  };
}
function event(address: string, iface: ethers.utils.Interface, name: string, args: unknown[]) {
  const { topics, data } = iface.encodeEventLog(iface.getEvent(name), args);
  return { address, topics, data, logIndex: logIndex++ };
}

describe("maker-flash loan sizes", () => {
  it("classes flash mints exactly at the thresholds", () => {
    const info = dec("10000000");
    const low = dec("100000000");
    expect(loanLevel(loanDai("FlashLoan", 10_000_000n * WAD - 1n), info, low)).toBeNull();
    expect(loanLevel(loanDai("FlashLoan", 10_000_000n * WAD), info, low)).toBe("info");
    expect(loanLevel(loanDai("FlashLoan", 100_000_000n * WAD - 1n), info, low)).toBe("info");
    expect(loanLevel(loanDai("FlashLoan", 100_000_000n * WAD), info, low)).toBe("low");
  });

  it("reads VatDaiFlashLoan amounts as rad (internal dai)", () => {
    expect(loanDai("VatDaiFlashLoan", 5n * WAD * RAY).toFixed()).toBe("5");
    expect(loanLevel(loanDai("VatDaiFlashLoan", 10_000_000n * WAD * RAY - 1n), dec("10000000"), dec("100000000"))).toBeNull();
  });
});

describe("maker-flash classifyActions", () => {
  it("names governance actions of the pause (plot, exec, setOwner) and of a ds-note chief (lift, vote)", () => {
    const fax = "0x61461954";
    const logs = [
      dsNote(PAUSE, PAUSE_IFACE, "plot", [STRANGER, ethers.constants.HashZero, fax, 1234]),
      dsNote(PAUSE, PAUSE_IFACE, "exec", [STRANGER, ethers.constants.HashZero, fax, 1234]),
      event(PAUSE, PAUSE_IFACE, "LogSetOwner", [STRANGER]),
      dsNote(CHIEF, DS_CHIEF_IFACE, "lift", [STRANGER]),
      dsNote(CHIEF, DS_CHIEF_IFACE, "vote(address[])", [[STRANGER]]),
    ];
    const { actions, undecodable } = classifyActions(logs, watched);
    expect(undecodable).toEqual([]);
    expect(actions.map((a) => `${a.kind} ${a.contract} ${a.what}`)).toEqual([
      expect.stringMatching(/^governance MCD_PAUSE DSPause\.plot\(0x000000…2000, .*, 4 bytes, 1234\)$/),
      expect.stringMatching(/^governance MCD_PAUSE DSPause\.exec\(/),
      "governance MCD_PAUSE DSPause.setOwner(0x000000…2000)",
      "governance MCD_ADM DSChief.lift(0x000000…2000)",
      "governance MCD_ADM DSChief.vote([0x000000…2000])",
    ]);
  });

  it("ignores the same notes and events from contracts it does not watch", () => {
    const logs = [dsNote(STRANGER, DS_CHIEF_IFACE, "lift", [CALLER]), event(STRANGER, ESM_IFACE, "Join", [CALLER, WAD])];
    expect(classifyActions(logs, watched)).toEqual({ actions: [], undecodable: [], medianCandidates: [] });
  });

  it("names oracle actions: OSM poke (LibNote + LogValue), DSValue void (ds-note), Median price, Spotter file and poke", () => {
    const logs = [
      libNote(OSM, OSM_IFACE, "poke", []),
      event(OSM, OSM_IFACE, "LogValue", [word("0x6c6b935b8bbd400000")]),
      dsNote(DSVALUE, new ethers.utils.Interface(["function void()"]), "void", []),
      event(MEDIAN, MEDIAN_IFACE, "LogMedianPrice", [2000n * WAD, 1700000000]),
      libNote(SPOT, SPOT_IFACE, "file(bytes32,bytes32,uint256)", [ethers.utils.formatBytes32String("ETH-A"), ethers.utils.formatBytes32String("mat"), 15n * 10n ** 26n]),
      event(SPOT, SPOT_IFACE, "Poke", [ethers.utils.formatBytes32String("ETH-A"), word("0x01"), 1n]),
    ];
    const { actions, undecodable } = classifyActions(logs, watched);
    expect(undecodable).toEqual([]);
    // one poke logs LogValue and its note: one action, named once with the new value (issue 8.7)
    expect(actions.map((a) => `${a.kind} ${a.contract} ${a.what}`)).toEqual([
      "oracle PIP_ETH OSM.poke(): new value 2000",
      "oracle PIP_USDC DSValue.void()",
      "oracle median of PIP_ETH Median.poke(): median price 2000",
      "oracle MCD_SPOT Spotter.file(ETH-A, mat, 1500000000000000000000000000)",
      "oracle MCD_SPOT Spotter.poke(ETH-A)",
    ]);
  });

  it("names a Clipper take and ESM joins", () => {
    const logs = [
      event(CLIP, CLIP_IFACE, "Take", [7, 3n * RAY, 1500n * RAY, 4500n * WAD * RAY, 0, 0, STRANGER]),
      event(ESM, ESM_IFACE, "Join", [STRANGER, 3n * WAD]),
    ];
    expect(classifyActions(logs, watched).actions.map((a) => `${a.kind} ${a.what}`)).toEqual([
      "liquidation MCD_CLIP_ETH_A.take(auction 7: owe 4500.00 DAI, price 1500.00, lot left 0)",
      "esm ESM.join(3 tokens by 0x000000…2000)",
    ]);
  });

  it("names the SKY chief's Lock(uint256) and Vote(bytes32), which do not log the caller, as governance", () => {
    const sky = new ethers.utils.Interface(["event Lock(uint256 wad)", "event Vote(bytes32 indexed slate)"]);
    const logs = [event(CHIEF, sky, "Lock", [5n * WAD]), event(CHIEF, sky, "Vote", [word("0x01")])];
    const { actions, undecodable } = classifyActions(logs, watched);
    expect(undecodable).toEqual([]);
    expect(actions.map((a) => `${a.kind} ${a.what}`)).toEqual(["governance Chief.lock(5)", "governance Chief.vote(slate 0x00000000…)"]);
  });

  it("names a PSM's BuyGem (gems out of the reserve) with its raw amount, not its SellGem, and no Vat frob", () => {
    const psmIface = new ethers.utils.Interface(["event BuyGem(address indexed owner, uint256 value, uint256 fee)", "event SellGem(address indexed owner, uint256 value, uint256 fee)"]);
    const logs = [event(PSM, psmIface, "BuyGem", [STRANGER, 12_000_000n * 10n ** 6n, 0]), event(PSM, psmIface, "SellGem", [STRANGER, 12_000_000n * 10n ** 6n, 0])];
    const { actions } = classifyActions(logs, watched);
    expect(actions.map((a) => [a.kind, a.contract, a.gemRaw])).toEqual([["psm", "MCD_PSM_USDC_A", (12_000_000n * 10n ** 6n).toString()]]);
  });

  it("reports a malformed note from a watched contract as undecodable instead of dropping it", () => {
    const good = dsNote(CHIEF, DS_CHIEF_IFACE, "lift", [STRANGER]);
    const bad = { ...good, topics: [good.topics[0]!, good.topics[1]!, word("0x1234"), good.topics[3]!], logIndex: 99 };
    const { actions, undecodable } = classifyActions([bad], watched);
    expect(actions).toEqual([]);
    expect(undecodable).toEqual([expect.objectContaining({ address: CHIEF, logIndex: 99, signature: "LogNote (DSChief dsnote)" })]);
    expect(undecodable[0]!.error).toMatch(/topics\[2\] should repeat argument word 1/);
  });

  it("reports a named event with a watched topic that does not decode", () => {
    const take = event(CLIP, CLIP_IFACE, "Take", [7, 1, 1, 1, 0, 0, STRANGER]);
    const { undecodable } = classifyActions([{ ...take, data: "0x1234" }], watched);
    expect(undecodable).toEqual([expect.objectContaining({ address: CLIP, signature: "Take(uint256,uint256,uint256,uint256,uint256,uint256,address)" })]);
  });

  it("flags logs that look like a Median's from an address it does not know yet", () => {
    const logs = [event(STRANGER, MEDIAN_IFACE, "LogMedianPrice", [1n, 2n]), libNote(addr(0x3000), MEDIAN_IFACE, "setBar", [13])];
    const { actions, medianCandidates } = classifyActions(logs, watched);
    expect(actions).toEqual([]);
    expect(medianCandidates).toEqual([STRANGER, addr(0x3000)]);
  });
});
