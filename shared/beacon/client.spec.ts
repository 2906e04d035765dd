import { createServer, type Server } from "http";
import type { AddressInfo } from "net";
import { BeaconClient, parseVersionString } from "./client";
import { Reader } from "./parse";
import { outOfSpec } from "../out-of-spec";
import { BeaconAnswerError } from "./errors";
import { AllEndpointsFailedError } from "../net/retry";
import { SimNetwork, CLIENTS } from "../../test/beacon/sim/network";
import { BeaconTestServer, LODESTAR_1_22 } from "../../test/beacon/server";
import { FAR_FUTURE_EPOCH } from "./types";

const FAST = { retries: 1, baseDelayMs: 1, maxDelayMs: 5 };

/** A loopback server answering every request with `body` (JSON) and `status`. */
async function rawServer(status: number, body: unknown): Promise<{ url: string; server: Server }> {
  const server = createServer((_req, res) => {
    res.writeHead(status, { "content-type": "application/json" });
    res.end(JSON.stringify(body));
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, server };
}

const closeServer = (s: Server) => new Promise<void>((r) => s.close(() => r()));

describe("BeaconClient against the simulated beacon node", () => {
  let net: SimNetwork;
  let lh: BeaconTestServer;
  let teku: BeaconTestServer;

  beforeAll(async () => {
    net = new SimNetwork({
      nodes: [
        { name: "lighthouse", client: CLIENTS.lighthouse },
        { name: "teku", client: CLIENTS.teku },
      ],
      // every 4th validator has a 64 ETH (compounding) effective balance
      effectiveBalance: (i) => (i % 4 === 0 ? 64_000_000_000n : 32_000_000_000n),
    });
    net.advanceTo(5 * 8);
    net.slash({ proposers: [3], attesters: [5, 6] });
    net.exit([10, 11]);
    net.advance(2);
    lh = await BeaconTestServer.start({ network: net, node: "lighthouse" });
    teku = await BeaconTestServer.start({ network: net, node: "teku" });
  });

  afterAll(async () => {
    await lh.close();
    await teku.close();
  });

  afterEach(() => {
    expect(lh.violations).toEqual([]);
    expect(teku.violations).toEqual([]);
  });

  it("reads chain parameters, finality, headers and validators as the chain has them", async () => {
    const c = new BeaconClient({ urls: [lh.url] });
    expect(await c.genesis()).toMatchObject({ genesisTime: net.genesisTime });
    expect(await c.spec()).toMatchObject({ secondsPerSlot: 12, slotsPerEpoch: 8 });

    const cp = await c.finalityCheckpoints(40);
    const truth = net.stateAt(net.ancestorAt(net.node("lighthouse").head, 40), 40);
    expect(cp.finalized).toEqual(truth.finalized);
    expect(cp.currentJustified).toEqual(truth.currentJustified);
    expect(cp.finalized.epoch).toBe(3); // healthy: epoch 5 - 2

    const head = await c.header("head");
    expect(head).toMatchObject({ slot: 42, canonical: true, root: net.node("lighthouse").head.root });
    expect(await c.header(999)).toBeNull();

    const active = await c.validators("head", ["active"]);
    expect(active).toHaveLength(64);
    expect(active.filter((v) => v.status !== "active_ongoing").map((v) => [v.index, v.status])).toEqual([
      [3, "active_slashed"],
      [5, "active_slashed"],
      [6, "active_slashed"],
      [10, "active_exiting"],
      [11, "active_exiting"],
    ]);
    expect(active[0]!.effectiveBalance).toBe(64_000_000_000n);
    expect(active[1]!.effectiveBalance).toBe(32_000_000_000n);
    expect(active[0]!.exitEpoch).toBe(FAR_FUTURE_EPOCH);
    expect(active[10]!.exitEpoch).toBe(10n); // initiated in epoch 5: 5 + 1 + MAX_SEED_LOOKAHEAD
  });

  it("reads attestation rewards (signed, exact) and block operations", async () => {
    const c = new BeaconClient({ urls: [lh.url] });
    const r = await c.attestationRewards(3);
    expect(r.total).toHaveLength(64);
    expect(r.total.every((t) => t.target > 0n && t.source > 0n && t.head > 0n)).toBe(true);
    expect(r.ideal.map((i) => i.effectiveBalance)).toEqual([32_000_000_000n, 64_000_000_000n]);
    expect(r.finalized).toBe(true);
    // Not available until the epoch after it has ended.
    await expect(new BeaconClient({ urls: [lh.url], retry: FAST }).attestationRewards(5)).rejects.toThrow(/state not available on this node yet/);

    const ops = await c.block(41);
    expect(ops).toMatchObject({
      slot: 41,
      version: "electra",
      proposerSlashings: [{ proposerIndex: 3 }],
      attesterSlashings: [{ slashedIndices: [5, 6] }],
      voluntaryExits: [
        { validatorIndex: 10, epoch: 5 },
        { validatorIndex: 11, epoch: 5 },
      ],
    });
    expect(await c.committees(40)).toHaveLength(16); // 2 committees per slot, 8 slots
  });

  it("reads node status: syncing, health, peers and the client's name", async () => {
    const c = new BeaconClient({ urls: [teku.url] });
    expect(await c.version()).toMatchObject({ beaconNode: { code: "TK", name: "teku" } });
    expect(await c.syncing()).toEqual({ headSlot: 42, syncDistance: 0, isSyncing: false, isOptimistic: false, elOffline: false });
    expect(await c.health()).toBe(200);
    expect((await c.peerCount()).connected).toBe(50);

    net.setConditions("teku", { syncDistance: 10, elOffline: true });
    try {
      expect(await c.syncing()).toMatchObject({ isSyncing: true, syncDistance: 10, headSlot: 32, elOffline: true });
      expect(await c.health()).toBe(206);
      net.setConditions("teku", { health: 503 });
      expect(await c.health()).toBe(503);
    } finally {
      net.setConditions("teku", { syncDistance: 0, elOffline: false, health: undefined });
    }
  });

  it("hands over to the next URL when a node is behind, and when one is unreachable", async () => {
    net.setConditions("teku", { syncDistance: 20 });
    try {
      // teku does not have slot 40's state (its head is at slot 22): lighthouse answers.
      const c = new BeaconClient({ urls: [teku.url, lh.url], retry: FAST });
      expect((await c.finalityCheckpoints(40)).finalized.epoch).toBe(3);
      // a per-endpoint client compares nodes: no fallback
      const [tekuOnly] = BeaconClient.perEndpoint({ urls: [teku.url, lh.url], retry: FAST });
      await expect(tekuOnly!.finalityCheckpoints(40)).rejects.toThrow(AllEndpointsFailedError);
    } finally {
      net.setConditions("teku", { syncDistance: 0 });
    }
    const dead = await rawServer(200, {});
    await closeServer(dead.server);
    const c = new BeaconClient({ urls: [dead.url, lh.url], retry: FAST });
    expect((await c.header("head"))?.slot).toBe(42);
  });

  it("tries every URL in each round: three dead URLs do not hide a good fourth", async () => {
    const dead = await Promise.all([1, 2, 3].map(() => rawServer(200, {})));
    await Promise.all(dead.map((d) => closeServer(d.server)));
    const urls = [...dead.map((d) => d.url), lh.url];
    // with the default policy (2 retries) and with none: the first round reaches the fourth URL
    expect((await new BeaconClient({ urls }).header("head"))?.slot).toBe(42);
    expect((await new BeaconClient({ urls, retry: { retries: 0, baseDelayMs: 1, maxDelayMs: 1 } }).header("head"))?.slot).toBe(42);
  });

  it("retries are rounds over every URL: three URLs failing once are tried again, and every URL is tried retries + 1 times", async () => {
    // three nodes that answer 503 to their first request, then a valid syncing status
    const seen: number[] = [0, 0, 0];
    const servers = await Promise.all(
      seen.map(async (_, i) => {
        const server = createServer((_req, res) => {
          const first = seen[i]++ === 0;
          res.writeHead(first ? 503 : 200, { "content-type": "application/json" });
          res.end(JSON.stringify(first ? { code: 503, message: "starting" } : { data: { head_slot: String(100 + i), sync_distance: "0", is_syncing: false } }));
        });
        await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
        return { server, url: `http://127.0.0.1:${(server.address() as AddressInfo).port}` };
      }),
    );
    try {
      const c = new BeaconClient({ urls: servers.map((s) => s.url), retry: FAST });
      expect((await c.syncing()).headSlot).toBe(100); // the second round starts again at the first URL
      expect(seen).toEqual([2, 1, 1]);
    } finally {
      await Promise.all(servers.map((s) => closeServer(s.server)));
    }
    // all down: every URL tried in each of the 1 + retries rounds
    const dead = await Promise.all([1, 2, 3].map(() => rawServer(200, {})));
    await Promise.all(dead.map((d) => closeServer(d.server)));
    const err = await new BeaconClient({ urls: dead.map((d) => d.url), retry: FAST })
      .syncing()
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(AllEndpointsFailedError);
    expect((err as AllEndpointsFailedError).attempts).toBe(6);
  });

  it("concurrent calls do not rotate each other away from the node that works", async () => {
    net.setConditions("lighthouse", { down: true });
    try {
      // each call goes round both nodes itself, whatever the others do meanwhile
      const c = new BeaconClient({ urls: [lh.url, teku.url], retry: { retries: 1, baseDelayMs: 1, maxDelayMs: 1 } });
      const answers = await Promise.all([c.finalityCheckpoints(40), c.validators(40, ["active"]), c.header("head"), c.syncing(), c.peerCount()]);
      expect(answers).toHaveLength(5);
    } finally {
      net.setConditions("lighthouse", { down: false });
    }
  });
});

describe("BeaconClient parsing", () => {
  it("parses uint64 and int64 decimal strings exactly, beyond 2^53", async () => {
    const { url, server } = await rawServer(200, {
      execution_optimistic: false,
      finalized: true,
      data: {
        ideal_rewards: [{ effective_balance: "18446744073709551615", head: "1", target: "2", source: "3", inactivity: "0" }],
        total_rewards: [{ validator_index: "7", head: "9007199254740993", target: "-9223372036854775808", source: "0", inactivity: "-1" }],
      },
    });
    try {
      const r = await new BeaconClient({ urls: [url] }).attestationRewards(1);
      expect(r.ideal[0]!.effectiveBalance).toBe(18446744073709551615n);
      expect(r.total[0]).toEqual({ validatorIndex: 7, head: 9007199254740993n, target: -9223372036854775808n, source: 0n, inactivity: -1n, inclusionDelay: undefined });
    } finally {
      await closeServer(server);
    }
  });

  it.each([
    ["a JSON number", 1606824023, "data.genesis_time should be a decimal integer string, got 1606824023"],
    ["hex", "0x5fc63057", 'data.genesis_time should be a decimal integer string, got "0x5fc63057"'],
    ["a float", "1.5", 'data.genesis_time should be a decimal integer string, got "1.5"'],
    ["out of uint64 range", "18446744073709551616", "data.genesis_time is out of the uint64 range"],
    ["beyond a safe integer", "9007199254740993", "data.genesis_time is too large for a slot, epoch or index"],
  ])("rejects %s with an error naming the route, the field and the masked endpoint", async (_what, value, problem) => {
    const { url, server } = await rawServer(200, { data: { genesis_time: value, genesis_validators_root: `0x${"00".repeat(32)}`, genesis_fork_version: "0x00000000" } });
    const secretUrl = `${url}/v1/key-0123456789abcdefghij`;
    try {
      const err = await new BeaconClient({ urls: [secretUrl] }).genesis().catch((e: unknown) => e);
      expect(err).toBeInstanceOf(BeaconAnswerError);
      const msg = (err as Error).message;
      expect(msg).toContain("/eth/v1/beacon/genesis from http://127.0.0.1:");
      expect(msg).toContain(problem);
      expect(msg).not.toContain("key-0123456789abcdefghij");
    } finally {
      await closeServer(server);
    }
  });

  it("says which field is missing", async () => {
    const { url, server } = await rawServer(200, { data: { head_slot: "1", sync_distance: "0" } });
    try {
      await expect(new BeaconClient({ urls: [url] }).syncing()).rejects.toThrow("/eth/v1/node/syncing from http://127.0.0.1:");
      await expect(new BeaconClient({ urls: [url] }).syncing()).rejects.toThrow("data.is_syncing is missing");
    } finally {
      await closeServer(server);
    }
  });
});

describe("BeaconClient against clients that depart from the spec (issue 8)", () => {
  let net: SimNetwork;
  let lodestar: BeaconTestServer;
  beforeAll(async () => {
    net = new SimNetwork({ nodes: [{ name: "lodestar", client: CLIENTS.lodestar }] });
    net.setOffline([60, 61, 62, 63]);
    net.advanceTo(4 * 8);
    lodestar = await BeaconTestServer.start({ network: net, node: "lodestar", quirks: LODESTAR_1_22 });
  });
  afterAll(async () => {
    await lodestar.close();
  });
  beforeEach(() => outOfSpec.clear());

  it("accepts attestation rewards sent as decimals (Lodestar before its 2025 fix): signs exact, said once", async () => {
    const c = new BeaconClient({ urls: [lodestar.url] });
    const r = await c.attestationRewards(1);
    await c.attestationRewards(2);
    expect(r.total).toHaveLength(64);
    // offline validators missed source and target: penalties stay penalties; the others earned them
    for (const t of r.total) {
      const offline = t.validatorIndex >= 60;
      expect(t.target < 0n).toBe(offline);
      expect(t.source < 0n).toBe(offline);
    }
    expect(lodestar.outOfSpecAnswers).toBeGreaterThanOrEqual(2);
    // one deviation, counted per answer, logged once
    expect(outOfSpec.entries()).toEqual([expect.objectContaining({ route: "/eth/v1/beacon/rewards/attestations/{epoch}", deviation: "decimal-rewards", count: 2 })]);
    expect(outOfSpec.entries()[0]!.endpoint).toBe(lodestar.url);
  });

  it.each([
    ["15975.09375", 15976n],
    ["-2047.5", -2048n],
    ["0.25", 1n],
    ["-0.25", -1n],
    ["12.000", 12n],
    ["0", 0n],
    ["-7", -7n],
  ])("reads the reward %s as %s Gwei (away from zero: the sign is kept)", (raw, want) => {
    const seen: string[] = [];
    expect(new Reader("/r", "http://n").reward(raw, "data.x", (v) => seen.push(v))).toBe(want);
    expect(seen).toEqual(/\./.test(raw) ? [raw] : []);
  });

  it.each(["1e3", "0x10", ".5", "5.", "1.2.3", " 1"])("still rejects the reward %s", (raw) => {
    expect(() => new Reader("/r", "http://n").reward(raw, "data.x", () => undefined)).toThrow(BeaconAnswerError);
  });

  it("reads the client from /eth/v1/node/version when /eth/v2/node/version is not served, and asks v1 only from then on", async () => {
    const c = new BeaconClient({ urls: [lodestar.url] });
    const from = lodestar.requests.length;
    expect(await c.version()).toEqual({ beaconNode: { code: "LS", name: "Lodestar", version: "v1.35.0-3a4b5c6d", commit: "" }, executionClient: undefined });
    await c.version();
    expect(lodestar.countByRoute(from)).toEqual({ "/eth/v2/node/version": 1, "/eth/v1/node/version": 2 });
    expect(outOfSpec.count("no-v2-version")).toBe(1);
  });

  it.each([
    ["Lighthouse/v8.0.1-ced49dd/x86_64-linux", { code: "LH", name: "Lighthouse", version: "v8.0.1-ced49dd" }],
    ["Lodestar/v1.22.0/abcdef1", { code: "LS", name: "Lodestar", version: "v1.22.0" }],
    ["teku/v25.9.3/linux-x86_64/-eclipseadoptium-openjdk64bitservervm-java-21", { code: "TK", name: "teku", version: "v25.9.3" }],
    ["Prysm/v6.1.2 (linux amd64)", { code: "PM", name: "Prysm", version: "v6.1.2" }],
    ["somenode", { code: "", name: "somenode", version: "" }],
  ])("parses the v1 version string %s", (text, want) => {
    expect(parseVersionString(text)).toEqual({ ...want, commit: "" });
  });
});

describe("BeaconClient.atEpochStart with several nodes, one of them down", () => {
  let net: SimNetwork;
  let lodestar: BeaconTestServer;
  let deadUrl: string;
  beforeAll(async () => {
    net = new SimNetwork({ nodes: [{ name: "lodestar", client: CLIENTS.lodestar }] });
    net.skipSlots([16]); // epoch 2 starts with an empty slot
    net.advanceTo(4 * 8);
    lodestar = await BeaconTestServer.start({ network: net, node: "lodestar", quirks: LODESTAR_1_22 });
    const dead = await rawServer(200, {});
    await closeServer(dead.server);
    deadUrl = dead.url;
  });
  afterAll(async () => {
    await lodestar.close();
  });

  it.each([
    ["the node that is down asked last in each round", () => [lodestar.url, deadUrl]],
    ["the node that is down asked first", () => [deadUrl, lodestar.url]],
  ])("falls back past the empty slot when one node answers 404 'No state found' (%s)", async (_what, urls) => {
    const c = new BeaconClient({ urls: urls(), retry: FAST });
    const got = await c.atEpochStart(16, 23, (s) => c.finalityCheckpoints(s));
    expect(got.slot).toBe(17);
    expect(got.value).toEqual(await c.finalityCheckpoints(17));
  });

  it("keeps every endpoint's error when all fail, not only the last one", async () => {
    const err = await new BeaconClient({ urls: [lodestar.url, deadUrl], retry: FAST })
      .finalityCheckpoints(16)
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(AllEndpointsFailedError);
    const errors = (err as AllEndpointsFailedError).errors.map((e) => (e as Error).message);
    expect(errors).toHaveLength(2);
    expect(errors[0]).toMatch(/state not available on this node yet/);
    expect(errors[1]).toMatch(/cannot reach|ECONNREFUSED/);
  });
});
