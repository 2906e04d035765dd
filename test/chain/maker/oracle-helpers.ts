/**
 * Oracle scenarios for tests and devnet scenes (maker-oracles): time passing as on mainnet, with
 * keepers poking Medians and OSMs every hop from whatever account; a spell cast through the
 * chief and the pause while the keepers keep poking through the pause delay; a new OSM to move a
 * PIP_* key to; a rogue Median. Built on ./oracles.ts and ./governance.ts.
 */
import { ethers } from "forta-agent";
import { attach, deployContract, mined } from "../deploy";
import { b32, wad } from "../units";
import type { MakerSystem, OracleIlkName } from "../maker";
import { signPrice } from "./oracles";
import { isScribe, pokeScribe, scribeValue } from "./chronicle";
import type { SpellCall } from "./governance";

/** The Median's current value (wad) from storage (its read() is whitelisted); a Chronicle Scribe's when it is the ilk's source (./chronicle.ts). */
export async function medianValue(mk: MakerSystem, ilk: OracleIlkName): Promise<ethers.BigNumber> {
  if (isScribe(mk.ilks[ilk].median)) return scribeValue(mk, mk.ilks[ilk].median);
  const word = await mk.chain.getStorageAt(mk.ilks[ilk].median.address, 1);
  return ethers.BigNumber.from(word).mask(128);
}

/** Poke `median` with `val` signed by its first `bar` feeds, sent by `sender` (anyone may relay signed prices). */
export async function relayMedianPrice(mk: MakerSystem, median: ethers.Contract, val: ethers.BigNumber, sender: ethers.Signer, feeds = mk.feeds): Promise<ethers.ContractReceipt> {
  if (isScribe(median)) return pokeScribe(mk, median, val, sender); // a Chronicle Scribe standing in for the Median
  const bar = Number(await median.bar());
  const wat: string = await median.wat();
  const age = Math.max(await mk.chain.timestamp(), Number(await median.age()) + 1);
  const sigs = await Promise.all(feeds.slice(0, bar).map((f) => signPrice(f, val, age, wat)));
  return mined(
    median.connect(sender).poke(
      sigs.map(() => val),
      sigs.map(() => age),
      sigs.map((s) => s.v),
      sigs.map((s) => s.r),
      sigs.map((s) => s.s),
    ),
  );
}

export interface PassTimeOptions {
  /** ilks whose Median and OSM the keepers poke when the OSM is due (default: both) */
  keep?: OracleIlkName[];
  /** at most this many seconds between blocks while time passes (default: a block only when a kept OSM is due, or at the end) */
  blockSeconds?: number;
  /** the relative price move a keeper posts to the Median at each poke, alternating up and down (default 0.004 = 0.4%) */
  drift?: string;
  /** dev accounts the keepers send from, in turn (default 4..7) */
  keepers?: number[];
  /** kept ilks whose Median keeps its value: the keepers only poke their OSM */
  hold?: OracleIlkName[];
}

let keeperTurn = 0;

/**
 * Let `seconds` pass: for each kept ilk, as soon as its OSM may be poked (zzz + hop), a keeper
 * posts a slightly moved price to the Median and pokes the OSM (blocks in between every
 * `blockSeconds` if given):
 * what the mainnet keeper network does. Senders rotate, so no single poker address is special.
 */
export async function passTime(mk: MakerSystem, seconds: number, opts: PassTimeOptions = {}): Promise<void> {
  const keep = opts.keep ?? (["ETH-A", "WBTC-A"] as OracleIlkName[]);
  const drift = wad(opts.drift ?? "0.004");
  const keepers = opts.keepers ?? [4, 5, 6, 7];
  const end = (await mk.chain.timestamp()) + seconds;
  for (;;) {
    const now = await mk.chain.timestamp();
    if (now >= end) break;
    const dues = await Promise.all(keep.map(async (ilk) => Number(await mk.ilks[ilk].pip.zzz()) + Number(await mk.ilks[ilk].pip.hop())));
    // the next block: when a kept OSM is due, at most blockSeconds away, never past the end
    const t = Math.max(now + 1, Math.min(end, now + (opts.blockSeconds ?? Infinity), ...dues));
    let pokedAny = false;
    for (const [i, ilk] of keep.entries()) {
      if (t < dues[i]!) continue;
      const { pip, median } = mk.ilks[ilk];
      const sender = mk.chain.signer(keepers[keeperTurn++ % keepers.length]!);
      await mk.chain.setNextBlockTimestamp(Math.max(t, (await mk.chain.timestamp()) + 1));
      if (!opts.hold?.includes(ilk)) {
        const cur = await medianValue(mk, ilk);
        const sign = keeperTurn % 2 === 0 ? 1 : -1;
        await relayMedianPrice(mk, median, cur.add(cur.mul(drift).div(wad("1")).mul(sign)), sender);
      }
      await mined(pip.connect(sender).poke());
      pokedAny = true;
    }
    if (!pokedAny) {
      await mk.chain.setNextBlockTimestamp(t);
      await mk.chain.mine();
    }
  }
}

/**
 * Move `ilk`'s price to `price` through the real path with keepers at work: the Median gets the
 * signed price, then time passes until the OSM has been poked twice (one hop apart, each poke
 * within minutes of being due), so the price is current; the other ilks are kept fresh.
 */
export async function movePrice(mk: MakerSystem, ilk: OracleIlkName, price: string, opts: PassTimeOptions = {}): Promise<void> {
  await relayMedianPrice(mk, mk.ilks[ilk].median, wad(price), mk.chain.signer(opts.keepers?.[0] ?? 4));
  await passPokes(mk, ilk, 2, { ...opts, hold: [...(opts.hold ?? []), ilk] });
}

/** Let time pass (keepers at work, see passTime) until `ilk`'s OSM has been poked `pokes` more times. */
export async function passPokes(mk: MakerSystem, ilk: OracleIlkName, pokes: number, opts: PassTimeOptions = {}): Promise<void> {
  const { pip } = mk.ilks[ilk];
  opts = { ...opts, keep: [...new Set([...(opts.keep ?? (["ETH-A", "WBTC-A"] as OracleIlkName[])), ilk])] };
  for (let i = 0; i < pokes; i++) {
    const zzz = Number(await pip.zzz());
    const due = zzz + Number(await pip.hop());
    await passTime(mk, Math.max(1, due - (await mk.chain.timestamp())), opts);
    while (Number(await pip.zzz()) === zzz) await passTime(mk, opts.blockSeconds ?? 60, opts);
  }
}

/**
 * The whole governance path with keepers at work: a spell carrying `calls` is voted in, lifted
 * and scheduled (plot); time passes through the pause delay with the oracles kept fresh
 * (`passTime`); then it is cast (exec through the pause proxy). Returns the cast receipt.
 */
export async function castSpellWithKeepers(mk: MakerSystem, calls: SpellCall[], opts: PassTimeOptions & { description?: string } = {}): Promise<ethers.ContractReceipt> {
  const voter = mk.deployer;
  const voterAddress = await voter.getAddress();
  const action = (await deployContract(mk.deployer, "SpellAction")).address;
  const actionIface = new ethers.utils.Interface(["function execute(address[] targets, bytes[] datas)"]);
  const sig = actionIface.encodeFunctionData("execute", [calls.map((c) => c.to), calls.map((c) => c.data)]);
  const expiration = (await mk.chain.timestamp()) + 30 * 24 * 3600;
  const spell = await deployContract(voter, "DssSpell", mk.pause.address, action, sig, opts.description ?? "Vigil test spell", expiration);
  const chief = mk.chief.connect(voter);
  const hat: string = await chief.hat();
  const hatApprovals: ethers.BigNumber = await chief.approvals(hat);
  const deposits: ethers.BigNumber = await chief.deposits(voterAddress);
  if (deposits.lte(hatApprovals)) {
    const need = hatApprovals.sub(deposits).add(ethers.constants.WeiPerEther);
    const balance: ethers.BigNumber = await mk.gov.balanceOf(voterAddress);
    if (balance.lt(need)) await mk.asPauseProxy((p) => mined(mk.gov.connect(p)["mint(address,uint256)"](voterAddress, need.sub(balance))));
    await mined(mk.gov.connect(voter)["approve(address,uint256)"](mk.chief.address, ethers.constants.MaxUint256));
    await mined(mk.iou.connect(voter)["approve(address,uint256)"](mk.chief.address, ethers.constants.MaxUint256));
    await mined(chief.lock(need));
  }
  await mined(chief["vote(address[])"]([spell.address]));
  await mined(chief.lift(spell.address));
  await mined(spell.connect(voter).schedule());
  const eta = Number(await spell.eta());
  await passTime(mk, Math.max(0, eta - (await mk.chain.timestamp())), opts);
  return mined(spell.connect(voter).cast({ gasLimit: 15_000_000 }));
}

/**
 * A second OSM for `ilk` behind the same Median, wired like the first (the Median kisses it, it
 * kisses the Spotter), poked twice so it has a current price (unless `poke: false`: no time
 * passes), handed to the pause proxy. Moving
 * the ChainLog's key to it is up to the caller (`moveChainlogKey`).
 */
export async function deployReplacementOsm(mk: MakerSystem, ilk: OracleIlkName, opts: { poke?: boolean } = {}): Promise<ethers.Contract> {
  const { median } = mk.ilks[ilk];
  const osm = await deployContract(mk.deployer, "OSM", median.address);
  await mk.asPauseProxy((p) => mined(median.connect(p)["kiss(address)"](osm.address)));
  await mined(osm["kiss(address[])"]([mk.spot.address, mk.ilks[ilk].clip.address, mk.end.address]));
  for (let i = 0; i < (opts.poke === false ? 0 : 2); i++) {
    // wait for its poke with the keepers at work, so the other OSMs stay fresh meanwhile
    const due = Number(await osm.zzz()) + Number(await osm.hop());
    const now = await mk.chain.timestamp();
    if (now + 1 < due) await passTime(mk, due - now);
    await mined(osm.poke());
  }
  await mined(osm.rely(mk.pauseProxy.address));
  await mined(osm.deny(await mk.deployer.getAddress()));
  return osm;
}

/** ChainLog.setAddress(key, address) as governance (the pause proxy). */
export async function moveChainlogKey(mk: MakerSystem, key: string, address: string): Promise<ethers.ContractReceipt> {
  return mk.asPauseProxy((p) => mined(mk.chainlog.connect(p).setAddress(b32(key), address)));
}

/**
 * A Median an attacker controls: one feed of their own, bar 1, whitelisting `readers`. Returns
 * the Median and the feed that signs for it.
 */
export async function deployRogueMedian(mk: MakerSystem, wat: string, readers: string[], owner: ethers.Signer): Promise<{ median: ethers.Contract; feed: ethers.Wallet }> {
  const feed = new ethers.Wallet(ethers.utils.id("vigil-rogue-feed"));
  const median = await deployContract(owner, "Median", b32(wat));
  await mined(median.lift([feed.address]));
  for (const r of readers) await mined(median["kiss(address)"](r));
  return { median, feed };
}

/** An OSM's `cur` and `nxt` values (wad) from storage. */
export async function osmFeeds(mk: MakerSystem, osm: string): Promise<{ cur: ethers.BigNumber; nxt: ethers.BigNumber }> {
  const [cur, nxt] = await Promise.all([mk.chain.getStorageAt(osm, 3), mk.chain.getStorageAt(osm, 4)]);
  return { cur: ethers.BigNumber.from(cur).mask(128), nxt: ethers.BigNumber.from(nxt).mask(128) };
}

/** Handle on an OSM at `address`. */
export function osmAt(mk: MakerSystem, address: string): ethers.Contract {
  return attach("OSM", address, mk.deployer);
}
