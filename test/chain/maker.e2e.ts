/**
 * deployMaker on a real anvil chain: the system is wired like mainnet, its accounting holds, and
 * the contracts emit the mainnet event layouts a bot decodes.
 */
import { ethers } from "forta-agent";
import { startAnvil, type AnvilChain } from "./anvil";
import { mined } from "./deploy";
import { call, deployMaker, vatInvariant, type MakerSystem } from "./maker";
import { addressWord, b32, rad, ray, wad } from "./units";

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
// Every test starts from the freshly deployed system.
afterEach(async () => {
  await chain.revert(clean);
  clean = await chain.snapshot();
});

const selector = (sig: string): string => ethers.utils.id(sig).slice(0, 10);
/** topic 0 of an anonymous LogNote: the 4-byte selector, left-aligned in 32 bytes. */
const sigTopic = (sig: string): string => ethers.utils.hexZeroPad(selector(sig), 4).padEnd(66, "0");
const word = (v: ethers.BigNumberish): string => ethers.utils.hexZeroPad(ethers.BigNumber.from(v).toHexString(), 32);
/** The `bytes data` of a dss note: ABI-encoded bytes holding the first 224 bytes of calldata. */
const first224 = (calldata: string): string =>
  ethers.utils.defaultAbiCoder.encode(["bytes"], [ethers.utils.hexDataSlice(ethers.utils.hexConcat([calldata, new Uint8Array(224)]), 0, 224)]);

describe("deployMaker: addresses and rights", () => {
  it("registers every contract in the ChainLog under its mainnet key", async () => {
    const keys: string[] = (await mk.chainlog.list()).map((k: string) => ethers.utils.parseBytes32String(k));
    expect(keys.sort()).toEqual(Object.keys(mk.addresses).sort());
    expect(Number(await mk.chainlog.count())).toBe(keys.length);
    for (const [key, address] of Object.entries(mk.addresses)) {
      expect(await mk.chainlog.getAddress(b32(key))).toBe(address);
    }
    expect(mk.addresses.MCD_VAT).toBe(mk.vat.address);
    expect(mk.addresses.MCD_PAUSE_PROXY).toBe(mk.pauseProxy.address);
    expect(mk.addresses.MCD_JOIN_ETH_A).toBe(mk.ilks["ETH-A"].join.address);
    await expect(mk.chainlog.getAddress(b32("NO_SUCH_KEY"))).rejects.toThrow(/dss-chain-log\/invalid-key/);
  });

  it("gives the pause proxy the admin rights and leaves the deployer none", async () => {
    const me = await mk.deployer.getAddress();
    const warded = [
      mk.vat, mk.dai, mk.daiJoin, mk.jug, mk.spot, mk.vow, mk.pot, mk.dog, mk.cat, mk.end, mk.esm, mk.flash,
      mk.chainlog, mk.ilkRegistry, mk.escrow, mk.psm, mk.psmJoin, mk.litePsm, mk.litePsmPocket,
      ...Object.values(mk.ilks).flatMap((h) => [h.join, h.pip, h.median, h.clip, h.calc]),
    ];
    for (const c of warded) {
      expect({ c: c.address, proxy: Number(await c.wards(mk.pauseProxy.address)), deployer: Number(await c.wards(me)) }).toEqual({ c: c.address, proxy: 1, deployer: 0 });
    }
    expect(await mk.usdcPip.owner()).toBe(mk.pauseProxy.address);
    expect(await mk.gov.owner()).toBe(mk.pauseProxy.address);
    expect(await mk.pauseProxy.owner()).toBe(mk.pause.address);
    expect(await mk.pause.owner()).toBe(ethers.constants.AddressZero);
    expect(await mk.pause.authority()).toBe(mk.chief.address);
    expect(Number(await mk.pause.delay())).toBe(mk.params.pauseDelay);
    expect(await mk.chief.live()).toBe(true);
    // the ESM can take the proxy's rights away on the Vat and cage the End
    expect(Number(await mk.vat.wards(mk.esm.address))).toBe(1);
    expect(Number(await mk.end.wards(mk.esm.address))).toBe(1);
  });

  it("opens vaults and swaps in the PSMs, so the system carries debt", async () => {
    expect(mk.vaults).toHaveLength(2);
    const [ink, art] = await mk.vat.urns(b32("ETH-A"), mk.vaults[0].urn);
    expect(ink.toString()).toBe(wad("100").toString());
    expect(art.toString()).toBe(wad("60000").toString());
    // 60,000 + 100,000 in vaults, 1,000,000 through the PSM, 50,000,000 pre-minted by the lite PSM (buf)
    expect((await mk.vat.debt()).toString()).toBe(rad("51160000").toString());
    expect((await mk.dai.totalSupply()).toString()).toBe(wad("51160000").toString());
    expect((await mk.dai.balanceOf(mk.vaults[1].urn)).toString()).toBe(wad("100000").toString());
    expect((await mk.dai.balanceOf(chain.accounts[3])).toString()).toBe(wad("3000000").toString());
  });
});

describe("Vat accounting", () => {
  it("keeps debt == vice + sum(Art * rate) through frob, fold, suck, grab and heal", async () => {
    const check = async (what: string): Promise<void> => {
      const inv = await vatInvariant(mk);
      expect({ what, holds: inv.holds }).toEqual({ what, holds: true });
    };
    await check("deploy");

    // frob: a new vault and a partial repay
    const v = await mk.openVault("ETH-A", { owner: chain.signer(4), ink: "10", art: "8000", exit: false });
    await mined(mk.vat.connect(chain.signer(4)).frob(b32("ETH-A"), v.urn, v.urn, v.urn, 0, wad("-500")));
    await check("frob");

    await mk.asPauseProxy(async (proxy) => {
      const vat = mk.vat.connect(proxy);
      const vow = mk.vow.address;
      // fold: 1% more on ETH-A's rate, credited to the "vow"
      await mined(vat.fold(b32("ETH-A"), vow, ray("0.01")));
      await check("fold");
      // suck: unbacked dai against sin
      await mined(vat.suck(vow, vow, rad("1234.5")));
      await check("suck");
      // grab: confiscate part of the new vault (moves its debt to sin)
      await mined(vat.grab(b32("ETH-A"), v.urn, vow, vow, wad("-1"), wad("-700")));
      await check("grab");
      // heal: the vow cancels sin with dai (impersonate it: heal uses msg.sender's balances)
      const vowSigner = await chain.impersonate(vow);
      await mined(mk.vat.connect(vowSigner).heal(rad("1000")));
      await check("heal");
    });
    expect((await mk.vat.vice()).gt(0)).toBe(true);
  });

  it("can be broken only from outside, by writing storage", async () => {
    const debtSlot = 7; // mainnet Vat: uint256 public debt at slot 7
    const debt: ethers.BigNumber = await mk.vat.debt();
    await chain.setStorageAt(mk.vat.address, debtSlot, debt.add(1));
    const inv = await vatInvariant(mk);
    expect(inv.holds).toBe(false);
    expect(inv.debt.sub(inv.vice.add(inv.ilkDebt)).toNumber()).toBe(1);
  });
});

describe("transactions mined later than their gas estimate", () => {
  it("Jug.drip succeeds when time moves between the estimate and the block (rpow costs more gas for a longer span)", async () => {
    await mk.drip("ETH-A");
    await chain.send("evm_setAutomine", [false]);
    let tx: ethers.ContractTransaction;
    try {
      tx = await mk.jug.drip(b32("ETH-A")); // estimated now, a second after the last drip
      await chain.increaseTime(4 * 365 * 86400); // the block that mines it is four years later
      await chain.mine();
    } finally {
      await chain.send("evm_setAutomine", [true]);
    }
    expect((await tx.wait()).status).toBe(1);
  });
});

describe("mainnet LogNote layouts", () => {
  it("Vat.file: anonymous, topics = selector and the first three arguments (the mainnet Vat has no caller topic)", async () => {
    const receipt = await mk.asPauseProxy((proxy) => mined(mk.vat.connect(proxy)["file(bytes32,bytes32,uint256)"](b32("ETH-A"), b32("line"), rad("123"))));
    const log = receipt.logs.find((l) => l.address === mk.vat.address)!;
    const calldata = mk.vat.interface.encodeFunctionData("file(bytes32,bytes32,uint256)", [b32("ETH-A"), b32("line"), rad("123")]);
    expect(log.topics).toEqual([sigTopic("file(bytes32,bytes32,uint256)"), b32("ETH-A"), b32("line"), word(rad("123"))]);
    expect(log.data).toBe(first224(calldata));
  });

  it("dss LibNote (DaiJoin.exit): topics = selector, caller, first two arguments", async () => {
    const owner = chain.signer(1);
    const usr = await owner.getAddress();
    await mined(mk.vat.connect(owner).hope(mk.daiJoin.address));
    const [, rate] = await mk.vat.ilks(b32("ETH-A"));
    await mined(mk.vat.connect(owner).frob(b32("ETH-A"), usr, usr, usr, 0, wad("10")));
    const amount = wad("10").mul(rate).div(ray("1"));
    const receipt = await mined(mk.daiJoin.connect(owner).exit(usr, amount));
    const log = receipt.logs.find((l) => l.address === mk.daiJoin.address)!;
    expect(log.topics).toEqual([sigTopic("exit(address,uint256)"), addressWord(usr), addressWord(usr), word(amount)]);
    expect(log.data).toBe(first224(mk.daiJoin.interface.encodeFunctionData("exit", [usr, amount])));
  });

  it("DSPause.plot and DSChief.lift: ds-note layout (caller topic, foo/bar, then wad and the whole calldata)", async () => {
    const r = await mk.executeSpell([call(mk.vat, "file(bytes32,uint256)", b32("Line"), rad("2000000000"))]);
    expect((await mk.vat.Line()).toString()).toBe(rad("2000000000").toString());
    expect(await r.spell.done()).toBe(true);

    // lift(address whom), sent by the voter
    const lift = r.receipts.lift.logs.find((l) => l.address === mk.chief.address && l.topics[0] === sigTopic("lift(address)"))!;
    const liftData = mk.chief.interface.encodeFunctionData("lift", [r.spell.address]);
    expect(lift.topics).toEqual([sigTopic("lift(address)"), addressWord(await mk.deployer.getAddress()), addressWord(r.spell.address), word(0)]);
    expect(lift.data).toBe(ethers.utils.defaultAbiCoder.encode(["uint256", "bytes"], [0, liftData]));

    // plot(address usr, bytes32 tag, bytes fax, uint eta), sent by the spell (the hat)
    const plot = r.receipts.schedule.logs.find((l) => l.address === mk.pause.address)!;
    const tag = await r.spell.tag();
    expect(plot.topics).toEqual([sigTopic("plot(address,bytes32,bytes,uint256)"), addressWord(r.spell.address), addressWord(r.action), tag]);
    const [wadValue, fax] = ethers.utils.defaultAbiCoder.decode(["uint256", "bytes"], plot.data);
    expect(wadValue.toNumber()).toBe(0);
    const decoded = mk.pause.interface.decodeFunctionData("plot", fax);
    expect(decoded.usr).toBe(r.action);
    expect(decoded.eta.toNumber()).toBe(r.eta);
  });
});

describe("governance and shutdown", () => {
  it("executeSpell names the failing call when a spell reverts", async () => {
    await expect(mk.executeSpell([call(mk.vat, "file(bytes32,uint256)", b32("NotAParam"), 1)])).rejects.toThrow(
      /call #0 file\(bytes32,uint256\).*Vat\/file-unrecognized-param/,
    );
  });

  it("ESM: joining the threshold and firing cages the whole system and cuts the pause proxy off", async () => {
    const joiner = chain.signer(5);
    const min: ethers.BigNumber = await mk.esm.min();
    await mk.asPauseProxy((p) => mined(mk.gov.connect(p)["mint(address,uint256)"](chain.accounts[5], min)));
    await mined(mk.gov.connect(joiner)["approve(address,uint256)"](mk.esm.address, min));
    const join = await mined(mk.esm.connect(joiner).join(min));
    expect(join.events?.find((e) => e.event === "Join")?.args?.wad.toString()).toBe(min.toString());

    const fire = await mined(mk.esm.connect(joiner).fire());
    expect(fire.events?.some((e) => e.event === "Fire")).toBe(true);
    for (const c of [mk.vat, mk.end, mk.dog, mk.cat, mk.vow, mk.spot, mk.pot]) expect(Number(await c.live())).toBe(0);
    expect(Number(await mk.vat.wards(mk.pauseProxy.address))).toBe(0);

    // settlement starts: each ilk's cage price is fixed from its OSM (the End is a whitelisted reader)
    const cageIlk = await mined(mk.end["cage(bytes32)"](b32("ETH-A")));
    const ev = cageIlk.events!.find((e) => e.event === "Cage")!;
    expect(ev.topics[1]).toBe(b32("ETH-A"));
    expect((await mk.end.tag(b32("ETH-A"))).toString()).toBe(ray("1").mul(wad("1")).div(wad("2000")).toString());
  });
});
