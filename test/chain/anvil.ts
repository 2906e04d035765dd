/**
 * A local anvil chain for tests, devnet scenes and benchmarks.
 *
 * `startAnvil()` spawns the anvil binary of the installed `@foundry-rs/anvil-<platform>-<arch>`
 * package directly (not through the package's `bin.mjs` wrapper, so that signals reach anvil
 * itself), on a free port chosen by anvil (`--port 0`, parsed from its "Listening on" line).
 *
 * No stray processes: every child is tracked and killed on `stop()`, and synchronously on
 * process `exit`, SIGINT and SIGTERM. (A SIGKILL of the parent cannot be intercepted; anvil then
 * survives until killed — nothing in node can prevent that.)
 */
import { spawn, type ChildProcess } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync, unlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { ethers } from "forta-agent";
import { VigilError } from "../../shared/errors";
import { PaddedGasProvider, resetProviderCaches } from "./providers";

export { resetProviderCaches };

export interface StartAnvilOptions {
  /** Chain id (default 31337, anvil's own default). */
  chainId?: number;
  /** Seconds between blocks; unset = automine (one block per transaction). */
  blockTime?: number;
  /** Genesis block timestamp (unix seconds). */
  timestamp?: number;
  /** Number of funded dev accounts (default 10; each gets 10,000 ETH). */
  accounts?: number;
  /** Milliseconds to wait for the "Listening on" line before giving up (default 20 s). */
  startTimeoutMs?: number;
  /**
   * Keep the states of up to this many recent blocks in memory and none on disk
   * (`--prune-history N`). Unset: anvil's default, which pages older states out to
   * $HOME/.foundry/anvil/tmp, one file per block that every call at that block reads back
   * (an eth_call at a paged-out block costs milliseconds instead of microseconds). The benchmark
   * sets it so that its whole range is served from memory, as an archive node serves history
   * from its database; calls at blocks older than the last N fail.
   */
  keepStates?: number;
  /** More anvil command-line arguments (e.g. `["--hardfork", "prague"]`). */
  extraArgs?: string[];
}

export interface AnvilChain {
  /** `http://127.0.0.1:PORT` */
  readonly url: string;
  readonly chainId: number;
  /** OS process id of anvil (to prove it is gone after `stop()`). */
  readonly pid: number;
  /** anvil's own HOME: the states it pages out of memory go under it; removed once anvil exits. */
  readonly home: string;
  /** ethers v5 provider on the chain; polling is fast (50 ms) so `tx.wait()` returns promptly. */
  readonly provider: ethers.providers.JsonRpcProvider;
  /** Addresses (checksummed) of the funded dev accounts, in anvil's order. */
  readonly accounts: string[];
  /** Signer for dev account `i` (anvil signs; nonces are assigned by the node, so concurrent sends are safe). */
  signer(i?: number): ethers.providers.JsonRpcSigner;
  /** Private key of dev account `i` (anvil's well-known test mnemonic: never use it for real funds). */
  privateKey(i?: number): string;
  /** Raw JSON-RPC call. */
  send<T = unknown>(method: string, params?: unknown[]): Promise<T>;
  /**
   * `eth_sendTransaction`, then its receipt once mined. anvil answers a send before it has mined
   * the block, so a `mine()` right after a bare send can take the transaction into its own block.
   */
  transact(tx: Record<string, unknown>): Promise<{ blockNumber: string; transactionHash: string; status?: string }>;
  /** Mine `n` blocks (default 1). */
  mine(n?: number): Promise<void>;
  /** Move time forward by `seconds` (applies to the next block). */
  increaseTime(seconds: number): Promise<void>;
  /** Fix the next block's timestamp (unix seconds). */
  setNextBlockTimestamp(timestamp: number): Promise<void>;
  /** Timestamp of the latest block. */
  timestamp(): Promise<number>;
  blockNumber(): Promise<number>;
  /** `evm_snapshot`; returns the snapshot id for `revert`. */
  snapshot(): Promise<string>;
  /**
   * `evm_revert`; a snapshot id can be used once. Returns false if the id was unknown.
   * Also resets `provider`'s block-number caches (see resetProviderCaches).
   */
  revert(id: string): Promise<boolean>;
  /**
   * Act as any address: `anvil_impersonateAccount` plus a balance top-up (10 ETH unless given)
   * so the impersonated account can pay for gas.
   */
  impersonate(address: string, balanceWei?: ethers.BigNumberish): Promise<ethers.providers.JsonRpcSigner>;
  stopImpersonating(address: string): Promise<void>;
  setBalance(address: string, wei: ethers.BigNumberish): Promise<void>;
  /** Overwrite one storage slot (both slot and value are taken as uint256). */
  setStorageAt(address: string, slot: ethers.BigNumberish, value: ethers.BigNumberish): Promise<void>;
  getStorageAt(address: string, slot: ethers.BigNumberish, blockTag?: ethers.providers.BlockTag): Promise<string>;
  /**
   * Replace the last `depth` blocks with new ones (`anvil_reorg`). `txs` are placed into the new
   * blocks: `block` is the offset from the fork point (0 = first new block, up to depth-1); `tx`
   * is a signed raw transaction (0x...) or a transaction request object (`from`, `to`, `data`...).
   */
  reorg(depth: number, txs?: ReorgTx[]): Promise<void>;
  /** Kill anvil; resolves once the process has exited. Safe to call twice. */
  stop(): Promise<void>;
}

export interface ReorgTx {
  tx: string | Record<string, unknown>;
  block: number;
}

/** The anvil binary for this platform is not installed. */
export class AnvilNotFoundError extends VigilError<"ANVIL_NOT_FOUND"> {
  constructor(pkg: string, detail: string) {
    super("ANVIL_NOT_FOUND", `anvil binary not found (${pkg}: ${detail}); run \`npm ci\` to install @foundry-rs/anvil and its platform package`);
  }
}

/** anvil exited or failed before it was ready, or did not become ready in time. */
export class AnvilStartError extends VigilError<"ANVIL_START"> {
  constructor(reason: string, output: string) {
    super("ANVIL_START", `anvil failed to start: ${reason}${output ? `\n--- anvil output (last lines) ---\n${output}` : ""}`);
  }
}

/** anvil's default mnemonic; its keys are public knowledge. */
const ANVIL_MNEMONIC = "test test test test test test test test test test test junk";

const PLATFORM: Record<string, string> = { linux: "linux", darwin: "darwin", win32: "win32" };
const ARCH: Record<string, string> = { x64: "amd64", arm64: "arm64" };

/** Path of the anvil binary inside the platform package (resolved from this project's node_modules). */
export function anvilBinaryPath(): string {
  const platform = PLATFORM[process.platform];
  const arch = ARCH[process.arch];
  const pkg = `@foundry-rs/anvil-${platform ?? process.platform}-${arch ?? process.arch}`;
  if (!platform || !arch) throw new AnvilNotFoundError(pkg, `no anvil build for ${process.platform}/${process.arch}`);
  let pkgJson: string;
  try {
    pkgJson = require.resolve(`${pkg}/package.json`);
  } catch {
    throw new AnvilNotFoundError(pkg, "package is not installed");
  }
  const bin = join(dirname(pkgJson), "bin", process.platform === "win32" ? "anvil.exe" : "anvil");
  if (!existsSync(bin)) throw new AnvilNotFoundError(pkg, `${bin} is missing`);
  return bin;
}

// --- child tracking: kill every anvil we started when this process goes away -------------------

/** every anvil this process started and has not seen exit, with its run-scoped pid file */
const children = new Map<ChildProcess, string | undefined>();
/** each running anvil's own HOME (see startAnvil), removed when it is killed or exits */
const homes = new Map<ChildProcess, string>();
let hooksInstalled = false;

function killAllNow(): void {
  for (const [child, pidFile] of children) {
    try {
      child.kill("SIGKILL");
      forgetPid(pidFile); // SIGKILL cannot be refused: it is gone once the kernel delivers it
      const home = homes.get(child);
      if (home) rmSync(home, { recursive: true, force: true });
    } catch {
      /* already gone */
    }
  }
  children.clear();
}

function onSignal(signal: NodeJS.Signals): void {
  // A program with its own handler for the signal (the devnet, the runtime) stops gracefully:
  // its chains must live until it has finished with them; the `exit` hook kills them after.
  if (process.listenerCount(signal) > 1) return;
  killAllNow();
  // We replaced node's default handler by listening; if nobody else listens, restore the
  // default behaviour (terminate with the signal) so Ctrl-C still stops the program.
  process.removeListener("SIGINT", onSignal);
  process.removeListener("SIGTERM", onSignal);
  if (process.listenerCount(signal) === 0) process.kill(process.pid, signal);
}

// --- run-scoped record of the anvils a test run started ------------------------------------------
// When VIGIL_TEST_PIDS_DIR is set (jest's globalSetup sets it for the run, and child processes
// of tests inherit it), each anvil started here leaves a file `<pid>` there until it has exited.
// The globalTeardown checks exactly those processes, never other anvils on the machine.

/** The kernel's start time of a process (Linux /proc), to tell it from a later one with the same pid. */
export function processStartTime(pid: number): string | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
    return stat.slice(stat.lastIndexOf(")") + 2).split(" ")[19];
  } catch {
    return undefined;
  }
}

function recordPid(pid: number | undefined, args: string[]): string | undefined {
  const dir = process.env.VIGIL_TEST_PIDS_DIR;
  if (!dir || pid === undefined) return undefined;
  const file = join(dir, String(pid));
  try {
    writeFileSync(file, JSON.stringify({ pid, startTime: processStartTime(pid), parent: process.pid, args: args.join(" ") }));
    return file;
  } catch {
    return undefined; // the run's directory is gone (teardown ran): nothing to record into
  }
}

function forgetPid(file: string | undefined): void {
  if (!file) return;
  try {
    unlinkSync(file);
  } catch {
    /* already gone */
  }
}

function installHooks(): void {
  if (hooksInstalled) return;
  hooksInstalled = true;
  process.on("exit", killAllNow);
  process.on("SIGINT", onSignal);
  process.on("SIGTERM", onSignal);
}

/** Keeps the last `max` characters of a stream, for error messages; also drains the pipe. */
class Tail {
  private text = "";
  constructor(private readonly max = 8000) {}
  push(chunk: string): void {
    this.text = (this.text + chunk).slice(-this.max);
  }
  toString(): string {
    return this.text.split("\n").slice(-30).join("\n").trim();
  }
}


// --- start ---------------------------------------------------------------------------------------

/** A bad `startAnvil` option. */
export class AnvilOptionError extends VigilError<"ANVIL_OPTION"> {
  constructor(option: string, value: unknown, fix: string) {
    super("ANVIL_OPTION", `startAnvil: ${option}=${JSON.stringify(value)} is invalid: ${fix}`);
  }
}

function checkInteger(option: string, value: number | undefined, min: number): void {
  if (value !== undefined && (!Number.isSafeInteger(value) || value < min)) {
    throw new AnvilOptionError(option, value, `give an integer >= ${min}`);
  }
}

export async function startAnvil(opts: StartAnvilOptions = {}): Promise<AnvilChain> {
  checkInteger("chainId", opts.chainId, 1);
  checkInteger("blockTime", opts.blockTime, 1);
  checkInteger("timestamp", opts.timestamp, 0);
  checkInteger("accounts", opts.accounts, 1);
  const chainId = opts.chainId ?? 31337;
  const nAccounts = opts.accounts ?? 10;
  const args = ["--port", "0", "--host", "127.0.0.1", "--chain-id", String(chainId), "--accounts", String(nAccounts), "--color", "never"];
  if (opts.blockTime !== undefined) args.push("--block-time", String(opts.blockTime));
  if (opts.timestamp !== undefined) args.push("--timestamp", String(opts.timestamp));
  if (opts.keepStates !== undefined) args.push("--prune-history", String(opts.keepStates));
  args.push(...(opts.extraArgs ?? []));

  const bin = anvilBinaryPath();
  installHooks();
  // anvil keeps the states it pages out of memory under $HOME/.foundry/anvil/tmp and removes them
  // only on a clean exit: a long chain (the bench's workload, the storyline) leaves gigabytes
  // there each time it is killed. Each chain gets a home of its own, removed once anvil is gone.
  const home = mkdtempSync(join(tmpdir(), "vigil-anvil-home-"));
  const child = spawn(bin, args, { stdio: ["ignore", "pipe", "pipe"], env: { ...process.env, HOME: home } });
  const pidFile = recordPid(child.pid, args);
  children.set(child, pidFile);
  homes.set(child, home);
  const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
  exited.then(() => {
    children.delete(child);
    forgetPid(pidFile);
    homes.delete(child);
    rmSync(home, { recursive: true, force: true });
  });

  const output = new Tail();
  const port = await new Promise<number>((resolve, reject) => {
    let buffered = "";
    const timer = setTimeout(() => {
      child.kill("SIGKILL");
      reject(new AnvilStartError(`no "Listening on" line within ${opts.startTimeoutMs ?? 120_000} ms`, output.toString()));
    }, opts.startTimeoutMs ?? 120_000);
    const onData = (chunk: Buffer): void => {
      const s = chunk.toString("utf8");
      output.push(s);
      buffered += s;
      const m = /Listening on [^\s:]+:(\d+)/.exec(buffered);
      if (m) {
        clearTimeout(timer);
        resolve(Number(m[1]));
      }
    };
    child.stdout!.on("data", onData);
    child.stderr!.on("data", (chunk: Buffer) => output.push(chunk.toString("utf8")));
    child.once("error", (err) => {
      clearTimeout(timer);
      reject(new AnvilStartError(`could not run ${bin}: ${err.message}`, output.toString()));
    });
    child.once("exit", (code, signal) => {
      clearTimeout(timer);
      reject(new AnvilStartError(`anvil exited early (code ${code}, signal ${signal})`, output.toString()));
    });
  });
  // anvil logs every RPC call on stdout: keep draining (only the tail is kept) so the pipe never fills.

  const url = `http://127.0.0.1:${port}`;
  const provider = new PaddedGasProvider(url, { chainId, name: `anvil-${chainId}` });
  provider.pollingInterval = 50;
  const accounts: string[] = ((await provider.send("eth_accounts", [])) as string[]).map((a) => ethers.utils.getAddress(a));
  const hd = ethers.utils.HDNode.fromMnemonic(ANVIL_MNEMONIC);

  let stopped: Promise<void> | undefined;
  const send = <T>(method: string, params: unknown[] = []): Promise<T> => provider.send(method, params) as Promise<T>;
  const hex = (v: ethers.BigNumberish): string => ethers.utils.hexValue(ethers.BigNumber.from(v));
  const word = (v: ethers.BigNumberish): string => ethers.utils.hexZeroPad(ethers.BigNumber.from(v).toHexString(), 32);

  const chain: AnvilChain = {
    url,
    chainId,
    pid: child.pid!,
    home,
    provider,
    accounts,
    signer: (i = 0) => {
      if (i < 0 || i >= accounts.length) throw new RangeError(`signer(${i}): anvil has ${accounts.length} dev accounts (0..${accounts.length - 1})`);
      return provider.getSigner(accounts[i]);
    },
    privateKey: (i = 0) => hd.derivePath(`m/44'/60'/0'/0/${i}`).privateKey,
    send,
    transact: async (tx) => {
      const hash = await send<string>("eth_sendTransaction", [tx]);
      for (let i = 0; ; i++) {
        const receipt = await send<{ blockNumber: string; transactionHash: string; status?: string } | null>("eth_getTransactionReceipt", [hash]);
        if (receipt?.blockNumber) return receipt;
        await new Promise((r) => setTimeout(r, Math.min(50, 2 + i * 5))); // the test's own limit ends a hang
      }
    },
    mine: async (n = 1) => {
      await send("anvil_mine", [hex(n)]);
    },
    increaseTime: async (seconds) => {
      await send("evm_increaseTime", [hex(seconds)]);
    },
    setNextBlockTimestamp: async (t) => {
      await send("evm_setNextBlockTimestamp", [hex(t)]);
    },
    timestamp: async () => (await provider.getBlock("latest")).timestamp,
    blockNumber: async () => Number(await send<string>("eth_blockNumber")),
    snapshot: () => send<string>("evm_snapshot"),
    revert: async (id) => {
      const ok = await send<boolean>("evm_revert", [id]);
      resetProviderCaches(provider);
      return ok;
    },
    impersonate: async (address, balanceWei = ethers.utils.parseEther("10")) => {
      await send("anvil_impersonateAccount", [address]);
      const current = await provider.getBalance(address);
      if (current.lt(balanceWei)) await send("anvil_setBalance", [address, hex(balanceWei)]);
      return provider.getSigner(address);
    },
    stopImpersonating: async (address) => {
      await send("anvil_stopImpersonatingAccount", [address]);
    },
    setBalance: async (address, wei) => {
      await send("anvil_setBalance", [address, hex(wei)]);
    },
    setStorageAt: async (address, slot, value) => {
      await send("anvil_setStorageAt", [address, word(slot), word(value)]);
    },
    getStorageAt: (address, slot, blockTag = "latest") => provider.getStorageAt(address, slot, blockTag),
    reorg: async (depth, txs = []) => {
      // anvil 1.x: params are [depth, [[tx, blockOffset], ...]] (a positional pair, not an object).
      await send("anvil_reorg", [depth, txs.map((t) => [t.tx, t.block])]);
      resetProviderCaches(provider);
    },
    stop: () => {
      stopped ??= (async () => {
        provider.polling = false;
        provider.removeAllListeners();
        if (child.exitCode === null && child.signalCode === null) {
          child.kill("SIGTERM");
          const timer = setTimeout(() => child.kill("SIGKILL"), 3000);
          await exited;
          clearTimeout(timer);
        }
        children.delete(child);
      })();
      return stopped;
    },
  };
  return chain;
}
