/**
 * sky-stablecoin: is every USDS (and every sUSDS share, every converted token) backed?
 *
 * - USDS (USDS) against the Vat dai of its join (USDS_JOIN), every block (an episode); USDS mints
 *   that no UsdsJoin Exit pays for.
 * - The converters: DAI_USDS (each conversion goes through the joins 1:1) and MKR_SKY (each
 *   conversion pays mkrAmt * rate; the SKY it holds covers the MKR still out).
 * - sUSDS (SUSDS) and stUSDS (STUSDS): chi never decreasing (stUSDS: except by a Cut, itself
 *   reported); the USDS each holds against totalSupply * chi.
 * - UUPS `Upgraded` on USDS/sUSDS/stUSDS and new wards on USDS, sUSDS, stUSDS, SKY, MKR_SKY, attributed to
 *   governance or not (shared/maker/attribution.ts).
 * - Flows (each in its own module): the net USDS -> DAI flow through DAI_USDS over a window
 *   (conversion-surge.ts), big sUSDS drips (susds-drip.ts), MKR_SKY's fee/collect/burn
 *   (mkr-sky-admin.ts), SKY minted by no known minter (sky-minters.ts).
 * Every address comes from the ChainLog (MAKER_CHAINLOG) and follows its updates.
 */
import type { Finding, TransactionEvent } from "forta-agent";
import { VAT_IFACE } from "../../../shared/abi";
import { DAI_USDS_IFACE, MKR_SKY_IFACE, STUSDS_IFACE, SUSDS_IFACE, USDS_IFACE, USDS_JOIN_IFACE } from "../../../shared/abi/sky";
import { blockRefOf, fortaContext, lazyAgent, type Agent, type BotContext } from "../../../shared/bot";
import { Episodes, episodeFinding, type EpisodeState } from "../../../shared/episodes";
import { FindingSeverity, FindingType, createFinding, logKey, type BlockRef } from "../../../shared/findings";
import { decodeEvents, undecodableLogFinding, type DecodedEvent } from "../../../shared/logs";
import { attributionMetadata, callerPhrase } from "../../../shared/maker/attribution";
import { callerAttributionFor, severityOf, typeOf, type TxCallers } from "../../../shared/maker/callers";
import { bookKeys, touching } from "../../../shared/interest";
import { AddressBook } from "../../../shared/maker/chainlog";
import { dec, formatAmount, fromRay, fromWad } from "../../../shared/math";
import { contract } from "../../../shared/rpc/contract";
import { ALERTS } from "./alerts";
import { carriedReads } from "./carried-reads";
import { loadConfig } from "./config";
import { conversionSurge, emptySurge } from "./conversion-surge";
import { mkrSkyAdmin } from "./mkr-sky-admin";
import { unknownSkyMints } from "./sky-minters";
import { bigDrips } from "./susds-drip";
import { mkrSkyShortfall, mkrToSkyConserves, scaled, susdsShortfall, unmatchedMints, usdsShortfall, type Movement } from "./detectors";

export const BOT = "sky-stablecoin";

const CUT_TOPIC = STUSDS_IFACE.getEventTopic("Cut");
/** contracts whose new wards matter, and what a ward may do there */
const WARDED: Record<string, string> = {
  USDS: "mint USDS without backing and upgrade it",
  SUSDS: "set the savings rate and upgrade the vault",
  STUSDS: "cut depositors' value (lower chi), set its rate, cap and line, and upgrade the vault",
  SKY: "mint SKY (governance weight)",
  MKR_SKY: "set the conversion fee and collect or burn the converter's SKY",
};

type Level = "short";
interface State {
  unbacked: EpisodeState<Level>;
  reserve: EpisodeState<Level>;
  mkrSky: EpisodeState<Level>;
  /** last chi seen per sUSDS address [ray, decimal string] */
  chi: Record<string, string>;
}

const lc = (v: unknown) => String(v).toLowerCase();
const str = (v: unknown) => (v as { toString(): string }).toString();

export function createAgent(ctx: BotContext): Agent {
  const cfg = loadConfig(ctx.env);
  // every key: a SKY minter is known when the ChainLog names it (MCD_VEST_SKY, MKR_SKY_LEGACY, ...)
  const bookState = ctx.persistent("chainlog", () => AddressBook.emptyState(cfg.chainlog));
  if (bookState.keep) Object.assign(bookState, { keep: null, block: null, version: null, entries: {} }); // saved when it kept a few keys: read it all again
  const book = AddressBook.attach(bookState, cfg.chainlog);
  const surge = conversionSurge(cfg, ctx.persistent("conversion-surge", emptySurge));
  const callers = callerAttributionFor(ctx, book, cfg);
  const state = ctx.persistent<State>("stablecoin", () => ({ unbacked: {}, reserve: {}, mkrSky: {}, chi: {} }));
  const unbacked = new Episodes<Level>(["short"], state.unbacked);
  const reserve = new Episodes<Level>(["short"], state.reserve);
  const mkrSkyEp = new Episodes<Level>(["short"], state.mkrSky);
  const { mkrSkyRate, carryWards, skyWard } = carriedReads(ctx, cfg.chainlog);

  /**
   * Reads the transaction handlers make, issued with the block's own reads so that they travel in
   * the block's one request and the handlers find them in the client's cache (same call, same
   * block) instead of a round trip each in the middle of the block: sUSDS's ssr and rho, which the
   * next block's first drip reads at this block (susds-drip.ts, beside chi and totalSupply read
   * below), and SKY's ward bit of MKR_SKY, which every MKR -> SKY conversion's mint reads
   * (sky-minters.ts). Their answers are not used here; a failure is the handler's to report.
   */
  function prefetch(vaults: readonly (readonly [string, string])[], mkrSky: string | undefined, sky: string | undefined, n: number): Promise<unknown>[] {
    const ignore = () => undefined;
    const out: Promise<unknown>[] = [];
    const susds = vaults.find(([k]) => k === "SUSDS")?.[1];
    if (susds) for (const fn of ["ssr", "rho"]) out.push(contract(ctx.rpc, susds, SUSDS_IFACE, "SUSDS").read(fn, [], n).catch(ignore));
    if (sky && mkrSky) out.push(skyWard(sky, mkrSky, n).catch(ignore));
    return out;
  }

  async function checkBlock(block: BlockRef, chainId: number): Promise<Finding[]> {
    const out: Finding[] = [];
    const usds = book.tryGetAddress("USDS");
    const join = book.tryGetAddress("USDS_JOIN");
    const vat = book.tryGetAddress("MCD_VAT");
    const vaults = (["SUSDS", "STUSDS"] as const).map((k) => [k, book.tryGetAddress(k)] as const).filter((v): v is readonly ["SUSDS" | "STUSDS", string] => !!v[1]);
    const mkrSky = book.tryGetAddress("MKR_SKY");
    const sky = book.tryGetAddress("SKY");
    const mkr = book.tryGetAddress("MKR");
    const n = block.number;
    const U = usds ? contract(ctx.rpc, usds, USDS_IFACE, "USDS") : null;
    const [supply, joinDai, sus_all, mk] = await Promise.all([
      U ? U.read("totalSupply", [], n).then((r) => str(r[0])) : null,
      vat && join ? contract(ctx.rpc, vat, VAT_IFACE, "Vat").read("dai", [join], n).then((r) => str(r[0])) : null,
      U
        ? Promise.all(
            vaults.map(([key, v]) =>
              Promise.all([
                contract(ctx.rpc, v, SUSDS_IFACE, key).read("totalSupply", [], n),
                contract(ctx.rpc, v, SUSDS_IFACE, key).read("chi", [], n),
                U.read("balanceOf", [v], n),
              ]).then(([s, c, b]) => ({ key, vault: v, shares: str(s[0]), chi: str(c[0]), held: str(b[0]) })),
            ),
          )
        : [],
      mkrSky && sky && mkr
        ? Promise.all([
            contract(ctx.rpc, sky, USDS_IFACE, "SKY").read("balanceOf", [mkrSky], n),
            contract(ctx.rpc, mkr, USDS_IFACE, "MKR").read("totalSupply", [], n),
            mkrSkyRate(mkrSky, n),
            contract(ctx.rpc, mkrSky, MKR_SKY_IFACE, "MKR_SKY").read("take", [], n),
          ]).then(([h, s, rate, t]) => ({ held: str(h[0]), mkrSupply: str(s[0]), rate, take: str(t[0]) }))
        : null,
      Promise.all(prefetch(vaults, mkrSky, sky, n)),
    ]);

    if (usds && join && supply !== null && joinDai !== null) {
      ctx.observe?.("sky.usds_supply", fromWad(supply).toFixed());
      ctx.observe?.("sky.usds_join_dai", dec(joinDai).shiftedBy(-45).toFixed());
      const short = usdsShortfall(supply, joinDai);
      const t = unbacked.observe(usds, short === null ? null : "short", block);
      if (t) {
        out.push(
          episodeFinding(ALERTS.unbacked, t, () => FindingSeverity.Critical, {
            description:
              t.kind === "resolved"
                ? `USDS ${usds} is backed again: supply ${formatAmount(fromWad(supply))} <= Vat dai of its join ${formatAmount(dec(joinDai).shiftedBy(-45))}`
                : `USDS ${usds}: supply ${formatAmount(fromWad(supply))} exceeds the Vat dai behind its join ${join} (${formatAmount(dec(joinDai).shiftedBy(-45))}) by ${formatAmount(scaled(short!, 45))}: USDS minted without backing`,
            key: [chainId, usds],
            addresses: [usds, join],
            metadata: { usds, usdsJoin: join, supplyWad: supply, supply: fromWad(supply).toFixed(), joinDaiRad: joinDai, joinDai: dec(joinDai).shiftedBy(-45).toFixed(), shortfall: short === null ? "0" : scaled(short, 45).toFixed() },
          }),
        );
      }
    }
    for (const sus of sus_all) {
      const { key: vkey, vault } = sus;
      const prev = state.chi[vault];
      if (prev !== undefined && dec(sus.chi).lt(dec(prev))) {
        // stUSDS may lower chi only by a Cut (reported from its transaction); sUSDS never
        const cuts = vkey === "STUSDS" ? await ctx.rpc.getLogs({ address: vault, topics: [CUT_TOPIC], fromBlock: n, toBlock: n }) : [];
        if (cuts.length === 0) {
          out.push(
            createFinding(ALERTS.chiDown, {
              description: `${vkey} ${vault}: chi fell from ${fromRay(prev).toFixed()} to ${fromRay(sus.chi).toFixed()} at block ${n}${vkey === "STUSDS" ? " with no Cut" : ""}: every holder lost value (the contract has no legitimate way to do this)`,
              key: [chainId, vault, "chi", block.hash],
              block,
              addresses: [vault],
              metadata: { vault, vaultKey: vkey, chiBefore: prev, chiAfter: sus.chi, drop: fromRay(dec(prev).minus(dec(sus.chi))).toFixed() },
            }),
          );
        }
      }
      state.chi[vault] = sus.chi;
      const short = susdsShortfall(sus.held, sus.shares, sus.chi);
      const t = reserve.observe(vault, short === null ? null : "short", block);
      if (t) {
        const owed = fromWad(dec(sus.shares).times(dec(sus.chi)).div("1e27").integerValue(1).toFixed());
        out.push(
          episodeFinding(ALERTS.reserve, t, () => FindingSeverity.Critical, {
            description:
              t.kind === "resolved"
                ? `${vkey} ${vault} holds enough USDS again: ${formatAmount(fromWad(sus.held))} for shares worth ${formatAmount(owed)}`
                : `${vkey} ${vault} holds ${formatAmount(fromWad(sus.held))} USDS but its ${formatAmount(fromWad(sus.shares))} shares at chi ${fromRay(sus.chi).toFixed()} are worth ${formatAmount(owed)}: short ${formatAmount(scaled(short!, 18))} USDS`,
            key: [chainId, vault],
            addresses: [vault],
            metadata: { vault, vaultKey: vkey, usdsHeld: fromWad(sus.held).toFixed(), sharesWad: sus.shares, chi: sus.chi, owed: owed.toFixed(), shortfall: short === null ? "0" : scaled(short, 18).toFixed() },
          }),
        );
      }
    }
    if (mkrSky && mk) {
      const short = mkrSkyShortfall(mk.held, mk.mkrSupply, mk.rate, mk.take);
      const t = mkrSkyEp.observe(mkrSky, short === null ? null : "short", block);
      if (t) {
        const owed = fromWad(dec(mk.mkrSupply).times(mk.rate).plus(mk.take).toFixed());
        out.push(
          episodeFinding(ALERTS.mkrSkyBacking, t, () => FindingSeverity.High, {
            description:
              t.kind === "resolved"
                ? `MKR_SKY ${mkrSky} covers outstanding MKR again: ${formatAmount(fromWad(mk.held))} SKY held, ${formatAmount(owed)} owed`
                : `MKR_SKY ${mkrSky} holds ${formatAmount(fromWad(mk.held))} SKY but MKR supply ${formatAmount(fromWad(mk.mkrSupply))} x ${mk.rate} + take ${formatAmount(fromWad(mk.take))} = ${formatAmount(owed)}: short ${formatAmount(scaled(short!, 18))} SKY (MKR minted, or SKY taken out of the converter)`,
            key: [chainId, mkrSky],
            addresses: [mkrSky],
            metadata: { mkrSky, skyHeld: fromWad(mk.held).toFixed(), mkrSupply: fromWad(mk.mkrSupply).toFixed(), rate: mk.rate, take: fromWad(mk.take).toFixed(), owed: owed.toFixed(), shortfall: short === null ? "0" : scaled(short, 18).toFixed() },
          }),
        );
      }
    }
    return out;
  }

  async function rightsFinding(e: DecodedEvent, key: string, block: BlockRef, tx: TransactionEvent, who: TxCallers): Promise<Finding> {
    const usr = lc(e.args.usr);
    const by = await who.classify({ contract: e.address, param: "rely", logIndex: e.logIndex, loggedCaller: null });
    const known = book.keysOf(usr);
    return createFinding(ALERTS.ward, {
      description: `${key} ${e.address}: ${usr}${known.length ? ` (${known.join(", ")})` : ""} was made a ward ${callerPhrase(by)}: it can now ${WARDED[key]}`,
      key: logKey(tx.network, block, tx.hash, e.logIndex),
      block,
      severity: severityOf(by, FindingSeverity.High),
      type: typeOf(by, FindingType.Suspicious),
      addresses: [e.address, usr, tx.from],
      metadata: { contract: e.address, contractKey: key, usr, usrKeys: known.join(","), txHash: tx.hash, ...attributionMetadata(by) },
    });
  }

  async function handleTransaction(tx: TransactionEvent): Promise<Finding[]> {
    const block = blockRefOf(tx);
    book.applyTransaction(tx);
    const who = callers.observe(tx);
    const out: Finding[] = [];
    const decode = (iface: Parameters<typeof decodeEvents>[1], addr: string | undefined) => {
      if (!addr) return [] as DecodedEvent[];
      const { events, undecodable } = decodeEvents(tx.logs, iface, addr);
      for (const u of undecodable) out.push(undecodableLogFinding(tx.network, block, tx.hash, u));
      return events;
    };
    const usds = book.tryGetAddress("USDS");
    const join = book.tryGetAddress("USDS_JOIN");
    const daiUsds = book.tryGetAddress("DAI_USDS");
    const mkrSky = book.tryGetAddress("MKR_SKY");
    const susds = book.tryGetAddress("SUSDS");
    const sky = book.tryGetAddress("SKY");
    const usdsEvents = decode(USDS_IFACE, usds);
    const joinEvents = decode(USDS_JOIN_IFACE, join);

    // USDS mints that no join exit pays for
    if (usds) {
      const mints: (Movement & { logIndex: number })[] = usdsEvents
        .filter((e) => e.name === "Transfer" && lc(e.args.from) === "0x0000000000000000000000000000000000000000")
        .map((e) => ({ to: lc(e.args.to), wad: str(e.args.value), logIndex: e.logIndex }));
      const exits = joinEvents.filter((e) => e.name === "Exit").map((e) => ({ to: lc(e.args.usr), wad: str(e.args.wad) }));
      for (const m of unmatchedMints(mints, exits) as (Movement & { logIndex: number })[]) {
        out.push(
          createFinding(ALERTS.unmatchedMint, {
            description: `USDS ${usds}: ${formatAmount(fromWad(m.wad))} USDS minted to ${m.to} with no UsdsJoin exit paying for it (tx from ${tx.from} to ${tx.to ?? "(creation)"}): an unbacked mint by a ward`,
            key: logKey(tx.network, block, tx.hash, m.logIndex),
            block,
            addresses: [usds, m.to, tx.from],
            metadata: { usds, to: m.to, wadRaw: m.wad, amount: fromWad(m.wad).toFixed(), txHash: tx.hash, txFrom: tx.from, txTo: tx.to ?? "" },
          }),
        );
      }
    }

    // DAI <-> USDS: each conversion goes through the join for the same amount
    const daiUsdsEvents = decode(DAI_USDS_IFACE, daiUsds);
    if (daiUsds) surge.onTransaction(daiUsds, daiUsdsEvents, block);
    for (const e of daiUsdsEvents) {
      const wad = str(e.args.wad);
      const usr = lc(e.args.usr);
      const want = e.name === "DaiToUsds" ? "Exit" : "Join";
      const ok = joinEvents.some((j) => j.name === want && lc(j.args.caller) === daiUsds && j.args.wad.toString() === wad && (want === "Join" || lc(j.args.usr) === usr));
      if (!ok) {
        out.push(
          createFinding(ALERTS.conversion, {
            description: `DAI_USDS ${daiUsds}: ${e.name}(${usr}, ${formatAmount(fromWad(wad))}) with no UsdsJoin ${want} of the same amount in the transaction: the converter's code or the join is not what it should be`,
            key: logKey(tx.network, block, tx.hash, e.logIndex),
            block,
            addresses: [daiUsds!, usr],
            metadata: { converter: daiUsds, event: e.name, usr, amount: fromWad(wad).toFixed(), expected: `UsdsJoin ${want}`, txHash: tx.hash },
          }),
        );
      }
    }

    const mkrSkyEvents = decode(MKR_SKY_IFACE, mkrSky);
    for (const e of mkrSkyEvents.filter((x) => x.name === "MkrToSky")) {
      const rate = await mkrSkyRate(mkrSky!, block.number);
      const [mkrAmt, skyAmt, skyFee] = [str(e.args.mkrAmt), str(e.args.skyAmt), str(e.args.skyFee)];
      if (!mkrToSkyConserves(mkrAmt, skyAmt, skyFee, str(rate))) {
        out.push(
          createFinding(ALERTS.conversion, {
            description: `MKR_SKY ${mkrSky}: ${formatAmount(fromWad(mkrAmt))} MKR converted to ${formatAmount(fromWad(skyAmt))} SKY + fee ${formatAmount(fromWad(skyFee))}, not ${formatAmount(fromWad(dec(mkrAmt).times(str(rate)).toFixed()))} (rate ${str(rate)})`,
            key: logKey(tx.network, block, tx.hash, e.logIndex),
            block,
            addresses: [mkrSky!, lc(e.args.usr)],
            metadata: { converter: mkrSky, event: "MkrToSky", usr: lc(e.args.usr), mkrAmt: fromWad(mkrAmt).toFixed(), skyAmt: fromWad(skyAmt).toFixed(), skyFee: fromWad(skyFee).toFixed(), rate: str(rate), txHash: tx.hash },
          }),
        );
      }
    }

    // upgrades and new wards
    const susdsEvents = decode(SUSDS_IFACE, susds);
    const stusds = book.tryGetAddress("STUSDS");
    const stusdsEvents = decode(STUSDS_IFACE, stusds);
    for (const e of stusdsEvents.filter((x) => x.name === "Cut")) {
      const [assets, oldChi, newChi] = [str(e.args.assets), str(e.args.oldChi), str(e.args.newChi)];
      const loss = dec(oldChi).isZero() ? dec(0) : dec(oldChi).minus(newChi).div(oldChi);
      const critical = loss.gte(cfg.cutCriticalFraction);
      out.push(
        createFinding(ALERTS.cut, {
          description: `stUSDS ${stusds}: Cut of ${formatAmount(fromWad(assets))} USDS of bad debt paid by depositors: chi ${fromRay(oldChi).toFixed()} -> ${fromRay(newChi).toFixed()} (${loss.times(100).toFixed(4)}% of their value; tx from ${tx.from})`,
          key: logKey(tx.network, block, tx.hash, e.logIndex),
          block,
          severity: critical ? FindingSeverity.Critical : FindingSeverity.High,
          addresses: [stusds!, tx.from],
          metadata: { stusds, assets: fromWad(assets).toFixed(), oldChi, newChi, lossFraction: loss.toFixed(18), criticalFraction: cfg.cutCriticalFraction.toFixed(), txHash: tx.hash, txFrom: tx.from, txTo: tx.to ?? "" },
        }),
      );
    }
    const skyEvents = sky && sky !== usds ? decode(USDS_IFACE, sky) : [];
    if (mkrSky) out.push(...(await mkrSkyAdmin(mkrSky, mkrSkyEvents, tx, block, who)));
    if (susds) out.push(...(await bigDrips(ctx, cfg, susds, susdsEvents, tx, block)));
    if (sky && sky !== usds) out.push(...(await unknownSkyMints(book, sky, skyEvents, tx, block, who, (voucher) => skyWard(sky, voucher, block.number))));
    const labelled: [string, DecodedEvent[]][] = [["USDS", usdsEvents], ["SUSDS", susdsEvents], ["STUSDS", stusdsEvents], ["SKY", skyEvents], ["MKR_SKY", mkrSkyEvents]];
    for (const [key, events] of labelled) {
      for (const e of events) {
        if (e.name === "Rely") out.push(await rightsFinding(e, key, block, tx, who));
        if (e.name === "Upgraded") {
          const impl = lc(e.args.implementation);
          const expected = book.tryGetAddress(`${key}_IMP`) ?? "";
          const by = await who.classify({ contract: e.address, param: "upgrade", logIndex: e.logIndex, loggedCaller: null });
          out.push(
            createFinding(ALERTS.upgraded, {
              description: `${key} ${e.address} now runs implementation ${impl} ${callerPhrase(by)}${expected && expected !== impl ? ` (the ChainLog's ${key}_IMP is ${expected})` : ""}: all of its code changed`,
              key: logKey(tx.network, block, tx.hash, e.logIndex),
              block,
              severity: severityOf(by, FindingSeverity.Medium),
              type: typeOf(by, FindingType.Info),
              addresses: [e.address, impl, tx.from],
              metadata: { contract: e.address, contractKey: key, implementation: impl, chainlogImplementation: expected, matchesChainlog: expected === impl, txHash: tx.hash, ...attributionMetadata(by) },
            }),
          );
        }
      }
    }
    return out;
  }

  return {
    async initialize() {
      await book.ensureLoaded(ctx.rpc, ctx.initBlock);
    },
    async handleBlock(blockEvent) {
      const block = blockRefOf(blockEvent);
      await carryWards(blockEvent, book.tryGetAddress("SKY"));
      return [...(await checkBlock(block, blockEvent.network)), ...surge.onBlock(book.tryGetAddress("DAI_USDS"), block)];
    },
    handleTransaction,
    // what handleTransaction reads: the logs of USDS, its join, the converters, sUSDS, stUSDS and SKY,
    // the pause's plots (callers), the ChainLog's updates (the rest of the book only names minters)
    wantsTransaction: touching(bookKeys(book, ["USDS", "USDS_JOIN", "DAI_USDS", "MKR_SKY", "SUSDS", "STUSDS", "SKY", "MCD_PAUSE"])),
  };
}

export default lazyAgent(() => createAgent(fortaContext(BOT)));
