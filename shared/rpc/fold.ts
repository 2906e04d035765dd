/**
 * Folding plain reads. The eth_calls of one batch that ask the same block and carry only `to`
 * and `data` go to the node as a single eth_call: FoldedReads' creation code (FoldedReads.sol
 * beside this file) with the reads as constructor arguments, sent without `to`. The node runs the
 * constructor at that block; it makes each read as a staticcall and returns every answer. N reads
 * then cost the node one call (one copy of the block's state: anvil clones a past block's state
 * per call) and cost a provider that bills per call one call instead of N. Nothing is deployed,
 * so it works on any node and chain.
 *
 * Only reads whose answer cannot tell the difference are folded: no `from` (the reads run as the
 * folding contract, where an unfolded call runs as the zero address), no gas, value or state
 * overrides. A read that fails inside the fold is asked again on its own, so a revert reaches the
 * bot in the node's own words, and a non-view function the staticcall refused gets its real answer.
 * A fold the node does not answer (an error, an answer that does not decode) is asked again read
 * by read; `FoldState` stops folding after three such answers in a row.
 */
import { metrics } from "../metrics";
import type { RpcCall, RpcOutcome } from "./call";

/**
 * FoldedReads' creation code: solc 0.8.30, optimizer on (200 runs), evmVersion paris (no PUSH0,
 * for chains without Shanghai), no metadata. fold.spec.ts compiles FoldedReads.sol and checks it.
 */
export const FOLDED_READS_CODE =
  "0x608060405234801561001057600080fd5b5060405161051238038061051283398101604081905261002f91610348565b81516000816001600160401b0381111561004b5761004b6101d2565b604051908082528060200260200182016040528015610074578160200160208202803683370190505b5090506000826001600160401b03811115610091576100916101d2565b6040519080825280602002602001820160405280156100c457816020015b60608152602001906001900390816100af5790505b50905060005b838110156101a3578581815181106100e4576100e461041f565b60200260200101516001600160a01b03168582815181106101075761010761041f565b602002602001015160405161011c9190610435565b600060405180830381855afa9150503d8060008114610157576040519150601f19603f3d011682016040523d82523d6000602084013e61015c565b606091505b5084838151811061016f5761016f61041f565b602002602001018484815181106101885761018861041f565b602090810291909101019190915290151590526001016100ca565b50600082826040516020016101b9929190610451565b6040516020818303038152906040529050805160208201f35b634e487b7160e01b600052604160045260246000fd5b604051601f8201601f191681016001600160401b0381118282101715610210576102106101d2565b604052919050565b60006001600160401b03821115610231576102316101d2565b5060051b60200190565b60005b8381101561025657818101518382015260200161023e565b50506000910152565b600082601f83011261027057600080fd5b815161028361027e82610218565b6101e8565b8082825260208201915060208360051b8601019250858311156102a557600080fd5b602085015b8381101561033e5780516001600160401b038111156102c857600080fd5b8601603f810188136102d957600080fd5b60208101516001600160401b038111156102f5576102f56101d2565b610308601f8201601f19166020016101e8565b8181526040838301018a101561031d57600080fd5b61032e82602083016040860161023b565b85525050602092830192016102aa565b5095945050505050565b6000806040838503121561035b57600080fd5b82516001600160401b0381111561037157600080fd5b8301601f8101851361038257600080fd5b805161039061027e82610218565b8082825260208201915060208360051b8501019250878311156103b257600080fd5b6020840193505b828410156103e95783516001600160a01b03811681146103d857600080fd5b8252602093840193909101906103b9565b6020870151909550925050506001600160401b0381111561040957600080fd5b6104158582860161025f565b9150509250929050565b634e487b7160e01b600052603260045260246000fd5b6000825161044781846020870161023b565b9190910192915050565b6040808252835190820181905260009060208501906060840190835b8181101561048d578351151583526020938401939092019160010161046d565b50508381036020850152809150845180825260208201925060208160051b8301016020870160005b8381101561050357601f19858403018652815180518085526104de81602087016020850161023b565b602097880197601f91909101601f1916949094018401939290920191506001016104b5565b50909897505050505050505056fe";

/**
 * Reads per fold. The answers come back as the constructor's "code", which nodes cap at 24,576
 * bytes (EIP-170): 64 answers of up to ~300 bytes fit. A fold over the cap is an error answer,
 * and its reads are asked one by one.
 */
export const MAX_FOLD = 64;

/**
 * Calldata bytes per fold: the creation code and its arguments must stay under EIP-3860's 49,152
 * bytes of init code. A read's calldata costs its length rounded up to words, plus 96 bytes of
 * address, offset and length.
 */
export const MAX_FOLD_BYTES = 32_768;

const ADDRESS = /^0x[0-9a-fA-F]{40}$/;
const HEX = /^0x(?:[0-9a-fA-F]{2})*$/;

/** The read's target and calldata, when the call is a plain read that can be folded. */
function plainRead(call: RpcCall): { to: string; data: string } | undefined {
  if (call.method !== "eth_call" || call.params.length !== 2) return undefined;
  const tx = call.params[0];
  if (!tx || typeof tx !== "object") return undefined;
  let to: unknown;
  let data: unknown;
  for (const [k, v] of Object.entries(tx)) {
    if (k === "to") to = v;
    else if (k === "data" || k === "input") {
      if (data !== undefined && data !== v) return undefined;
      data = v;
    } else return undefined;
  }
  if (typeof to !== "string" || !ADDRESS.test(to)) return undefined;
  if (typeof data !== "string" || !HEX.test(data)) return undefined;
  return { to, data };
}

export interface FoldPlan {
  /** what goes to the node: the calls left as they were, then one eth_call per fold */
  sent: RpcCall[];
  /** how many folds, and how many reads they carry */
  folds: number;
  folded: number;
  /**
   * The answers to the original calls from the node's answers to `sent`: `undefined` for a read
   * to ask again on its own; `failedFold` is the first fold the node did not answer, if any.
   */
  unfold(answers: readonly RpcOutcome[]): { answers: (RpcOutcome | undefined)[]; failedFold?: string };
}

/** Plans the folds of a batch; undefined when no two plain reads share a block. */
export function planFold(calls: readonly RpcCall[]): FoldPlan | undefined {
  const groups = new Map<string, number[]>();
  const reads: ({ to: string; data: string } | undefined)[] = calls.map(plainRead);
  reads.forEach((r, i) => {
    if (!r) return;
    const tag = calls[i]!.params[1];
    const key = typeof tag === "string" ? tag.toLowerCase() : JSON.stringify(tag);
    const g = groups.get(key);
    if (g) g.push(i);
    else groups.set(key, [i]);
  });
  const folds: number[][] = [];
  for (const g of groups.values()) {
    let chunk: number[] = [];
    let bytes = 0;
    const close = () => {
      if (chunk.length > 1) folds.push(chunk);
      chunk = [];
      bytes = 0;
    };
    for (const i of g) {
      const size = 96 + Math.ceil((reads[i]!.data.length - 2) / 64) * 32;
      if (chunk.length === MAX_FOLD || bytes + size > MAX_FOLD_BYTES) close();
      chunk.push(i);
      bytes += size;
    }
    close();
  }
  if (folds.length === 0) return undefined;
  const inFold = new Set(folds.flat());
  const kept = calls.map((_, i) => i).filter((i) => !inFold.has(i));
  const sent: RpcCall[] = kept.map((i) => calls[i]!);
  for (const f of folds) {
    const args = encodeReads(f.map((i) => reads[i]!));
    sent.push({ method: "eth_call", params: [{ data: FOLDED_READS_CODE + args }, calls[f[0]!]!.params[1]] });
  }
  return {
    sent,
    folds: folds.length,
    folded: inFold.size,
    unfold(answers) {
      const out: (RpcOutcome | undefined)[] = new Array<RpcOutcome | undefined>(calls.length).fill(undefined);
      kept.forEach((i, k) => (out[i] = answers[k]));
      let failedFold: string | undefined;
      folds.forEach((f, k) => {
        const a = answers[kept.length + k];
        const decoded = a ? decodeFold(a, f.length) : "no answer";
        if (typeof decoded === "string") {
          failedFold ??= decoded;
          return;
        }
        f.forEach((i, j) => {
          if (decoded.ok[j]) out[i] = { ok: true, result: decoded.answers[j]! };
        });
      });
      return { answers: out, failedFold };
    },
  };
}

/** A fold's answer as each read's success and answer, or what is wrong with it. */
function decodeFold(a: RpcOutcome, n: number): { ok: boolean[]; answers: string[] } | string {
  if (!a.ok) return `the node answered it with an error: ${a.error.message}`;
  if (typeof a.result !== "string" || !HEX.test(a.result)) return "the node's answer is not hex data";
  try {
    const { ok, answers } = decodeAnswers(a.result);
    if (ok.length !== n || answers.length !== n) return `the answer holds ${ok.length} reads, not ${n}`;
    return { ok, answers };
  } catch (err) {
    return `the answer does not decode: ${(err as Error).message.slice(0, 120)}`;
  }
}

// The ABI coding of the constructor's arguments and answer, written out: ethers' AbiCoder took
// ~2 ms of CPU for a 34-read fold (its plan and unfold), this a small fraction of that.
// fold.spec.ts checks both against ethers.

const word = (n: number): string => n.toString(16).padStart(64, "0");

/** abi.encode(address[] targets, bytes[] data), as hex without 0x. */
export function encodeReads(reads: readonly { to: string; data: string }[]): string {
  const n = reads.length;
  const targets = reads.map((r) => r.to.slice(2).toLowerCase().padStart(64, "0")).join("");
  const heads: string[] = [];
  const tails: string[] = [];
  let offset = 32 * n;
  for (const r of reads) {
    const hex = r.data.slice(2);
    const len = hex.length / 2;
    const padded = hex.padEnd(Math.ceil(len / 32) * 64, "0");
    heads.push(word(offset));
    tails.push(word(len) + padded);
    offset += 32 + padded.length / 2;
  }
  return word(64) + word(64 + 32 * (1 + n)) + word(n) + targets + word(n) + heads.join("") + tails.join("");
}

/** abi.decode(answer, (bool[], bytes[])), checking every offset and length against the answer's size. */
export function decodeAnswers(result: string): { ok: boolean[]; answers: string[] } {
  const hex = result.slice(2);
  const size = hex.length / 2;
  const at = (byte: number): number => {
    if (byte < 0 || byte + 32 > size) throw new Error(`a word at byte ${byte} is past the answer's ${size} bytes`);
    const w = hex.slice(byte * 2, byte * 2 + 64);
    if (!/^0{48}/.test(w)) throw new Error(`the word at byte ${byte} is too large for an offset or length`);
    return parseInt(w.slice(48), 16);
  };
  const okAt = at(0);
  const answersAt = at(32);
  const n = at(okAt);
  const ok: boolean[] = [];
  for (let i = 0; i < n; i++) {
    const v = at(okAt + 32 + 32 * i);
    if (v > 1) throw new Error(`read ${i}'s success flag is ${v}, not 0 or 1`);
    ok.push(v === 1);
  }
  if (at(answersAt) !== n) throw new Error(`${n} success flags but ${at(answersAt)} answers`);
  const base = answersAt + 32;
  const answers: string[] = [];
  for (let i = 0; i < n; i++) {
    const start = base + at(base + 32 * i);
    const len = at(start);
    if (start + 32 + len > size) throw new Error(`answer ${i} runs past the answer's end`);
    answers.push(`0x${hex.slice((start + 32) * 2, (start + 32 + len) * 2).toLowerCase()}`);
  }
  return { ok, answers };
}

/** Whether to fold: on until the node fails three folds in a row. */
export class FoldState {
  private failures = 0;
  private warned = false;
  /** reads answered through folds, folds sent, and reads asked again on their own (this transport's; the process's in vigil_rpc_folded_reads_total) */
  readonly stats = { folds: 0, foldedReads: 0, askedAgain: 0 };

  constructor(private enabled: boolean) {}

  get on(): boolean {
    return this.enabled;
  }

  /** Records a batch's outcome (stats and metric); returns the line to log, once, when a fold failed. */
  settled(plan: FoldPlan, failedFold: string | undefined, askedAgain: number): string | undefined {
    this.stats.folds += plan.folds;
    this.stats.foldedReads += plan.folded - askedAgain;
    this.stats.askedAgain += askedAgain;
    metrics.rpcFoldedReads.inc({ outcome: "answered" }, plan.folded - askedAgain);
    if (askedAgain > 0) metrics.rpcFoldedReads.inc({ outcome: "asked_again" }, askedAgain);
    if (failedFold === undefined) {
      this.failures = 0;
      return undefined;
    }
    this.failures++;
    if (this.failures >= 3) this.enabled = false;
    if (this.warned && this.enabled) return undefined;
    this.warned = true;
    return this.enabled
      ? `a folded read (several eth_calls at one block sent as one) failed: ${failedFold}; its reads were asked one by one`
      : `the node failed three folded reads in a row (last: ${failedFold}); reads go one eth_call each from now on (set RPC_FOLD_READS=off to skip folding from the start)`;
  }
}
