/**
 * One concern of a bot behind one small interface (docs/design.md, "The bot-folder template"):
 * a watcher is built from what every concern needs and handles only what it asks for; agent.ts
 * builds the watchers, calls them in a fixed order and concatenates their findings.
 *
 * Generic on purpose (nothing here knows about oracles): it moves to shared/ once a second bot
 * (maker-governance, maker-vat, maker-liquidations are being split the same way) needs it.
 */
import type { BlockEvent, Finding, TransactionEvent } from "forta-agent";
import type { BotContext } from "../../../shared/bot";

export interface Watcher {
  /** a name for logs and errors */
  readonly name: string;
  initialize?(): Promise<void>;
  onBlock?(block: BlockEvent): Promise<Finding[]>;
  onTransaction?(tx: TransactionEvent): Promise<Finding[]>;
}

/** What every watcher of a bot is built from: `ctx`, the bot's config, its address book and whatever else the bot shares (`D`). */
export type WatcherDeps<Config, Book, D extends object = object> = { ctx: BotContext; config: Config; book: Book } & D;

export type WatcherFactory<Deps> = (deps: Deps) => Watcher;

/** Run one handler of every watcher that has it, in the given order, and concatenate their findings. */
export async function runInOrder<E>(watchers: readonly Watcher[], pick: (w: Watcher) => ((e: E) => Promise<Finding[]>) | undefined, event: E): Promise<Finding[]> {
  const out: Finding[] = [];
  for (const w of watchers) {
    const handler = pick(w);
    if (handler) out.push(...(await handler.call(w, event)));
  }
  return out;
}

/** The Agent handlers over a list of watchers (initialize in order, then blocks and transactions fanned out in order). */
export function assemble(watchers: readonly Watcher[], before?: { initialize?: () => Promise<void> }) {
  return {
    async initialize(): Promise<void> {
      await before?.initialize?.();
      for (const w of watchers) await w.initialize?.();
    },
    handleBlock: (block: BlockEvent) => runInOrder(watchers, (w) => w.onBlock, block),
    handleTransaction: (tx: TransactionEvent) => runInOrder(watchers, (w) => w.onTransaction, tx),
  };
}
