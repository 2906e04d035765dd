/**
 * The watch list follows the ChainLog: UpdateAddress/RemoveAddress of `PIP_*` keys (the new
 * address classified and watched in the same block, the old one forgotten with its episodes
 * closed), and of MCD_PAUSE_PROXY/OSM_MOM (the callers trusted as governance). A PIP this bot
 * cannot watch is said once, never dropped silently; a PIP without code is looked at again
 * (every block's code read, a ChainLog edit naming it, a log it emits) and said when code appears.
 */
import type { BlockEvent, Finding, TransactionEvent } from "forta-agent";
import { blockRefOf } from "../../../shared/bot";
import { createFinding, logKey, type BlockRef } from "../../../shared/findings";
import type { AddressBookChange } from "../../../shared/maker/chainlog";
import { readCode } from "../../../shared/rpc/contract";
import { ALERTS } from "./alerts";
import type { Deps } from "./deps";
import { trustedCallerChange, type PipKind } from "./detectors";
import { KIND_TEXT, isOracleKey } from "./oracles";
import type { Watcher } from "../../../shared/watchers";

export class WatchList {
  constructor(private readonly deps: Deps) {}

  /**
   * PIPs classified "none" (no code when first seen) whose address now has code: classify them
   * again and say what they turned out to be. Watched from the next block.
   */
  async reprobe(addresses: readonly string[], block: BlockRef, chainId: number): Promise<Finding[]> {
    const { oracles } = this.deps;
    const state = oracles.state;
    const todo = addresses.filter((a) => state.kinds[a] === "none");
    if (todo.length === 0) return [];
    for (const a of todo) delete state.kinds[a];
    await oracles.classify(todo, block.number);
    const out: Finding[] = [];
    for (const a of todo) {
      const kind = state.kinds[a]!;
      if (kind === "none") continue; // still no code (a ChainLog edit naming it again): nothing new to say
      const watched = kind !== "unknown";
      if (watched) delete state.announced[a];
      else state.announced[a] = true;
      const keys = oracles.pips().get(a) ?? [];
      out.push(
        createFinding(ALERTS.watch, {
          description: `${oracles.label(a, keys)}, which had no contract code when the bot first saw it, now has some: it is ${KIND_TEXT[kind]}; ${watched ? "watched from now on" : "it cannot be watched"}`,
          key: [chainId, block.hash, a, "watch", "code-appeared"],
          block,
          addresses: [a],
          metadata: { pip: a, keys: keys.join(","), kind, reason: "code-appeared" },
        }),
      );
    }
    return out;
  }

  /** Close the episodes of an oracle that is no longer watched, and forget it. */
  forget(address: string, block: BlockRef, chainId: number, why: string): Finding[] {
    const { oracles, staleness, divergence, noPrice, capBinding } = this.deps;
    const out = [
      ...staleness.forget(address, block, chainId, why),
      ...divergence.forget(address, block, chainId, why),
      ...noPrice.forget(address, block, chainId, why),
      ...capBinding.forget(address, block, chainId, why),
    ];
    const state = oracles.state;
    delete state.osms[address];
    delete state.likes[address];
    delete state.srcOf[address];
    delete state.announced[address];
    return out;
  }

  async onBookChange(c: AddressBookChange, tx: TransactionEvent, block: BlockRef): Promise<Finding[]> {
    if (c.kind === "version") return [];
    const { oracles, controls } = this.deps;
    const state = oracles.state;
    const key = [...logKey(tx.network, block, tx.hash, c.logIndex ?? -1), c.key];
    if (!isOracleKey(c.key)) {
      if (c.key !== "MCD_PAUSE_PROXY" && c.key !== "OSM_MOM") return []; // kept for the attribution only
      return [
        createFinding(ALERTS.watch, {
          description: trustedCallerChange(c.key, c.from, c.to, controls.trusted()),
          key,
          block,
          addresses: [c.from, c.to].filter((x): x is string => !!x),
          metadata: { key: c.key, from: c.from ?? "", to: c.to ?? "", kind: "trusted-caller", txHash: tx.hash },
        }),
      ];
    }
    let kind: PipKind | "" = "";
    if (c.to) {
      if (state.kinds[c.to] === "none") delete state.kinds[c.to]; // no code when last probed: look again
      await oracles.classify([c.to], block.number);
      kind = state.kinds[c.to]!;
    }
    const watched = kind !== "unknown" && kind !== "none";
    if (c.to && !watched) state.announced[c.to] = true;
    const stillNamed = c.from ? oracles.pips().has(c.from) : false;
    const findings = [
      createFinding(ALERTS.watch, {
        description: c.to
          ? `The ChainLog points ${c.key} to ${c.to} (${KIND_TEXT[kind as PipKind]})${c.from ? `, replacing ${c.from}` : ""}: ${watched ? "the bot watches the new address from now on" : "it cannot be watched"}`
          : `The ChainLog removed ${c.key}${c.from ? ` (${c.from})` : ""}: it is no longer watched`,
        key,
        block,
        addresses: [c.from, c.to].filter((x): x is string => !!x),
        metadata: { key: c.key, from: c.from ?? "", to: c.to ?? "", kind, txHash: tx.hash },
      }),
    ];
    if (c.from && !stillNamed) findings.push(...this.forget(c.from, block, tx.network, `the ChainLog moved ${c.key} to ${c.to ?? "nothing"}`));
    return findings;
  }
}

/** Per transaction, first: the ChainLog's edits, then PIPs that logged something and are not classified yet (or had no code). */
export function chainlogWatcher(deps: Deps, list: WatchList): Watcher {
  return {
    name: "chainlog",
    async onTransaction(tx: TransactionEvent): Promise<Finding[]> {
      const block = blockRefOf(tx);
      const findings: Finding[] = [];
      for (const c of deps.book.applyTransaction(tx)) findings.push(...(await list.onBookChange(c, tx, block)));
      const table = deps.oracles.pips();
      const emitters = new Set(tx.logs.map((l) => l.address.toLowerCase()));
      const logged = [...table.keys()].filter((a) => emitters.has(a));
      findings.push(...(await list.reprobe(logged, block, tx.network)));
      await deps.oracles.classify(logged, block.number);
      return findings;
    },
  };
}

/** Per block, last: PIPs that had no code and now have some, and PIPs this bot cannot watch (said once). */
export function coverageWatcher(deps: Deps, list: WatchList): Watcher {
  const { ctx, oracles } = deps;
  return {
    name: "coverage",
    async onBlock(blockEvent: BlockEvent): Promise<Finding[]> {
      const block = blockRefOf(blockEvent);
      const chainId = blockEvent.network;
      const table = oracles.pips();
      const empty = oracles.ofKind("none", table);
      const codes = await Promise.all(empty.map((a) => readCode(ctx.rpc, a, block.number)));
      const findings = await list.reprobe(empty.filter((_, i) => codes[i] !== "0x"), block, chainId);
      for (const [a, keys] of table) {
        const kind = oracles.state.kinds[a];
        if ((kind === "unknown" || kind === "none") && !oracles.state.announced[a]) {
          oracles.state.announced[a] = true;
          findings.push(
            createFinding(ALERTS.watch, {
              description: `${oracles.label(a, keys)} is ${KIND_TEXT[kind!]}: it is not watched`,
              key: [chainId, block.hash, a, "watch", kind!],
              block,
              addresses: [a],
              metadata: { pip: a, keys: keys.join(","), kind, reason: kind },
            }),
          );
        }
      }
      return findings;
    },
  };
}
