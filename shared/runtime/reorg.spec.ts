/**
 * Reorgs.rewind walks back to the common ancestor by asking the node for each kept block. The
 * fault suite found it retracting deeper than a reorg went when a lagging node (behind the same
 * URL) answered `null` for a block during the walk: `null` was read as "orphaned".
 */
import { createLogger } from "../log";
import type { RpcClient } from "../rpc/client";
import { BlockSource } from "./block-source";
import { Reorgs } from "./reorg";
import type { RuntimeStore } from "./store";

const hash = (branch: string, n: number) => `0x${branch}${n.toString(16).padStart(63, "0")}`;

/** A store keeping blocks 10..20 of branch "a". */
function fakeStore(): RuntimeStore & { inserted: unknown[]; rewoundTo?: number } {
  const blocks = new Map<number, { number: number; hash: string; parentHash: string; timestamp: number }>();
  for (let n = 10; n <= 20; n++) blocks.set(n, { number: n, hash: hash("a", n), parentHash: hash("a", n - 1), timestamp: n });
  const store = {
    inserted: [] as unknown[],
    rewoundTo: undefined as number | undefined,
    block: (n: number) => blocks.get(n),
    oldestBlock: () => 10,
    rewind(ancestor: number) {
      store.rewoundTo = ancestor;
      return [];
    },
    insertFindings(f: unknown[]) {
      store.inserted.push(...f);
      return f.length;
    },
  };
  return store as never;
}

/** The chain after a reorg of depth 3: blocks 18..20 replaced by branch "b". */
function fakeRpc(nullAnswers: Set<number>): RpcClient & { asked: number[] } {
  const rpc = {
    asked: [] as number[],
    invalidateFrom() {},
    async request(method: string, params: unknown[]) {
      if (method !== "eth_getBlockByNumber") throw new Error(`unexpected ${method}`);
      const n = parseInt(params[0] as string, 16);
      rpc.asked.push(n);
      if (nullAnswers.delete(n)) return null; // the lagging node, once
      return { hash: hash(n >= 18 ? "b" : "a", n) };
    },
  };
  return rpc as never;
}

function rewinder(rpc: RpcClient, store: RuntimeStore) {
  const log = createLogger({ level: "silent" });
  const source = new BlockSource({ rpc, log, stopping: () => false });
  return new Reorgs({ rpc, store, source, log, chainId: () => 1, keepBlocks: 64 });
}

const tip = { number: "0x15", hash: hash("b", 21), parentHash: hash("b", 20), timestamp: "0x15" } as never;

test("a reorg of depth 3 retracts 3 blocks", async () => {
  const store = fakeStore();
  const next = await rewinder(fakeRpc(new Set()), store).rewind(21, tip);
  expect(next).toBe(18);
  expect(store.rewoundTo).toBe(17);
});

test("a lagging node's null answer during the walk back is asked again, not read as an orphaned block", async () => {
  const store = fakeStore();
  const rpc = fakeRpc(new Set([17]));
  const next = await rewinder(rpc, store).rewind(21, tip);
  expect(next).toBe(18);
  expect(store.rewoundTo).toBe(17);
  expect(rpc.asked.filter((n) => n === 17)).toHaveLength(2);
  const [retraction] = store.inserted as { finding: { metadata: Record<string, string> } }[];
  expect(retraction!.finding.metadata.depth).toBe("3");
});
