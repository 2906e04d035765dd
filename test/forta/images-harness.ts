/**
 * Starting our Forta images without Docker, and speaking to them as Forta does:
 *
 *   - buildBotImage: assemble a bot's build context (scripts/lib/images.ts) and follow its
 *     Dockerfile (shared/testing/dockerfile.ts) into a folder holding the image's files;
 *   - V1Bot: the image's CMD (`forta-agent run --prod`) started on a free port, called through
 *     Forta's agent.proto with @grpc/grpc-js (Initialize, EvaluateBlock, EvaluateTx,
 *     HealthCheck) with events built from a chain as a scan node builds them;
 *   - runV2Range: the v2 image's CMD (the bot's main) run by the SDK over a block range
 *     (FORTA_CLI_RANGE), its printed findings parsed.
 */
import * as grpc from "@grpc/grpc-js";
import * as protoLoader from "@grpc/proto-loader";
import { spawn, type ChildProcess } from "child_process";
import { createServer } from "net";
import { join, resolve } from "path";
import { VigilError } from "../../shared/errors";
import type { FindingJson } from "../../shared/findings";
import { assembleContext, type ImagePlan, type Sdk } from "../../scripts/lib/images";
import { buildImage, commandOf, type BuiltImage } from "../../shared/testing/dockerfile";
import { exitedWithOutput } from "../../scripts/test/process";

const ROOT = resolve(__dirname, "../..");
export const AGENT_PROTO = join(ROOT, "node_modules/forta-agent/dist/cli/commands/run/server/agent.proto");

export async function freePort(): Promise<number> {
  return new Promise((res, rej) => {
    const s = createServer();
    s.once("error", rej);
    s.listen(0, "127.0.0.1", () => {
      const port = (s.address() as { port: number }).port;
      s.close(() => res(port));
    });
  });
}

export interface BotImage {
  plan: ImagePlan;
  context: string;
  image: BuiltImage;
}

/** Assemble the bot's context under `workDir` (imageEnv baked from `env`) and build it; RUN layers cached in `cacheDir`. */
export async function buildBotImage(bot: string, sdk: Sdk, workDir: string, cacheDir: string, env: Record<string, string | undefined> = {}): Promise<BotImage> {
  const context = join(workDir, `${bot}-${sdk}`, "context");
  const plan = await assembleContext(bot, sdk, context, env);
  const image = buildImage({ context, outDir: join(workDir, `${bot}-${sdk}`, "image"), cacheDir, fallbackNodeModules: join(ROOT, "node_modules") });
  return { plan, context, image };
}

function startCmd(image: BuiltImage, env: Record<string, string>): { child: ChildProcess; output: () => string } {
  const c = commandOf(image);
  // the image's environment only: nothing from this process's node_modules or config leaks in
  const child = spawn(c.file, c.args, {
    cwd: c.cwd,
    env: { PATH: process.env.PATH ?? "/usr/bin:/bin", HOME: join(image.root, "home"), ...c.env, ...env },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let out = "";
  child.stdout!.on("data", (d) => (out += String(d)));
  child.stderr!.on("data", (d) => (out += String(d)));
  return { child, output: () => out };
}

/** A Forta gRPC request's chain data, as a scan node builds it from JSON-RPC answers. */
export interface ChainBlock {
  blockEvent: Record<string, unknown>;
  txEvents: Record<string, unknown>[];
}

interface RpcBlock {
  [k: string]: unknown;
  number: string;
  hash: string;
  timestamp: string;
  baseFeePerGas?: string;
  transactions: Record<string, string>[];
}
interface RpcLog {
  address: string;
  topics: string[];
  data: string;
  blockNumber: string;
  transactionHash: string;
  transactionIndex: string;
  blockHash: string;
  logIndex: string;
  removed: boolean;
}

async function rpc<T>(url: string, method: string, params: unknown[]): Promise<T> {
  const res = await fetch(url, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ jsonrpc: "2.0", id: 1, method, params }) });
  const body = (await res.json()) as { result?: T; error?: { message: string } };
  if (body.error) throw new VigilError("RPC", `${method}: ${body.error.message}`);
  return body.result as T;
}

const dec = (hex: string | undefined) => (hex === undefined || hex === null ? "" : BigInt(hex).toString());

/** Blocks from..to of the chain at `url` as EvaluateBlock / EvaluateTx request events. */
export async function chainEvents(url: string, chainId: number, from: number, to: number): Promise<ChainBlock[]> {
  const out: ChainBlock[] = [];
  for (let n = from; n <= to; n++) {
    const b = await rpc<RpcBlock>(url, "eth_getBlockByNumber", [`0x${n.toString(16)}`, true]);
    const logs = await rpc<RpcLog[]>(url, "eth_getLogs", [{ blockHash: b.hash }]);
    const network = { chainId: String(chainId) };
    const blockEvent = {
      type: "BLOCK",
      blockHash: b.hash,
      blockNumber: String(n),
      network,
      block: {
        difficulty: String(b.difficulty ?? "0x0"),
        extraData: String(b.extraData ?? "0x"),
        gasLimit: String(b.gasLimit),
        gasUsed: String(b.gasUsed),
        hash: b.hash,
        logsBloom: String(b.logsBloom),
        miner: String(b.miner),
        mixHash: String(b.mixHash ?? ""),
        nonce: String(b.nonce ?? ""),
        number: b.number,
        parentHash: String(b.parentHash),
        receiptsRoot: String(b.receiptsRoot),
        sha3Uncles: String(b.sha3Uncles),
        size: String(b.size),
        stateRoot: String(b.stateRoot),
        timestamp: b.timestamp,
        totalDifficulty: String(b.totalDifficulty ?? "0x0"),
        transactions: b.transactions.map((t) => t.hash),
        transactionsRoot: String(b.transactionsRoot),
        uncles: (b.uncles as string[] | undefined) ?? [],
        baseFeePerGas: b.baseFeePerGas ?? "",
      },
    };
    const txEvents = b.transactions.map((t) => {
      const txLogs = logs.filter((l) => l.transactionHash === t.hash);
      const receipt = t.to ? undefined : t.hash;
      const addresses: Record<string, boolean> = {};
      for (const a of [t.from, t.to, ...txLogs.map((l) => l.address)]) if (a) addresses[a.toLowerCase()] = true;
      return {
        type: "BLOCK",
        transaction: {
          type: t.type ?? "0x0",
          nonce: t.nonce,
          gasPrice: t.gasPrice ?? "",
          gas: t.gas,
          value: t.value,
          input: t.input,
          v: t.v ?? "",
          r: t.r ?? "",
          s: t.s ?? "",
          to: t.to ?? "",
          hash: t.hash,
          from: t.from,
          maxFeePerGas: t.maxFeePerGas ?? "",
          maxPriorityFeePerGas: t.maxPriorityFeePerGas ?? "",
        },
        network,
        traces: [],
        addresses,
        block: { blockHash: b.hash, blockNumber: String(n), blockTimestamp: String(Number(b.timestamp)), baseFeePerGas: dec(b.baseFeePerGas) },
        logs: txLogs,
        isContractDeployment: receipt !== undefined,
        contractAddress: "",
      };
    });
    out.push({ blockEvent, txEvents });
  }
  return out;
}

/** A finding as the gRPC answer carries it (enums by proto name). */
export interface GrpcFinding {
  alertId: string;
  name: string;
  description: string;
  protocol: string;
  severity: string;
  type: string;
  metadata: Record<string, string>;
  addresses: string[];
  uniqueKey: string;
  timestamp: string;
}

type Unary<Req, Res> = (req: Req, opts: { deadline: number }, cb: (err: grpc.ServiceError | null, res: Res) => void) => void;
interface AgentClient extends grpc.Client {
  Initialize: Unary<object, { status: string; errors: { message: string }[] }>;
  EvaluateBlock: Unary<object, { status: string; errors: { message: string }[]; findings: GrpcFinding[] }>;
  EvaluateTx: Unary<object, { status: string; errors: { message: string }[]; findings: GrpcFinding[] }>;
  HealthCheck: Unary<object, { status: string; errors: { message: string }[] }>;
}

let agentService: grpc.ServiceClientConstructor | undefined;
function agentClientCtor(): grpc.ServiceClientConstructor {
  if (agentService) return agentService;
  const def = protoLoader.loadSync(AGENT_PROTO, { keepCase: true, longs: String, enums: String, defaults: true, oneofs: true, includeDirs: [join(AGENT_PROTO, "..")] });
  const pkg = grpc.loadPackageDefinition(def) as unknown as { network: { forta: { Agent: grpc.ServiceClientConstructor } } };
  return (agentService = pkg.network.forta.Agent);
}

/** A v1 image running: its gRPC server, called as a scan node calls it. */
export class V1Bot {
  private constructor(
    readonly bot: string,
    private readonly proc: { child: ChildProcess; output: () => string },
    private readonly client: AgentClient,
  ) {}

  /** Start the image's CMD with its gRPC server on a free port; resolves once it answers HealthCheck. */
  static async start(bot: string, image: BuiltImage, env: Record<string, string>, timeoutMs = 300_000): Promise<V1Bot> {
    const port = await freePort();
    const proc = startCmd(image, { ...env, AGENT_GRPC_PORT: String(port) });
    const Ctor = agentClientCtor();
    const client = new Ctor(`127.0.0.1:${port}`, grpc.credentials.createInsecure()) as unknown as AgentClient;
    const v1 = new V1Bot(bot, proc, client);
    await new Promise<void>((res, rej) => {
      let exited = false;
      proc.child.once("exit", (code) => {
        exited = true;
        rej(new VigilError("IMAGE_EXITED", `${bot}: the image's CMD exited (${code}) before serving gRPC:\n${proc.output()}`));
      });
      client.waitForReady(Date.now() + timeoutMs, (err) => {
        if (exited) return;
        if (err) rej(new VigilError("IMAGE_NOT_READY", `${bot}: no gRPC server within ${timeoutMs} ms:\n${proc.output()}`));
        else res();
      });
    });
    return v1;
  }

  output(): string {
    return this.proc.output();
  }

  private call<Res>(m: Unary<object, Res>, req: object): Promise<Res> {
    return new Promise((res, rej) => m.call(this.client, req, { deadline: Date.now() + 300_000 }, (err, r) => (err ? rej(err) : res(r))));
  }

  async initialize(): Promise<string> {
    return (await this.call(this.client.Initialize, { agentId: `vigil-${this.bot}`, proxyHost: "", shardId: 0 })).status;
  }
  async healthCheck(): Promise<string> {
    return (await this.call(this.client.HealthCheck, {})).status;
  }

  /** Every block then its transactions, in order, as a scan node sends them; the findings, with their status checked. */
  async evaluate(blocks: readonly ChainBlock[]): Promise<GrpcFinding[]> {
    const found: GrpcFinding[] = [];
    for (const [i, b] of blocks.entries()) {
      const r = await this.call(this.client.EvaluateBlock, { requestId: `b${i}`, event: b.blockEvent, shardId: 0 });
      if (r.status !== "SUCCESS") throw new VigilError("EVALUATE_BLOCK", `${this.bot}: EvaluateBlock ${String(b.blockEvent.blockNumber)} answered ${r.status}:\n${this.output()}`);
      found.push(...r.findings);
      for (const [k, tx] of b.txEvents.entries()) {
        const t = await this.call(this.client.EvaluateTx, { requestId: `t${i}.${k}`, event: tx, shardId: 0 });
        if (t.status !== "SUCCESS") throw new VigilError("EVALUATE_TX", `${this.bot}: EvaluateTx answered ${t.status}:\n${this.output()}`);
        found.push(...t.findings);
      }
    }
    return found;
  }

  async stop(): Promise<void> {
    this.client.close();
    if (this.proc.child.exitCode === null) {
      const gone = new Promise((r) => this.proc.child.once("exit", r));
      this.proc.child.kill("SIGTERM");
      await gone;
    }
  }
}

/** Parse the v2 SDK's "N findings for block|transaction 0x... on chain C <json>,<json>" lines. */
export function parseV2Output(out: string): FindingJson[] {
  const header = /^(\d+) findings for (?:block|transaction) 0x[0-9a-fA-F]{64} on chain \d+ ?/gm;
  const heads: { count: number; end: number; start: number }[] = [];
  for (let m = header.exec(out); m; m = header.exec(out)) heads.push({ count: Number(m[1]), start: m.index, end: m.index + m[0].length });
  const found: FindingJson[] = [];
  heads.forEach((h, i) => {
    if (h.count === 0) return;
    const stops = [heads[i + 1]?.start ?? out.length, out.indexOf("\nfetching block", h.end)].filter((x) => x >= 0);
    const parsed = JSON.parse(`[${out.slice(h.end, Math.min(...stops)).trim()}]`) as FindingJson[];
    if (parsed.length !== h.count) throw new VigilError("V2_OUTPUT", `the v2 SDK said ${h.count} findings but printed ${parsed.length}`);
    found.push(...parsed);
  });
  return found;
}

/** Run a v2 image's CMD over blocks from..to through the SDK's range mode (the node it scans: the image's JSON_RPC_URL); its findings and output. */
export async function runV2Range(image: BuiltImage, o: { chainId: number; from: number; to: number; env: Record<string, string>; timeoutMs?: number }): Promise<{ findings: FindingJson[]; output: string }> {
  const proc = startCmd(image, {
    ...o.env,
    FORTA_CLI: "1",
    FORTA_CLI_RANGE: `${o.from}..${o.to}`,
    FORTA_CHAIN_ID: String(o.chainId),
    FORTA_CLI_NO_CACHE: "1",
    NODE_ENV: "development", // the SDK's range mode: findings printed, not sent to Forta's API
  });
  const code = await new Promise<number | null>((res, rej) => {
    const timer = setTimeout(() => {
      proc.child.kill("SIGKILL");
      rej(new VigilError("V2_TIMEOUT", `the v2 bot did not finish blocks ${o.from}..${o.to} within ${o.timeoutMs ?? 480_000} ms:\n${proc.output()}`));
    }, o.timeoutMs ?? 480_000);
    // its findings are read from its output: wait until the output has been read to the end
    void exitedWithOutput(proc.child).then((c) => {
      clearTimeout(timer);
      res(c);
    });
  });
  if (code !== 0) throw new VigilError("V2_FAILED", `the v2 bot exited with ${code}:\n${proc.output()}`);
  return { findings: parseV2Output(proc.output()), output: proc.output() };
}

const PROTO_SEVERITY: Record<string, string> = { UNKNOWN: "Unknown", INFO: "Info", LOW: "Low", MEDIUM: "Medium", HIGH: "High", CRITICAL: "Critical" };
const PROTO_TYPE: Record<string, string> = { UNKNOWN_TYPE: "Unknown", EXPLOIT: "Exploit", SUSPICIOUS: "Suspicious", DEGRADED: "Degraded", INFORMATION: "Info", SCAM: "Scam" };

/** One comparable line per finding: what a subscriber sees (id, severity, type, key, text, metadata, addresses). */
export function comparable(f: { alertId: string; name: string; severity: string | number; type: string | number; uniqueKey: string; description: string; metadata: Record<string, string>; addresses: string[]; protocol?: string }): string {
  const sev = PROTO_SEVERITY[String(f.severity)] ?? String(f.severity);
  const type = PROTO_TYPE[String(f.type)] ?? String(f.type);
  const meta = Object.fromEntries(Object.entries(f.metadata).sort(([a], [b]) => a.localeCompare(b)));
  return `${f.alertId} ${sev} ${type} ${f.uniqueKey} | ${f.name} | ${f.description} | ${JSON.stringify(meta)} | ${[...f.addresses].sort().join(",")}`;
}
