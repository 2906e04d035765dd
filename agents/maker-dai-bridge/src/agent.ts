/**
 * maker-dai-bridge: for each configured L2 domain, the DAI locked in the L1 escrow
 * (`DAI.balanceOf(<DOMAIN>_ESCROW)` at the L1 block being handled) must cover the DAI supply on
 * the L2 (`totalSupply()` of the L2 token at the L2's latest/safe/finalized block), both read
 * directly: the L1 through the runtime's client, the L2 through its own RPC URL(s).
 *
 * - A shortfall beyond DAI_BRIDGE_TOLERANCE, confirmed DAI_BRIDGE_CONFIRM_BLOCKS later, is an
 *   episode (High; Critical beyond DAI_BRIDGE_CRITICAL_GAP).
 * - An L2 supply change of DAI_BRIDGE_SUPPLY_JUMP or more between two checks (Info).
 * - An L2 that cannot be read is an episode of its own (Low): the bridge is then unguarded.
 * A domain is checked every DAI_BRIDGE_CHECK_INTERVAL L1 blocks, and in any block where DAI
 * leaves its escrow: at most one L2 read per domain per block, none in between.
 */
import type { BlockEvent, Finding, TransactionEvent } from "forta-agent";
import { ERC20_IFACE } from "../../../shared/abi";
import { BotDisabledError, blockRefOf, fortaContext, lazyAgent, type Agent, type BotContext } from "../../../shared/bot";
import { Episodes, episodeFinding, type EpisodeState } from "../../../shared/episodes";
import { errorMessage } from "../../../shared/errors";
import { FindingSeverity, createFinding, type BlockRef } from "../../../shared/findings";
import { decodeEvents } from "../../../shared/logs";
import { touching } from "../../../shared/interest";
import { AddressBook } from "../../../shared/maker/chainlog";
import { formatAmount, fromWad } from "../../../shared/math";
import { redact } from "../../../shared/net/secrets";
import { contract } from "../../../shared/rpc/contract";
import { ALERTS } from "./alerts";
import { BOT, domainKeys, loadConfig, type DomainConfig } from "./config";
import { gapLevel, supplyJump, tooFarAhead, type GapLevel } from "./detectors";
import { L2Reader, type L2Reading } from "./l2";

export { BOT };

/** What the bot remembers of one domain between blocks. Plain JSON. */
export interface DomainState {
  /** L1 block of the last check, and the first block the next scheduled check may run at */
  lastCheck: number | null;
  nextCheck: number;
  /** a shortfall seen once, waiting for its confirmation */
  suspect: { block: number; gapWad: string } | null;
  /** the last L2 reading */
  lastSupply: string | null;
  lastL2Block: number | null;
  /** checks skipped because the L2 block was too far ahead of the L1 block */
  skipped: number;
}

interface State {
  domains: Record<string, DomainState>;
  shortfall: EpisodeState<GapLevel>;
  unavailable: EpisodeState<"down">;
}

export function createAgent(ctx: BotContext): Agent {
  const cfg = loadConfig(ctx.env);
  const keys = [...new Set(cfg.domainConfigs.flatMap((d) => [d.escrowKey, d.l1TokenKey]))];
  const keep = new RegExp(`^(${keys.join("|")})$`);
  const bookOpts = { keep };
  const book = AddressBook.attach(ctx.persistent("chainlog", () => AddressBook.emptyState(cfg.chainlog, bookOpts)), cfg.chainlog, bookOpts);
  const state = ctx.persistent<State>("bridge", () => ({ domains: {}, shortfall: {}, unavailable: {} }));
  const shortfalls = new Episodes<GapLevel>(["shortfall", "critical"], state.shortfall);
  const outages = new Episodes<"down">(["down"], state.unavailable);
  const readers = new Map(cfg.domainConfigs.map((d) => [d.name, new L2Reader(d, cfg.l2Tag, { timeoutMs: cfg.l2TimeoutMs })]));
  const warned = new Set<string>();

  const domainState = (name: string): DomainState =>
    (state.domains[name] ??= { lastCheck: null, nextCheck: 0, suspect: null, lastSupply: null, lastL2Block: null, skipped: 0 });

  /** The L1 addresses of a domain, or null (logged once) when the ChainLog does not hold them. */
  function l1Of(d: DomainConfig): { escrow: string; token: string } | null {
    const escrow = book.tryGetAddress(d.escrowKey);
    const token = book.tryGetAddress(d.l1TokenKey);
    if (escrow && token) return { escrow, token };
    const keys = domainKeys(d.name);
    const why = `${d.name}: the ChainLog ${cfg.chainlog} has no ${!escrow ? d.escrowKey : d.l1TokenKey}; the domain is not checked (set ${!escrow ? keys.escrowKey : keys.l1TokenKey} to the right ChainLog key)`;
    if (!warned.has(why)) ctx.log.error(why);
    warned.add(why);
    return null;
  }

  const dai = (wad: string) => `${formatAmount(fromWad(wad))} DAI`;

  /** Check one domain at `block`: the L1 escrow at that block, the L2 at its head. */
  async function check(d: DomainConfig, block: BlockRef, chainId: number, reason: string): Promise<Finding[]> {
    const st = domainState(d.name);
    const l1 = l1Of(d);
    st.lastCheck = block.number;
    st.nextCheck = block.number + cfg.interval;
    if (!l1) return [];
    const reader = readers.get(d.name)!;

    // Both reads at once; an L1 failure is the runtime's (the block is retried), an L2 failure is ours to report.
    const l2 = reader.read().then(
      (r): { ok: true; r: L2Reading } => ({ ok: true, r }),
      // findings name no endpoint (not chain data, and possibly private): the log line does
      (err: unknown): { ok: false; error: string } => ({ ok: false, error: redact(errorMessage(err)).replace(/\b(https?|wss?):\/\/[^\s,;)]*[^\s,;).]/g, "the L2 RPC") }),
    );
    const escrowWad = (await contract(ctx.rpc, l1.token, ERC20_IFACE, d.l1TokenKey).uint("balanceOf", [l1.escrow], block.number)).toString();
    const got = await l2;
    const findings: Finding[] = [];
    const base = { domain: d.name, escrow: l1.escrow, l1Token: l1.token, l2Token: d.l2Token };

    const outage = outages.observe(d.name, got.ok ? null : "down", block);
    if (outage) {
      findings.push(
        episodeFinding(ALERTS.l2Unavailable, outage, () => FindingSeverity.Low, {
          description:
            outage.kind === "resolved"
              ? `${d.name}: the L2 answers again; its DAI bridge is checked again`
              : `${d.name}: the L2 cannot be read, so its DAI bridge is not being checked: ${got.ok ? "" : got.error}`,
          key: [chainId, d.name],
          addresses: [l1.escrow, d.l2Token],
          metadata: { ...base, error: got.ok ? "" : got.error.slice(0, 500) },
        }),
      );
    }
    if (!got.ok) {
      ctx.log.warn({ domain: d.name, block: block.number, l2Rpc: reader.describe(), err: got.error }, "L2 read failed");
      return findings;
    }
    const r = got.r;
    for (const [name, v] of [["maker.bridge_escrow", escrowWad], ["maker.bridge_l2_supply", r.supply]] as const) ctx.observe?.(name, fromWad(v).toFixed(), { domain: d.name });
    const reading = {
      ...base,
      l1Block: block.number,
      l2ChainId: r.chainId,
      l2Block: r.block.number,
      l2BlockHash: r.block.hash,
      l2Timestamp: r.block.timestamp,
      l2BlockTag: cfg.l2Tag,
      escrowBalanceWad: escrowWad,
      escrowBalance: fromWad(escrowWad).toFixed(),
      l2SupplyWad: r.supply,
      l2Supply: fromWad(r.supply).toFixed(),
    };

    // Supply jumps: compared with the previous reading of another L2 block.
    if (st.lastSupply !== null && st.lastL2Block !== r.block.number) {
      const delta = supplyJump(st.lastSupply, r.supply, cfg.supplyJump);
      if (delta) {
        findings.push(
          createFinding(ALERTS.supplyJump, {
            description: `${d.name}: L2 DAI supply ${delta.isNegative() ? "fell" : "rose"} by ${dai(delta.abs().toFixed(0))} since L2 block ${st.lastL2Block} (now ${dai(r.supply)} at L2 block ${r.block.number}; the L1 escrow holds ${dai(escrowWad)})`,
            key: [chainId, d.name, r.block.number, r.block.hash],
            block,
            addresses: [d.l2Token, l1.escrow],
            metadata: { ...reading, previousSupplyWad: st.lastSupply, previousL2Block: st.lastL2Block ?? "", deltaWad: delta.toFixed(0), delta: fromWad(delta.toFixed(0)).toFixed(), threshold: cfg.supplyJump.toFixed() },
          }),
        );
      }
    }
    st.lastSupply = r.supply;
    st.lastL2Block = r.block.number;

    if (tooFarAhead(r.block.timestamp, block.timestamp, cfg.maxSkew)) {
      st.skipped++;
      ctx.log.warn(
        { domain: d.name, l1Block: block.number, l2Block: r.block.number, aheadSeconds: r.block.timestamp - block.timestamp, maxSkew: cfg.maxSkew },
        "bridge check skipped: the L2 block is too far ahead of the L1 block (backfilling?); deposits made since may already be minted on the L2",
      );
      return findings;
    }

    const { level, gapWad } = gapLevel(escrowWad, r.supply, cfg.tolerance, cfg.criticalGap);
    const gap = gapWad.toFixed(0);
    if (level && !shortfalls.get(d.name) && cfg.confirmBlocks > 0) {
      // A first sighting waits for its confirmation: deposits in flight clear by then, a real gap does not.
      if (!st.suspect) {
        st.suspect = { block: block.number, gapWad: gap };
        st.nextCheck = block.number + cfg.confirmBlocks;
        ctx.log.info({ domain: d.name, block: block.number, gap: fromWad(gap).toFixed() }, "bridge shortfall seen; confirming");
        return findings;
      }
      if (block.number < st.suspect.block + cfg.confirmBlocks) {
        st.nextCheck = st.suspect.block + cfg.confirmBlocks;
        return findings;
      }
    }
    const firstSeen = st.suspect;
    st.suspect = null;
    if (!level && firstSeen) ctx.log.info({ domain: d.name, block: block.number, firstSeen: firstSeen.block }, "bridge shortfall not confirmed (it was in flight)");

    const t = shortfalls.observe(d.name, level, block);
    if (t) {
      const state_ = `the L1 escrow ${l1.escrow} holds ${dai(escrowWad)} at L1 block ${block.number}; ${d.name} has ${dai(r.supply)} at L2 block ${r.block.number}`;
      findings.push(
        episodeFinding(ALERTS.shortfall, t, (l) => (l === "critical" ? FindingSeverity.Critical : FindingSeverity.High), {
          description:
            t.kind === "resolved"
              ? `${d.name}: the DAI bridge is covered again: ${state_}`
              : `${d.name}: L2 DAI is not covered by its L1 escrow, short by ${dai(gap)}: ${state_}${firstSeen ? ` (first seen at L1 block ${firstSeen.block}, confirmed)` : ""}. Unbacked DAI was minted on the L2, or the escrow was drained`,
          key: [chainId, d.name],
          addresses: [l1.escrow, l1.token, d.l2Token],
          metadata: {
            ...reading,
            gapWad: gap,
            gap: fromWad(gap).toFixed(),
            tolerance: cfg.tolerance.toFixed(),
            criticalGap: cfg.criticalGap.toFixed(),
            firstSeenAtBlock: firstSeen?.block ?? "",
            trigger: reason,
          },
        }),
      );
    }
    return findings;
  }

  async function handleBlock(blockEvent: BlockEvent): Promise<Finding[]> {
    const block = blockRefOf(blockEvent);
    const due = cfg.domainConfigs.filter((d) => {
      const st = domainState(d.name);
      return st.lastCheck !== block.number && (st.lastCheck === null || block.number >= st.nextCheck);
    });
    const results = await Promise.all(due.map((d) => check(d, block, blockEvent.network, "schedule")));
    return results.flat();
  }

  async function handleTransaction(tx: TransactionEvent): Promise<Finding[]> {
    const block = blockRefOf(tx);
    book.applyTransaction(tx);
    // DAI leaving an escrow (a withdrawal being paid out, or a drain): check that domain now.
    const due: DomainConfig[] = [];
    for (const d of cfg.domainConfigs) {
      const l1 = l1Of(d);
      if (!l1 || domainState(d.name).lastCheck === block.number) continue;
      const { events } = decodeEvents(tx.logs, ERC20_IFACE, l1.token, ["Transfer"]);
      if (events.some((e) => String(e.args.from).toLowerCase() === l1.escrow)) due.push(d);
    }
    const results = await Promise.all(due.map((d) => check(d, block, tx.network, "escrow outflow")));
    return results.flat();
  }

  return {
    async initialize() {
      await book.ensureLoaded(ctx.rpc, ctx.initBlock);
      for (const d of cfg.domainConfigs) l1Of(d);
    },
    handleBlock,
    handleTransaction,
    // what handleTransaction reads: the L1 tokens' Transfers out of the escrows (tokens and escrows are
    // in the book) and the ChainLog's updates
    wantsTransaction: touching(book),
  };
}

/**
 * Under the forta-agent CLI (or a scan node) a bot without a domain has nothing to do: it stays
 * idle with a warning instead of failing (our runtime skips it on BotDisabledError).
 */
export default lazyAgent(() => {
  const ctx = fortaContext(BOT);
  try {
    return createAgent(ctx);
  } catch (err) {
    if (!(err instanceof BotDisabledError)) throw err;
    ctx.log.warn(err.message);
    return {};
  }
});
