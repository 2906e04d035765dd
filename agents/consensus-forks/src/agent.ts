/**
 * consensus-forks: compares the beacon nodes in BEACON_API_URL (ideally different clients) once
 * per epoch: finalized checkpoints that conflict (a consensus split), heads on different
 * branches, reorgs (fork-choice leaves that lost, or chain_reorg events), and each node's own
 * health. Each node is read with its own client: no fallback, since nodes are compared.
 */
import type { Finding } from "forta-agent";
import { fortaContext, lazyAgent, type BotContext } from "../../../shared/bot";
import { Episodes, type EpisodeState } from "../../../shared/episodes";
import { createFinding, FindingSeverity, type AlertSpec } from "../../../shared/findings";
import { BeaconClient } from "../../../shared/beacon/client";
import { createConsensusAgent, type ConsensusAgent } from "../../../shared/beacon/agent";
import { requireBeaconUrls } from "../../../shared/beacon/config";
import { epochEpisodeFinding, epochRef } from "../../../shared/beacon/findings";
import type { BeaconClock } from "../../../shared/beacon/clock";
import type { BeaconEvent } from "../../../shared/beacon/events";
import type { NodeVersion } from "../../../shared/beacon/types";
import { ALERTS } from "./alerts";
import { loadConfig, type ForksConfig } from "./config";
import { HEALTH_LEVELS, NODE_CONDITIONS, agreeingGroups, clientDescription, nodeConditions, nodeLabel, type HealthLevel, type NodeCondition } from "./health";
import { beaconNodes, compareHeads, finalityConsistent, observeNode, orphanedDepth, type BeaconNode, type NodeObservation } from "./nodes";

interface ReorgRecord {
  /** epoch of the orphaned head's slot */
  epoch: number;
  depth: number;
}

interface State {
  /** per node (by index): last known version (names the node when it is down) and head */
  nodes: Record<string, { version?: NodeVersion; lastHead?: { root: string; slot: number } }>;
  health: EpisodeState<"on">;
  /** health 206 unexplained (degraded) / 503 or unreachable (unhealthy), per node */
  unhealthy: EpisodeState<HealthLevel>;
  split: EpisodeState<"split">;
  heads: EpisodeState<"diverged">;
  /** reorgs seen, by orphaned head root (either path) */
  reorgs: Record<string, ReorgRecord>;
  /** non-canonical fork-choice leaves already examined, by root: their slot */
  seenLeaves: Record<string, number>;
  /** epochs whose reorg count was reported */
  rateReported: number[];
}

const CONDITION_ALERT: Record<NodeCondition, AlertSpec> = {
  unhealthy: ALERTS.nodeUnhealthy,
  syncing: ALERTS.nodeSyncing,
  elOffline: ALERTS.nodeElOffline,
  optimistic: ALERTS.nodeOptimistic,
  peersLow: ALERTS.nodePeers,
};

/** Reorgs are kept this many epochs (for the per-epoch count and to report each once). */
const REORG_MEMORY_EPOCHS = 64;

export function createAgent(ctx: BotContext): ConsensusAgent {
  const cfg = loadConfig(ctx.env);
  const urls = requireBeaconUrls(ctx.name, cfg.urls, 1, "it compares the nodes it is given; give two or more, ideally different clients");
  // Quick retries: a node that is down must not hold up the comparison of the others.
  const nodes = beaconNodes(BeaconClient.perEndpoint({ urls, timeoutMs: cfg.timeoutMs, retry: { retries: 1, baseDelayMs: 200, maxDelayMs: 1_000 } }), urls);
  const normalized = urls.map((u) => u.replace(/\/+$/, ""));
  const state = ctx.persistent<State>("forks", () => ({ nodes: {}, health: {}, unhealthy: {}, split: {}, heads: {}, reorgs: {}, seenLeaves: {}, rateReported: [] }));
  const health = new Episodes(["on"] as const, state.health);
  const unhealthy = new Episodes(HEALTH_LEVELS, state.unhealthy);
  const split = new Episodes(["split"] as const, state.split);
  const heads = new Episodes(["diverged"] as const, state.heads);
  if (urls.length < 2) ctx.log.warn("consensus-forks has one beacon node: only its health is checked; give two or more URLs to compare nodes");

  const label = (i: number) => nodeLabel(i, state.nodes[i]?.version);
  const nodeMeta = (i: number) => ({ node: label(i), endpoint: nodes[i]!.endpoint, client: clientDescription(state.nodes[i]?.version) });

  /** Record a reorg once (whichever path saw it first); a finding when deep enough. */
  function reorgFinding(clock: BeaconClock, oldHead: string, oldHeadSlot: number, depth: number): Finding[] {
    if (state.reorgs[oldHead]) return [];
    const epoch = clock.epochOf(oldHeadSlot);
    state.reorgs[oldHead] = { epoch, depth };
    if (depth < cfg.reorgDepth) return [];
    return [
      createFinding(ALERTS.reorg, {
        block: epochRef(clock, epoch),
        key: [oldHead],
        description: `Beacon chain reorg of depth ${depth}: the head at slot ${oldHeadSlot} (${oldHead.slice(0, 10)}…) and the ${depth > 1 ? `blocks after slot ${oldHeadSlot - depth}` : "block"} before it were orphaned`,
        metadata: { oldHeadRoot: oldHead, oldHeadSlot, depth, commonAncestorSlot: oldHeadSlot - depth, epoch },
      }),
    ];
  }

  async function checkEpoch(epoch: number, clock: BeaconClock): Promise<Finding[]> {
    const at = epochRef(clock, epoch);
    const obs = await Promise.all(nodes.map(observeNode));
    for (const o of obs) {
      state.nodes[o.index] ??= {};
      if (o.version) state.nodes[o.index]!.version = o.version;
    }
    const out: Finding[] = [];
    out.push(...nodeHealth(obs, at));
    out.push(...(await finalizedSplit(obs, at)));
    out.push(...(await headDivergence(obs, at)));
    out.push(...(await polledReorgs(obs, clock)));
    out.push(...reorgRate(epoch, at));
    return out;
  }

  function nodeHealth(obs: NodeObservation[], at: ReturnType<typeof epochRef>): Finding[] {
    const out: Finding[] = [];
    for (const o of obs) {
      const conds = nodeConditions(o, cfg);
      for (const cond of NODE_CONDITIONS) {
        const level = conds[cond];
        if (level === undefined) continue;
        const subject = `${cond}:node${o.index}`;
        const t =
          cond === "unhealthy"
            ? unhealthy.observe(subject, level as HealthLevel | null, at)
            : health.observe(subject, level ? "on" : null, at);
        if (!t) continue;
        const severityOf = (l: string) => (l === "degraded" ? FindingSeverity.Medium : CONDITION_ALERT[cond].severity);
        out.push(
          epochEpisodeFinding(CONDITION_ALERT[cond], t, severityOf, {
            key: [`node${o.index}`],
            description: describeCondition(cond, t.kind === "resolved", o, label(o.index), nodes[o.index]!, cfg),
            metadata: {
              ...nodeMeta(o.index),
              headSlot: o.syncing?.headSlot,
              syncDistance: o.syncing?.syncDistance,
              isSyncing: o.syncing?.isSyncing,
              isOptimistic: o.syncing?.isOptimistic,
              elOffline: o.syncing?.elOffline,
              health: o.health,
              connectedPeers: o.peers?.connected,
              error: o.unreachable ? o.error : undefined,
            },
          }),
        );
      }
    }
    return out;
  }

  async function finalizedSplit(obs: NodeObservation[], at: ReturnType<typeof epochRef>): Promise<Finding[]> {
    const withFinality = obs.filter((o) => o.finality);
    if (withFinality.length < 2) return [];
    const consistent = new Map<string, boolean>();
    for (let x = 0; x < withFinality.length; x++) {
      for (let y = x + 1; y < withFinality.length; y++) {
        const a = withFinality[x]!;
        const b = withFinality[y]!;
        consistent.set(`${a.index}|${b.index}`, await finalityConsistent({ node: nodes[a.index]!, finality: a.finality! }, { node: nodes[b.index]!, finality: b.finality! }));
      }
    }
    const groups = agreeingGroups(
      withFinality.map((o) => o.index),
      (a, b) => consistent.get(`${Math.min(a, b)}|${Math.max(a, b)}`)!,
    );
    const t = split.observe("finalized", groups.length > 1 ? "split" : null, at);
    if (!t) return [];
    const show = (g: number[]) => g.map((i) => `${label(i)} finalized epoch ${obs[i]!.finality!.finalized.epoch} (${obs[i]!.finality!.finalized.root.slice(0, 10)}…)`).join(", ");
    const checkpoints = Object.fromEntries(withFinality.map((o) => [`finalized.${label(o.index)}`, `${o.finality!.finalized.epoch}:${o.finality!.finalized.root}`]));
    return [
      epochEpisodeFinding(ALERTS.split, t, () => FindingSeverity.Critical, {
        description:
          t.kind === "resolved"
            ? `Beacon nodes agree on finality again: ${show(groups[0]!)}`
            : `Consensus split: beacon nodes finalized conflicting checkpoints: ${groups.map((g) => `[${show(g)}]`).join(" vs ")}`,
        metadata: { groups: groups.map((g) => g.map(label).join(", ")).join(" | "), ...checkpoints },
      }),
    ];
  }

  async function headDivergence(obs: NodeObservation[], at: ReturnType<typeof epochRef>): Promise<Finding[]> {
    const out: Finding[] = [];
    const withHead = obs.filter((o) => o.head);
    for (let x = 0; x < withHead.length; x++) {
      for (let y = x + 1; y < withHead.length; y++) {
        const a = withHead[x]!;
        const b = withHead[y]!;
        // Walking N+1 parents is enough to know whether the fork is deeper than N slots.
        const cmp = await compareHeads({ node: nodes[a.index]!, head: a.head! }, { node: nodes[b.index]!, head: b.head! }, cfg.headDivergenceSlots + 1);
        const diverged = cmp.diverged && (cmp.distance === undefined || cmp.distance > cfg.headDivergenceSlots);
        const t = heads.observe(`node${a.index}|node${b.index}`, diverged ? "diverged" : null, at);
        if (!t) continue;
        const distance = cmp.diverged ? (cmp.distance === undefined ? `more than ${cfg.headDivergenceSlots + 1}` : String(cmp.distance)) : "0";
        out.push(
          epochEpisodeFinding(ALERTS.headsDiverged, t, () => FindingSeverity.High, {
            key: [`node${a.index}`, `node${b.index}`],
            description:
              t.kind === "resolved"
                ? `${label(a.index)} and ${label(b.index)} follow the same chain again`
                : `${label(a.index)} (head slot ${a.head!.slot}) and ${label(b.index)} (head slot ${b.head!.slot}) follow different branches, forked ${distance} slots below the lower head`,
            metadata: {
              nodeA: label(a.index),
              nodeB: label(b.index),
              headA: `${a.head!.slot}:${a.head!.root}`,
              headB: `${b.head!.slot}:${b.head!.root}`,
              slotsSinceCommonAncestor: distance,
              commonAncestorSlot: cmp.diverged ? cmp.ancestorSlot : undefined,
            },
          }),
        );
      }
    }
    return out;
  }

  async function polledReorgs(obs: NodeObservation[], clock: BeaconClock): Promise<Finding[]> {
    const out: Finding[] = [];
    for (const o of obs) {
      if (!o.head) continue;
      const node = nodes[o.index]!;
      const ns = state.nodes[o.index]!;
      if (o.leaves) {
        // Every fork-choice leaf that is not the head lost a race: how deep was its branch?
        for (const leaf of o.leaves) {
          if (leaf.root === o.head.root || leaf.root in state.seenLeaves || leaf.root in state.reorgs) continue;
          state.seenLeaves[leaf.root] = leaf.slot;
          const d = await orphanedDepth(node, leaf.root, cfg.maxWalk);
          if (d) out.push(...reorgFinding(clock, leaf.root, d.slot, d.depth));
        }
      } else if (ns.lastHead && ns.lastHead.root !== o.head.root && !(ns.lastHead.root in state.reorgs)) {
        // No fork-choice leaves this epoch (the debug route is not served, or it failed): was the
        // head we saw last epoch orphaned since? (lastHead moves on below, so skipping this would
        // lose a reorg of that head for good.)
        const d = await orphanedDepth(node, ns.lastHead.root, cfg.maxWalk);
        if (d) out.push(...reorgFinding(clock, ns.lastHead.root, d.slot, d.depth));
      }
      ns.lastHead = { root: o.head.root, slot: o.head.slot };
    }
    // Forget what is far behind: leaves below the finalized slot are pruned by the nodes too.
    const finalizedSlot = Math.min(...obs.filter((o) => o.finality).map((o) => clock.startSlot(o.finality!.finalized.epoch)), Infinity);
    if (Number.isFinite(finalizedSlot)) {
      for (const [root, slot] of Object.entries(state.seenLeaves)) if (slot < finalizedSlot) delete state.seenLeaves[root];
    }
    return out;
  }

  function reorgRate(epoch: number, at: ReturnType<typeof epochRef>): Finding[] {
    for (const [root, r] of Object.entries(state.reorgs)) if (r.epoch < epoch - REORG_MEMORY_EPOCHS) delete state.reorgs[root];
    state.rateReported = state.rateReported.filter((e) => e >= epoch - REORG_MEMORY_EPOCHS);
    const out: Finding[] = [];
    // Judge the epochs that have ended and were not judged yet.
    const epochs = [...new Set(Object.values(state.reorgs).map((r) => r.epoch))].filter((e) => e < epoch && !state.rateReported.includes(e));
    for (const e of epochs.sort((a, b) => a - b)) {
      const inEpoch = Object.entries(state.reorgs).filter(([, r]) => r.epoch === e);
      if (inEpoch.length <= cfg.reorgsPerEpoch) continue;
      state.rateReported.push(e);
      out.push(
        createFinding(ALERTS.reorgRate, {
          block: at,
          key: [e],
          description: `${inEpoch.length} reorgs orphaned heads of epoch ${e} (threshold ${cfg.reorgsPerEpoch} per epoch)`,
          metadata: { reorgEpoch: e, reorgs: inEpoch.length, depths: inEpoch.map(([, r]) => r.depth).join(","), threshold: cfg.reorgsPerEpoch },
        }),
      );
    }
    return out;
  }

  return createConsensusAgent({
    ctx,
    clockFrom: new BeaconClient({ urls, timeoutMs: cfg.timeoutMs }),
    checkEpoch,
    events: {
      topics: ["chain_reorg"],
      async handle(event: BeaconEvent, clock: BeaconClock): Promise<Finding[]> {
        if (event.topic !== "chain_reorg") return [];
        const index = normalized.indexOf(event.source.replace(/\/+$/, ""));
        if (index < 0) {
          ctx.log.warn("chain_reorg event from a beacon node not in BEACON_API_URL: ignored");
          return [];
        }
        const d = event.data;
        if (d.oldHeadBlock in state.reorgs) return [];
        // The event gives the new head's slot; the orphaned head's slot (what the rate and the
        // finding are keyed on, as on the polling path) comes from its header.
        const old = await nodes[index]!.client.header(d.oldHeadBlock as `0x${string}`);
        return reorgFinding(clock, d.oldHeadBlock, old?.slot ?? d.slot, d.depth);
      },
    },
  });
}

function describeCondition(cond: NodeCondition, resolved: boolean, o: NodeObservation, name: string, node: BeaconNode, cfg: ForksConfig): string {
  const who = `Beacon node ${name} (${clientDescription(o.version)}) at ${node.endpoint}`;
  switch (cond) {
    case "unhealthy":
      if (resolved) return `${who} is reachable and healthy again`;
      if (o.unreachable) return `${who} is unreachable: ${o.error ?? "no answer"}`;
      return o.health === 503
        ? `${who} reports itself unhealthy (GET /eth/v1/node/health: 503)`
        : `${who} reports itself not ready (GET /eth/v1/node/health: 206) although it says it is synced, with its execution client online and verified`;
    case "syncing":
      return resolved ? `${who} is synced again` : `${who} is syncing: ${o.syncing!.syncDistance} slots behind (head slot ${o.syncing!.headSlot}); its data is stale`;
    case "elOffline":
      return resolved ? `${who}: execution client back online` : `${who} says its execution client is offline: it cannot verify new blocks`;
    case "optimistic":
      return resolved ? `${who} is no longer optimistic` : `${who} follows the chain optimistically: execution payloads not yet verified`;
    case "peersLow":
      return resolved ? `${who} has enough peers again (${o.peers!.connected})` : `${who} has ${o.peers!.connected} connected peers (fewer than ${cfg.minPeers})`;
  }
}

export default lazyAgent(() => createAgent(fortaContext("consensus-forks")));
