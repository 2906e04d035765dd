/**
 * maker-vat end to end: our Maker-shaped contracts on anvil, the bot run by our runtime over the
 * blocks each scenario mined.
 */
import { ethers } from "forta-agent";
import { startAnvil, type AnvilChain } from "../../../test/chain/anvil";
import { deployMaker, type MakerSystem } from "../../../test/chain/maker";
import { deployContract, mined } from "../../../test/chain/deploy";
import { actor, nudgeVatDebt } from "../../../test/chain/maker/risk-helpers";
import { b32, rad, ray, wad } from "../../../test/chain/units";
import { alertsOf, runBots } from "../../../shared/testing/chain";
import type { EmittedFinding } from "../../../shared/runtime/store";
import { createLogger } from "../../../shared/log";
import { RpcClient } from "../../../shared/rpc/client";
import { HttpTransport, type RpcCall } from "../../../shared/rpc/transport";
import { buildEvents } from "../../../shared/runtime/events";
import type { BotContext } from "../../../shared/bot";
import { createAgent } from "./agent";
import { breakIdentityByOne, quietActivity, spellRaisesCeilings, squeezeCeilings, suckFromVow } from "../scenario";

const aboveLow = (fs: readonly EmittedFinding[]) => fs.filter((f) => !["Info", "Low"].includes(f.finding.severity));

describe("maker-vat on anvil", () => {
  let chain: AnvilChain;
  let mk: MakerSystem;
  const env = () => ({ MAKER_CHAINLOG: mk.addresses.CHANGELOG! });
  const run = async (from: number, bots = ["maker-vat"]) => runBots({ url: chain.url, bots, from, to: await chain.blockNumber(), env: env() });
  const next = async () => (await chain.blockNumber()) + 1;

  beforeAll(async () => {
    chain = await startAnvil();
    mk = await deployMaker(chain);
  });
  afterAll(async () => {
    await chain.stop();
  });

  it("stays quiet through ordinary activity: frobs, drips, a flash mint, PSM swaps, an orderly liquidation, AutoLine execs", async () => {
    const from = await next();
    await quietActivity(mk);
    const findings = await run(from);
    expect(aboveLow(findings).map((f) => f.finding.description)).toEqual([]);
    // the AutoLine's line moves are sanctioned automation at their effect's level (small: Info)
    expect(findings.length).toBeGreaterThan(0);
    for (const f of findings) {
      expect(f.finding.alertId).toMatch(/^MAKER-VAT-(ILK-)?LINE-CHANGED$/);
      expect(f.finding.metadata).toMatchObject({ callerClass: "automation", caller: mk.autoLine.address.toLowerCase(), callerModule: "MCD_IAM_AUTO_LINE", callerSource: "module-event" });
    }
  });

  it("gets the Critical finding when debt is off by one unit, and none for the same blocks without the break", async () => {
    const snap = await chain.snapshot();
    const from = await next();
    await breakIdentityByOne(mk);
    const broken = await run(from);
    expect(alertsOf(broken)).toEqual(["MAKER-VAT-INVARIANT Critical opened", "MAKER-VAT-INVARIANT Info resolved"]);
    const opened = broken[0]!.finding;
    expect(opened.metadata).toMatchObject({ gapRaw: "1", priority: "P0", vat: mk.vat.address.toLowerCase(), ilkCount: "4" });
    expect(BigInt(opened.metadata.debtRaw!)).toBe(BigInt(opened.metadata.viceRaw!) + BigInt(opened.metadata.ilkDebtRaw!) + 1n);
    expect(opened.description).toMatch(/debt - \(vice \+ sum\) = \+1 rad/);

    // the same blocks, the same state, without the one-unit break
    await chain.revert(snap);
    const again = await next();
    expect(again).toBe(from);
    await chain.mine(4);
    expect(await run(again)).toEqual([]);
  });

  it("reports debt above the identity and below it, to the unit", async () => {
    const from = await next();
    await chain.mine();
    await nudgeVatDebt(mk, -1n); // the head block now reads one unit short
    await chain.mine();
    await nudgeVatDebt(mk, 1n);
    await chain.mine();
    const findings = await run(from);
    expect(alertsOf(findings)).toEqual(["MAKER-VAT-INVARIANT Critical opened", "MAKER-VAT-INVARIANT Info resolved"]);
    expect(findings[0]!.finding.metadata.gapRaw).toBe("-1");
  });

  it("reports a spell's ceiling changes with their size: Line +50% Medium, ETH-A line +10% Info, both by governance", async () => {
    const Line = (await mk.vat.Line()) as ethers.BigNumber;
    const [, , , line] = (await mk.vat.ilks(mk.ilks["ETH-A"].ilk)) as ethers.BigNumber[];
    const from = await next();
    const spell = await spellRaisesCeilings(mk);
    const findings = await run(from);
    expect(alertsOf(findings)).toEqual(["MAKER-VAT-LINE-CHANGED Medium", "MAKER-VAT-ILK-LINE-CHANGED Info"]);
    expect(findings[0]!.finding.metadata).toMatchObject({
      what: "Line",
      oldRaw: Line.toString(),
      newRaw: Line.mul(3).div(2).toString(),
      changeFraction: "0.500000",
      to: spell.spell.address.toLowerCase(), // cast() on the spell, which execs it through the pause
      txHash: spell.receipts.cast.transactionHash,
    });
    expect(findings[1]!.finding.metadata).toMatchObject({ ilk: "ETH-A", what: "line", oldRaw: line!.toString(), newRaw: line!.add(line!.div(10)).toString(), changeFraction: "0.100000" });
    for (const f of findings) expect(f.finding.metadata).toMatchObject({ callerClass: "governance", callerSource: "plan", caller: mk.pauseProxy.address.toLowerCase(), priority: f === findings[0] ? "P2" : "none" });
    expect(findings[0]!.finding.metadata.planHash).toMatch(/^0x[0-9a-f]{64}$/);
  });

  it("reports a ward outside governance tripling an ilk's line as Critical (P0), caller and class named", async () => {
    const snap = await chain.snapshot();
    try {
      const intruder = await actor(mk, "vat-intruder");
      const who = (await intruder.getAddress()).toLowerCase();
      await mk.asPauseProxy((p) => mined(mk.vat.connect(p).rely(who)));
      const ilk = mk.ilks["ETH-A"].ilk;
      const [, , , line] = (await mk.vat.ilks(ilk)) as ethers.BigNumber[];
      const from = await next();
      await mined(mk.vat.connect(intruder)["file(bytes32,bytes32,uint256)"](ilk, b32("line"), line!.mul(3)));
      const findings = await run(from);
      expect(alertsOf(findings)).toEqual(["MAKER-VAT-ILK-LINE-CHANGED Critical"]);
      const f = findings[0]!.finding;
      expect(f.metadata).toMatchObject({ callerClass: "outsider", caller: who, callerSource: "tx-from", priority: "P0", changeFraction: "2.000000" });
      expect(f.metadata.callerClassReason).toMatch(/neither governance nor a known automation module/);
      expect(f.description).toMatch(/OUTSIDER/);
      expect(f.type).toBe("Exploit");
    } finally {
      await chain.revert(snap);
    }
  });

  it("reports the AutoLine's exec at its effect's level (a large raise Medium, a cut Info), never as an outsider", async () => {
    const snap = await chain.snapshot();
    try {
      const ilk = mk.ilks["ETH-A"].ilk;
      const [Art, rate] = (await mk.vat.ilks(ilk)) as ethers.BigNumber[];
      const debt = Art!.mul(rate!);
      // governance gives ETH-A a gap of 3x its debt and room to grow; a first exec cuts the line to debt + gap
      await mk.executeSpell([
        { to: mk.autoLine.address, data: mk.autoLine.interface.encodeFunctionData("setIlk", [ilk, rad("1000000000"), debt.mul(3), 0]), label: "AutoLine.setIlk" },
      ]);
      const from = await next();
      await mk.autoLineExec("ETH-A");
      // then governance raises the gap tenfold: the next exec raises the line by far more than half
      await mk.executeSpell([
        { to: mk.autoLine.address, data: mk.autoLine.interface.encodeFunctionData("setIlk", [ilk, rad("1000000000"), debt.mul(30), 0]), label: "AutoLine.setIlk" },
      ]);
      await mk.autoLineExec("ETH-A");
      const findings = await run(from);
      expect(alertsOf(findings)).toEqual([
        "MAKER-VAT-ILK-LINE-CHANGED Info",
        "MAKER-VAT-LINE-CHANGED Info",
        "MAKER-VAT-ILK-LINE-CHANGED Medium",
        "MAKER-VAT-LINE-CHANGED Info",
      ]);
      for (const f of findings) {
        expect(f.finding.metadata).toMatchObject({ callerClass: "automation", callerModule: "MCD_IAM_AUTO_LINE", caller: mk.autoLine.address.toLowerCase() });
      }
      expect(findings[2]!.finding.metadata.newRaw).toBe(debt.mul(31).toString());
    } finally {
      await chain.revert(snap);
    }
  });

  it("opens, escalates and resolves utilisation episodes for an ilk's line and for Line", async () => {
    const from = await next();
    await squeezeCeilings(mk);
    const findings = await run(from);
    expect(alertsOf(findings)).toEqual([
      "MAKER-VAT-ILK-UTILISATION Medium opened",
      "MAKER-VAT-ILK-LINE-CHANGED Info",
      "MAKER-VAT-ILK-UTILISATION High escalated",
      "MAKER-VAT-ILK-UTILISATION Info resolved",
      "MAKER-VAT-ILK-LINE-CHANGED Medium",
      "MAKER-VAT-LINE-UTILISATION High opened",
      "MAKER-VAT-LINE-CHANGED Info",
      "MAKER-VAT-LINE-UTILISATION Info resolved",
      "MAKER-VAT-LINE-CHANGED Medium",
    ]);
    const medium = findings[0]!.finding.metadata;
    expect(medium).toMatchObject({ ilk: "WBTC-A", level: "medium" });
    expect(Number(medium.utilisation)).toBeCloseTo(0.95, 4);
    expect(findings[5]!.finding.metadata).toMatchObject({ ilk: "", level: "high" });
  });

  it("reports the surplus buffer falling and vice jumping when a ward sucks DAI against the Vow", async () => {
    const from = await next();
    await chain.mine(); // the block before is the bot's baseline
    await suckFromVow(mk, "2500000");
    await suckFromVow(mk, "12000000", "vat-e2e-big-suck");
    // a day later the fall has left the window: the episode resolves on the next block
    await chain.increaseTime(86_401);
    await chain.mine();
    const findings = await run(from);
    expect(alertsOf(findings)).toEqual(["MAKER-VAT-SURPLUS-DROP High opened", "MAKER-VAT-SIN-JUMP Medium", "MAKER-VAT-SIN-JUMP High", "MAKER-VAT-SURPLUS-DROP Info resolved"]);
    expect(findings[0]!.finding.metadata).toMatchObject({ fall: "2500000", vow: mk.vow.address.toLowerCase(), priority: "P1" });
    expect(findings[1]!.finding.metadata).toMatchObject({ rise: "2500000", priority: "P2" });
    expect(findings[2]!.finding.metadata).toMatchObject({ rise: "12000000", viceAfterRaw: String(BigInt(findings[1]!.finding.metadata.viceAfterRaw!) + 12_000_000n * 10n ** 45n), priority: "P1" });
  });

  it("picks up a collateral type added later, whether it is seen being initialised or found by a scan of init notes", async () => {
    const name = b32("NEW-A");
    const holder = await actor(mk, "vat-new-ilk");
    const who = await holder.getAddress();
    const from = await next();
    await mk.asPauseProxy(async (p) => {
      const vat = mk.vat.connect(p);
      await mined(vat.init(name));
      await mined(vat["file(bytes32,bytes32,uint256)"](name, b32("line"), rad("1000000")));
      await mined(vat["file(bytes32,bytes32,uint256)"](name, b32("spot"), ray("1")));
      await mined(vat.slip(name, who, wad("1000")));
    });
    await mined(mk.vat.connect(holder).frob(name, who, who, who, wad("1000"), wad("500")));
    // watching while it happens: the init note adds the ilk (ceiling change reported, no violation)
    expect(alertsOf(await run(from))).toEqual(["MAKER-VAT-ILK-LINE-CHANGED Medium"]);
    // starting afterwards: NEW-A is in no registry; its debt is found by scanning the Vat's init notes
    const later = await next();
    await chain.mine(2);
    expect(await run(later)).toEqual([]);
  });

  it("reads the state of a block in one JSON-RPC batch: debt, vice, dai(vow), sin(vow), and Line, live and the ilks when a note of the Vat may have changed them", async () => {
    await chain.mine(3);
    const head = await chain.blockNumber();
    const rpc = new RpcClient(new HttpTransport({ urls: [chain.url] }));
    const store: Record<string, object> = {};
    const ctx: BotContext = {
      name: "maker-vat",
      rpc,
      env: env(),
      log: createLogger({ level: "silent" }),
      initBlock: head - 3,
      persistent: <T extends object>(name: string, init: () => T) => (store[name] ??= init()) as T,
    };
    const agent = createAgent(ctx);
    await agent.initialize!();
    const blockEvent = async (n: number) => buildEvents(chain.chainId, (await rpc.getBlock(n))!, []).block;
    expect(await agent.handleBlock!(await blockEvent(head - 2))).toEqual([]); // first block: also reads the IlkRegistry (an ilk in no registry is found by a scan, and read at the next block)
    const full = { ...rpc.stats };
    expect(await agent.handleBlock!(await blockEvent(head - 1))).toEqual([]);
    const ilks = Object.keys((store.vat as { ilks: object }).ilks).length;
    expect(ilks).toBeGreaterThanOrEqual(4);
    expect(rpc.stats.sent - full.sent).toBeLessThanOrEqual(6 + ilks);
    const event = await blockEvent(head);
    const before = { ...rpc.stats };
    expect(await agent.handleBlock!(event)).toEqual([]);
    expect(rpc.stats.batches - before.batches).toBe(1);
    expect(rpc.stats.sent - before.sent).toBe(4); // an empty block: Line, live and every ilk carried from its parent
  });

  it("asks Line, live and a sucker's ward bit again only after a Vat note of file, cage, rely or deny, and an ilk only after a note naming it", async () => {
    const from = await next();
    await chain.mine();
    const dripped = (await mk.drip("ETH-A")).blockNumber; // fold(ETH-A): its rate moved
    const potDrip = async () => (await mined(mk.pot.drip())).blockNumber; // a suck to MCD_POT: its ward bit is asked
    const sucked = await potDrip();
    await potDrip();
    const filed = await mk.asPauseProxy(async (p) => (await mined(mk.vat.connect(p)["file(bytes32,uint256)"](b32("Line"), await mk.vat.Line()))).blockNumber); // the same Line
    const suckedAgain = await potDrip();
    await chain.mine();
    const calls: RpcCall[] = [];
    await runBots({ url: chain.url, bots: ["maker-vat"], from, to: await chain.blockNumber(), env: env(), calls });
    const vat = mk.vat.address.toLowerCase();
    const blocksAsking = (data: string) =>
      calls.filter((c) => c.method === "eth_call" && (c.params[0] as { to: string }).to.toLowerCase() === vat && (c.params[0] as { data: string }).data === data).map((c) => parseInt(String(c.params[1]), 16)).sort((a, b) => a - b);
    const I = mk.vat.interface;
    expect(blocksAsking(I.encodeFunctionData("Line"))).toEqual([from, filed - 1, filed]); // filed - 1: the value before, for the ceiling change's finding
    expect(blocksAsking(I.encodeFunctionData("live"))).toEqual([from, filed]);
    expect(blocksAsking(I.encodeFunctionData("ilks", [mk.ilks["ETH-A"].ilk]))).toEqual([from, dripped]);
    expect(blocksAsking(I.encodeFunctionData("ilks", [mk.ilks["WBTC-A"].ilk]))).toEqual([from]);
    expect(blocksAsking(I.encodeFunctionData("wards", [mk.pot.address]))).toEqual([sucked, suckedAgain]);
    expect(blocksAsking(I.encodeFunctionData("debt")).length).toBe(await chain.blockNumber() - from + 1); // moves with every frob: every block
  });

  it("resolves the old Vat's open episodes (Info, saying why) when the ChainLog points MCD_VAT to another Vat", async () => {
    const snap = await chain.snapshot();
    try {
      const from = await next();
      const ilk = mk.ilks["WBTC-A"].ilk;
      const [Art, rate] = (await mk.vat.ilks(ilk)) as ethers.BigNumber[];
      const tight = Art!.mul(rate!).mul(100).div(95);
      await mk.asPauseProxy((p) => mined(mk.vat.connect(p)["file(bytes32,bytes32,uint256)"](ilk, b32("line"), tight))); // WBTC-A at 95%
      await mk.asPauseProxy((p) => mined(mk.end.connect(p)["cage()"]())); // and the Vat caged
      await chain.mine();
      const replacement = await deployContract(mk.deployer, "Vat");
      const move = await mk.asPauseProxy((p) => mined(mk.chainlog.connect(p).setAddress(b32("MCD_VAT"), replacement.address)));
      await chain.mine(2);
      const findings = await run(from);
      const opened = findings.filter((f) => f.blockNumber < move.blockNumber && f.finding.metadata.episode === "opened");
      expect(alertsOf(opened)).toEqual(["MAKER-VAT-ILK-UTILISATION Medium opened", "MAKER-VAT-CAGED Critical opened"]);
      const atMove = findings.filter((f) => f.txHash === move.transactionHash);
      expect(alertsOf(atMove)).toEqual(["MAKER-VAT-ILK-UTILISATION Info resolved", "MAKER-VAT-CAGED Info resolved"]);
      const old = mk.vat.address.toLowerCase();
      for (const f of atMove) {
        expect(f.finding.metadata).toMatchObject({ vat: old, resolvedBecause: "vat-replaced-in-chainlog", replacedBy: replacement.address.toLowerCase() });
        expect(f.finding.description).toContain(`MCD_VAT now points to ${replacement.address.toLowerCase()}`);
      }
      expect(atMove[0]!.finding.metadata).toMatchObject({ ilk: "WBTC-A", episodeId: opened[0]!.finding.metadata.episodeId, episodePeak: "medium" });
      expect(atMove[1]!.finding.metadata.episodeId).toBe(opened[1]!.finding.metadata.episodeId);
      // the new Vat (empty, live) is watched from the next block: nothing to report about it
      expect(findings.filter((f) => f.blockNumber > move.blockNumber)).toEqual([]);
    } finally {
      await chain.revert(snap);
    }
  });

  it("reports the Vat caged once (Critical, P0)", async () => {
    const from = await next();
    await mk.asPauseProxy((p) => mined(mk.end.connect(p)["cage()"]()));
    await chain.mine(2);
    const findings = await run(from);
    expect(alertsOf(findings)).toEqual(["MAKER-VAT-CAGED Critical opened"]);
    expect(findings[0]!.finding.metadata).toMatchObject({ live: "0", priority: "P0" });
  });
});
