/**
 * The fault suite's beacon part: the four consensus bots over a simulated network (one node
 * behind two fault proxies, the beacon API test server) whose finality is lost for a while and comes back, with empty
 * slots (the nodes answer 404 for their blocks; among them the first slot of a few epochs, where
 * the epoch checks read their states), once directly and once through FaultProxy in beacon mode:
 * 404 "No state found" for every state asked by slot at a slot that had no block (as Lodestar
 * answers; the proxy asks the simulated node which slots are empty, and the bots must read the
 * epoch's first slot with a block instead: BeaconClient.atEpochStart), and, drawn, 5xx,
 * timeouts, dropped connections (never the same request twice in a row: with
 * the first node failing a request three times over, the consensus bots' fallback to the second
 * simulated node failed on /states/{slot}/validators and the bot threw, which is an outage, not
 * the blips this part is about): the findings must be identical. An SSE
 * event stream through a proxy that cuts streams after a few events must reconnect and go on
 * delivering heads up to the last one.
 */
import { BeaconEventStream } from "../../shared/beacon/sse";
import { ConsensusHarness } from "../beacon/harness";
import { createAgent as finality } from "../../agents/consensus-finality/src/agent";
import { createAgent as participation } from "../../agents/consensus-participation/src/agent";
import { createAgent as validators } from "../../agents/consensus-validators/src/agent";
import { createAgent as forks } from "../../agents/consensus-forks/src/agent";
import { FaultProxy, seeded } from "./fault-proxy";
import type { PartReport, SuiteOptions } from "./types";

const SLOTS = 32;
const BOTS = { "consensus-finality": finality, "consensus-participation": participation, "consensus-validators": validators, "consensus-forks": forks };

async function play(h: ConsensusHarness, skipped: number[], epochs: number): Promise<void> {
  h.net.skipSlots(skipped);
  await h.runTo(3 * SLOTS - 1);
  h.net.setParticipation(0.5);
  await h.runTo((epochs - 5) * SLOTS - 1);
  h.net.setParticipation(1);
  await h.runToEpoch(epochs);
}

export async function beaconPart(o: SuiteOptions): Promise<PartReport> {
  const rand = seeded(o.seed ^ 0xbeac);
  const epochs = o.long ? 16 : 11;
  const skipped = Array.from({ length: epochs * SLOTS }, (_, s) => s).filter((s) => s > 2 && rand() < 0.04);
  // empty epoch starts, so the 404s at empty slots meet the epoch checks (each epoch, seeded)
  const emptyStarts = Array.from({ length: epochs - 2 }, (_, i) => i + 1).filter(() => rand() < (o.long ? 0.4 : 0.3));
  if (emptyStarts.length === 0) emptyStarts.push(2);
  for (const e of emptyStarts) if (!skipped.includes(e * SLOTS)) skipped.push(e * SLOTS);
  skipped.sort((a, b) => a - b);
  const mismatches: string[] = [];

  // the clean run has no fault: a generous limit, so a slow answer on a loaded machine is no timeout
  const clean = await ConsensusHarness.start({ bots: BOTS, env: { BEACON_TIMEOUT_MS: "30000" } });
  let cleanFindings: string[];
  const cleanAlerts = new Set<string>();
  let unhealthy = 0;
  try {
    await play(clean, skipped, epochs);
    cleanFindings = clean.json().map((f) => JSON.stringify(f));
    for (const f of clean.json()) cleanAlerts.add(f.uniqueKey);
  } finally {
    await clean.close();
  }

  let faulty: ConsensusHarness | undefined;
  const proxies = await Promise.all(
    [0, 1].map((i) =>
      new FaultProxy({
        upstream: "http://127.0.0.1:9",
        seed: o.seed + 10 + i,
        rate: o.long ? 0.2 : 0.12,
        mode: "beacon",
        kinds: ["5xx", "timeout", "drop", "404-empty-slot"],
        // the simulated node behind this proxy: a slot it has reached whose block is an earlier one's
        emptySlot: (slot) => {
          const node = (faulty?.servers[i] ?? faulty?.servers[0])?.node;
          return node !== undefined && slot <= node.head.slot && faulty!.net.ancestorAt(node.head, slot).slot !== slot;
        },
      }).start(),
    ),
  );
  const sseProxy = await new FaultProxy({ upstream: "http://127.0.0.1:9", seed: o.seed + 20, rate: 0.6, mode: "beacon", kinds: ["sse-drop"] }).start();
  let stream: BeaconEventStream | undefined;
  const heads: string[] = [];
  try {
    for (const p of proxies) p.enabled = false; // while the harness starts
    faulty = await ConsensusHarness.start({ bots: BOTS, env: { BEACON_API_URL: proxies.map((p) => p.url).join(","), BEACON_TIMEOUT_MS: "2000" } });
    // the harness's network has one node: both proxies lead to it (two endpoints, each faulty on
    // its own schedule; a proxy left without upstream was a dead endpoint, not a blip)
    proxies.forEach((p, i) => (p.upstream = (faulty!.servers[i] ?? faulty!.servers[0]!).url));
    sseProxy.upstream = faulty.servers[0]!.url;
    for (const p of proxies) p.enabled = true;
    stream = new BeaconEventStream({
      url: sseProxy.url,
      topics: ["head"],
      backoff: { baseDelayMs: 10, maxDelayMs: 50 },
      onEvent: (e) => void (e.topic === "head" && heads.push(e.data.block)),
      onError: () => undefined,
    }).start();
    await play(faulty, skipped, epochs);
    // consensus-forks watches each node on its own: a node failing its checks twice in a row is
    // what CONSENSUS-NODE-UNHEALTHY reports (its episode), so those are counted, not compared
    const all = faulty.json();
    const nodeHealth = all.filter((f) => f.alertId === "CONSENSUS-NODE-UNHEALTHY" && !cleanAlerts.has(f.uniqueKey));
    const faultyFindings = all.filter((f) => !nodeHealth.includes(f)).map((f) => JSON.stringify(f));
    unhealthy = nodeHealth.length;
    if (JSON.stringify(faultyFindings) !== JSON.stringify(cleanFindings)) {
      const missing = cleanFindings.filter((f) => !faultyFindings.includes(f));
      const extra = faultyFindings.filter((f) => !cleanFindings.includes(f));
      for (const m of missing) mismatches.push(`beacon: missing: ${m.slice(0, 300)}`);
      for (const m of extra) mismatches.push(`beacon: unexpected: ${m.slice(0, 300)}`);
      if (!missing.length && !extra.length) mismatches.push("beacon: same findings in another order");
    }
    // the cut stream reconnects and delivers the last head
    const lastHead = faulty.servers[0]!.node.head.root;
    const end = Date.now() + 30_000;
    while (heads[heads.length - 1] !== lastHead && Date.now() < end) await new Promise((r) => setTimeout(r, 20));
    if (heads[heads.length - 1] !== lastHead) mismatches.push(`beacon: the SSE stream cut ${sseProxy.injected["sse-drop"] ?? 0} times did not deliver the last head (${heads.length} heads seen)`);
    if ((sseProxy.injected["sse-drop"] ?? 0) > 0 && stream.stats.connections <= 1) mismatches.push("beacon: the SSE stream was cut but never reconnected");
    const faults: Record<string, number> = {};
    const own404 = proxies.reduce((a, p) => a + p.passed404, 0);
    if (own404) faults["beacon 404 at empty slots (the node's own)"] = own404;
    o.say?.(`  beacon: empty slots ${skipped.length} (epoch starts: ${emptyStarts.map((e) => e * SLOTS).join(", ")}); 404 "No state found" answered ${proxies.reduce((a, p) => a + (p.injected["404-empty-slot"] ?? 0), 0)} times`);
    if (proxies.every((p) => !p.injected["404-empty-slot"])) mismatches.push("beacon: no state was asked at an empty slot: the 404s at empty slots were never injected");
    o.say?.(`  beacon: ${unhealthy} CONSENSUS-NODE-UNHEALTHY episode finding(s) under faults (consensus-forks reporting a node that failed twice; not compared)`);
    for (const p of [...proxies, sseProxy]) for (const [k, v] of Object.entries(p.injected)) faults[`beacon ${k}`] = (faults[`beacon ${k}`] ?? 0) + v;
    return { part: "beacon", faults, blocks: epochs * SLOTS, findingsCompared: cleanFindings.length, mismatches };
  } finally {
    await stream?.close();
    await faulty?.close();
    for (const p of [...proxies, sseProxy]) await p.stop();
  }
}
