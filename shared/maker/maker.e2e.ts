/**
 * End to end on a local anvil chain carrying a mainnet-shaped Maker deployment
 * (test/chain/maker.ts): the AddressBook loads the deployed ChainLog and follows a spell that
 * changes it, and the LogNote decoders read the notes the deployed Vat, DSPause and DSChief
 * really emit. Logs are fetched the way the runtime gets them (JSON-RPC receipts, hex fields).
 */
import { ethers, filterLog } from "forta-agent";
import { startAnvil, type AnvilChain } from "../../test/chain/anvil";
import { call, deployMaker, type MakerSystem } from "../../test/chain/maker";
import { mined } from "../../test/chain/deploy";
import { b32, rad, wad } from "../../test/chain/units";
import { FakeNode } from "../../test/rpc/fake-node";
import {
  MEDIAN_EVENTS,
  MEDIAN_NOTES,
  OSM_EVENTS,
  OSM_IFACE,
  OSM_NOTES,
  OSM_SLOTS,
  decodeMedianValAge,
  decodeOsmFeed,
  decodeOsmSrcHopZzz,
  DAI_NOTES,
  DS_CHIEF_IFACE,
  DS_CHIEF_NOTES,
  PAUSE_NOTES,
  VAT_IFACE,
  VAT_NOTES,
  decodeLibNote,
  decodeNote,
  fileChangeOf,
  filterNotes,
  pausePlanHash,
  type DecodedNote,
} from "../abi";
import { RpcClient, type RawLog, type RawReceipt } from "../rpc/client";
import { contract, readStorage } from "../rpc/contract";
import { HttpTransport } from "../rpc/transport";
import { AddressBook, CHAINLOG_KEYS, type AddressBookChange } from "./chainlog";

jest.setTimeout(10 * 60_000);

let chain: AnvilChain;
let mk: MakerSystem;
let rpc: RpcClient;

beforeAll(async () => {
  chain = await startAnvil();
  mk = await deployMaker(chain);
  rpc = new RpcClient(new HttpTransport({ urls: [chain.url] }));
});

afterAll(async () => {
  await chain?.stop();
});

/** The logs of a mined transaction as the runtime sees them (eth_getTransactionReceipt: hex fields). */
async function logsOf(hash: string): Promise<RawLog[]> {
  const receipt = await rpc.request<RawReceipt>("eth_getTransactionReceipt", [hash]);
  return receipt.logs;
}

const lower = (r: Record<string, string>) => Object.fromEntries(Object.entries(r).map(([k, a]) => [k, a.toLowerCase()]));

describe("AddressBook on the deployed ChainLog", () => {
  it("loads every registered contract in two JSON-RPC round trips", async () => {
    // a loopback proxy in front of anvil counts the HTTP requests the load makes
    const proxy = await new FakeNode({ upstream: chain.url }).start();
    try {
      const counted = new RpcClient(new HttpTransport({ urls: [proxy.url] }));
      const block = await chain.blockNumber();
      const book = await AddressBook.load(counted, mk.addresses.CHANGELOG!, block);

      expect(proxy.requests).toHaveLength(2);
      expect(Object.fromEntries(book.entries().map((e) => [e.key, e.address]))).toEqual(lower(mk.addresses));
      expect(book.version).toBe("1.0.0");
      expect(book.getAddress("MCD_VAT")).toBe(mk.vat.address.toLowerCase());
      expect(book.keysOf(mk.pauseProxy.address)).toContain("MCD_PAUSE_PROXY");

      // the addresses it hands out are the contracts: read the Vat through them
      const vat = contract(counted, book.getAddress("MCD_VAT"), VAT_IFACE, "Vat");
      await expect(vat.uint("live", [], block)).resolves.toBe(1n);
    } finally {
      await proxy.stop();
    }
  });

  it("says so when MAKER_CHAINLOG points at an account without code", async () => {
    await expect(AddressBook.load(rpc, chain.accounts[5]!, "latest")).rejects.toThrow(/no contract at .* set MAKER_CHAINLOG/);
  });

  it("follows a spell that registers, replaces and removes ChainLog entries", async () => {
    const book = await AddressBook.load(rpc, mk.addresses.CHANGELOG!, await chain.blockNumber());
    const newPip = chain.accounts[7]!;
    const oldEnd = book.getAddress("MCD_END");
    const spell = await mk.executeSpell([
      call(mk.chainlog, "setAddress(bytes32,address)", b32("PIP_NEW"), newPip),
      call(mk.chainlog, "setAddress(bytes32,address)", b32("MCD_END"), newPip),
      call(mk.chainlog, "removeAddress(bytes32)", b32("MCD_ESM")),
      call(mk.chainlog, "setVersion(string)", "1.0.1"),
    ]);

    const changes: AddressBookChange[] = book.applyTransaction({ logs: await logsOf(spell.receipts.cast.transactionHash) });
    expect(changes.map(({ kind, key, from, to }) => ({ kind, key, from, to }))).toEqual([
      { kind: "updated", key: "PIP_NEW", from: null, to: newPip.toLowerCase() },
      { kind: "updated", key: "MCD_END", from: oldEnd, to: newPip.toLowerCase() },
      { kind: "removed", key: "MCD_ESM", from: mk.esm.address.toLowerCase(), to: null },
      { kind: "version", key: null, from: "1.0.0", to: "1.0.1" },
    ]);
    expect(changes.every((c) => c.blockNumber === spell.receipts.cast.blockNumber && c.transactionHash === spell.receipts.cast.transactionHash)).toBe(true);
    expect(book.matching(CHAINLOG_KEYS.pips).map((e) => e.key)).toContain("PIP_NEW");

    // the followed book equals a fresh load after the spell
    const fresh = await AddressBook.load(rpc, mk.addresses.CHANGELOG!, spell.receipts.cast.blockNumber);
    expect(book.entries()).toEqual(fresh.entries());
    expect(book.version).toBe(fresh.version);
  });
});

describe("LogNotes of the deployed contracts", () => {
  it("decodes the Vat's own notes: a governance file() and a user's frob", async () => {
    const ilk = mk.ilks["ETH-A"].ilk;
    const spell = await mk.executeSpell([call(mk.vat, "file(bytes32,bytes32,uint256)", ilk, b32("line"), rad("200000000"))]);
    const logs = await logsOf(spell.receipts.cast.transactionHash);
    const [file] = filterNotes(logs, VAT_NOTES, mk.vat.address, ["file"]);
    expect(file).toBeDefined();
    expect(file!.caller).toBeNull(); // the Vat's note does not log the caller
    expect(fileChangeOf(file!)).toEqual({ ilk: "ETH-A", what: "line", value: rad("200000000").toString(), valueType: "uint256" });

    const owner = chain.signer(4);
    const vault = await mk.openVault("ETH-A", { owner, ink: "10", art: "8000" });
    const frobs: DecodedNote[] = [];
    const blockLogs = await rpc.getLogs({ address: mk.vat.address, fromBlock: (await chain.blockNumber()) - 5, toBlock: "latest" });
    for (const log of blockLogs) {
      const note = decodeNote(log, VAT_NOTES);
      if (note?.name === "frob") frobs.push(note);
    }
    const frob = frobs[frobs.length - 1]!;
    expect(frob.args!.u.toLowerCase()).toBe(vault.urn.toLowerCase());
    expect(frob.args!.dink.toString()).toBe(wad("10").toString());
    expect(frob.args!.dart.gt(0)).toBe(true);
  });

  it("decodes the pause's plot and exec, whose ds-notes carry the whole (long) calldata", async () => {
    const spell = await mk.executeSpell([call(mk.vat, "file(bytes32,uint256)", b32("Line"), rad("1100000000"))]);
    const [plot] = filterNotes(await logsOf(spell.receipts.schedule.transactionHash), PAUSE_NOTES, mk.pause.address);
    const [exec] = filterNotes(await logsOf(spell.receipts.cast.transactionHash), PAUSE_NOTES, mk.pause.address);

    expect(plot).toMatchObject({ name: "plot", caller: spell.spell.address.toLowerCase(), calldataIsExact: true, argsError: null });
    expect(plot!.args!.usr.toLowerCase()).toBe(spell.action.toLowerCase());
    expect(plot!.args!.eta.toNumber()).toBe(spell.eta);
    expect(ethers.utils.hexDataLength(plot!.calldata)).toBeGreaterThan(224);
    // the plan the note describes is the one the pause holds (and cleared on exec)
    const hash = pausePlanHash(plot!.args!.usr, plot!.args!.tag, plot!.args!.fax, plot!.args!.eta);
    await expect(contract(rpc, mk.pause.address, PAUSE_NOTES.iface, "DSPause").read("plans", [hash], spell.receipts.schedule.blockNumber)).resolves.toEqual([true]);
    expect(exec).toMatchObject({ name: "exec", caller: spell.spell.address.toLowerCase() });
    expect(exec!.args!.fax).toBe(plot!.args!.fax);
  });

  it("decodes the chief's lift and vote notes (vote(address[]) logs its own selector twice)", async () => {
    const spell = await mk.executeSpell([call(mk.vat, "file(bytes32,uint256)", b32("Line"), rad("1200000000"))]);
    const [lift] = filterNotes(await logsOf(spell.receipts.lift.transactionHash), DS_CHIEF_NOTES, mk.chief.address);
    expect(lift).toMatchObject({ name: "lift", caller: (await mk.deployer.getAddress()).toLowerCase() });
    expect(lift!.args!.whom.toLowerCase()).toBe(spell.spell.address.toLowerCase());

    const voter = mk.deployer;
    const tx = await mined(mk.chief.connect(voter)["vote(address[])"]([spell.spell.address]));
    const votes = filterNotes(await logsOf(tx.transactionHash), DS_CHIEF_NOTES, mk.chief.address);
    expect(votes.map((n) => n.signature)).toEqual(["vote(address[])", "vote(address[])"]);
    expect(votes[0]!.args!.yays).toEqual([spell.spell.address]);
    expect(DS_CHIEF_IFACE.getSighash("vote(address[])")).toBe(votes[0]!.selector);
  });

  it("decodes a dss LibNote: Dai.rely by the pause proxy, caller in topics[1]", async () => {
    const usr = chain.accounts[8]!;
    const receipt = await mk.asPauseProxy((proxy) => mined(mk.dai.connect(proxy).rely(usr)));
    const [rely] = filterNotes(await logsOf(receipt.transactionHash), DAI_NOTES, mk.dai.address);
    expect(rely).toMatchObject({ layout: "libnote", name: "rely", caller: mk.pauseProxy.address.toLowerCase(), calldataIsExact: false });
    expect(rely!.args!.usr.toLowerCase()).toBe(usr.toLowerCase());
  });

  it("refuses to read the Vat's notes with the LibNote layout", async () => {
    const owner = chain.signer(5);
    const tx = await mined(mk.vat.connect(owner).hope(chain.accounts[6]!));
    const [log] = await logsOf(tx.transactionHash);
    expect(decodeNote(log!, VAT_NOTES)?.name).toBe("hope");
    expect(() => decodeLibNote(log!, VAT_IFACE)).toThrow(/decodeVatNote/);
  });
});

describe("oracles on the deployed system", () => {
  it("decodes an OSM poke (LibNote) with its LogValue, and reads the OSM's feeds from storage as its getters see them", async () => {
    const { pip, median } = mk.ilks["ETH-A"];
    await mk.pokeMedian("ETH-A", "2100");
    const receipt = await mk.pokeOsm("ETH-A");
    const logs = await logsOf(receipt.transactionHash);

    const [poke] = filterNotes(logs, OSM_NOTES, pip.address);
    expect(poke).toMatchObject({ name: "poke", caller: (await mk.deployer.getAddress()).toLowerCase(), argsError: null });
    const logValues = filterLog(logs.map((l) => ({ ...l, logIndex: Number(l.logIndex) })) as never, OSM_EVENTS.LogValue, pip.address);
    expect(logValues).toHaveLength(1);

    // peek/peep are whitelisted: a monitor reads cur/nxt from storage instead
    const block = receipt.blockNumber;
    const [slot2, cur, nxt] = await Promise.all([OSM_SLOTS.srcHopZzz, OSM_SLOTS.cur, OSM_SLOTS.nxt].map((s) => readStorage(rpc, pip.address, s, block)));
    const osm = contract(rpc, pip.address, OSM_IFACE, "OSM");
    const [src, hop, zzz] = await Promise.all([osm.addr("src", [], block), osm.uint("hop", [], block), osm.uint("zzz", [], block)]);
    expect(decodeOsmSrcHopZzz(slot2!)).toEqual({ src, hop: Number(hop), zzz: Number(zzz) });
    expect(src).toBe(median.address.toLowerCase());
    expect(decodeOsmFeed(nxt!)).toEqual({ val: wad("2100").toBigInt(), has: true });
    // the value the poke made current is the one LogValue announced
    expect(decodeOsmFeed(cur!).val).toBe(BigInt(logValues[0]!.args.val as string));
  });

  it("reads the Median's value and age from storage, and shows why lift(13 feeds) cannot be decoded from its LibNote", async () => {
    const { median } = mk.ilks["ETH-A"];
    const receipt = await mk.pokeMedian("ETH-A", "2222.5");
    const [price] = filterLog((await logsOf(receipt.transactionHash)).map((l) => ({ ...l, logIndex: Number(l.logIndex) })) as never, MEDIAN_EVENTS.LogMedianPrice, median.address);
    const word = await readStorage(rpc, median.address, 1, receipt.blockNumber);
    expect(decodeMedianValAge(word)).toEqual({ val: wad("2222.5").toBigInt(), age: Number(price!.args.age) });

    const logs = await rpc.getLogs({ address: median.address, fromBlock: 0, toBlock: "latest" });
    const lifts = logs.map((l) => decodeNote(l, MEDIAN_NOTES)).filter((n): n is DecodedNote => n?.name === "lift");
    expect(lifts).toHaveLength(1);
    expect(lifts[0]!.args).toBeNull();
    expect(lifts[0]!.argsError).toMatch(/224 bytes/);
    expect(BigInt(lifts[0]!.rawArgs[1]!)).toBe(BigInt(mk.params.medianBar)); // the array length is still in topics[3]
  });
});
