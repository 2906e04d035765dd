/**
 * The consensus scenarios of issue 5, each run with all four consensus bots against two
 * simulated beacon nodes (Lighthouse and Teku) on loopback, every response validated against the
 * Beacon API spec. Each scenario must yield exactly the expected findings (alert, severity,
 * P-class, incident type, episode transition), the healthy chain none, and the beacon event
 * path exactly the same findings as the execution-block path.
 */
import { ConsensusHarness, type Drive } from "./harness";
import { CLIENTS } from "./sim/network";
import { createAgent as finality } from "../../agents/consensus-finality/src/agent";
import { createAgent as participation } from "../../agents/consensus-participation/src/agent";
import { createAgent as validators } from "../../agents/consensus-validators/src/agent";
import { createAgent as forks } from "../../agents/consensus-forks/src/agent";

/**
 * Mainnet's 32 slots per epoch: with the minimal preset's 8, a third of the current epoch's
 * attestations land after its epoch processing, so a 25-30% drop already delays finality
 * (only previous-epoch justification: 4 epochs since finalisation), which mainnet does not.
 */
const SLOTS = 32;

interface Scenario {
  name: string;
  /** drives the network; `h.runTo*` advances slot by slot */
  play(h: ConsensusHarness): Promise<void>;
  /** "bot: ALERT-ID Severity P-class type episode" in the order produced (execution-block path) */
  expected: string[];
}

const scenarios: Scenario[] = [
  {
    name: "a healthy chain",
    play: (h) => h.runToEpoch(14),
    expected: [],
  },
  {
    name: "10 epochs without finality, then recovery",
    async play(h) {
      await h.runTo(4 * SLOTS - 1);
      h.net.setParticipation(0.5);
      await h.runTo(14 * SLOTS - 1);
      h.net.setParticipation(1);
      await h.runToEpoch(20);
    },
    expected: [
      "consensus-finality: CONSENSUS-JUSTIFICATION-STALLED Medium P2 A opened",
      "consensus-finality: CONSENSUS-FINALITY-LOST High P1 A opened",
      "consensus-participation: CONSENSUS-PARTICIPATION-DROP Critical P0 A opened",
      "consensus-participation: CONSENSUS-PARTICIPATION-BELOW-FINALITY Critical P0 A opened",
      "consensus-finality: CONSENSUS-FINALITY-LOST Critical P0 A escalated",
      "consensus-finality: CONSENSUS-JUSTIFICATION-STALLED Info none A resolved",
      "consensus-finality: CONSENSUS-FINALITY-RESTORED Info none A resolved",
      "consensus-participation: CONSENSUS-PARTICIPATION-DROP Info none A resolved",
      "consensus-participation: CONSENSUS-PARTICIPATION-BELOW-FINALITY Info none A resolved",
    ],
  },
  {
    name: "a 30% participation drop",
    async play(h) {
      await h.runTo(6 * SLOTS - 1);
      h.net.setParticipation(0.7);
      await h.runToEpoch(12);
    },
    expected: ["consensus-participation: CONSENSUS-PARTICIPATION-DROP Critical P0 A opened"],
  },
  {
    name: "a 10% participation drop",
    async play(h) {
      await h.runTo(6 * SLOTS - 1);
      h.net.setParticipation(0.9);
      await h.runToEpoch(12);
    },
    expected: ["consensus-participation: CONSENSUS-PARTICIPATION-DROP High P1 A opened"],
  },
  {
    name: "a split between two nodes",
    async play(h) {
      await h.runTo(5 * SLOTS + 3);
      h.net.split("teku");
      await h.runToEpoch(12);
    },
    expected: ["consensus-forks: CONSENSUS-HEADS-DIVERGED High P1 A opened", "consensus-forks: CONSENSUS-SPLIT Critical P0 A opened"],
  },
  {
    name: "a depth-3 reorg",
    async play(h) {
      await h.runTo(5 * SLOTS + 4);
      h.net.reorg(3);
      await h.runToEpoch(10);
    },
    expected: ["consensus-forks: CONSENSUS-REORG High P1 A -"],
  },
  {
    name: "a syncing node",
    async play(h) {
      await h.runToEpoch(6);
      h.net.setConditions("teku", { syncDistance: 40 });
      await h.runToEpoch(10);
    },
    expected: ["consensus-forks: CONSENSUS-NODE-SYNCING Medium P2 B opened"],
  },
  // Beyond the list: the rest of the alerts, both paths.
  {
    name: "three one-slot reorgs in one epoch",
    async play(h) {
      for (const k of [3, 9, 15]) {
        await h.runTo(5 * SLOTS + k);
        h.net.reorg(1);
      }
      await h.runToEpoch(8);
    },
    expected: ["consensus-forks: CONSENSUS-REORG-RATE Medium P2 A -"],
  },
  {
    name: "8 of 64 validators slashed, 8 others exit",
    async play(h) {
      await h.runTo(6 * SLOTS + 2);
      h.net.slash({ attesters: [10, 11, 12, 13, 14, 15, 16, 17] });
      h.net.exit([50, 51, 52, 53, 54, 55, 56, 57]);
      await h.runToEpoch(14);
    },
    expected: [
      // slashed validators no longer count as participating (12.5% of the stake), even in the
      // epoch before their slashing, whose rewards are settled after it (as in the protocol)
      "consensus-participation: CONSENSUS-PARTICIPATION-DROP High P1 A opened",
      "consensus-validators: CONSENSUS-SLASHING High P1 A -",
      "consensus-validators: CONSENSUS-EXIT-BURST Medium P2 A -",
      "consensus-validators: CONSENSUS-ACTIVE-VALIDATORS-DROP High P1 A opened",
      // once they have left the active set, the others' participation is whole again
      "consensus-participation: CONSENSUS-PARTICIPATION-DROP Info none A resolved",
    ],
  },
];

async function run(s: Scenario, drive: Drive) {
  const h = await ConsensusHarness.start({
    bots: {
      "consensus-finality": finality,
      "consensus-participation": participation,
      "consensus-validators": validators,
      "consensus-forks": forks,
    },
    network: {
      constants: { slotsPerEpoch: SLOTS },
      nodes: [
        { name: "lighthouse", client: CLIENTS.lighthouse },
        { name: "teku", client: CLIENTS.teku },
      ],
    },
    drive,
  });
  try {
    await s.play(h);
    expect(h.violations()).toEqual([]);
    expect(h.handlerErrors()).toEqual([]);
    return {
      summary: h.findings.map((f, i) => `${f.bot}: ${h.summary()[i]}`),
      json: h.json(),
    };
  } finally {
    await h.close();
  }
}

describe.each(scenarios)("scenario: $name", (s) => {
  it("yields exactly the expected findings, the same through beacon events, and each once when both drive the bots", async () => {
    const byBlocks = await run(s, "blocks");
    expect(byBlocks.summary).toEqual(s.expected);
    const byEvents = await run(s, "events");
    // The two runs use different servers: only their ports may differ.
    const sorted = (x: typeof byBlocks.json) =>
      JSON.parse(JSON.stringify([...x].sort((a, b) => a.uniqueKey.localeCompare(b.uniqueKey))).replace(/127\.0\.0\.1:\d+/g, "127.0.0.1:PORT")) as unknown;
    expect(sorted(byEvents.json)).toEqual(sorted(byBlocks.json));
    const byBoth = await run(s, "both");
    expect(sorted(byBoth.json)).toEqual(sorted(byBlocks.json));
  });
});
