/**
 * The modules of the deployed system behave, emit and store like mainnet: oracles (Median, OSM,
 * Spotter), liquidations (Dog/Clipper and the legacy Cat), flash loans, PSMs, the ilk registry,
 * the DAI bridge ends, and the governance flash-loan pattern against the chief.
 */
import { ethers } from "forta-agent";
import { startAnvil, type AnvilChain } from "./anvil";
import { mined } from "./deploy";
import {
  bridgeDeposit, deployL2Dai, deployMaker, flashMint, fundVatDai, governanceFlashLoanAttack, mintUnbacked, signPrice, useCat,
  vatDaiFlashLoan, vatInvariant, type MakerSystem,
} from "./maker";
import { addressWord, b32, fromB32, rad, RAY, ray, wad } from "./units";

let chain: AnvilChain;
let mk: MakerSystem;
let clean: string;

beforeAll(async () => {
  chain = await startAnvil();
  mk = await deployMaker(chain);
  clean = await chain.snapshot();
});
afterAll(async () => {
  await chain?.stop();
});
afterEach(async () => {
  await chain.revert(clean);
  clean = await chain.snapshot();
});

const sigTopic = (sig: string): string => ethers.utils.id(sig).slice(0, 10).padEnd(66, "0");
const word = (v: ethers.BigNumberish): string => ethers.utils.hexZeroPad(ethers.BigNumber.from(v).toHexString(), 32);
const first224 = (calldata: string): string =>
  ethers.utils.defaultAbiCoder.encode(["bytes"], [ethers.utils.hexDataSlice(ethers.utils.hexConcat([calldata, new Uint8Array(224)]), 0, 224)]);
const low128 = (slot: string): ethers.BigNumber => ethers.BigNumber.from(slot).mask(128);
const high128 = (slot: string): ethers.BigNumber => ethers.BigNumber.from(slot).shr(128);

describe("oracles", () => {
  it("setPrice moves a price median -> OSM -> Spotter -> Vat, with the mainnet events", async () => {
    const eth = mk.ilks["ETH-A"];
    const [medianPoke, osmPoke1, osmPoke2, spotPoke] = await mk.setPrice("ETH-A", "1500.5");

    const medianLog = medianPoke.events!.find((e) => e.event === "LogMedianPrice")!;
    expect(medianLog.args!.val.toString()).toBe(wad("1500.5").toString());
    const block = await chain.provider.getBlock(medianPoke.blockNumber);
    expect(medianLog.args!.age.toNumber()).toBe(block.timestamp);

    // OSM poke: LogValue(the new current value), then the LibNote (emitted after the body)
    for (const r of [osmPoke1, osmPoke2]) {
      const logs = r.logs.filter((l) => l.address === eth.pip.address);
      expect(logs).toHaveLength(2);
      expect(logs[0].topics[0]).toBe(ethers.utils.id("LogValue(bytes32)"));
      expect(logs[1].topics).toEqual([sigTopic("poke()"), addressWord(r.from), word(0), word(0)]);
      expect(logs[1].data).toBe(first224(eth.pip.interface.encodeFunctionData("poke")));
    }
    // the second poke made the new price current
    expect(ethers.BigNumber.from(osmPoke2.logs[0].data).toString()).toBe(wad("1500.5").toString());
    // one hop between the two OSM pokes
    const t1 = (await chain.provider.getBlock(osmPoke1.blockNumber)).timestamp;
    const t2 = (await chain.provider.getBlock(osmPoke2.blockNumber)).timestamp;
    expect(t2 - t1).toBeGreaterThanOrEqual(1);
    expect(t2 % 3600).toBe(0);

    const poke = spotPoke.events!.find((e) => e.event === "Poke")!;
    const spot = wad("1500.5").mul(1e9).mul(RAY).div(ray("1.45"));
    expect(fromB32(poke.args!.ilk)).toBe("ETH-A");
    expect(poke.args!.spot.toString()).toBe(spot.toString());
    expect((await mk.vat.ilks(eth.ilk)).spot.toString()).toBe(spot.toString());
  });

  it("OSM and Median keep the mainnet storage layout (cur/nxt feeds, packed src/hop/zzz, val/age)", async () => {
    const eth = mk.ilks["ETH-A"];
    await mk.pokeMedian("ETH-A", "1800");
    await mk.pokeOsm("ETH-A"); // cur = 2000 (deploy price), nxt = 1800
    const asSpot = { from: mk.spot.address }; // the Spotter is a whitelisted reader (bud)
    const osm = eth.pip.connect(chain.provider); // a provider-only handle may set `from` on calls
    const [curVal, curHas] = await osm.peek(asSpot);
    const [nxtVal] = await osm.peep(asSpot);

    const cur = await chain.getStorageAt(eth.pip.address, 3);
    const nxt = await chain.getStorageAt(eth.pip.address, 4);
    expect(low128(cur).toString()).toBe(ethers.BigNumber.from(curVal).toString());
    expect(low128(cur).toString()).toBe(wad("2000").toString());
    expect(high128(cur).toNumber()).toBe(curHas ? 1 : 0);
    expect(low128(nxt).toString()).toBe(ethers.BigNumber.from(nxtVal).toString());
    expect(low128(nxt).toString()).toBe(wad("1800").toString());

    const packed = ethers.BigNumber.from(await chain.getStorageAt(eth.pip.address, 2));
    expect(ethers.utils.getAddress(ethers.utils.hexZeroPad(packed.mask(160).toHexString(), 20))).toBe(eth.median.address);
    expect(packed.shr(160).mask(16).toNumber()).toBe(Number(await eth.pip.hop()));
    expect(packed.shr(176).mask(64).toNumber()).toBe(Number(await eth.pip.zzz()));
    expect(Number(await eth.pip.hop())).toBe(3600);

    const m = await chain.getStorageAt(eth.median.address, 1);
    expect(low128(m).toString()).toBe(wad("1800").toString());
    expect(ethers.BigNumber.from(m).shr(128).mask(32).toNumber()).toBe(Number(await eth.median.age()));
    expect((await eth.median.connect(chain.provider).read({ from: eth.pip.address })).toString()).toBe(wad("1800").toString());
  });

  it("OSM.change (a source swap) logs the new source in the LibNote; the Median rejects unknown signers", async () => {
    const eth = mk.ilks["ETH-A"];
    const evil = new ethers.Wallet(ethers.utils.randomBytes(32)).address;
    const r = await mk.asPauseProxy((p) => mined(eth.pip.connect(p).change(evil)));
    const log = r.logs.find((l) => l.address === eth.pip.address)!;
    expect(log.topics).toEqual([sigTopic("change(address)"), addressWord(mk.pauseProxy.address), addressWord(evil), word(0)]);
    expect(await eth.pip.src()).toBe(evil);

    const outsider = new ethers.Wallet(ethers.utils.randomBytes(32));
    const age = (await chain.timestamp()) + 1;
    const sig = await signPrice(outsider, wad("1"), age, await eth.median.wat());
    await mk.asPauseProxy((p) => mined(eth.median.connect(p).setBar(1)));
    await expect(eth.median.poke([wad("1")], [age], [sig.v], [sig.r], [sig.s])).rejects.toThrow(/Median\/invalid-oracle/);
  });

  it("PIP_USDC is a fixed 1.0 DSValue", async () => {
    const [val, has] = await mk.usdcPip.peek();
    expect(has).toBe(true);
    expect(ethers.BigNumber.from(val).toString()).toBe(wad("1").toString());
  });
});

describe("liquidations", () => {
  it("bark and take: Dog -> Clipper with the mainnet events, accounting intact", async () => {
    const eth = mk.ilks["ETH-A"];
    const urn = mk.vaults[0].urn; // 100 ETH, 60,000 DAI
    await mk.setPrice("ETH-A", "700"); // 100 * 700 / 1.45 < 60,000: unsafe
    const [, rate] = await mk.vat.ilks(eth.ilk);

    const { id, receipt } = await mk.bark("ETH-A", urn);
    expect(id).toBe(1);
    const barkEv = receipt.events!.find((e) => e.address === mk.dog.address && e.event === "Bark")!;
    expect(barkEv.args!.urn).toBe(urn);
    expect(barkEv.args!.ink.toString()).toBe(wad("100").toString());
    expect(barkEv.args!.art.toString()).toBe(wad("60000").toString());
    expect(barkEv.args!.due.toString()).toBe(wad("60000").mul(rate).toString());
    expect(barkEv.args!.clip).toBe(eth.clip.address);

    const kick = eth.clip.interface.parseLog(receipt.logs.find((l) => l.address === eth.clip.address && l.topics[0] === eth.clip.interface.getEventTopic("Kick"))!);
    const tab = wad("60000").mul(rate).mul(wad("1.13")).div(wad("1"));
    expect(kick.args.tab.toString()).toBe(tab.toString());
    expect(kick.args.top.toString()).toBe(ray("840").toString()); // 700 * buf 1.2
    expect(kick.args.coin.toString()).toBe(rad("250").add(tab.mul(wad("0.001")).div(wad("1"))).toString());
    expect((await eth.clip.list()).map(Number)).toEqual([1]);
    expect((await vatInvariant(mk)).holds).toBe(true);

    // the whole lot at the current price: the auction raises `tab` and returns the rest to the urn
    const taker = chain.signer(9);
    await fundVatDai(mk, taker, "70000");
    const takeReceipt = await mk.take("ETH-A", id, { taker });
    const takeEv = eth.clip.interface.parseLog(takeReceipt.logs.find((l) => l.address === eth.clip.address)!);
    expect(takeEv.name).toBe("Take");
    expect(takeEv.args.owe.toString()).toBe(tab.toString());
    expect(takeEv.args.tab.toNumber()).toBe(0);
    expect(Number(await eth.clip.count())).toBe(0);
    expect((await mk.dog.Dirt()).toString()).toBe("0");
    expect((await mk.vat.gem(eth.ilk, urn)).gt(0)).toBe(true);
    expect((await vatInvariant(mk)).holds).toBe(true);
  });

  it("an auction past `tail` needs a redo, which restarts it from the current feed price", async () => {
    const eth = mk.ilks["ETH-A"];
    await mk.setPrice("ETH-A", "700");
    const { id } = await mk.bark("ETH-A", mk.vaults[0].urn);
    await chain.increaseTime(mk.params.ilks["ETH-A"].tail + 1);
    await chain.mine();
    expect((await eth.clip.getStatus(id)).needsRedo).toBe(true);
    const r = await mined(eth.clip.connect(chain.signer(9)).redo(id, chain.accounts[9]));
    expect(r.events!.some((e) => e.event === "Redo")).toBe(true);
    expect((await eth.clip.getStatus(id)).needsRedo).toBe(false);
  });

  it("the legacy Cat bites into a Flipper (Bite event)", async () => {
    const flip = await useCat(mk, "ETH-A");
    await mk.setPrice("ETH-A", "700");
    const urn = mk.vaults[0].urn;
    const r = await mined(mk.cat.bite(b32("ETH-A"), urn));
    const bite = r.events!.find((e) => e.event === "Bite")!;
    expect(bite.args!.urn).toBe(urn);
    expect(bite.args!.flip).toBe(flip.address);
    expect(bite.args!.id.toNumber()).toBe(1);
    expect((await vatInvariant(mk)).holds).toBe(true);
  });
});

describe("flash loans, PSMs, registry, bridge", () => {
  it("DssFlash: a DAI flash mint and a vat-dai flash loan, repaid in the same transaction", async () => {
    const r = await flashMint(mk, "10000000");
    const ev = mk.flash.interface.parseLog(r.logs.find((l) => l.address === mk.flash.address)!);
    expect(ev.name).toBe("FlashLoan");
    expect(ev.args.token).toBe(mk.dai.address);
    expect(ev.args.amount.toString()).toBe(wad("10000000").toString());
    expect(ev.args.fee.toNumber()).toBe(0);

    const r2 = await vatDaiFlashLoan(mk, rad("5000"));
    expect(mk.flash.interface.parseLog(r2.logs.find((l) => l.address === mk.flash.address)!).name).toBe("VatDaiFlashLoan");
    expect((await mk.vat.sin(mk.flash.address)).toString()).toBe("0");
    expect((await vatInvariant(mk)).holds).toBe(true);
    await expect(flashMint(mk, "600000000")).rejects.toThrow(/DssFlash\/ceiling-exceeded/);
  });

  it("PSM and lite PSM swaps emit SellGem/BuyGem", async () => {
    const user = chain.signer(6);
    const sell = await mk.sellGem("psm", user, "2500");
    const ev = mk.psm.interface.parseLog(sell.logs.find((l) => l.address === mk.psm.address)!);
    expect([ev.name, ev.args.owner, ev.args.value.toString()]).toEqual(["SellGem", chain.accounts[6], "2500000000"]);
    expect((await mk.dai.balanceOf(chain.accounts[6])).toString()).toBe(wad("2500").toString());

    await mined(mk.dai.connect(user).approve(mk.litePsm.address, wad("1000")));
    const buy = await mined(mk.litePsm.connect(user).buyGem(chain.accounts[6], 1_000_000_000));
    const ev2 = mk.litePsm.interface.parseLog(buy.logs.find((l) => l.address === mk.litePsm.address)!);
    expect([ev2.name, ev2.args.value.toString()]).toEqual(["BuyGem", "1000000000"]);
    expect((await mk.usdc.balanceOf(chain.accounts[6])).toString()).toBe("1000000000");
  });

  it("the ilk registry enumerates every collateral type", async () => {
    const names = (await mk.ilkRegistry["list()"]()).map(fromB32);
    expect(names).toEqual(["ETH-A", "WBTC-A", "PSM-USDC-A", "LITE-PSM-USDC-A"]);
    const info = await mk.ilkRegistry.info(b32("ETH-A"));
    expect([info.name, info.symbol, info.class.toNumber(), info.dec.toNumber()]).toEqual(["Wrapped Ether", "WETH", 1, 18]);
    // (info.join would be Array.prototype.join: read the 7th field by position)
    expect([info.gem, info.pip, info[6], info.xlip]).toEqual([
      mk.ilks["ETH-A"].gem.address, mk.ilks["ETH-A"].pip.address, mk.ilks["ETH-A"].join.address, mk.ilks["ETH-A"].clip.address,
    ]);
    expect((await mk.ilkRegistry.info(b32("WBTC-A"))).dec.toNumber()).toBe(8);
  });

  it("the DAI bridge: escrow balance on L1 covers L2 supply until the L2 mints unbacked DAI", async () => {
    const l2chain = await startAnvil({ chainId: 10 });
    try {
      const l2 = await deployL2Dai(l2chain);
      await bridgeDeposit(mk, l2, chain.signer(3), "1000");
      const escrowed = await mk.dai.balanceOf(mk.escrow.address);
      expect(escrowed.toString()).toBe(wad("1000").toString());
      expect((await l2.dai.totalSupply()).toString()).toBe(escrowed.toString());
      await mintUnbacked(l2, l2chain.accounts[1], "1");
      expect((await l2.dai.totalSupply()).gt(await mk.dai.balanceOf(mk.escrow.address))).toBe(true);
    } finally {
      await l2chain.stop();
    }
  });
});

describe("governance flash-loan pattern", () => {
  it("is stopped by ds-chief 1.2 (tokens locked in a block cannot be freed in it)", async () => {
    const hat = await mk.chief.hat();
    await expect(governanceFlashLoanAttack(mk)).rejects.toThrow();
    expect(await mk.chief.hat()).toBe(hat);
  });

  it("moves the hat in one transaction against the pre-2021 chief", async () => {
    const old = await startAnvil();
    try {
      const sys = await deployMaker(old, { chiefWithoutFlashGuard: true, openVaults: false });
      const before = await sys.chief.hat();
      const attack = await governanceFlashLoanAttack(sys);
      expect(await sys.chief.hat()).toBe(attack.spell.address);
      expect(before).not.toBe(attack.spell.address);
      // Everything happened in one transaction, logged by the chief in this order. vote(address[])
      // calls etch and vote(bytes32) internally: both LogNotes carry the outer selector, as on mainnet.
      const chiefLogs = attack.receipt.logs.filter((l) => l.address === sys.chief.address);
      const sel = (s: string): string => ethers.utils.id(s).slice(0, 10);
      expect(chiefLogs.map((l) => l.topics[0].slice(0, 10))).toEqual([
        sel("lock(uint256)"), ethers.utils.id("Etch(bytes32)").slice(0, 10), sel("vote(address[])"), sel("vote(address[])"), sel("lift(address)"), sel("free(uint256)"),
      ]);
      const lift = chiefLogs.find((l) => l.topics[0].startsWith(sel("lift(address)")))!;
      expect(lift.topics[1]).toBe(addressWord(attack.attacker.address));
      expect(lift.topics[2]).toBe(addressWord(attack.spell.address));
      // the loan was repaid
      expect((await sys.gov.balanceOf(attack.lender.address)).toString()).toBe(wad("500000").toString());
    } finally {
      await old.stop();
    }
  });
});
