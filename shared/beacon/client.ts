/**
 * Beacon Node REST API client: typed answers for the routes Vigil uses, a timeout per request,
 * retries with backoff, fallback across several URLs (or one client per URL when nodes must be
 * compared), and exact parsing of the decimal-string integers the API uses.
 *
 * Errors: a node that cannot be reached, times out, rate-limits or answers 5xx is retried and
 * then reported as AllEndpointsFailedError; an answer of the wrong shape is a BeaconAnswerError
 * naming the route and the (masked) endpoint; a state beyond a node's head is a transient
 * BeaconStateUnavailableError so that the next URL is tried.
 */
import { httpRequest, type HttpResponse } from "../net/http";
import { AllEndpointsFailedError, Endpoints, withFallback, type RetryPolicy } from "../net/retry";
import { metrics } from "../metrics";
import { registerSecret } from "../net/secrets";
import { VigilError } from "../errors";
import { outOfSpec } from "../out-of-spec";
import { BeaconAnswerError, BeaconSlotStateMissingError, BeaconStateUnavailableError, EpochWithoutBlocksError } from "./errors";
import { Reader, type JsonValue } from "./parse";
import type {
  AttestationRewards,
  BlockHeader,
  BlockId,
  BlockOperations,
  ChainSpec,
  Checkpoint,
  ClientVersion,
  Committee,
  FinalityCheckpoints,
  ForkChoiceHead,
  Genesis,
  NodeHealth,
  NodeVersion,
  PeerCount,
  StateId,
  SyncingStatus,
  ValidatorInfo,
  ValidatorStatus,
  ValidatorStatusFilter,
} from "./types";

export interface BeaconClientOptions {
  /** one or more base URLs (http(s)://host:port, optionally with a path prefix and key) */
  urls: readonly string[];
  /** per request; default 10 s (validator lists on mainnet are large: raise it there) */
  timeoutMs?: number;
  /**
   * default: 2 retries, 250 ms base, 2 s cap. A retry is a round: every URL is tried in each
   * round (so 3 rounds over every URL by default), with backoff between rounds.
   */
  retry?: RetryPolicy;
}

export const BEACON_RETRY: RetryPolicy = { retries: 2, baseDelayMs: 250, maxDelayMs: 2_000 };

const VALIDATOR_STATUSES: readonly ValidatorStatus[] = [
  "pending_initialized",
  "pending_queued",
  "active_ongoing",
  "active_exiting",
  "active_slashed",
  "exited_unslashed",
  "exited_slashed",
  "withdrawal_possible",
  "withdrawal_done",
];

interface Call<T> {
  /** the spec's route template, for messages and stats */
  route: string;
  path: string;
  method?: "GET" | "POST";
  body?: unknown;
  /** statuses handed to `parse` instead of thrown */
  accept?: readonly number[];
  parse(r: Reader, res: HttpResponse): T;
}

export class BeaconClient {
  /** the URLs, with the one that answered last (where each call starts) */
  private readonly endpoints: Endpoints;
  private readonly timeoutMs: number;
  private readonly retry: RetryPolicy;
  /** requests sent per route template (benchmarks, tests, "calls per epoch") */
  readonly stats = new Map<string, number>();

  constructor(opts: BeaconClientOptions) {
    for (const u of opts.urls) registerSecret(u);
    if (opts.urls.length === 0) throw new VigilError("NO_ENDPOINTS", "beacon client: no beacon node URL configured (BEACON_API_URL)");
    this.endpoints = new Endpoints(opts.urls.map((u) => u.replace(/\/+$/, "")));
    this.timeoutMs = opts.timeoutMs ?? 10_000;
    this.retry = opts.retry ?? BEACON_RETRY;
  }

  /** One client per URL, without fallback: for comparing nodes. */
  static perEndpoint(opts: BeaconClientOptions): BeaconClient[] {
    return opts.urls.map((url) => new BeaconClient({ ...opts, urls: [url] }));
  }

  /** The URL currently in use (the first one unless it failed). Secret: never print it, use describe(). */
  get url(): string {
    return this.endpoints.url;
  }

  describe(): string {
    return this.endpoints.describe();
  }

  // --- beacon ------------------------------------------------------------------------------

  genesis(): Promise<Genesis> {
    return this.call({
      route: "/eth/v1/beacon/genesis",
      path: "/eth/v1/beacon/genesis",
      parse: (r, res) => {
        const d = r.obj(r.data(r.json(res.text)).data, "data");
        return {
          genesisTime: r.num(r.field(d, "genesis_time", "data"), "data.genesis_time"),
          genesisValidatorsRoot: r.root(r.field(d, "genesis_validators_root", "data"), "data.genesis_validators_root"),
          genesisForkVersion: r.hex(r.field(d, "genesis_fork_version", "data"), "data.genesis_fork_version"),
        };
      },
    });
  }

  spec(): Promise<ChainSpec> {
    return this.call({
      route: "/eth/v1/config/spec",
      path: "/eth/v1/config/spec",
      parse: (r, res) => {
        const d = r.obj(r.data(r.json(res.text)).data, "data");
        const positive = (key: string) => {
          const n = r.num(r.field(d, key, "data"), `data.${key}`);
          if (n === 0) r.fail(`data.${key}`, "must be positive");
          return n;
        };
        return { secondsPerSlot: positive("SECONDS_PER_SLOT"), slotsPerEpoch: positive("SLOTS_PER_EPOCH"), raw: d };
      },
    });
  }

  finalityCheckpoints(stateId: StateId): Promise<FinalityCheckpoints> {
    const route = "/eth/v1/beacon/states/{state_id}/finality_checkpoints";
    return this.call({
      route,
      path: `/eth/v1/beacon/states/${stateId}/finality_checkpoints`,
      accept: [404],
      parse: (r, res) => {
        if (res.status === 404) this.stateMissing(stateId, route, r);
        const { data, top } = r.data(r.json(res.text));
        const d = r.obj(data, "data");
        const cp = (k: string): Checkpoint => {
          const c = r.obj(r.field(d, k, "data"), `data.${k}`);
          return { epoch: r.num(r.field(c, "epoch", `data.${k}`), `data.${k}.epoch`), root: r.root(r.field(c, "root", `data.${k}`), `data.${k}.root`) };
        };
        return {
          previousJustified: cp("previous_justified"),
          currentJustified: cp("current_justified"),
          finalized: cp("finalized"),
          executionOptimistic: r.optBool(top.execution_optimistic, "execution_optimistic") ?? false,
        };
      },
    });
  }

  /** A block header by id; null when the node has no such block (or the slot is empty). */
  header(blockId: BlockId): Promise<BlockHeader | null> {
    return this.call({
      route: "/eth/v1/beacon/headers/{block_id}",
      path: `/eth/v1/beacon/headers/${blockId}`,
      accept: [404],
      parse: (r, res) => (res.status === 404 ? null : parseHeader(r, r.obj(r.data(r.json(res.text)).data, "data"), "data")),
    });
  }

  /** Validators of a state, optionally filtered by status (e.g. ["active"]). */
  validators(stateId: StateId, statuses: readonly ValidatorStatusFilter[] = []): Promise<ValidatorInfo[]> {
    const route = "/eth/v1/beacon/states/{state_id}/validators";
    const query = statuses.length ? `?${statuses.map((s) => `status=${encodeURIComponent(s)}`).join("&")}` : "";
    return this.call({
      route,
      path: `/eth/v1/beacon/states/${stateId}/validators${query}`,
      accept: [404],
      parse: (r, res) => {
        if (res.status === 404) this.stateMissing(stateId, route, r);
        return r.arr(r.data(r.json(res.text)).data, "data").map((item, i) => parseValidator(r, item, `data[${i}]`));
      },
    });
  }

  /**
   * Attestation rewards of `epoch` for every validator (or those in `ids`): head/target/source
   * rewards (negative: penalties). Only available once the epoch after `epoch` has ended.
   */
  attestationRewards(epoch: number, ids: readonly (number | string)[] = []): Promise<AttestationRewards> {
    const route = "/eth/v1/beacon/rewards/attestations/{epoch}";
    return this.call({
      route,
      path: `/eth/v1/beacon/rewards/attestations/${epoch}`,
      method: "POST",
      body: ids.map(String),
      accept: [404],
      parse: (r, res) => {
        // 404: "Epoch not known or required data not available": this node is not there yet.
        if (res.status === 404) throw new BeaconStateUnavailableError(route, r.url);
        const { data, top } = r.data(r.json(res.text));
        // Lodestar before its 2025 fix sends decimals ("15975.09375"): accepted (see Reader.reward), said once.
        let decimal: { raw: string; path: string } | undefined;
        const rw = (v: JsonValue, path: string) => r.reward(v, path, (raw) => void (decimal ??= { raw, path }));
        const d = r.obj(data, "data");
        const ideal = r.arr(r.field(d, "ideal_rewards", "data"), "data.ideal_rewards").map((x, i) => {
          const p = `data.ideal_rewards[${i}]`;
          const o = r.obj(x, p);
          return {
            effectiveBalance: r.u64(r.field(o, "effective_balance", p), `${p}.effective_balance`),
            head: rw(r.field(o, "head", p), `${p}.head`),
            target: rw(r.field(o, "target", p), `${p}.target`),
            source: rw(r.field(o, "source", p), `${p}.source`),
            inclusionDelay: o.inclusion_delay === undefined ? undefined : r.u64(o.inclusion_delay, `${p}.inclusion_delay`),
            inactivity: rw(r.field(o, "inactivity", p), `${p}.inactivity`),
          };
        });
        const total = r.arr(r.field(d, "total_rewards", "data"), "data.total_rewards").map((x, i) => {
          const p = `data.total_rewards[${i}]`;
          const o = r.obj(x, p);
          return {
            validatorIndex: r.num(r.field(o, "validator_index", p), `${p}.validator_index`),
            head: rw(r.field(o, "head", p), `${p}.head`),
            target: rw(r.field(o, "target", p), `${p}.target`),
            source: rw(r.field(o, "source", p), `${p}.source`),
            inclusionDelay: o.inclusion_delay === undefined ? undefined : r.u64(o.inclusion_delay, `${p}.inclusion_delay`),
            inactivity: rw(r.field(o, "inactivity", p), `${p}.inactivity`),
          };
        });
        if (decimal) {
          outOfSpec.report({
            url: r.url,
            route,
            deviation: "decimal-rewards",
            detail: `attestation rewards are decimal strings, not integers (e.g. ${decimal.path} = "${decimal.raw}"); each is rounded away from zero to whole Gwei, which keeps its sign (earned or missed) exactly`,
          });
        }
        return { ideal, total, finalized: r.optBool(top.finalized, "finalized") ?? false };
      },
    });
  }

  committees(stateId: StateId, epoch?: number): Promise<Committee[]> {
    const route = "/eth/v1/beacon/states/{state_id}/committees";
    return this.call({
      route,
      path: `/eth/v1/beacon/states/${stateId}/committees${epoch === undefined ? "" : `?epoch=${epoch}`}`,
      accept: [404],
      parse: (r, res) => {
        if (res.status === 404) this.stateMissing(stateId, route, r);
        return r.arr(r.data(r.json(res.text)).data, "data").map((x, i) => {
          const p = `data[${i}]`;
          const o = r.obj(x, p);
          return {
            index: r.num(r.field(o, "index", p), `${p}.index`),
            slot: r.num(r.field(o, "slot", p), `${p}.slot`),
            validators: r.arr(r.field(o, "validators", p), `${p}.validators`).map((v, k) => r.num(v, `${p}.validators[${k}]`)),
          };
        });
      },
    });
  }

  /** The operations of a block (any fork); null when there is no block (empty slot, unknown root). */
  block(blockId: BlockId): Promise<BlockOperations | null> {
    return this.call({
      route: "/eth/v2/beacon/blocks/{block_id}",
      path: `/eth/v2/beacon/blocks/${blockId}`,
      accept: [404],
      parse: (r, res) => {
        if (res.status === 404) return null;
        const { data, top } = r.data(r.json(res.text));
        return parseBlockOperations(r, r.obj(data, "data"), r.str(r.field(top, "version", "body"), "version"), typeof blockId === "string" && blockId.startsWith("0x") ? blockId.toLowerCase() : undefined);
      },
    });
  }

  /** Leaves of the node's fork-choice tree (a debug route: some providers do not serve it). */
  forkChoiceHeads(): Promise<ForkChoiceHead[]> {
    return this.call({
      route: "/eth/v2/debug/beacon/heads",
      path: "/eth/v2/debug/beacon/heads",
      parse: (r, res) =>
        r.arr(r.data(r.json(res.text)).data, "data").map((x, i) => {
          const p = `data[${i}]`;
          const o = r.obj(x, p);
          return {
            root: r.root(r.field(o, "root", p), `${p}.root`),
            slot: r.num(r.field(o, "slot", p), `${p}.slot`),
            executionOptimistic: r.bool(r.field(o, "execution_optimistic", p), `${p}.execution_optimistic`),
          };
        }),
    });
  }

  // --- node --------------------------------------------------------------------------------

  syncing(): Promise<SyncingStatus> {
    return this.call({
      route: "/eth/v1/node/syncing",
      path: "/eth/v1/node/syncing",
      parse: (r, res) => {
        const d = r.obj(r.data(r.json(res.text)).data, "data");
        return {
          headSlot: r.num(r.field(d, "head_slot", "data"), "data.head_slot"),
          syncDistance: r.num(r.field(d, "sync_distance", "data"), "data.sync_distance"),
          isSyncing: r.bool(r.field(d, "is_syncing", "data"), "data.is_syncing"),
          isOptimistic: r.optBool(d.is_optimistic, "data.is_optimistic"),
          elOffline: r.optBool(d.el_offline, "data.el_offline"),
        };
      },
    });
  }

  /** 200 ready, 206 syncing / EL not ready, 503 not initialised or failing. */
  health(): Promise<NodeHealth> {
    return this.call({
      route: "/eth/v1/node/health",
      path: "/eth/v1/node/health",
      accept: [206, 503],
      parse: (r, res) => {
        if (res.status === 200 || res.status === 206 || res.status === 503) return res.status;
        return r.fail("", `status ${res.status} is not one of 200, 206, 503`);
      },
    });
  }

  peerCount(): Promise<PeerCount> {
    return this.call({
      route: "/eth/v1/node/peer_count",
      path: "/eth/v1/node/peer_count",
      parse: (r, res) => {
        const d = r.obj(r.data(r.json(res.text)).data, "data");
        const n = (k: string) => r.num(r.field(d, k, "data"), `data.${k}`);
        return { connected: n("connected"), connecting: n("connecting"), disconnected: n("disconnected"), disconnecting: n("disconnecting") };
      },
    });
  }

  /**
   * The node's client (and its execution client, when said). `/eth/v2/node/version` first; a node
   * that does not serve it (404/405/501: Lodestar 1.22 among others) is asked
   * `/eth/v1/node/version` ("Lodestar/v1.22.0/abcdef1"), whose string gives name and version; the
   * client code comes from the name when it is a known client. Remembered per client, so such a
   * node costs one call per read from then on.
   */
  async version(): Promise<NodeVersion> {
    if (!this.v1VersionOnly) {
      const v2 = await this.versionV2();
      if (v2) return v2;
      this.v1VersionOnly = true;
    }
    return this.versionV1();
  }

  private v1VersionOnly = false;

  private versionV2(): Promise<NodeVersion | null> {
    const route = "/eth/v2/node/version";
    return this.call({
      route,
      path: "/eth/v2/node/version",
      accept: [400, 404, 405, 501],
      parse: (r, res) => {
        if (res.status !== 200) {
          outOfSpec.report({
            url: r.url,
            route,
            deviation: "no-v2-version",
            detail: `GET ${route} answers ${res.status}: the client is read from /eth/v1/node/version instead (no execution client, no client code unless the name is a known client)`,
          });
          return null;
        }
        const d = r.obj(r.data(r.json(res.text)).data, "data");
        const cv = (v: JsonValue, p: string): ClientVersion => {
          const o = r.obj(v, p);
          return {
            code: r.str(r.field(o, "code", p), `${p}.code`),
            name: r.str(r.field(o, "name", p), `${p}.name`),
            version: r.str(r.field(o, "version", p), `${p}.version`),
            commit: r.str(r.field(o, "commit", p), `${p}.commit`),
          };
        };
        return {
          beaconNode: cv(r.field(d, "beacon_node", "data"), "data.beacon_node"),
          executionClient: d.execution_client === undefined ? undefined : cv(d.execution_client, "data.execution_client"),
        };
      },
    });
  }

  private versionV1(): Promise<NodeVersion> {
    return this.call({
      route: "/eth/v1/node/version",
      path: "/eth/v1/node/version",
      parse: (r, res) => {
        const d = r.obj(r.data(r.json(res.text)).data, "data");
        const text = r.str(r.field(d, "version", "data"), "data.version");
        return { beaconNode: parseVersionString(text), executionClient: undefined };
      },
    });
  }

  // --- plumbing ----------------------------------------------------------------------------

  private stateMissing(stateId: StateId, route: string, r: Reader): never {
    // A slot (or head) the node has not reached is worth asking another node; a root it does
    // not know, too (it may be on another fork or pruned). A slot may also be empty: see atEpochStart.
    const what = `${route} (state ${String(stateId)})`;
    if (typeof stateId === "number") throw new BeaconSlotStateMissingError(what, r.url, stateId);
    throw new BeaconStateUnavailableError(what, r.url);
  }

  /** first slot of an epoch without a block -> the first slot of that epoch with one */
  private readonly emptyEpochStarts = new Map<number, number>();

  /**
   * `read(slot)` at `firstSlot`, the first slot of an epoch, wherever the node keeps states.
   * Some clients (Lodestar) keep no state at a slot without a block and answer 404 "No state
   * found" for good; then the state at the epoch's first slot with a block is read instead: it
   * has been through the same epoch processing (finality checkpoints, the active set and
   * effective balances are the epoch's), so the answer is the one the first slot would give for
   * those, and a check is never delayed by an empty slot. Clients that serve states at empty
   * slots (Lighthouse, Teku...) cost nothing extra. Returns the slot read at.
   *
   * A node that has not reached the slot yet fails as before (transient: retried, and another
   * node asked). An epoch without any block up to `lastSlot`: EpochWithoutBlocksError.
   * Costs on a 404: one `headers/head` and one `headers/{slot}` per slot until a block is found
   * (remembered per epoch).
   */
  async atEpochStart<T>(firstSlot: number, lastSlot: number, read: (slot: number) => Promise<T>): Promise<{ value: T; slot: number }> {
    const known = this.emptyEpochStarts.get(firstSlot);
    if (known !== undefined) return { value: await read(known), slot: known };
    try {
      return { value: await read(firstSlot), slot: firstSlot };
    } catch (err) {
      // any endpoint's answer counts: with one node down and another answering 404 at the empty
      // slot, the round may well end on the node that is down
      const errors = err instanceof AllEndpointsFailedError ? err.errors : [err];
      if (!errors.some((e) => e instanceof BeaconSlotStateMissingError && e.slot === firstSlot)) throw err;
      const head = await this.header("head");
      if (!head || head.slot <= firstSlot) throw err; // not there yet: behind or syncing
      for (let s = firstSlot + 1; s <= Math.min(lastSlot, head.slot); s++) {
        if (!(await this.header(s))) continue;
        this.emptyEpochStarts.set(firstSlot, s);
        if (this.emptyEpochStarts.size > 64) this.emptyEpochStarts.delete(this.emptyEpochStarts.keys().next().value!);
        outOfSpec.report({
          url: this.url,
          route: "/eth/v1/beacon/states/{state_id}",
          deviation: "no-state-at-empty-slot",
          detail: `no state at slot ${firstSlot}, a slot without a block (the spec's state_id <slot> is the state at that slot); epoch checks read at the epoch's first slot with a block instead (${s})`,
        });
        return { value: await read(s), slot: s };
      }
      if (head.slot < lastSlot) throw err; // the epoch has no block yet
      throw new EpochWithoutBlocksError(firstSlot, lastSlot);
    }
  }

  /**
   * One call with fallback (shared/net/retry.ts withFallback): each round tries every URL once,
   * starting from the one that answered last, then waits with backoff; `retry.retries` counts
   * rounds. Only transient errors (network, timeout, 429/5xx, state not yet available) move on;
   * any other error is thrown at once.
   */
  private async call<T>(c: Call<T>): Promise<T> {
    this.stats.set(c.route, (this.stats.get(c.route) ?? 0) + 1);
    const counted = <R>(p: Promise<R>) =>
      p.then(
        (v) => (metrics.beaconRequests.inc({ route: c.route, outcome: "ok" }), v),
        (err: unknown) => {
          metrics.beaconRequests.inc({ route: c.route, outcome: "error" });
          throw err;
        },
      );
    return counted(withFallback(this.endpoints, c.route, this.retry, async (base) => {
      const res = await httpRequest({
        url: base + c.path,
        method: c.method ?? "GET",
        body: c.body === undefined ? undefined : JSON.stringify(c.body),
        headers: { accept: "application/json" },
        timeoutMs: this.timeoutMs,
        acceptStatuses: c.accept,
      });
      return c.parse(new Reader(c.route, base), res);
    }));
  }

}

/** Client codes of the spec's ClientCode enum, by lower-cased client name. */
const CLIENT_CODES: Record<string, string> = {
  lighthouse: "LH",
  lodestar: "LS",
  nimbus: "NB",
  prysm: "PM",
  teku: "TK",
  grandine: "GR",
  caplin: "CP",
  erigon: "EG",
  nethermind: "NM",
  besu: "BU",
  geth: "GE",
  reth: "RH",
};

/**
 * A v1 version string ("Lighthouse/v8.0.1-ced49dd/x86_64-linux", "Lodestar/v1.22.0/abcdef1",
 * "teku/v25.9.3/linux-x86_64/...") as a client version: the name before the first "/", the
 * version after it; code "" when the name is not a known client. The commit is not said: "".
 */
export function parseVersionString(text: string): ClientVersion {
  const [name = "", version = ""] = text.trim().split(/\s+/)[0]!.split("/");
  return { code: CLIENT_CODES[name.toLowerCase()] ?? "", name: name || text.trim() || "unknown", version, commit: "" };
}

function parseHeader(r: Reader, d: Record<string, JsonValue>, p: string): BlockHeader {
  const signed = r.obj(r.field(d, "header", p), `${p}.header`);
  const m = r.obj(r.field(signed, "message", `${p}.header`), `${p}.header.message`);
  const mp = `${p}.header.message`;
  return {
    root: r.root(r.field(d, "root", p), `${p}.root`),
    canonical: r.bool(r.field(d, "canonical", p), `${p}.canonical`),
    slot: r.num(r.field(m, "slot", mp), `${mp}.slot`),
    proposerIndex: r.num(r.field(m, "proposer_index", mp), `${mp}.proposer_index`),
    parentRoot: r.root(r.field(m, "parent_root", mp), `${mp}.parent_root`),
    stateRoot: r.root(r.field(m, "state_root", mp), `${mp}.state_root`),
    bodyRoot: r.root(r.field(m, "body_root", mp), `${mp}.body_root`),
  };
}

function parseValidator(r: Reader, item: JsonValue, p: string): ValidatorInfo {
  const o = r.obj(item, p);
  const status = r.str(r.field(o, "status", p), `${p}.status`);
  if (!(VALIDATOR_STATUSES as readonly string[]).includes(status)) r.fail(`${p}.status`, `is not a known validator status: ${JSON.stringify(status)}`);
  const v = r.obj(r.field(o, "validator", p), `${p}.validator`);
  const vp = `${p}.validator`;
  return {
    index: r.num(r.field(o, "index", p), `${p}.index`),
    status: status as ValidatorStatus,
    balance: r.u64(r.field(o, "balance", p), `${p}.balance`),
    pubkey: r.hex(r.field(v, "pubkey", vp), `${vp}.pubkey`),
    effectiveBalance: r.u64(r.field(v, "effective_balance", vp), `${vp}.effective_balance`),
    slashed: r.bool(r.field(v, "slashed", vp), `${vp}.slashed`),
    activationEpoch: r.u64(r.field(v, "activation_epoch", vp), `${vp}.activation_epoch`),
    exitEpoch: r.u64(r.field(v, "exit_epoch", vp), `${vp}.exit_epoch`),
    withdrawableEpoch: r.u64(r.field(v, "withdrawable_epoch", vp), `${vp}.withdrawable_epoch`),
  };
}

function parseBlockOperations(r: Reader, signed: Record<string, JsonValue>, version: string, root: string | undefined): BlockOperations {
  const m = r.obj(r.field(signed, "message", "data"), "data.message");
  const body = r.obj(r.field(m, "body", "data.message"), "data.message.body");
  const bp = "data.message.body";
  const list = (k: string) => (body[k] === undefined ? [] : r.arr(body[k], `${bp}.${k}`));
  const indices = (v: JsonValue, p: string) => r.arr(v, p).map((x, k) => r.num(x, `${p}[${k}]`));
  return {
    root,
    version,
    slot: r.num(r.field(m, "slot", "data.message"), "data.message.slot"),
    proposerIndex: r.num(r.field(m, "proposer_index", "data.message"), "data.message.proposer_index"),
    proposerSlashings: list("proposer_slashings").map((x, i) => {
      const p = `${bp}.proposer_slashings[${i}]`;
      const h = r.obj(r.field(r.obj(r.field(r.obj(x, p), "signed_header_1", p), `${p}.signed_header_1`), "message", `${p}.signed_header_1`), `${p}.signed_header_1.message`);
      return { proposerIndex: r.num(r.field(h, "proposer_index", `${p}.signed_header_1.message`), `${p}.signed_header_1.message.proposer_index`) };
    }),
    attesterSlashings: list("attester_slashings").map((x, i) => {
      const p = `${bp}.attester_slashings[${i}]`;
      const o = r.obj(x, p);
      const a1 = r.obj(r.field(o, "attestation_1", p), `${p}.attestation_1`);
      const a2 = r.obj(r.field(o, "attestation_2", p), `${p}.attestation_2`);
      const i1 = indices(r.field(a1, "attesting_indices", `${p}.attestation_1`), `${p}.attestation_1.attesting_indices`);
      const i2 = new Set(indices(r.field(a2, "attesting_indices", `${p}.attestation_2`), `${p}.attestation_2.attesting_indices`));
      return { slashedIndices: [...new Set(i1.filter((v) => i2.has(v)))].sort((a, b) => a - b) };
    }),
    voluntaryExits: list("voluntary_exits").map((x, i) => {
      const p = `${bp}.voluntary_exits[${i}]`;
      const msg = r.obj(r.field(r.obj(x, p), "message", p), `${p}.message`);
      return {
        validatorIndex: r.num(r.field(msg, "validator_index", `${p}.message`), `${p}.message.validator_index`),
        epoch: r.num(r.field(msg, "epoch", `${p}.message`), `${p}.message.epoch`),
      };
    }),
  };
}

export { BeaconAnswerError };
