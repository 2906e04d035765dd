/**
 * sky-bridges: Sky's LayerZero bridges (../shared/reference/sky.md §20). USDS_OFT and SUSDS_OFT
 * lock USDS/sUSDS on Ethereum and release them on messages from their remote peers, within per-eid
 * rate limits; LZ_GOV_SENDER carries governance calls (through LZ_GOV_RELAY) to the remote chains.
 * What a thief would change: the peers, the DVNs and libraries on LZ_ENDPOINT (the bridge's main
 * risk), the owner, the pausers and limits; what a drain looks like: inbound volume at the limit,
 * the locked tokens migrated away.
 *
 * - every transaction: the OApps' PeerSet/OwnershipTransferred, the OFTs' pause, pausers, limits,
 *   migrations, the sender's targets and calls, the endpoint's library/delegate events and the
 *   ULN's DVN/executor configuration for our OApps; each attributed (governance or not);
 * - every block (an episode per OFT and eid): inbound amount in flight against the inbound limit
 *   (both carried from the parent block while the OFT logs nothing, an amount in flight only at 0).
 * Rights on the relay and OFT_PAUSER (Rely/Deny): maker-auth. Addresses from the ChainLog.
 */
import type { Finding, TransactionEvent } from "forta-agent";
import { blockRefOf, fortaContext, lazyAgent, type Agent, type BotContext } from "../../../shared/bot";
import { Episodes, episodeFinding, type EpisodeState } from "../../../shared/episodes";
import { FindingSeverity, FindingType, createFinding, logKey, type AlertSpec, type BlockRef } from "../../../shared/findings";
import { decodeEvents, undecodableLogFinding, type DecodedEvent } from "../../../shared/logs";
import { attributionMetadata, callerPhrase, keepForAttribution } from "../../../shared/maker/attribution";
import { callerAttributionFor, severityOf, typeOf, type TxCallers } from "../../../shared/maker/callers";
import { touching } from "../../../shared/interest";
import { AddressBook } from "../../../shared/maker/chainlog";
import { formatAmount, formatPercent, fromWad } from "../../../shared/math";
import { carryableLogs, emittersOf } from "../../../shared/rpc/block-logs";
import { contract } from "../../../shared/rpc/contract";
import { ENDPOINT_IFACE, GOV_SENDER_IFACE, OAPP_IFACE, OFT_IFACE, ULN_IFACE } from "./abi";
import { ALERTS } from "./alerts";
import { loadConfig } from "./config";
import { inboundUse, isNoPeer, limitRaised } from "./detectors";

export const BOT = "sky-bridges";

const OAPPS = ["USDS_OFT", "SUSDS_OFT", "LZ_GOV_SENDER"] as const;
const OFTS = ["USDS_OFT", "SUSDS_OFT"] as const;
const KEEP = /^(USDS_OFT|SUSDS_OFT|LZ_GOV_SENDER|LZ_GOV_RELAY|OFT_PAUSER|LZ_ENDPOINT)$/;
const ULN_TOPICS = new Set([ULN_IFACE.getEventTopic("UlnConfigSet"), ULN_IFACE.getEventTopic("ExecutorConfigSet")].map((t) => t.toLowerCase()));

interface State {
  inbound: EpisodeState<"near">;
  /** eids to check, as strings */
  eids: string[];
}

/** an OFT's inbound limit and amount in flight for one eid, as read at a block */
interface InboundRead {
  oft: string;
  limit: string;
  inFlight: string;
}

const lc = (v: unknown) => String(v).toLowerCase();
/** a ULN library's config event (a node's topics are lowercase hex: lowered only when not, no string made per log) */
const isUlnLog = (l: { topics: readonly string[] }) => {
  const t = l.topics[0];
  return t !== undefined && (ULN_TOPICS.has(t) || (/[A-F]/.test(t) && ULN_TOPICS.has(t.toLowerCase())));
};
const str = (v: unknown) => (v as { toString(): string }).toString();
const amount = (raw: string) => `${formatAmount(fromWad(raw))}`;

export function createAgent(ctx: BotContext): Agent {
  const cfg = loadConfig(ctx.env);
  const bookOpts = { keep: keepForAttribution(KEEP) };
  const book = AddressBook.attach(ctx.persistent("chainlog", () => AddressBook.emptyState(cfg.chainlog, bookOpts)), cfg.chainlog, bookOpts);
  const callers = callerAttributionFor(ctx, book, cfg);
  const state = ctx.persistent<State>("bridges", () => ({ inbound: {}, eids: [...cfg.eids] }));
  const inbound = new Episodes<"near">(["near"], state.inbound);
  const addEid = (eid: unknown) => {
    const e = str(eid);
    if (!state.eids.includes(e)) state.eids.push(e);
  };
  const keyOf = (addr: string) => book.keysOf(addr).find((k) => KEEP.test(k)) ?? addr;
  const touchesBook = touching(book);

  async function changed(spec: AlertSpec, e: DecodedEvent, param: string, effect: FindingSeverity, what: string, block: BlockRef, tx: TransactionEvent, who: TxCallers, metadata: Record<string, unknown>, subject = e.address, extra: string[] = [], sanctioned = false, keySuffix: (string | number)[] = []): Promise<Finding> {
    const by = await who.classify({ contract: subject, param, logIndex: e.logIndex, loggedCaller: null });
    const sev = sanctioned ? effect : severityOf(by, effect);
    return createFinding(spec, {
      description: `${keyOf(subject)} ${subject}: ${what} ${callerPhrase(by)}`,
      key: [...logKey(tx.network, block, tx.hash, e.logIndex), ...keySuffix], block,
      severity: sev, type: sanctioned ? FindingType.Suspicious : typeOf(by, effect === FindingSeverity.Low ? FindingType.Info : FindingType.Suspicious),
      addresses: [subject, ...extra],
      metadata: { contract: subject, contractKey: keyOf(subject), event: e.name, ...metadata, txHash: tx.hash, ...attributionMetadata(by) },
    });
  }

  async function handleTransaction(tx: TransactionEvent): Promise<Finding[]> {
    const block = blockRefOf(tx);
    book.applyTransaction(tx);
    const who = callers.observe(tx);
    const out: Finding[] = [];
    const n = block.number;
    const decode = (iface: Parameters<typeof decodeEvents>[1], addr: string | undefined | readonly (string | undefined)[]) => {
      const { events, undecodable } = decodeEvents(tx.logs, iface, addr as string);
      for (const u of undecodable) out.push(undecodableLogFinding(tx.network, block, tx.hash, u));
      return events;
    };
    const oapps = OAPPS.map((k) => book.tryGetAddress(k)).filter((a): a is string => !!a);
    const ofts = OFTS.map((k) => book.tryGetAddress(k)).filter((a): a is string => !!a);
    const pauserContract = book.tryGetAddress("OFT_PAUSER");
    const endpoint = book.tryGetAddress("LZ_ENDPOINT");

    const events: [DecodedEvent, "oapp" | "oft" | "sender" | "endpoint" | "uln"][] = [];
    if (oapps.length) for (const e of decode(OAPP_IFACE, oapps)) events.push([e, "oapp"]);
    if (ofts.length) for (const e of decode(OFT_IFACE, ofts)) events.push([e, "oft"]);
    const sender = book.tryGetAddress("LZ_GOV_SENDER");
    if (sender) for (const e of decode(GOV_SENDER_IFACE, sender)) events.push([e, "sender"]);
    if (endpoint) for (const e of decode(ENDPOINT_IFACE, endpoint)) if (oapps.includes(lc(e.args[0]))) events.push([e, "endpoint"]);
    // the ULN's events come from a library, not a ChainLog contract: only for our OApps, only from a library the endpoint names for them
    const ulnEmitters = [...new Set(tx.logs.filter((l) => ULN_TOPICS.has(lc(l.topics[0]))).map((l) => lc(l.address)))];
    for (const lib of ulnEmitters) {
      for (const e of decode(ULN_IFACE, lib)) {
        const oapp = lc(e.args.oapp);
        if (!oapps.includes(oapp) || !endpoint) continue;
        const E = contract(ctx.rpc, endpoint, ENDPOINT_IFACE, "LZ_ENDPOINT");
        const [[send], [recv]] = await Promise.all([E.read("getSendLibrary", [oapp, e.args.eid], n), E.read("getReceiveLibrary", [oapp, e.args.eid], n)]);
        if (lc(send) === lib || lc(recv) === lib) events.push([e, "uln"]);
      }
    }
    events.sort((a, b) => a[0].logIndex - b[0].logIndex);

    for (const [e, kind] of events) {
      const c = e.address;
      if (e.name === "PeerSet") {
        addEid(e.args.eid);
        const peer = lc(e.args.peer);
        const [before] = await contract(ctx.rpc, c, OAPP_IFACE, "oapp").read("peers", [e.args.eid], n - 1);
        const removed = isNoPeer(peer);
        out.push(await changed(ALERTS.peer, e, "peer", removed ? FindingSeverity.Medium : FindingSeverity.High, removed ? `peer for eid ${str(e.args.eid)} removed (was ${lc(before)})` : `peer for eid ${str(e.args.eid)} set to ${peer} (was ${lc(before)}): messages from it now release tokens`, block, tx, who, { eid: str(e.args.eid), peer, previousPeer: lc(before) }));
      } else if (e.name === "OwnershipTransferred") {
        const to = lc(e.args.newOwner);
        out.push(await changed(ALERTS.owner, e, "owner", FindingSeverity.High, `owner ${lc(e.args.previousOwner)} -> ${to}: the owner sets peers, limits, pausers and can migrate every locked token`, block, tx, who, { previousOwner: lc(e.args.previousOwner), newOwner: to }, c, [to]));
      } else if (e.name === "LockedTokensMigrated") {
        const to = lc(e.args.to);
        out.push(await changed(ALERTS.migrated, e, "migrate", FindingSeverity.High, `${amount(str(e.args.amountLD))} locked tokens migrated to ${to}: the remote supply is no longer backed here`, block, tx, who, { to, amountRaw: str(e.args.amountLD), amount: fromWad(str(e.args.amountLD)).toFixed() }, c, [to]));
      } else if (e.name === "Paused" || e.name === "Unpaused") {
        const account = lc(e.args.account);
        const byPauser = e.name === "Paused" && (account === pauserContract || tx.to?.toLowerCase() === pauserContract);
        const what = e.name === "Paused" ? `paused by ${account}${byPauser ? " (OFT_PAUSER)" : ""}: no transfer in or out until the owner unpauses` : `unpaused by ${account}: transfers resume`;
        // pausing is the safe direction: a pause by OFT_PAUSER is High whoever asked it (its own wards decide who may)
        out.push(await changed(ALERTS.pause, e, e.name === "Paused" ? "pause" : "unpause", e.name === "Paused" ? FindingSeverity.High : FindingSeverity.Medium, what, block, tx, who, { account, byPauser }, c, [], byPauser));
      } else if (e.name === "PauserSet") {
        const p = lc(e.args.pauser);
        out.push(await changed(ALERTS.pauser, e, "pauser", e.args.canPause ? FindingSeverity.High : FindingSeverity.Medium, `${p} ${e.args.canPause ? "may now pause the bridge" : "may no longer pause the bridge"}`, block, tx, who, { pauser: p, canPause: !!e.args.canPause }, c, [p]));
      } else if (e.name === "RateLimitsChanged") {
        const dir = Number(str(e.args.direction)) === 0 ? "inbound" : "outbound";
        for (const rc of e.args.rateLimitConfigs as { eid: unknown; window: unknown; limit: unknown }[]) {
          addEid(rc.eid);
          const [prev] = [await contract(ctx.rpc, c, OFT_IFACE, "oft").read(dir === "inbound" ? "inboundRateLimits" : "outboundRateLimits", [rc.eid], n - 1)];
          const before = { limit: str(prev!.limit), window: str(prev!.window) };
          const after = { limit: str(rc.limit), window: str(rc.window) };
          const up = limitRaised(before, after);
          out.push(await changed(ALERTS.rateLimit, e, "rateLimit", up ? FindingSeverity.High : FindingSeverity.Medium, `${dir} limit for eid ${str(rc.eid)}: ${amount(before.limit)} per ${before.window} s -> ${amount(after.limit)} per ${after.window} s${up ? ": more may cross" : ""}`, block, tx, who, { eid: str(rc.eid), direction: dir, limitBefore: fromWad(before.limit).toFixed(), windowBefore: before.window, limit: fromWad(after.limit).toFixed(), window: after.window, raised: up }, c, [], false, ["eid", str(rc.eid)]));
        }
      } else if (e.name === "RateLimitsReset") {
        const dir = Number(str(e.args.direction)) === 0 ? "inbound" : "outbound";
        const eids = (e.args.eids as unknown[]).map(str);
        eids.forEach(addEid);
        if (eids.length) out.push(await changed(ALERTS.rateLimit, e, "rateLimit", FindingSeverity.High, `${dir} amounts in flight reset to 0 for eid ${eids.join(", ")}: a whole limit may cross again at once`, block, tx, who, { eid: eids.join(","), direction: dir, reset: true }));
      } else if (e.name === "RateLimitAccountingTypeSet") {
        const kind = Number(str(e.args.newRateLimitAccountingType)) === 0 ? "Net" : "Gross";
        out.push(await changed(ALERTS.rateLimit, e, "rateLimit", FindingSeverity.Medium, `rate-limit accounting set to ${kind}${kind === "Net" ? " (a flow one way frees capacity the other way)" : " (no offsetting)"}`, block, tx, who, { accounting: kind }));
      } else if (e.name === "CanCallTargetSet") {
        const s = lc(e.args.sender);
        out.push(await changed(ALERTS.govTarget, e, "canCall", e.args.canCall ? FindingSeverity.High : FindingSeverity.Medium, `${s} ${e.args.canCall ? "may now" : "may no longer"} send governance calls to ${lc(e.args.dstTarget)} on eid ${str(e.args.dstEid)}`, block, tx, who, { sender: s, dstEid: str(e.args.dstEid), dstTarget: lc(e.args.dstTarget), canCall: !!e.args.canCall }, c, [s]));
      } else if (e.name === "GovernanceCallSent") {
        out.push(await changed(ALERTS.govCall, e, "governanceCall", FindingSeverity.Low, `governance call ${lc(e.args.guid)} sent to a remote chain (tx from ${tx.from} to ${tx.to ?? ""})`, block, tx, who, { guid: lc(e.args.guid), txFrom: tx.from, txTo: tx.to ?? "" }));
      } else if (kind === "endpoint" || kind === "uln") {
        const oapp = lc(e.args[0]);
        const what =
          e.name === "UlnConfigSet" ? `DVN configuration for eid ${str(e.args.eid)}: ${str(e.args.config.requiredDVNCount)} required DVNs [${(e.args.config.requiredDVNs as string[]).map(lc).join(", ")}], ${str(e.args.config.optionalDVNThreshold)} of ${str(e.args.config.optionalDVNCount)} optional, ${str(e.args.config.confirmations)} confirmations (library ${c})` :
          e.name === "ExecutorConfigSet" ? `executor for eid ${str(e.args.eid)} set to ${lc(e.args.config.executor)} (library ${c})` :
          e.name === "DelegateSet" ? `delegate set to ${lc(e.args.delegate)}: it may change this OApp's DVNs and libraries` :
          `${e.name === "SendLibrarySet" ? "send" : "receive"} library for eid ${str(e.args.eid)} ${e.name === "ReceiveLibraryTimeoutSet" ? `keeps the old ${lc(e.args.oldLib)} until ${str(e.args.timeout)}` : `set to ${lc(e.args.newLib)}`}`;
        const md: Record<string, unknown> = { oapp, library: kind === "uln" ? c : "", eid: e.args.eid !== undefined ? str(e.args.eid) : "" };
        if (e.name === "UlnConfigSet") Object.assign(md, { requiredDVNs: (e.args.config.requiredDVNs as string[]).map(lc).join(","), optionalDVNs: (e.args.config.optionalDVNs as string[]).map(lc).join(","), confirmations: str(e.args.config.confirmations), optionalDVNThreshold: str(e.args.config.optionalDVNThreshold) });
        out.push(await changed(ALERTS.config, e, "lzConfig", FindingSeverity.High, `${what} (the bridge trusts what its DVNs verify)`, block, tx, who, md, oapp, [c]));
      } else if (e.name === "OFTReceived" || e.name === "OFTSent") {
        const eid = e.name === "OFTReceived" ? e.args.srcEid : e.args.dstEid;
        addEid(eid);
        ctx.observe?.(e.name === "OFTReceived" ? "sky.bridge_in" : "sky.bridge_out", fromWad(str(e.name === "OFTReceived" ? e.args.amountReceivedLD : e.args.amountSentLD)).toFixed(), { oft: keyOf(c), eid: str(eid) });
      }
    }
    return out;
  }

  /**
   * The inbound reads of the block `hash`, per `${oft}:${eid}`, in memory only (a restart or a
   * reorg reads them again). Carried to the next block when it has no log of that OFT (nor of the
   * ChainLog): the limit changes only by setRateLimits (RateLimitsChanged), and an amount in flight
   * of 0 stays 0 (only a received message, OFTReceived, adds to it; one above 0 decays with time, so
   * it is read every block). An eid without a peer never receives, so its 0 is never asked again.
   */
  let inboundKnown: { hash: string; reads: Record<string, InboundRead> } | undefined;

  /** the parent block's inbound reads that nothing in this block can have changed */
  async function carriedInbound(blockEvent: Parameters<NonNullable<Agent["handleBlock"]>>[0]): Promise<Record<string, InboundRead>> {
    const b = blockEvent.block;
    const known = inboundKnown;
    const logs = known && (await carryableLogs(ctx.rpc, { n: b.number, txCount: b.transactions.length, parentHash: b.parentHash, carriedAt: known.hash, chainlog: cfg.chainlog }));
    if (!known || !logs) return {};
    const emitters = emittersOf(logs);
    return Object.fromEntries(Object.entries(known.reads).filter(([, r]) => !emitters.has(r.oft)));
  }

  async function handleBlock(blockEvent: Parameters<NonNullable<Agent["handleBlock"]>>[0]): Promise<Finding[]> {
    const block = blockRefOf(blockEvent);
    const out: Finding[] = [];
    const checks = OFTS.flatMap((k) => {
      const a = book.tryGetAddress(k);
      return a ? state.eids.map((eid) => ({ key: k, oft: a, eid })) : [];
    });
    const carried = await carriedInbound(blockEvent);
    const reads = await Promise.all(
      checks.map(async (c) => {
        const O = contract(ctx.rpc, c.oft, OFT_IFACE, c.key);
        const prev = carried[`${c.oft}:${c.eid}`];
        const [limit, inFlight] = await Promise.all([
          prev ? prev.limit : O.read("inboundRateLimits", [c.eid], block.number).then((rl) => str(rl.limit)),
          prev?.inFlight === "0" ? "0" : O.read("getAmountCanBeReceived", [c.eid], block.number).then((can) => str(can.currentAmountInFlight)),
        ]);
        return { ...c, limit, inFlight };
      }),
    );
    inboundKnown = { hash: lc(blockEvent.block.hash), reads: Object.fromEntries(reads.map((r) => [`${r.oft}:${r.eid}`, { oft: r.oft, limit: r.limit, inFlight: r.inFlight }])) };
    for (const r of reads) {
      const use = inboundUse(r.inFlight, r.limit, cfg.inboundFraction);
      const t = inbound.observe(`${r.oft}:${r.eid}`, use.near ? "near" : null, block);
      if (!t) continue;
      out.push(
        episodeFinding(ALERTS.inbound, t, () => FindingSeverity.High, {
          description:
            t.kind === "resolved"
              ? `${r.key} ${r.oft}: inbound from eid ${r.eid} back to ${amount(r.inFlight)} in flight of a ${amount(r.limit)} limit`
              : `${r.key} ${r.oft}: ${amount(r.inFlight)} received from eid ${r.eid} within the window, ${formatPercent(use.used)} of the ${amount(r.limit)} inbound limit: a drain through a forged or compromised remote would look like this`,
          key: [blockEvent.network, r.oft, r.eid],
          addresses: [r.oft],
          metadata: { oft: r.oft, oftKey: r.key, eid: r.eid, inFlight: fromWad(r.inFlight).toFixed(), limit: fromWad(r.limit).toFixed(), used: use.used.toFixed(18), fraction: cfg.inboundFraction.toFixed() },
        }),
      );
    }
    return out;
  }

  return {
    async initialize() {
      await book.ensureLoaded(ctx.rpc, ctx.initBlock);
    },
    handleBlock,
    handleTransaction,
    // what handleTransaction reads: logs of the book's contracts (OApps, OFTs, the endpoint, the
    // governance sender, the pause's plots, the ChainLog's updates) and a ULN library's config events
    // (libraries are not in the ChainLog)
    wantsTransaction: (tx) => touchesBook(tx) || tx.logs.some(isUlnLog),
  };
}

export default lazyAgent(() => createAgent(fortaContext(BOT)));
