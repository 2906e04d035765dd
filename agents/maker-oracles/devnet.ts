/**
 * maker-oracles' part of the devnet storyline: keepers at work (quiet), then price moves, a stale
 * OSM, governance operating the oracles, an outsider swapping a price source, Median feeds and
 * quorum, the fixed-price PIP_USDC, the ChainLog moving PIP_ETH, and the capped LOCKSTAKE_ORACLE
 * (its cap, the SKY price above it, the Spotter's Lockstake pip moved away from it). Every scene starts by letting
 * the keepers catch up (other scenes may have moved time) and leaves the oracles as it found them:
 * same sources, feeds, quorum, hop, wards and prices, OSMs started and poked.
 */
import { ethers } from "forta-agent";
import type { Scene } from "../../scripts/devnet/scene";
import type { DevnetWorld } from "../../scripts/devnet/world";
import { feedSigners, type MakerSystem } from "../../test/chain/maker";
import { chronicleOf } from "../../scripts/devnet/parts/chronicle";
import { lockstakeOf } from "../../scripts/devnet/parts/lockstake";
import { LOCKSTAKE_ILK } from "../../test/chain/sky";
import { challengeScribe, opPokeScribe, pokeScribe, scribeValue } from "../../test/chain/maker/chronicle";
import { mined } from "../../test/chain/deploy";
import { b32 } from "../../test/chain/units";
import {
  deployReplacementOsm,
  deployRogueMedian,
  medianValue,
  moveChainlogKey,
  movePrice,
  passPokes,
  passTime,
  relayMedianPrice,
} from "../../test/chain/maker/oracle-helpers";

const wad = (n: string) => ethers.utils.parseEther(n);

/** Let the keepers poke whatever is due, so a scene starts from fresh oracles. */
async function freshen(mk: MakerSystem): Promise<void> {
  await passTime(mk, 60);
}

async function spotPoke(mk: MakerSystem): Promise<void> {
  await mined(mk.spot.poke(b32("ETH-A")));
}

export const scenes: Scene[] = [
  {
    title: "keepers poke the Medians and OSMs every hour from rotating accounts; prices drift a little",
    expects: [],
    order: 20,
    async play({ maker }: DevnetWorld) {
      await passTime(maker, 3600);
      await spotPoke(maker);
    },
  },
  {
    title: "ETH falls 12% then jumps 36%: each queued price is reported, with the Median running ahead of the OSM; then back",
    expects: ["MAKER-OSM-PRICE-JUMP", "MAKER-ORACLE-DIVERGENCE"],
    order: 300,
    async play({ maker, l1 }: DevnetWorld) {
      await freshen(maker);
      const eth = maker.ilks["ETH-A"];
      const before = await medianValue(maker, "ETH-A");
      await relayMedianPrice(maker, eth.median, before.mul(88).div(100), l1.signer(5));
      await passPokes(maker, "ETH-A", 1, { hold: ["ETH-A"] }); // -12% queued
      await relayMedianPrice(maker, eth.median, before.mul(88).div(100).mul(15).div(11), l1.signer(6));
      await passPokes(maker, "ETH-A", 1, { hold: ["ETH-A"] }); // +36% queued
      await movePrice(maker, "ETH-A", ethers.utils.formatEther(before));
      await spotPoke(maker);
    },
  },
  {
    title: "the keepers skip ETH's OSM for twenty minutes past its due time, then a newcomer pokes it",
    expects: ["MAKER-OSM-STALE"],
    order: 310,
    async play({ maker, l1 }: DevnetWorld) {
      await freshen(maker);
      const pip = maker.ilks["ETH-A"].pip;
      const due = Number(await pip.zzz()) + Number(await pip.hop());
      await passTime(maker, due + 20 * 60 - (await l1.timestamp()), { keep: ["WBTC-A"], blockSeconds: 300 });
      await mined(pip.connect(l1.signer(3)).poke());
    },
  },
  {
    title: "governance operates ETH's OSM: stop and start, a shorter then the usual hop, a ward granted and revoked, a reader whitelisted and removed",
    expects: ["MAKER-OSM-STOP", "MAKER-OSM-START", "MAKER-OSM-HOP", "MAKER-ORACLE-RIGHTS", "MAKER-ORACLE-WHITELIST"],
    order: 320,
    async play({ maker, l1 }: DevnetWorld) {
      await passPokes(maker, "ETH-A", 1);
      const pip = maker.ilks["ETH-A"].pip;
      const hop = Number(await pip.hop());
      await maker.asPauseProxy(async (p) => {
        const osm = pip.connect(p);
        await mined(osm.stop());
        await mined(osm.start());
        await mined(osm.step(Math.floor(hop / 2)));
        await mined(osm.step(hop));
        await mined(osm.rely(l1.accounts[8]!));
        await mined(osm.deny(l1.accounts[8]!));
        await mined(osm["kiss(address)"](l1.accounts[8]!));
        await mined(osm["diss(address)"](l1.accounts[8]!));
      });
    },
  },
  {
    title: "an outsider holding a ward on ETH's OSM swaps its source to a rogue Median at half the price; governance voids the queued price and restores the source",
    expects: ["MAKER-OSM-SOURCE", "MAKER-ORACLE-DIVERGENCE", "MAKER-OSM-PRICE-JUMP", "MAKER-MEDIAN-FEEDS", "MAKER-OSM-STOP", "MAKER-OSM-VOID", "MAKER-OSM-NO-PRICE", "MAKER-ORACLE-RIGHTS"],
    order: 330,
    async play({ maker, l1 }: DevnetWorld) {
      await freshen(maker);
      const eth = maker.ilks["ETH-A"];
      const rogue = l1.signer(9);
      const rogueAddress = l1.accounts[9]!;
      const price = await medianValue(maker, "ETH-A");
      await maker.asPauseProxy((p) => mined(eth.pip.connect(p).rely(rogueAddress)));
      const { median: bad, feed } = await deployRogueMedian(maker, "ETHUSD", [eth.pip.address], rogue);
      await relayMedianPrice(maker, bad, price.div(2), rogue, [feed]);
      await mined(eth.pip.connect(rogue).change(bad.address));
      await passPokes(maker, "ETH-A", 1, { hold: ["ETH-A"] }); // a keeper pokes: half the price is queued
      await mined(bad.connect(rogue).lift([ethers.Wallet.createRandom().address]));
      await mined(eth.pip.connect(rogue).stop());
      await maker.asPauseProxy(async (p) => {
        const osm = eth.pip.connect(p);
        await mined(osm.void());
        await mined(osm.change(eth.median.address));
        await mined(osm.deny(rogueAddress));
        await mined(osm.start());
      });
      await passPokes(maker, "ETH-A", 2);
      await spotPoke(maker);
    },
  },
  {
    title: "governance adds five price feeds to ETH's Median and removes them, lowers the quorum and restores it",
    expects: ["MAKER-MEDIAN-FEEDS", "MAKER-MEDIAN-BAR"],
    order: 340,
    async play({ maker }: DevnetWorld) {
      const { median } = maker.ilks["ETH-A"];
      const bar = Number(await median.bar());
      const used = new Set(maker.feeds.map((f) => f.address.slice(2, 4).toLowerCase()));
      const extra = feedSigners(40, "vigil-devnet-extra")
        .filter((w) => !used.has(w.address.slice(2, 4).toLowerCase()))
        .slice(0, 5)
        .map((w) => w.address);
      await maker.asPauseProxy(async (p) => {
        const m = median.connect(p);
        await mined(m.lift(extra));
        await mined(m.drop(extra));
        if (bar > 1) {
          await mined(m.setBar(bar - 2 > 0 ? bar - 2 : 1));
          await mined(m.setBar(bar));
        }
      });
    },
  },
  {
    title: "governance reprices the fixed-price PIP_USDC, voids it, and sets it back to 1.00",
    expects: ["MAKER-PIP-VALUE"],
    order: 350,
    async play({ maker }: DevnetWorld) {
      const word = (n: string) => ethers.utils.hexZeroPad(wad(n).toHexString(), 32);
      const [before] = (await maker.usdcPip.peek()) as [string, boolean];
      await maker.asPauseProxy(async (p) => {
        const pip = maker.usdcPip.connect(p);
        await mined(pip.poke(word("0.99")));
        await mined(pip.void());
        await mined(pip.poke(before === ethers.constants.HashZero ? word("1") : before));
      });
    },
  },
  {
    title: "the ChainLog moves PIP_ETH to a replacement OSM and back: the oracle bot follows both moves",
    expects: ["MAKER-ORACLE-WATCH"],
    order: 360,
    async play({ maker }: DevnetWorld) {
      const old = maker.ilks["ETH-A"].pip.address;
      const replacement = await deployReplacementOsm(maker, "ETH-A", { poke: false });
      await moveChainlogKey(maker, "PIP_ETH", replacement.address);
      await moveChainlogKey(maker, "PIP_ETH", old);
    },
  },
  {
    title: "Chronicle's SKY/USD ScribeOptimistic behind PIP_SKY: a regular poke, then an optimistic poke nobody challenges",
    expects: [],
    order: 25,
    async play(world: DevnetWorld) {
      const { scribe } = chronicleOf(world);
      await pokeScribe(world.maker, scribe, wad("0.06"), world.l1.signer(5));
      await passTime(world.maker, 1800);
      await opPokeScribe(world.maker, scribe, wad("0.0601"), world.l1.signer(3));
      await passTime(world.maker, 1800); // final after its 20-minute challenge period
    },
  },
  {
    title: "governance operates the SKY/USD Scribe: a feed lifted and dropped, the quorum and the challenge period lowered and restored, a reader and a ward granted and revoked",
    expects: ["MAKER-SCRIBE-FEEDS", "MAKER-SCRIBE-BAR", "MAKER-ORACLE-RIGHTS", "MAKER-ORACLE-WHITELIST"],
    order: 370,
    async play(world: DevnetWorld) {
      const { scribe } = chronicleOf(world);
      const who = world.l1.accounts[8]!;
      await world.maker.asPauseProxy(async (p) => {
        const s = scribe.connect(p);
        await mined(s.lift(who));
        await mined(s.drop(who));
        await mined(s.setBar(1));
        await mined(s.setBar(2));
        await mined(s.setOpChallengePeriod(600));
        await mined(s.setOpChallengePeriod(1200));
        await mined(s.kiss(who));
        await mined(s.diss(who));
        await mined(s.rely(who));
        await mined(s.deny(who));
      });
    },
  },
  {
    title: "a SKY/USD feed posts an optimistic price the quorum never signed; a challenger proves it invalid (the feed is dropped), governance lifts the feed again",
    expects: ["MAKER-SCRIBE-CHALLENGE", "MAKER-SCRIBE-FEEDS"],
    order: 375,
    async play(world: DevnetWorld) {
      const { scribe } = chronicleOf(world);
      await passTime(world.maker, 1300); // the last optimistic poke is final
      await opPokeScribe(world.maker, scribe, wad("0.01"), world.l1.signer(3), false);
      await challengeScribe(scribe, world.l1.signer(6));
      await world.maker.asPauseProxy((p) => mined(scribe.connect(p).lift(world.l1.accounts[3]!)));
    },
  },
  {
    title: "nobody pokes the SKY/USD Scribe for four hours; then a relayer does",
    expects: ["MAKER-SCRIBE-STALE"],
    order: 380,
    async play(world: DevnetWorld) {
      const { scribe } = chronicleOf(world);
      await pokeScribe(world.maker, scribe, await scribeValue(world.maker, scribe), world.l1.signer(5));
      await passTime(world.maker, 4 * 3600);
      await pokeScribe(world.maker, scribe, await scribeValue(world.maker, scribe), world.l1.signer(6));
    },
  },
  {
    title: "governance raises LOCKSTAKE_ORACLE's cap on the SKY price, then sets it back",
    expects: ["MAKER-ORACLE-CAP"],
    order: 385,
    async play(world: DevnetWorld) {
      // whichever capped wrapper the ChainLog lists (the Lockstake part's, or the Chronicle part's)
      const capped = new ethers.Contract(world.maker.addresses.LOCKSTAKE_ORACLE!, ["function cap() view returns (uint256)", "function file(bytes32 what, uint256 data)"], world.l1.provider);
      const before = (await capped.cap()) as ethers.BigNumber;
      await world.maker.asPauseProxy(async (p) => {
        await mined(capped.connect(p).file(b32("cap"), wad("0.04")));
        await mined(capped.connect(p).file(b32("cap"), before));
      });
    },
  },
  {
    title: "the SKY price rises above LOCKSTAKE_ORACLE's cap (the Spotter reads the cap), then falls back under it",
    expects: ["MAKER-ORACLE-CAP-BINDING"],
    order: 386,
    async play(world: DevnetWorld) {
      const ls = lockstakeOf(world);
      const [before] = (await ls.pipSky.peek()) as [string, boolean];
      const cap = (await ls.oracle.cap()) as ethers.BigNumber;
      await ls.setSkyPrice(ethers.utils.formatEther(cap.mul(3).div(2)));
      await world.l1.mine();
      await ls.setSkyPrice(ethers.utils.formatEther(before));
      await world.l1.mine();
    },
  },
  {
    title: "governance points the Spotter's Lockstake ilk at the raw SKY price (no cap), then back at LOCKSTAKE_ORACLE",
    expects: ["MAKER-ORACLE-CAPPED-PIP"],
    order: 387,
    async play(world: DevnetWorld) {
      const ls = lockstakeOf(world);
      const { spot } = world.maker;
      const filePip = (p: ethers.Signer, pip: string) => mined(spot.connect(p)["file(bytes32,bytes32,address)"](b32(LOCKSTAKE_ILK), b32("pip"), pip));
      await world.maker.asPauseProxy(async (p) => {
        await filePip(p, ls.pipSky.address);
        await filePip(p, world.maker.addresses.LOCKSTAKE_ORACLE!);
      });
    },
  },
];
