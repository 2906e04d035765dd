/**
 * Simulated beacon nodes for the devnet (`npm start`): a SimNetwork served on loopback by one
 * BeaconTestServer per node (Lighthouse and Teku by default, so the forks bot compares two
 * clients), kept in lock-step with the execution chain.
 *
 * Lock-step: the beacon chain is at the slot of the execution chain's latest block. Before
 * answering any request, and every `followMs` (so event streams flow), the devnet reads the
 * execution chain's latest block and advances the simulation to its slot; a bot handling
 * execution block N therefore always finds the beacon chain at or past N's slot. Scenes may
 * also advance the simulation themselves (to a slot inside an epoch, before a reorg), or mine
 * execution blocks at slot times with `advanceEpochs`/`advanceSlots`.
 *
 *   const beacon = await BeaconDevnet.start({ rpcUrl: l1.url, genesisTime: await l1.timestamp() });
 *   env.BEACON_API_URL = beacon.urls.join(",");
 *   ...
 *   beacon.net.setParticipation(0.5);                  // a scene switches conditions
 *   await beacon.advanceEpochs(12, { mine, settle });  // execution blocks at epoch starts
 *   await beacon.close();
 */
import { VigilError } from "../../shared/errors";
import { CLIENTS, SimNetwork, type ClientIdentity, type SimNetworkOptions } from "./sim/network";
import { BeaconTestServer } from "./server";

export interface BeaconDevnetOptions {
  /** JSON-RPC URL of the execution chain whose block timestamps drive the slots */
  rpcUrl: string;
  /** unix seconds of slot 0 (default: the execution chain's latest block timestamp) */
  genesisTime?: number;
  /** default: lighthouse (Lighthouse) and teku (Teku) */
  nodes?: { name: string; client: ClientIdentity }[];
  /** default: 8 slots per epoch (minimal preset), 12 s slots, 64 validators */
  network?: Omit<SimNetworkOptions, "genesisTime" | "nodes">;
  /** validate every response against the Beacon API spec (default true; problems are logged) */
  validate?: boolean;
  /** how often to follow the execution chain when nobody asks (default 250 ms; 0: never) */
  followMs?: number;
}

/** How a scene mines one execution block at a given timestamp and waits for the bots. */
export interface ExecutionDriver {
  /** mine one execution block whose timestamp is `timestamp` */
  mine(timestamp: number): Promise<void>;
  /** resolve once the bots have handled every block mined so far */
  settle?(): Promise<void>;
}

export class BeaconDevnet {
  private syncing: Promise<void> | undefined;
  private timer: NodeJS.Timeout | undefined;
  private closed = false;

  private constructor(
    readonly net: SimNetwork,
    readonly servers: BeaconTestServer[],
    private readonly rpcUrl: string,
  ) {}

  static async start(opts: BeaconDevnetOptions): Promise<BeaconDevnet> {
    const genesisTime = opts.genesisTime ?? (await latestTimestamp(opts.rpcUrl));
    const net = new SimNetwork({
      ...opts.network,
      genesisTime,
      nodes: opts.nodes ?? [
        { name: "lighthouse", client: CLIENTS.lighthouse },
        { name: "teku", client: CLIENTS.teku },
      ],
    });
    const servers: BeaconTestServer[] = [];
    const devnet = new BeaconDevnet(net, servers, opts.rpcUrl);
    try {
      for (const n of net.nodes) {
        servers.push(await BeaconTestServer.start({ network: net, node: n.name, validate: opts.validate ?? true, beforeRequest: () => devnet.sync() }));
      }
    } catch (err) {
      await Promise.all(servers.map((s) => s.close()));
      throw err;
    }
    const every = opts.followMs ?? 250;
    if (every > 0) {
      const tick = () => {
        devnet.timer = setTimeout(() => {
          devnet.sync().then(tick, tick);
        }, every);
        devnet.timer.unref();
      };
      tick();
    }
    return devnet;
  }

  /** Base URLs of the nodes, in order (BEACON_API_URL). */
  get urls(): string[] {
    return this.servers.map((s) => s.url);
  }

  /** Configuration for the consensus bots. */
  env(): Record<string, string> {
    return { BEACON_API_URL: this.urls.join(",") };
  }

  /** Spec violations found in what the servers answered (should stay empty). */
  violations(): string[] {
    return this.servers.flatMap((s) => s.violations);
  }

  /** Bring the beacon chain to the slot of the execution chain's latest block. */
  sync(): Promise<void> {
    this.syncing ??= (async () => {
      try {
        if (this.closed) return;
        this.net.advanceTo(this.net.slotAt(await latestTimestamp(this.rpcUrl)));
      } finally {
        this.syncing = undefined;
      }
    })();
    return this.syncing;
  }

  /**
   * Mine one execution block at the start of each of the next `n` epochs (the consensus bots
   * check once per epoch), the beacon chain following; waits for the bots after each.
   */
  async advanceEpochs(n: number, driver: ExecutionDriver): Promise<void> {
    for (let k = 0; k < n; k++) {
      await this.sync();
      const next = (this.net.epochOf(this.net.slot) + 1) * this.net.c.slotsPerEpoch;
      await this.mineAt(next, driver);
    }
  }

  /** Mine one execution block at each of the next `n` slots. */
  async advanceSlots(n: number, driver: ExecutionDriver): Promise<void> {
    for (let k = 0; k < n; k++) {
      await this.sync();
      await this.mineAt(this.net.slot + 1, driver);
    }
  }

  private async mineAt(slot: number, driver: ExecutionDriver): Promise<void> {
    // The simulation moves first, so that whoever handles the block finds its slot ready.
    this.net.advanceTo(slot);
    await driver.mine(this.net.timestampOf(slot));
    await driver.settle?.();
  }

  async close(): Promise<void> {
    this.closed = true;
    clearTimeout(this.timer);
    await this.syncing?.catch(() => undefined);
    await Promise.all(this.servers.map((s) => s.close()));
  }
}

async function latestTimestamp(rpcUrl: string): Promise<number> {
  const res = await fetch(rpcUrl, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ jsonrpc: "2.0", id: 1, method: "eth_getBlockByNumber", params: ["latest", false] }),
    signal: AbortSignal.timeout(60_000), // a healthy anvil: the limit only ends a hang
  });
  const body = (await res.json()) as { result?: { timestamp?: string } };
  const ts = body.result?.timestamp;
  if (!ts) throw new VigilError("BEACON_DEVNET", "beacon devnet: the execution chain returned no latest block");
  return Number(BigInt(ts));
}

/** What the consensus scenes need from the devnet world (scripts/devnet/world.ts). */
interface BeaconWorld {
  l1: { url: string; setNextBlockTimestamp(t: number): Promise<void>; mine(n?: number): Promise<void> };
  settle(): Promise<void>;
  env: Record<string, string>;
  parts: Record<string, unknown>;
  readonly cleanups: (() => Promise<void>)[];
}

/**
 * The devnet part (scripts/devnet/parts): starts the simulated beacon nodes in lock-step with
 * l1, keeps them in `world.parts.beacon`, gives the bots BEACON_API_URL, stops them on shutdown.
 */
export const beaconPart: { name: string; start(world: BeaconWorld): Promise<void> } = {
  name: "beacon",
  async start(world) {
    const beacon = await BeaconDevnet.start({ rpcUrl: world.l1.url });
    world.cleanups.push(() => beacon.close());
    world.parts.beacon = beacon;
    Object.assign(world.env, beacon.env());
  },
};

/** The world's beacon devnet, or an error saying how to add it. */
export function beaconOf(world: object): BeaconDevnet {
  const b = (world as Partial<BeaconWorld>).parts?.beacon;
  if (!(b instanceof BeaconDevnet)) {
    throw new VigilError(
      "NO_BEACON_DEVNET",
      "the devnet world has no simulated beacon nodes: add `beaconPart` (test/beacon/devnet.ts) to DEVNET_PARTS in scripts/devnet/parts/index.ts",
    );
  }
  return b;
}

/** Mine execution blocks on the world's L1 at given timestamps, then wait for the runtime. */
export function executionDriver(world: object): ExecutionDriver {
  const w = world as BeaconWorld;
  return {
    mine: async (timestamp) => {
      await w.l1.setNextBlockTimestamp(timestamp);
      await w.l1.mine(1);
    },
    settle: () => w.settle(),
  };
}

/** Helpers a consensus scene uses: the network to switch conditions, and time. */
export interface ConsensusStage {
  net: SimNetwork;
  /** execution blocks at the next `n` epoch starts */
  epochs(n: number): Promise<void>;
  /** move the beacon chain (alone) to the last slot of the current epoch, so a change applies from the next epoch on */
  toEpochEnd(): Promise<void>;
  /** move the beacon chain (alone) to slot `k` of the current epoch */
  toSlotInEpoch(k: number): Promise<void>;
}

export function stage(world: object): ConsensusStage {
  const beacon = beaconOf(world);
  const drive = executionDriver(world);
  const net = beacon.net;
  return {
    net,
    epochs: (n) => beacon.advanceEpochs(n, drive),
    async toEpochEnd() {
      await beacon.sync();
      net.advanceTo((net.epochOf(net.slot) + 1) * net.c.slotsPerEpoch - 1);
    },
    async toSlotInEpoch(k) {
      await beacon.sync();
      net.advanceTo(net.epochOf(net.slot) * net.c.slotsPerEpoch + k);
    },
  };
}
