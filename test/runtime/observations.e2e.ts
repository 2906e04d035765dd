/** ctx.observe through the runtime: stored with the block the bot handled; a disabled bot's reason is kept for the dashboard. */
import { join } from "path";
import { mkdtempSync } from "fs";
import { tmpdir } from "os";
import Database from "better-sqlite3";
import { BotDisabledError, fortaContext, type BotContext } from "../../shared/bot";
import { botsFrom } from "../../shared/runtime/discovery";
import { Runtime } from "../../shared/runtime/runtime";
import { RuntimeStore } from "../../shared/runtime/store";
import { chainWithTraffic, quietLog, rpcFor } from "./helpers";
import type { AnvilChain } from "../chain/anvil";
import { registry } from "../../shared/metrics";

let chain: AnvilChain | undefined;
afterAll(async () => chain?.stop());

test("a bot's observations land in the runtime's store with the block; a bot that is off says why", async () => {
  chain = await chainWithTraffic(6);
  const path = join(mkdtempSync(join(tmpdir(), "vigil-obs-")), "state.sqlite");
  const bots = botsFrom({
    watcher: (ctx: BotContext) => ({
      handleBlock: async (e) => {
        ctx.observe?.("test.block_parity", e.block.number % 2, { kind: "parity" });
        return [];
      },
    }),
    sleeper: () => {
      throw new BotDisabledError("sleeper", "SLEEPER_URL is not set; set it to watch the sleeper");
    },
  });
  const store = new RuntimeStore(path);
  store.observations.intervalS = 0;
  const runtime = new Runtime({ rpc: rpcFor(chain.url), bots, env: {}, store, log: quietLog(), maxBlockAttempts: 8 });
  await runtime.open();
  await runtime.runRange(1, 6);
  await runtime.close();

  const db = new Database(path, { readonly: true });
  const rows = db.prepare("SELECT bot, name, labels, value, block_number AS b FROM observations ORDER BY id").all();
  const meta = db.prepare("SELECT value FROM meta WHERE key = 'bot.disabled.sleeper'").get() as { value: string } | undefined;
  db.close();
  expect(rows).toEqual([1, 2, 3, 4, 5, 6].map((b) => ({ bot: "watcher", name: "test.block_parity", labels: '{"kind":"parity"}', value: b % 2, b })));
  expect(meta?.value).toMatch(/SLEEPER_URL is not set/);
  // the newest value of each series is a Prometheus gauge
  expect(await registry.metrics()).toContain('vigil_observation{bot="watcher",name="test.block_parity",series="kind=parity"} 0');
  // under the Forta CLI there is nothing to collect: bots call ctx.observe?.(...)
  expect(fortaContext("x").observe).toBeUndefined();
});
