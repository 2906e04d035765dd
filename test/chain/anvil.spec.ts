import { spawn } from "node:child_process";
import { existsSync } from "node:fs";
import { join } from "node:path";
import { ethers } from "forta-agent";
import { AnvilOptionError, AnvilStartError, startAnvil, type AnvilChain } from "./anvil";

/** True while a process with this pid exists (signal 0 only checks). */
function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === "EPERM";
  }
}

async function waitUntilDead(pid: number, ms = 60_000): Promise<boolean> {
  const until = Date.now() + ms;
  while (Date.now() < until) {
    if (!alive(pid)) return true;
    await new Promise((r) => setTimeout(r, 50));
  }
  return !alive(pid);
}

describe("startAnvil", () => {
  let chain: AnvilChain;
  beforeAll(async () => {
    chain = await startAnvil({ chainId: 4242, accounts: 3 });
  });
  afterAll(async () => {
    await chain?.stop();
  });

  it("serves the requested chain id and funded accounts on a loopback port", async () => {
    expect(chain.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect((await chain.provider.getNetwork()).chainId).toBe(4242);
    expect(Number(await chain.send<string>("eth_chainId"))).toBe(4242);
    expect(chain.accounts).toHaveLength(3);
    expect((await chain.provider.getBalance(chain.accounts[2])).gt(0)).toBe(true);
    // privateKey(i) belongs to accounts[i]
    expect(new ethers.Wallet(chain.privateKey(1)).address).toBe(ethers.utils.getAddress(chain.accounts[1]));
  });

  it("automines one block per transaction and moves time on request", async () => {
    const before = await chain.blockNumber();
    const tx = await chain.signer(0).sendTransaction({ to: chain.accounts[1], value: 1 });
    const receipt = await tx.wait();
    expect(receipt.blockNumber).toBe(before + 1);

    const t0 = await chain.timestamp();
    await chain.increaseTime(3600);
    await chain.mine();
    expect(await chain.timestamp()).toBeGreaterThanOrEqual(t0 + 3600);

    await chain.setNextBlockTimestamp(t0 + 100_000);
    await chain.mine(3);
    expect(await chain.blockNumber()).toBe(before + 1 + 1 + 3);
    expect(await chain.timestamp()).toBeGreaterThanOrEqual(t0 + 100_000);
  });

  it("reverts to a snapshot, and ethers keeps waiting for receipts correctly afterwards", async () => {
    const id = await chain.snapshot();
    const n = await chain.blockNumber();
    await chain.mine(5);
    // let the provider's polling see the higher head (as it does while any tx.wait() is pending)
    const seen = new Promise<void>((resolve) => {
      const onBlock = (b: number): void => {
        if (b >= n + 5) {
          chain.provider.off("block", onBlock);
          resolve();
        }
      };
      chain.provider.on("block", onBlock);
    });
    await seen;
    expect(await chain.revert(id)).toBe(true);
    expect(await chain.blockNumber()).toBe(n);

    // ethers never lets its block number go down; revert() resets it, so a receipt that is not
    // ready at the first check is still picked up by the provider's polling.
    await chain.send("evm_setAutomine", [false]);
    const tx = await chain.signer(0).sendTransaction({ to: chain.accounts[1], value: 1 });
    const waiting = tx.wait();
    await new Promise((r) => setTimeout(r, 100));
    await chain.send("evm_setAutomine", [true]);
    await chain.mine();
    // the limit only ends a hang; cleared after, so that no timer outlives the test
    let limit: NodeJS.Timeout | undefined;
    const receipt = await Promise.race([waiting, new Promise<null>((r) => (limit = setTimeout(() => r(null), 120_000)))]).finally(() => clearTimeout(limit));
    expect(receipt?.blockNumber).toBe(n + 1);
  });

  it("impersonates any address (funding it for gas) and writes storage", async () => {
    const stranger = "0x00000000000000000000000000000000DeaDBeef";
    const s = await chain.impersonate(stranger);
    const tx = await s.sendTransaction({ to: chain.accounts[0], value: 1 });
    const receipt = await tx.wait();
    expect(receipt.from).toBe(ethers.utils.getAddress(stranger));
    await chain.stopImpersonating(stranger);

    await chain.setStorageAt(stranger, 7, 123456);
    expect(ethers.BigNumber.from(await chain.getStorageAt(stranger, 7)).toNumber()).toBe(123456);
  });

  it("reorgs the last blocks, replacing their transactions", async () => {
    const value = 777;
    const tx = await chain.signer(0).sendTransaction({ to: chain.accounts[1], value });
    const mined = await tx.wait();
    const oldHash = mined.blockHash;
    const head = await chain.blockNumber();

    // A different transaction, signed locally, goes into the replacement block.
    const wallet = new ethers.Wallet(chain.privateKey(2), chain.provider);
    const raw = await wallet.signTransaction({
      to: chain.accounts[0],
      value: 5,
      nonce: await wallet.getTransactionCount(),
      gasLimit: 21000,
      maxFeePerGas: ethers.utils.parseUnits("10", "gwei"),
      maxPriorityFeePerGas: 1,
      chainId: chain.chainId,
      type: 2,
    });
    await chain.reorg(1, [{ tx: raw, block: 0 }]);

    expect(await chain.blockNumber()).toBe(head);
    const replaced = await chain.provider.getBlock(head);
    expect(replaced.hash).not.toBe(oldHash);
    expect(replaced.transactions).toEqual([ethers.utils.keccak256(raw)]);
    // The orphaned transaction is no longer in the old block (reorg() made ethers forget it had seen it mined).
    const again = await chain.provider.getTransactionReceipt(tx.hash);
    expect(again?.blockHash).not.toBe(oldHash);
  });
});

describe("anvil process lifecycle", () => {
  it("pages states out under a home of its own, removed when it stops (a killed long chain left gigabytes in ~/.foundry)", async () => {
    const chain = await startAnvil();
    await chain.provider.send("anvil_mine", ["0x600"]);
    expect(existsSync(join(chain.home, ".foundry", "anvil", "tmp"))).toBe(true);
    await chain.stop();
    expect(existsSync(chain.home)).toBe(false);
  });

  it("stop() resolves only once the anvil process is gone", async () => {
    const chain = await startAnvil();
    expect(alive(chain.pid)).toBe(true);
    await chain.stop();
    expect(alive(chain.pid)).toBe(false);
    await chain.stop(); // idempotent
  });

  it("names a bad option instead of starting anvil", async () => {
    await expect(startAnvil({ chainId: 0 })).rejects.toThrow(AnvilOptionError);
    await expect(startAnvil({ blockTime: 1.5 })).rejects.toThrow(/blockTime=1.5 is invalid/);
  });

  it("reports anvil's own error output when it exits before listening", async () => {
    const err = await startAnvil({ extraArgs: ["--no-such-flag"] }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(AnvilStartError);
    expect((err as Error).message).toMatch(/exited early/);
    expect((err as Error).message).toMatch(/--no-such-flag/);
  });

  // A child node process starts anvil, then goes away in three different ways; anvil must go too.
  // `node --import tsx` (not the tsx CLI, which would put a relaying process in between).
  const root = join(__dirname, "..", "..");
  const script = join(__dirname, "fixtures", "anvil-child.ts");

  async function runChild(how: "exit" | "signal" | "throw"): Promise<{ anvilPid: number; child: ReturnType<typeof spawn> }> {
    const child = spawn(process.execPath, ["--import", "tsx", script, how], { cwd: root, stdio: ["ignore", "pipe", "pipe"] });
    const anvilPid = await new Promise<number>((resolve, reject) => {
      let out = "";
      let err = "";
      child.stdout!.on("data", (d: Buffer) => {
        out += d.toString();
        const m = /^(\d+)\n/.exec(out);
        if (m) resolve(Number(m[1]));
      });
      child.stderr!.on("data", (d: Buffer) => (err += d.toString()));
      // "close": every byte it wrote has been read, so a pid it printed has been seen by now
      child.once("close", () => reject(new Error(`child exited without printing a pid; stderr:\n${err}`)));
    });
    return { anvilPid, child };
  }

  it.each(["exit", "throw"] as const)("kills anvil when the parent process ends by %s", async (how) => {
    const { anvilPid } = await runChild(how);
    expect(await waitUntilDead(anvilPid)).toBe(true);
  });

  it.each(["SIGTERM", "SIGINT"] as const)("kills anvil when the parent receives %s", async (signal) => {
    const { anvilPid, child } = await runChild("signal");
    expect(alive(anvilPid)).toBe(true);
    const exited = new Promise<NodeJS.Signals | null>((r) => child.once("exit", (_code, sig) => r(sig)));
    child.kill(signal);
    // the parent still dies from the signal (our handler re-raises it) ...
    expect(await exited).toBe(signal);
    // ... and took anvil with it
    expect(await waitUntilDead(anvilPid)).toBe(true);
  });
});
