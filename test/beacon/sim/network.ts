/**
 * A deterministic simulated beacon network: one block tree, validators who attest (or not),
 * and one or more nodes, each with its own view (the branch it follows, how far behind it is,
 * its health). Scenes switch conditions; `advance()` moves every node one slot forward in
 * lock-step with whoever drives it (a test, or the devnet's execution blocks).
 *
 * Same options and the same calls in the same order give the same roots, states and events.
 */
import { bytesHex, root, ZERO_ROOT } from "./hash";
import {
  DEFAULT_CONSTANTS,
  FAR_FUTURE_EPOCH,
  advance,
  epochCommittees,
  epochOf,
  genesisState,
  includable,
  isActive,
  processBlock,
  proposerOf,
  type Checkpoint,
  type RootAt,
  type SimAttestation,
  type SimConstants,
  type SimState,
  type SimValidator,
} from "./state";

export interface ClientIdentity {
  /** two-letter client code of the spec's ClientCode enum */
  code: "LH" | "TK" | "PM" | "NB" | "LS" | "GR";
  name: string;
  version: string;
  commit: string;
}

export const CLIENTS = {
  lighthouse: { code: "LH", name: "Lighthouse", version: "v8.0.1", commit: "0xced49dd2" },
  teku: { code: "TK", name: "teku", version: "v25.9.3", commit: "0x1a2b3c4d" },
  prysm: { code: "PM", name: "Prysm", version: "v6.1.2", commit: "0x5e6f7a8b" },
  nimbus: { code: "NB", name: "Nimbus", version: "v25.10.0", commit: "0x9c0d1e2f" },
  lodestar: { code: "LS", name: "Lodestar", version: "v1.35.0", commit: "0x3a4b5c6d" },
  grandine: { code: "GR", name: "Grandine", version: "v1.1.4", commit: "0x7e8f9a0b" },
} as const satisfies Record<string, ClientIdentity>;

export interface NodeConditions {
  /** > 0: the node lags this many slots behind the network and says it is syncing */
  syncDistance: number;
  elOffline: boolean;
  optimistic: boolean;
  peers: number;
  /** force /eth/v1/node/health to answer this status (otherwise derived: 206 when syncing/EL offline/optimistic) */
  health: 200 | 206 | 503 | undefined;
  /** the node drops every connection (process down, port still bound) */
  down: boolean;
  /**
   * the node stops importing blocks: its head stays where it is (on an orphaned block, if it was
   * on one). With syncDistance > 0 it also says it is syncing (sync_distance: its real lag).
   */
  stalled: boolean;
}

export const HEALTHY: NodeConditions = { syncDistance: 0, elOffline: false, optimistic: false, peers: 50, health: undefined, down: false, stalled: false };

export interface SimBlock {
  readonly root: string;
  readonly slot: number;
  readonly parentRoot: string;
  readonly proposerIndex: number;
  readonly stateRoot: string;
  readonly bodyRoot: string;
  readonly branch: string;
  readonly attestations: readonly SimAttestation[];
  readonly proposerSlashings: readonly number[];
  readonly attesterSlashings: readonly (readonly number[])[];
  readonly voluntaryExits: readonly number[];
  /** post-state */
  readonly state: SimState;
}

/** An event as the Beacon API streams it: topic and the JSON `data` object. */
export interface SimEvent {
  topic: string;
  data: Record<string, unknown>;
}

interface Branch {
  id: string;
  tip: string;
  pool: SimAttestation[];
  reorgDepth: number;
  proposerSlashings: number[];
  attesterSlashings: number[][];
  exits: number[];
}

export class SimNode {
  branch = "main";
  head: SimBlock;
  conditions: NodeConditions = { ...HEALTHY };
  readonly known = new Set<string>();
  private readonly listeners = new Set<(e: SimEvent) => void>();
  lastFinalized: Checkpoint;

  constructor(
    readonly name: string,
    readonly client: ClientIdentity,
    genesis: SimBlock,
  ) {
    this.head = genesis;
    this.known.add(genesis.root);
    this.lastFinalized = genesis.state.finalized;
  }

  subscribe(fn: (e: SimEvent) => void): () => void {
    this.listeners.add(fn);
    return () => this.listeners.delete(fn);
  }

  emit(e: SimEvent): void {
    for (const fn of [...this.listeners]) fn(e);
  }
}

export interface SimNetworkOptions {
  constants?: Partial<SimConstants>;
  /** unix seconds of slot 0; default 1_700_000_000 */
  genesisTime?: number;
  /** number of validators; default 64 */
  validators?: number;
  /** effective balance of each validator in gwei (a function of the index); default 32 ETH */
  effectiveBalance?: (index: number) => bigint;
  /** nodes by name; default one Lighthouse node "lighthouse" */
  nodes?: { name: string; client: ClientIdentity }[];
  /** mixed into every root; default "vigil" */
  seed?: string;
}

const MAX_EXITS_PER_BLOCK = 16;

export class SimNetwork {
  readonly c: SimConstants;
  readonly genesisTime: number;
  readonly seed: string;
  readonly genesis: SimBlock;
  readonly nodes: SimNode[];
  /** the network's current slot (all synced nodes are here) */
  slot = 0;
  private readonly blocks = new Map<string, SimBlock>();
  private readonly byStateRoot = new Map<string, { block: SimBlock; slot: number }>();
  private readonly branches = new Map<string, Branch>();
  private readonly offline = new Set<number>();
  private readonly skipped = new Set<number>();
  private readonly stateCache = new Map<string, SimState>();
  private readonly rootAtCache = new Map<string, string>();

  constructor(opts: SimNetworkOptions = {}) {
    this.c = { ...DEFAULT_CONSTANTS, ...opts.constants };
    this.genesisTime = opts.genesisTime ?? 1_700_000_000;
    this.seed = opts.seed ?? "vigil";
    const n = opts.validators ?? 64;
    const eb = opts.effectiveBalance ?? (() => 32_000_000_000n);
    const validators: SimValidator[] = [...Array(n).keys()].map((i) => ({
      pubkey: `0x${bytesHex(48, this.seed, "pubkey", i)}`,
      withdrawalCredentials: `0x02${bytesHex(31, this.seed, "wc", i)}`,
      effectiveBalance: eb(i),
      balance: eb(i),
      slashed: false,
      activationEligibilityEpoch: 0n,
      activationEpoch: 0n,
      exitEpoch: FAR_FUTURE_EPOCH,
      withdrawableEpoch: FAR_FUTURE_EPOCH,
    }));
    const state = genesisState(validators, ZERO_ROOT);
    const bodyRoot = root(this.seed, "genesis-body");
    const stateRoot = root(this.seed, "genesis-state");
    this.genesis = {
      root: root(this.seed, "genesis-block", stateRoot, bodyRoot),
      slot: 0,
      parentRoot: ZERO_ROOT,
      proposerIndex: 0,
      stateRoot,
      bodyRoot,
      branch: "main",
      attestations: [],
      proposerSlashings: [],
      attesterSlashings: [],
      voluntaryExits: [],
      state,
    };
    this.addBlock(this.genesis);
    this.branches.set("main", this.newBranch("main", this.genesis.root));
    const nodes = opts.nodes ?? [{ name: "lighthouse", client: CLIENTS.lighthouse }];
    if (new Set(nodes.map((x) => x.name)).size !== nodes.length) throw new Error("simulated node names must be unique");
    this.nodes = nodes.map((x) => new SimNode(x.name, x.client, this.genesis));
  }

  // --- time -------------------------------------------------------------------------------

  timestampOf(slot: number): number {
    return this.genesisTime + slot * this.c.secondsPerSlot;
  }

  slotAt(timestamp: number): number {
    return Math.max(0, Math.floor((timestamp - this.genesisTime) / this.c.secondsPerSlot));
  }

  epochOf(slot: number): number {
    return epochOf(this.c, slot);
  }

  /** Produce the next `n` slots: blocks on every followed branch, attestations, node updates, events. */
  advance(n = 1): void {
    for (let k = 0; k < n; k++) this.step();
  }

  /** Advance until the network is at `slot` (no-op if it already is or is past it). */
  advanceTo(slot: number): void {
    while (this.slot < slot) this.step();
  }

  // --- scene controls ---------------------------------------------------------------------

  /** Exactly these validators stop attesting (the rest attest). */
  setOffline(indices: Iterable<number>): void {
    this.offline.clear();
    for (const i of indices) this.offline.add(i);
  }

  /** A fraction (0..1) of validators attests: the highest indices go offline first. */
  setParticipation(fraction: number): void {
    const n = this.genesis.state.validators.length;
    const off = Math.round((1 - fraction) * n);
    this.setOffline([...Array(off).keys()].map((k) => n - 1 - k));
  }

  /** No block is proposed at these slots (on any branch). */
  skipSlots(slots: Iterable<number>): void {
    for (const s of slots) this.skipped.add(s);
  }

  /**
   * At the next slot the main branch reorganises: its new block builds on the latest block at
   * or before (head slot - depth), orphaning the blocks after it. Nodes report chain_reorg with
   * `depth` = old head slot - common ancestor slot.
   */
  reorg(depth: number): void {
    if (depth < 1) throw new Error("reorg depth must be >= 1");
    this.branch("main").reorgDepth = depth;
  }

  /** `nodeName` leaves the network's chain and follows a branch of its own from now on (a consensus split). */
  split(nodeName: string): void {
    const node = this.node(nodeName);
    const main = this.branch("main");
    const id = `split-${nodeName}`;
    this.branches.set(id, { ...this.newBranch(id, main.tip), pool: [...main.pool] });
    node.branch = id;
  }

  /** `nodeName` returns to the network's chain (it will reorg onto it). */
  heal(nodeName: string): void {
    const node = this.node(nodeName);
    const old = node.branch;
    node.branch = "main";
    if (old !== "main" && !this.nodes.some((x) => x.branch === old)) this.branches.delete(old);
    this.updateNode(node);
  }

  /** Include slashings in the next main-chain block: proposer slashings and one attester slashing of `attesters`. */
  slash(opts: { proposers?: number[]; attesters?: number[] }): void {
    const b = this.branch("main");
    b.proposerSlashings.push(...(opts.proposers ?? []));
    if (opts.attesters?.length) b.attesterSlashings.push([...opts.attesters].sort((x, y) => x - y));
  }

  /** Voluntary exits of these validators, included 16 per block from the next main-chain block on. */
  exit(indices: number[]): void {
    this.branch("main").exits.push(...indices);
  }

  setConditions(nodeName: string, conditions: Partial<NodeConditions>): void {
    const node = this.node(nodeName);
    node.conditions = { ...node.conditions, ...conditions };
    this.updateNode(node);
  }

  node(name: string): SimNode {
    const n = this.nodes.find((x) => x.name === name);
    if (!n) throw new Error(`no simulated node named ${name} (have ${this.nodes.map((x) => x.name).join(", ")})`);
    return n;
  }

  // --- reads for the server ---------------------------------------------------------------

  /**
   * Does the network's chain (the main branch) have a block at `slot`? An execution block exists
   * only for a slot with a beacon block: a skipped slot has none.
   */
  hasBlockAt(slot: number): boolean {
    return this.ancestorAt(this.blocks.get(this.branch("main").tip)!, slot).slot === slot;
  }

  block(rootHex: string): SimBlock | undefined {
    return this.blocks.get(rootHex.toLowerCase());
  }

  /** The slot the node is at: the network's slot, or its head slot when it is syncing. */
  nodeSlot(node: SimNode): number {
    return node.conditions.syncDistance > 0 ? node.head.slot : this.slot;
  }

  /** Latest block at or before `slot` on the chain ending at `head` (head itself if slot >= its slot). */
  ancestorAt(head: SimBlock, slot: number): SimBlock {
    let b = head;
    while (b.slot > slot) b = this.blocks.get(b.parentRoot)!;
    return b;
  }

  rootAt(headRoot: string): RootAt {
    return (slot: number) => {
      const key = `${headRoot}@${slot}`;
      let r = this.rootAtCache.get(key);
      if (r === undefined) {
        r = this.ancestorAt(this.blocks.get(headRoot)!, slot).root;
        this.rootAtCache.set(key, r);
      }
      return r;
    };
  }

  isAncestor(ancestor: SimBlock, of: SimBlock): boolean {
    return this.ancestorAt(of, ancestor.slot).root === ancestor.root;
  }

  /** The state after `block` advanced through empty slots to `slot`. */
  stateAt(block: SimBlock, slot: number): SimState {
    if (slot <= block.slot) return block.state;
    const key = `${block.root}@${slot}`;
    let s = this.stateCache.get(key);
    if (!s) {
      s = advance(this.c, block.state, slot, this.rootAt(block.root));
      this.stateCache.set(key, s);
      this.byStateRoot.set(this.stateRootOf(block, slot), { block, slot });
    }
    return s;
  }

  stateRootOf(block: SimBlock, slot: number): string {
    return slot <= block.slot ? block.stateRoot : root(this.seed, "state", block.root, slot);
  }

  byState(stateRoot: string): { block: SimBlock; slot: number } | undefined {
    return this.byStateRoot.get(stateRoot.toLowerCase());
  }

  /** Is `block` on `node`'s canonical chain? */
  canonical(node: SimNode, block: SimBlock): boolean {
    return block.slot <= node.head.slot && this.ancestorAt(node.head, block.slot).root === block.root;
  }

  /** Leaves of the node's known block tree (fork-choice heads). */
  leaves(node: SimNode): SimBlock[] {
    const parents = new Set<string>();
    for (const r of node.known) parents.add(this.blocks.get(r)!.parentRoot);
    const finalizedSlot = node.head.state.finalized.epoch * this.c.slotsPerEpoch;
    return [...node.known]
      .filter((r) => !parents.has(r))
      .map((r) => this.blocks.get(r)!)
      .filter((b) => b.root === node.head.root || b.slot > finalizedSlot)
      .sort((a, b) => a.slot - b.slot || a.root.localeCompare(b.root));
  }

  committees(state: SimState, epoch: number): number[][][] {
    return epochCommittees(this.c, state, epoch, this.seed);
  }

  // --- the slot machine -------------------------------------------------------------------

  private newBranch(id: string, tip: string): Branch {
    return { id, tip, pool: [], reorgDepth: 0, proposerSlashings: [], attesterSlashings: [], exits: [] };
  }

  private branch(id: string): Branch {
    const b = this.branches.get(id);
    if (!b) throw new Error(`no branch ${id}`);
    return b;
  }

  private addBlock(b: SimBlock): void {
    this.blocks.set(b.root, b);
    this.byStateRoot.set(b.stateRoot, { block: b, slot: b.slot });
  }

  private step(): void {
    const slot = this.slot + 1;
    for (const b of this.branches.values()) this.produce(b, slot);
    for (const b of this.branches.values()) this.attest(b, slot);
    this.slot = slot;
    for (const n of this.nodes) this.updateNode(n);
  }

  private produce(branch: Branch, slot: number): void {
    let parent = this.blocks.get(branch.tip)!;
    if (branch.reorgDepth > 0) {
      const ancestor = this.ancestorAt(parent, parent.slot - branch.reorgDepth);
      // Attestations carried by the orphaned blocks go back to the pool, as in a client's op pool.
      const orphanedAtts: SimAttestation[] = [];
      for (let b = parent; b.root !== ancestor.root; b = this.blocks.get(b.parentRoot)!) orphanedAtts.unshift(...b.attestations);
      branch.pool = [...orphanedAtts, ...branch.pool];
      branch.reorgDepth = 0;
      parent = ancestor;
      branch.tip = ancestor.root;
    }
    if (this.skipped.has(slot)) return;
    const rootAt = this.rootAt(parent.root);
    const pre = this.stateAt(parent, slot);
    const attestations = branch.pool.filter((a) => includable(this.c, pre, a));
    const current = epochOf(this.c, slot);
    branch.pool = branch.pool.filter((a) => !attestations.includes(a) && a.data.target.epoch >= current - 1);
    const exits = branch.exits.splice(0, MAX_EXITS_PER_BLOCK);
    const proposerSlashings = branch.proposerSlashings.splice(0);
    const attesterSlashings = branch.attesterSlashings.splice(0);
    const ops = { attestations, proposerSlashings, attesterSlashings, voluntaryExits: exits };
    const state = processBlock(this.c, pre, ops, rootAt);
    const proposerIndex = proposerOf(this.c, pre, slot, this.seed);
    const bodyRoot = root(this.seed, "body", branch.id, slot, parent.root, attestations.length, exits.join(","), proposerSlashings.join(","));
    const stateRoot = root(this.seed, "state", branch.id, slot, parent.root, bodyRoot);
    const block: SimBlock = {
      root: root(this.seed, "block", slot, proposerIndex, parent.root, stateRoot, bodyRoot),
      slot,
      parentRoot: parent.root,
      proposerIndex,
      stateRoot,
      bodyRoot,
      branch: branch.id,
      state,
      ...ops,
    };
    this.addBlock(block);
    branch.tip = block.root;
  }

  /** Every online, active, unslashed committee member of `slot` attests to the branch's view. */
  private attest(branch: Branch, slot: number): void {
    const head = this.blocks.get(branch.tip)!;
    const state = this.stateAt(head, slot);
    const epoch = epochOf(this.c, slot);
    const rootAt = this.rootAt(head.root);
    const data = {
      slot,
      beaconBlockRoot: head.root,
      source: state.currentJustified,
      target: { epoch, root: rootAt(epoch * this.c.slotsPerEpoch) },
    };
    const row = this.committees(state, epoch)[slot % this.c.slotsPerEpoch]!;
    row.forEach((committee, committeeIndex) => {
      const attesters = committee.filter((i) => {
        const v = state.validators[i]!;
        return !this.offline.has(i) && isActive(v, epoch) && !v.slashed;
      });
      if (attesters.length) branch.pool.push({ data, committeeIndex, committee, attesters });
    });
  }

  /** Move a node's head to what it should see now and tell its subscribers. */
  private updateNode(node: SimNode): void {
    if (node.conditions.stalled) return;
    const tip = this.blocks.get(this.branch(node.branch).tip)!;
    const target = node.conditions.syncDistance > 0 ? this.ancestorAt(tip, this.slot - node.conditions.syncDistance) : tip;
    const old = node.head;
    if (target.root === old.root) return;
    if (this.isAncestor(target, old)) {
      // Falling behind (a node restarted from an older state, resyncing): the head moves back
      // without a reorg event, and the blocks after it are forgotten until synced again.
      node.head = target;
      for (const r of [...node.known]) if (this.blocks.get(r)!.slot > target.slot) node.known.delete(r);
      return;
    }
    const imported: SimBlock[] = [];
    for (let b = target; !node.known.has(b.root); b = this.blocks.get(b.parentRoot)!) imported.unshift(b);
    for (const b of imported) node.known.add(b.root);
    node.head = target;
    const optimistic = node.conditions.optimistic;
    for (const b of imported) node.emit({ topic: "block", data: { slot: String(b.slot), block: b.root, execution_optimistic: optimistic } });
    if (!this.isAncestor(old, target)) {
      let ancestor = old;
      while (!this.isAncestor(ancestor, target)) ancestor = this.blocks.get(ancestor.parentRoot)!;
      node.emit({
        topic: "chain_reorg",
        data: {
          slot: String(target.slot),
          depth: String(old.slot - ancestor.slot),
          old_head_block: old.root,
          new_head_block: target.root,
          old_head_state: old.stateRoot,
          new_head_state: target.stateRoot,
          epoch: String(epochOf(this.c, target.slot)),
          execution_optimistic: optimistic,
        },
      });
    }
    const dependent = (epoch: number) => (epoch <= 0 ? this.genesis.root : this.ancestorAt(target, epoch * this.c.slotsPerEpoch - 1).root);
    const epoch = epochOf(this.c, target.slot);
    node.emit({
      topic: "head",
      data: {
        slot: String(target.slot),
        block: target.root,
        state: target.stateRoot,
        epoch_transition: epochOf(this.c, old.slot) !== epoch,
        previous_duty_dependent_root: dependent(epoch - 1),
        current_duty_dependent_root: dependent(epoch),
        execution_optimistic: optimistic,
      },
    });
    const fin = target.state.finalized;
    if (fin.epoch !== node.lastFinalized.epoch || fin.root !== node.lastFinalized.root) {
      node.lastFinalized = fin;
      const fb = this.blocks.get(fin.root);
      node.emit({
        topic: "finalized_checkpoint",
        data: { block: fin.root, state: fb ? fb.stateRoot : ZERO_ROOT, epoch: String(fin.epoch), execution_optimistic: optimistic },
      });
    }
  }
}
