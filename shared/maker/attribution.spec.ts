import { ethers } from "forta-agent";
import { KNOWN_MODULES, classifyChange, keepForAttribution, moduleOf, withinRole, type ExecNote, type ParamChangeSubject, type TxGovernance } from "./attribution";
import { AUTO_LINE_EXEC_TOPIC, callerAttributionFor, witnessOf, severityOf } from "./callers";
import { AddressBook } from "./chainlog";
import type { RpcClient } from "../rpc/client";
import { FindingSeverity } from "../findings";

const PAUSE = "0x00000000000000000000000000000000000000a1";
const PROXY = "0x00000000000000000000000000000000000000a2";
const SPELL = "0x00000000000000000000000000000000000000a3";
const VAT = "0x00000000000000000000000000000000000000b1";
const PIP = "0x00000000000000000000000000000000000000b2";
const CLIP = "0x00000000000000000000000000000000000000b3";
const AUTO_LINE = "0x00000000000000000000000000000000000000c1";
const OSM_MOM = "0x00000000000000000000000000000000000000c2";
const CLIPPER_MOM = "0x00000000000000000000000000000000000000c3";
const KEEPER = "0x00000000000000000000000000000000000000e0";
const ATTACKER = "0x0000000000000000000000000000000000000bad";

const BOOK: Record<string, string[]> = {
  [VAT]: ["MCD_VAT"],
  [PIP]: ["PIP_ETH"],
  [CLIP]: ["MCD_CLIP_ETH_A"],
  [AUTO_LINE]: ["MCD_IAM_AUTO_LINE"],
  [OSM_MOM]: ["OSM_MOM"],
  [CLIPPER_MOM]: ["CLIPPER_MOM"],
  [PAUSE]: ["MCD_PAUSE"],
  [PROXY]: ["MCD_PAUSE_PROXY"],
};
const keysOf = (a: string) => BOOK[a.toLowerCase()] ?? [];
const exec = (logIndex: number, caller: string, trusted: boolean): ExecNote => ({ logIndex, caller, planHash: `0xplan${logIndex}`, usr: "0xaction", trusted });
const gov = (o: Partial<TxGovernance>): TxGovernance => ({ from: KEEPER, to: SPELL, pause: PAUSE, proxy: PROXY, execs: [], ...o });
const change = (o: Partial<ParamChangeSubject>): ParamChangeSubject => ({ contract: VAT, contractKeys: ["MCD_VAT"], param: "line", logIndex: 3, loggedCaller: null, ...o });

describe("who changed a parameter", () => {
  it("a spell executing through the pause is governance, tied to its plan", () => {
    const c = classifyChange({ change: change({}), gov: gov({ execs: [exec(5, SPELL, true)] }), keysOf });
    expect(c).toMatchObject({ callerClass: "governance", caller: PROXY, callerSource: "plan", planHash: "0xplan5" });
    const logged = classifyChange({ change: change({ contract: PIP, contractKeys: ["PIP_ETH"], param: "stop", loggedCaller: PROXY }), gov: gov({ execs: [exec(5, SPELL, true)] }), keysOf });
    expect(logged).toMatchObject({ callerClass: "governance", caller: PROXY, callerSource: "log" });
  });

  it("a ward calling the contract directly is an outsider, named exactly (the transaction's sender)", () => {
    const c = classifyChange({ change: change({}), gov: gov({ from: ATTACKER, to: VAT }), keysOf });
    expect(c).toMatchObject({ callerClass: "outsider", caller: ATTACKER, callerSource: "tx-from" });
    expect(severityOf(c, FindingSeverity.Info)).toBe(FindingSeverity.Critical);
  });

  it("a change whose caller is not logged, made under a contract, is attributed to the top-level contract (inferred)", () => {
    const c = classifyChange({ change: change({}), gov: gov({ from: KEEPER, to: ATTACKER }), keysOf });
    expect(c).toMatchObject({ callerClass: "outsider", caller: ATTACKER, callerSource: "tx-to" });
    expect(c.reason).toMatch(/inferred/);
  });

  it("an attacker executing someone's ripe plan around its own change does not pass as governance", () => {
    const c = classifyChange({ change: change({}), gov: gov({ from: KEEPER, to: ATTACKER, execs: [exec(5, ATTACKER, false)] }), keysOf });
    expect(c.callerClass).toBe("outsider");
  });

  it("a known module within its role is automation, at its effect's level; outside its role it is an outsider", () => {
    const mom = classifyChange({ change: change({ contract: PIP, contractKeys: ["PIP_ETH"], param: "stop", loggedCaller: OSM_MOM }), gov: gov({ to: SPELL }), keysOf });
    expect(mom).toMatchObject({ callerClass: "automation", caller: OSM_MOM, module: "OSM_MOM", callerSource: "log" });
    expect(severityOf(mom, FindingSeverity.High)).toBe(FindingSeverity.High);
    const keeper = classifyChange({ change: change({}), gov: gov({ from: KEEPER, to: AUTO_LINE }), keysOf });
    expect(keeper).toMatchObject({ callerClass: "automation", caller: AUTO_LINE, module: "MCD_IAM_AUTO_LINE", callerSource: "tx-to" });
    const outOfRole = classifyChange({ change: change({ contract: PIP, contractKeys: ["PIP_ETH"], param: "change", loggedCaller: OSM_MOM }), gov: gov({}), keysOf });
    expect(outOfRole).toMatchObject({ callerClass: "outsider", module: "OSM_MOM" });
    expect(outOfRole.reason).toMatch(/OUTSIDE its role/);
    const autoLineOnDog = classifyChange({ change: change({ contract: "0x00000000000000000000000000000000000000d0", contractKeys: ["MCD_DOG"], param: "Hole" }), gov: gov({ to: AUTO_LINE }), keysOf });
    expect(autoLineOnDog.callerClass).toBe("outsider");
  });

  it("the proxy acting with no plan execution is not governance", () => {
    const c = classifyChange({ change: change({ contract: PIP, contractKeys: ["PIP_ETH"], param: "stop", loggedCaller: PROXY }), gov: gov({}), keysOf });
    expect(c).toMatchObject({ callerClass: "outsider", caller: PROXY });
  });

  it("the module table names the mainnet modules and their roles", () => {
    expect(moduleOf(["MCD_IAM_AUTO_LINE"])?.key).toBe("MCD_IAM_AUTO_LINE");
    expect(moduleOf(["MCD_LITE_PSM_USDC_A"])?.key).toBe("MCD_LITE_PSM_USDC_A");
    expect(moduleOf(["MCD_VAT"])).toBeNull();
    const byKey = (k: string) => KNOWN_MODULES.find((m) => m.key.test(k))!;
    expect(withinRole(byKey("CLIPPER_MOM"), ["MCD_CLIP_ETH_A"], "stopped")).toBe(true);
    expect(withinRole(byKey("CLIPPER_MOM"), ["MCD_CLIP_CALC_ETH_A"], "stopped")).toBe(false);
    expect(withinRole(byKey("LITE_PSM_MOM"), ["MCD_LITE_PSM_USDC_A"], "tin")).toBe(true);
    expect(withinRole(byKey("LITE_PSM_MOM"), ["MCD_PSM_USDC_A"], "tin")).toBe(false);
    expect(withinRole(byKey("MCD_SPBEAM"), ["MCD_JUG"], "duty")).toBe(true);
    expect(withinRole(byKey("FLASH_KILLER"), ["MCD_FLASH"], "max")).toBe(true);
    expect(withinRole(byKey("MCD_LITE_PSM_USDC_A"), ["MCD_VAT"], "line")).toBe(false);
    expect(keepForAttribution(/^MCD_VAT$/).test("MCD_PAUSE_PROXY")).toBe(true);
    expect(keepForAttribution(/^MCD_VAT$/).test("OSM_MOM")).toBe(true);
    expect(keepForAttribution(/^MCD_VAT$/).test("PIP_ETH")).toBe(false);
  });
});

describe("a module's own event vouching for a change", () => {
  const w = (s: string) => ethers.utils.hexZeroPad(s, 32).toLowerCase();
  const sel = (sig: string) => ethers.utils.id(sig).slice(0, 10).padEnd(66, "0");
  const ILK = ethers.utils.formatBytes32String("ETH-A");
  const vatFileIlk = (logIndex: number, value: bigint) => ({ logIndex, address: VAT, topics: [sel("file(bytes32,bytes32,uint256)"), ILK, ethers.utils.formatBytes32String("line"), w(ethers.utils.hexlify(value))], data: "0x" });
  const vatFileLine = (logIndex: number) => ({ logIndex, address: VAT, topics: [sel("file(bytes32,uint256)"), ethers.utils.formatBytes32String("Line"), w("0x01"), w("0x00")], data: "0x" });
  const autoLineExec = (logIndex: number, lineNew: bigint) => ({
    logIndex,
    address: AUTO_LINE,
    topics: [AUTO_LINE_EXEC_TOPIC, ILK],
    data: ethers.utils.defaultAbiCoder.encode(["uint256", "uint256"], [1n, lineNew]),
  });

  it("the AutoLine's Exec vouches for exactly the two Vat notes its exec writes", () => {
    const logs = [vatFileIlk(10, 500n), vatFileLine(11), autoLineExec(12, 500n)];
    expect(witnessOf(logs, 10, VAT, keysOf)).toMatchObject({ module: AUTO_LINE });
    expect(witnessOf(logs, 11, VAT, keysOf)).toMatchObject({ module: AUTO_LINE });
  });

  it("an intruder's own file just before an AutoLine exec in the same transaction is not vouched for", () => {
    const logs = [vatFileIlk(9, 9999n), vatFileIlk(10, 500n), vatFileLine(11), autoLineExec(12, 500n)];
    expect(witnessOf(logs, 9, VAT, keysOf)).toBeNull();
    expect(witnessOf(logs, 10, VAT, keysOf)).not.toBeNull();
  });

  it("an Exec whose value differs from the note, or that is not the AutoLine's, vouches for nothing", () => {
    expect(witnessOf([vatFileIlk(10, 500n), vatFileLine(11), autoLineExec(12, 501n)], 10, VAT, keysOf)).toBeNull();
    const fake = { ...autoLineExec(12, 500n), address: ATTACKER };
    expect(witnessOf([vatFileIlk(10, 500n), vatFileLine(11), fake], 10, VAT, keysOf)).toBeNull();
  });

  it("LineMom's Wipe(ilk) right after the Vat note vouches for the wipe; an AutoLine Exec two logs later does not vouch for an intruder's note", () => {
    const LINE_MOM = "0x00000000000000000000000000000000000000c4";
    const keys = (a: string) => (a.toLowerCase() === LINE_MOM ? ["LINE_MOM"] : keysOf(a));
    const wipe = { logIndex: 11, address: LINE_MOM, topics: [ethers.utils.id("Wipe(bytes32,uint256)"), ILK], data: "0x" };
    expect(witnessOf([vatFileIlk(10, 0n), wipe], 10, VAT, keys)).toMatchObject({ module: LINE_MOM });
    expect(witnessOf([vatFileIlk(9, 9999n), vatFileIlk(10, 500n), vatFileLine(11), autoLineExec(12, 500n)], 9, VAT, keys)).toBeNull();
  });

  it("a MOM's event naming the changed contract right after the change vouches for it", () => {
    const clipFile = { logIndex: 4, address: CLIP, topics: [ethers.utils.id("File(bytes32,uint256)"), ethers.utils.formatBytes32String("stopped")], data: "0x" };
    const setBreaker = { logIndex: 5, address: CLIPPER_MOM, topics: [ethers.utils.id("SetBreaker(address,uint256)"), w(CLIP)], data: "0x" };
    expect(witnessOf([clipFile, setBreaker], 4, CLIP, keysOf)).toMatchObject({ module: CLIPPER_MOM });
    const other = { ...setBreaker, topics: [setBreaker.topics[0]!, w(PIP)] };
    expect(witnessOf([clipFile, other], 4, CLIP, keysOf)).toBeNull();
    expect(witnessOf([clipFile], 4, CLIP, keysOf)).toBeNull();
    // an intruder's own file just before a permissionless trip (whose own file then comes between) is not vouched for
    const momFile = { ...clipFile, logIndex: 5 };
    expect(witnessOf([clipFile, momFile, { ...setBreaker, logIndex: 6 }], 4, CLIP, keysOf)).toBeNull();
    expect(witnessOf([clipFile, momFile, { ...setBreaker, logIndex: 6 }], 5, CLIP, keysOf)).toMatchObject({ module: CLIPPER_MOM });
    // vouched classification
    const c = classifyChange({ change: change({ contract: CLIP, contractKeys: ["MCD_CLIP_ETH_A"], param: "stopped", logIndex: 4 }), gov: gov({ to: SPELL }), keysOf, witness: witnessOf([clipFile, setBreaker], 4, CLIP, keysOf) });
    expect(c).toMatchObject({ callerClass: "automation", module: "CLIPPER_MOM", callerSource: "module-event" });
  });
});

describe("a bot's address book saved before the attribution needed the pause and module keys", () => {
  it("is emptied with its keep pattern widened, so that initialize reads the ChainLog again", () => {
    const CHAINLOG = "0x00000000000000000000000000000000000000f1";
    const state = AddressBook.emptyState(CHAINLOG, { keep: /^MCD_VAT$/ });
    Object.assign(state, { block: 100, version: "1.0.0", entries: { MCD_VAT: VAT } });
    const book = AddressBook.attach(state, CHAINLOG);
    const persisted: Record<string, unknown> = {};
    const ctx = { rpc: {} as RpcClient, persistent: <T>(name: string, init: () => T) => (persisted[name] ??= init()) as T };
    callerAttributionFor(ctx, book, { spellDeployers: [], knownSpells: [] });
    expect(book.loaded).toBe(false);
    expect(new RegExp(state.keep!.source).test("MCD_PAUSE_PROXY")).toBe(true);
    expect(new RegExp(state.keep!.source).test("MCD_VAT")).toBe(true);
    // a book that already keeps them is left alone
    const fresh = AddressBook.emptyState(CHAINLOG, { keep: keepForAttribution(/^MCD_VAT$/) });
    Object.assign(fresh, { block: 100, entries: { MCD_VAT: VAT } });
    const book2 = AddressBook.attach(fresh, CHAINLOG);
    callerAttributionFor(ctx, book2, { spellDeployers: [], knownSpells: [] });
    expect(book2.loaded).toBe(true);
  });
});
