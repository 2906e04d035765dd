/**
 * maker-flash end to end: our Maker-shaped contracts on anvil (DssFlash, chief, pause, OSMs,
 * Clipper, ESM), real flash mints, the bot run by our runtime.
 */
import { ethers } from "forta-agent";
import { startAnvil, type AnvilChain } from "../../../test/chain/anvil";
import { call, deployMaker, flashMint, fundVatDai, vatDaiFlashLoan, type MakerSystem } from "../../../test/chain/maker";
import { comboExecute, comboFlashMint, comboVatDaiFlash, deployFlashMulticall, liftableSpell, startAuction } from "../../../test/chain/maker/flash-combo";
import { deployContract, mined } from "../../../test/chain/deploy";
import { alertsOf, runBots } from "../../../shared/testing/chain";

const wad = (n: string) => ethers.utils.parseEther(n);
const rad = (n: string) => wad(n).mul(ethers.BigNumber.from(10).pow(27));
const b32 = ethers.utils.formatBytes32String;

describe("maker-flash on anvil", () => {
  let chain: AnvilChain;
  let mk: MakerSystem;
  let combo: ethers.Contract;
  const run = async (from: number) => runBots({ url: chain.url, bots: ["maker-flash"], from, to: await chain.blockNumber(), env: { MAKER_CHAINLOG: mk.addresses.CHANGELOG! } });
  const next = async () => (await chain.blockNumber()) + 1;

  beforeAll(async () => {
    chain = await startAnvil();
    mk = await deployMaker(chain);
    combo = await deployFlashMulticall(mk);
  });
  afterAll(async () => {
    await chain.stop();
  });

  it("reports flash mints by size only: Info from 10M DAI, Low from 100M, nothing below", async () => {
    const from = await next();
    await flashMint(mk, "9999999.999999999999999999"); // one wei under the Info threshold
    await vatDaiFlashLoan(mk, rad("50000")); // small internal-dai loan
    await flashMint(mk, "10000000");
    await vatDaiFlashLoan(mk, rad("150000000"));
    const findings = await run(from);
    expect(alertsOf(findings)).toEqual(["MAKER-FLASH-LARGE-LOAN Info", "MAKER-FLASH-LARGE-LOAN Low"]);
    expect(findings[0]!.finding.metadata).toMatchObject({ event: "FlashLoan", amount: "10000000", amountRaw: wad("10000000").toString(), amountUnit: "wad", priority: "none" });
    expect(findings[1]!.finding.metadata).toMatchObject({ event: "VatDaiFlashLoan", amount: "150000000", amountUnit: "rad", level: "low", priority: "P2" });
    expect(findings[1]!.finding.addresses).toContain(mk.flash.address.toLowerCase());
  });

  it("raises High for a flash mint in the same transaction as a chief lift (the governance flash-loan shape)", async () => {
    const spell = await liftableSpell(mk);
    const from = await next();
    await comboFlashMint(combo, "1000000", [call(mk.chief, "lift(address)", spell)]);
    expect((await mk.chief.hat()).toLowerCase()).toBe(spell.toLowerCase());
    const findings = await run(from);
    expect(alertsOf(findings)).toEqual(["MAKER-FLASH-COMBINED High"]);
    const md = findings[0]!.finding.metadata;
    expect(md).toMatchObject({ kinds: "governance", amount: "1000000", flashLoans: "1", receivers: combo.address.toLowerCase(), priority: "P1" });
    expect(md.actions).toMatch(/^governance: DSChief\.lift\(0x/);
    expect(md.actionContracts).toBe(`MCD_ADM=${mk.chief.address.toLowerCase()}`);
    expect(findings[0]!.finding.addresses).toEqual(expect.arrayContaining([mk.chief.address.toLowerCase(), combo.address.toLowerCase()]));
  });

  it("raises High for a flash mint with an OSM poke, and for one with an ESM join", async () => {
    const pip = mk.ilks["ETH-A"].pip;
    await chain.setNextBlockTimestamp(Math.max(Number(await pip.zzz()) + Number(await pip.hop()), (await chain.timestamp()) + 1));
    const from = await next();
    await comboFlashMint(combo, "2000000", [call(pip, "poke()")]);
    await (await mk.gov.connect(mk.deployer).transfer(combo.address, wad("1"))).wait();
    await comboExecute(combo, [call(mk.gov, "approve(address,uint256)", mk.esm.address, wad("1"))]);
    await comboFlashMint(combo, "500", [call(mk.esm, "join(uint256)", wad("1"))]);
    const findings = await run(from);
    expect(alertsOf(findings)).toEqual(["MAKER-FLASH-COMBINED High", "MAKER-FLASH-COMBINED High"]);
    expect(findings[0]!.finding.metadata).toMatchObject({ kinds: "oracle", actionContracts: `PIP_ETH=${pip.address.toLowerCase()}` });
    expect(findings[0]!.finding.metadata.actions).toBe("oracle: OSM.poke(): new value 2000"); // the poke once, not its note again
    expect(findings[1]!.finding.metadata).toMatchObject({ kinds: "esm", actions: expect.stringMatching(/^esm: ESM\.join\(1 tokens by 0x/) });
  });

  it("raises High for an internal-dai flash loan that pays for a Clipper take", async () => {
    const owner = chain.signer(4);
    const { id, clip, restorePrice } = await startAuction(mk, owner);
    const funder = chain.signer(5);
    await fundVatDai(mk, funder, "30000");
    await (await mk.vat.connect(funder).move(await funder.getAddress(), combo.address, rad("25000"))).wait();
    await comboExecute(combo, [call(mk.vat, "hope(address)", clip.address)]);
    const status = await clip.getStatus(id);
    const from = await next();
    await comboVatDaiFlash(combo, "1000", [call(clip, "take(uint256,uint256,uint256,address,bytes)", id, status.lot, status.price, combo.address, "0x")]);
    const findings = await run(from);
    expect(alertsOf(findings)).toEqual(["MAKER-FLASH-COMBINED High"]);
    expect(findings[0]!.finding.metadata).toMatchObject({ kinds: "liquidation", actionContracts: `MCD_CLIP_ETH_A=${clip.address.toLowerCase()}`, amountsRaw: `VatDaiFlashLoan:${rad("1000").toString()}` });
    expect(findings[0]!.finding.metadata.actions).toMatch(/^liquidation: MCD_CLIP_ETH_A\.take\(auction \d+: owe [\d.]+ DAI/);
    await mk.setPrice("ETH-A", restorePrice);
  });

  it("raises High for a flash mint that drains a PSM's reserve (BuyGem of 10M DAI or more), not for a small swap or a vault frob in the loan", async () => {
    const usdc6 = (n: string) => ethers.utils.parseUnits(n, 6);
    await mk.sellGem("psm", chain.signer(5), "15000000"); // the reserve holds what the loan will take out
    // inside the loan: buy the reserve's USDC with the minted DAI, sell it back to repay
    const drainAndRefill = (amount: string) => [
      call(mk.dai, "approve(address,uint256)", mk.psm.address, wad(amount)),
      call(mk.psm, "buyGem(address,uint256)", combo.address, usdc6(amount)),
      call(mk.usdc, "approve(address,uint256)", mk.psmJoin.address, usdc6(amount)),
      call(mk.psm, "sellGem(address,uint256)", combo.address, usdc6(amount)),
    ];
    const from = await next();
    const drain = await comboFlashMint(combo, "12000000", drainAndRefill("12000000"));
    await comboFlashMint(combo, "1000000", drainAndRefill("1000000")); // ordinary peg arbitrage size
    await comboFlashMint(combo, "1000000", [call(mk.vat, "frob(bytes32,address,address,address,int256,int256)", mk.ilks["ETH-A"].ilk, combo.address, combo.address, combo.address, 0, 0)]);
    const findings = await run(from);
    expect(alertsOf(findings)).toEqual(["MAKER-FLASH-LARGE-LOAN Info", "MAKER-FLASH-COMBINED High"]);
    const combined = findings[1]!;
    expect(combined.txHash).toBe(drain.transactionHash);
    expect(combined.finding.metadata).toMatchObject({ kinds: "psm", actions: "psm: MCD_PSM_USDC_A.buyGem(12,000,000.00 DAI of gems)", actionContracts: `MCD_PSM_USDC_A=${mk.psm.address.toLowerCase()}` });
  });

  it("stays quiet for an orderly liquidation (bark, then a take paid from the keeper's own dai) and for plain flash mints", async () => {
    const owner = chain.signer(6);
    const from = await next();
    const { id, restorePrice } = await startAuction(mk, owner);
    await fundVatDai(mk, chain.signer(9), "30000");
    await mk.take("ETH-A", id);
    await flashMint(mk, "250000");
    await mk.setPrice("ETH-A", restorePrice);
    expect(await run(from)).toEqual([]);
  });

  it("reports max, toll and vow changes (with the previous value), not admin rights (maker-auth's)", async () => {
    const from = await next();
    const someone = chain.accounts[7]!;
    await mk.asPauseProxy(async (proxy) => {
      await (await mk.flash.connect(proxy)["file(bytes32,uint256)"](b32("max"), wad("1000000000"))).wait();
      await (await mk.flash.connect(proxy)["file(bytes32,uint256)"](b32("toll"), wad("0.0005"))).wait();
      await (await mk.flash.connect(proxy)["file(bytes32,address)"](b32("vow"), mk.vow.address)).wait();
      await (await mk.flash.connect(proxy).rely(someone)).wait();
      await (await mk.flash.connect(proxy).deny(someone)).wait();
      await (await mk.flash.connect(proxy)["file(bytes32,uint256)"](b32("toll"), 0)).wait();
    });
    const findings = await run(from);
    expect(alertsOf(findings)).toEqual([
      "MAKER-FLASH-FILE Medium",
      "MAKER-FLASH-FILE Medium",
      "MAKER-FLASH-FILE Medium",
      "MAKER-FLASH-FILE Medium",
    ]);
    expect(findings[0]!.finding.metadata).toMatchObject({ what: "max", value: wad("1000000000").toString(), valueHuman: "1,000,000,000.00 DAI", previousHuman: "500,000,000.00 DAI" });
    expect(findings[1]!.finding.metadata).toMatchObject({ what: "toll", valueHuman: "0.0500% fee", previous: "0" });
    expect(findings[2]!.finding.metadata).toMatchObject({ what: "vow", value: mk.vow.address.toLowerCase() });
    expect(findings[3]!.finding.metadata).toMatchObject({ what: "toll", value: "0", previousHuman: "0.0500% fee" });
    for (const f of findings) expect(f.finding.metadata).toMatchObject({ callerClass: "governance", caller: mk.pauseProxy.address.toLowerCase() });
  });

  it("reports a ward outside governance raising DssFlash max as Critical (P0)", async () => {
    const snap = await chain.snapshot();
    try {
      const who = chain.accounts[8]!.toLowerCase();
      await mk.asPauseProxy(async (proxy) => (await mk.flash.connect(proxy).rely(who)).wait());
      const from = await next();
      await (await mk.flash.connect(chain.signer(8))["file(bytes32,uint256)"](b32("max"), wad("1000000000"))).wait();
      const findings = await run(from);
      expect(alertsOf(findings)).toEqual(["MAKER-FLASH-FILE Critical"]);
      expect(findings[0]!.finding.metadata).toMatchObject({ what: "max", callerClass: "outsider", caller: who, callerSource: "tx-from", priority: "P0" });
    } finally {
      await chain.revert(snap);
    }
  });

  it("names the value each File replaced when a spell files the same parameter twice in one transaction", async () => {
    const from = await next();
    const toll = (await mk.flash.toll()) as ethers.BigNumber;
    await mk.executeSpell(
      [call(mk.flash, "file(bytes32,uint256)", b32("toll"), wad("0.01")), call(mk.flash, "file(bytes32,uint256)", b32("toll"), toll)],
      { description: "set the flash fee to 1%, then put it back" },
    );
    const files = (await run(from)).filter((f) => f.finding.alertId === "MAKER-FLASH-FILE").map((f) => f.finding.metadata);
    expect(files.map((m) => [m.what, m.previous, m.value])).toEqual([
      ["toll", toll.toString(), wad("0.01").toString()],
      ["toll", wad("0.01").toString(), toll.toString()],
    ]);
    for (const m of files) expect(m).toMatchObject({ callerClass: "governance", callerSource: "plan" });
  });

  it("follows the ChainLog: a DssFlash registered under MCD_FLASH by governance is watched from that block on", async () => {
    const fresh = await deployContract(mk.deployer, "DssFlash", mk.daiJoin.address);
    await mined(fresh["file(bytes32,uint256)"](b32("max"), wad("500000000")));
    const from = await next();
    await mk.asPauseProxy(async (proxy) => {
      await mined(mk.vat.connect(proxy).rely(fresh.address));
      await mined(mk.chainlog.connect(proxy).setAddress(b32("MCD_FLASH"), fresh.address));
    });
    const borrower = await deployContract(chain.signer(8), "DaiFlashBorrower", fresh.address, mk.vat.address);
    await mined(borrower.borrow(mk.dai.address, wad("20000000")));
    await flashMint(mk, "30000000"); // the old module is no longer in the ChainLog
    const findings = await run(from);
    expect(alertsOf(findings)).toEqual(["MAKER-FLASH-LARGE-LOAN Info"]);
    expect(findings[0]!.finding.metadata).toMatchObject({ flash: fresh.address.toLowerCase(), amount: "20000000" });
  });
});
