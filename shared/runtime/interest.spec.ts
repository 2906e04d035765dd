/**
 * A bot's declared interest (Agent.wantsTransaction, shared/interest.ts): the executor skips the
 * handler calls a bot declines, and the check mode (VIGIL_CHECK_INTEREST) catches a declaration
 * that declines a transaction its handler acts on.
 */
import { Finding, FindingSeverity, FindingType, type TransactionEvent } from "forta-agent";
import { CHAINLOG_IFACE, toBytes32 } from "../abi";
import type { Agent, BotContext } from "../bot";
import { touching } from "../interest";
import { createLogger } from "../log";
import { AddressBook, MAINNET_CHAINLOG } from "../maker/chainlog";
import { RpcClient } from "../rpc/client";
import { buildEvents } from "./events";
import { Executor } from "./executor";
import { BotHost } from "./host";

const OURS = "0x00000000000000000000000000000000000000aa";
const OTHER = "0x00000000000000000000000000000000000000bb";
const log = createLogger({ level: "silent" });
const rpc = new RpcClient({ send: async () => Promise.reject(new Error("no node in this test")), describe: () => "none" });

function word(n: number): string {
  return `0x${n.toString(16).padStart(64, "0")}`;
}

/** A block of transactions, the i-th sent to `to[i]` (with a log of `logOf[i]` when given). */
function block(to: string[], logOf: (string | undefined)[] = []) {
  const hash = word(0xb10c);
  const transactions = to.map((t, i) => ({ hash: word(i + 1), from: OTHER, to: t, nonce: "0x0", gas: "0x5208", value: "0x0", input: "0x", transactionIndex: `0x${i.toString(16)}` }));
  const receipts = to.map((_, i) => ({
    transactionHash: word(i + 1),
    logs: logOf[i] ? [{ address: logOf[i], topics: [word(7)], data: "0x", logIndex: "0x0", blockNumber: "0x10", blockHash: hash, transactionIndex: `0x${i.toString(16)}`, transactionHash: word(i + 1), removed: false }] : [],
  }));
  return buildEvents(1, { number: "0x10", hash, parentHash: word(0), timestamp: "0x100", transactions }, receipts);
}

const finding = (tx: TransactionEvent) => Finding.fromObject({ name: "seen", description: tx.hash, alertId: "TEST-SEEN", severity: FindingSeverity.Info, type: FindingType.Info });

/** A bot that reports every transaction sent to OURS, counts its handler calls, and declares `wants`. */
function host(wants: ((tx: TransactionEvent) => boolean) | undefined, opts: { countInState?: boolean; findEverything?: boolean } = {}) {
  const calls: string[] = [];
  const createAgent = (ctx: BotContext): Agent => {
    const st = ctx.persistent("seen", () => ({ n: 0 }));
    return {
      async handleTransaction(tx) {
        calls.push(tx.hash);
        if (opts.countInState) st.n++;
        return opts.findEverything || tx.to === OURS ? [finding(tx)] : [];
      },
      ...(wants ? { wantsTransaction: wants } : {}),
    };
  };
  return { calls, host: BotHost.create({ name: "test-bot", dir: "", module: { createAgent } }, { rpc, env: {}, log }, 0) };
}

describe("Agent.wantsTransaction in the executor", () => {
  const events = block([OURS, OTHER, OTHER, OURS]);

  it("skips the handler calls a bot declines, with the same findings", async () => {
    const declared = host(touching(new Set([OURS])));
    const undeclared = host(undefined);
    const run = (h: BotHost) => new Executor(1, 60_000, log, undefined, false).runBlock([h], events);
    const [a, b] = [await run(declared.host), await run(undeclared.host)];
    expect(declared.calls).toEqual([word(1), word(4)]);
    expect(undeclared.calls).toHaveLength(4);
    expect(a.findings).toEqual(b.findings);
    expect(a.findings.map((f) => f.txHash)).toEqual([word(1), word(4)]);
    expect(a.fatalError).toBeUndefined();
  });

  it("a declined call counts as a success of its kind (a failure episode resolves in a block the bot has no interest in)", async () => {
    const declined = host(() => false);
    const r = await new Executor(1, 60_000, log, undefined, false).runBlock([declined.host], events);
    expect(declined.calls).toEqual([]);
    expect(r.outcomes).toEqual([{ bot: "test-bot", handler: "handleTransaction", ok: true }]);
  });

  it("check mode runs the declined calls and passes when they did nothing", async () => {
    const declared = host(touching(new Set([OURS])));
    const r = await new Executor(1, 60_000, log, undefined, true).runBlock([declared.host], events);
    expect(declared.calls).toHaveLength(4);
    expect(r.fatalError).toBeUndefined();
    expect(r.findings.map((f) => f.txHash)).toEqual([word(1), word(4)]);
  });

  it("check mode stops the run naming the bot and transaction when a declined call returned a finding", async () => {
    const wrong = host(touching(new Set([OURS])), { findEverything: true });
    const r = await new Executor(1, 60_000, log, undefined, true).runBlock([wrong.host], events);
    expect(r.fatalError).toMatchObject({ code: "INTEREST_MISMATCH" });
    expect(String((r.fatalError as Error).message)).toMatch(new RegExp(`bot test-bot: wantsTransaction said no to tx ${word(2)}, yet its handleTransaction returned 1 finding\\(s\\): TEST-SEEN`));
  });

  it("check mode stops the run when a declined call changed the bot's persistent state", async () => {
    const wrong = host(touching(new Set([OURS])), { countInState: true });
    const r = await new Executor(1, 60_000, log, undefined, true).runBlock([wrong.host], events);
    expect((r.fatalError as Error).message).toMatch(new RegExp(`tx ${word(2)}, yet its handleTransaction changed its persistent state`));
  });

  it("a declaration that throws is logged and the handler runs", async () => {
    const broken = host(() => {
      throw new Error("bug");
    });
    const r = await new Executor(1, 60_000, log, undefined, false).runBlock([broken.host], events);
    expect(broken.calls).toHaveLength(4);
    expect(r.findings).toHaveLength(2);
  });
});

describe("touching", () => {
  it("wants a transaction sent to, or logging from, an address of its sources", () => {
    const [toOurs, toOther, logOfOurs] = block([OURS, OTHER, OTHER], [undefined, undefined, OURS]).transactions;
    const wants = touching(new Set([OURS]));
    expect([toOurs, toOther, logOfOurs].map((t) => wants(t!))).toEqual([true, false, true]);
    expect(touching((a) => a === OTHER)(toOther!)).toBe(true);
  });

  it("follows the ChainLog: its own address counts, and an address filed by UpdateAddress counts from then on", () => {
    const book = AddressBook.attach({ ...AddressBook.emptyState(MAINNET_CHAINLOG), block: 100, entries: { MCD_VAT: OTHER } }, MAINNET_CHAINLOG);
    const wants = touching(book);
    const [toVat, toNew, toChainlog] = block([OTHER, OURS, MAINNET_CHAINLOG]).transactions;
    expect([toVat, toNew, toChainlog].map((t) => wants(t!))).toEqual([true, false, true]);
    const { data, topics } = CHAINLOG_IFACE.encodeEventLog(CHAINLOG_IFACE.getEvent("UpdateAddress"), [toBytes32("PIP_NEW"), OURS]);
    book.apply({ address: MAINNET_CHAINLOG, topics, data, blockNumber: 101 });
    expect(wants(toNew!)).toBe(true);
  });
});
