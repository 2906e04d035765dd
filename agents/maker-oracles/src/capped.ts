/**
 * The capped LOCKSTAKE_ORACLE (LockstakeCappedOsmWrapper, ../shared/reference/sky.md 8.5) beyond
 * its own events (cap, readers, wards: events.ts):
 * - every block, whether its cap binds (cap-binding.ts, an episode);
 * - every transaction, the Spotter's `file(ilk, "pip", x)` of the Lockstake ilk
 *   (LOCKSTAKE_ORACLE_ILK, LSEV2-SKY-A) to anything but the ChainLog's LOCKSTAKE_ORACLE (the
 *   ChainLog's edits of the same transaction are applied first, so a spell moving both is quiet).
 */
import type { BlockEvent, Finding, TransactionEvent } from "forta-agent";
import { ethers } from "forta-agent";
import { SPOT_IFACE, SPOT_NOTES, fileChangeOf } from "../../../shared/abi";
import { blockRefOf } from "../../../shared/bot";
import { FindingSeverity, createFinding, logKey } from "../../../shared/findings";
import { attributionMetadata } from "../../../shared/maker/attribution";
import { contract } from "../../../shared/rpc/contract";
import type { LogInput } from "../../../shared/logs";
import type { Watcher } from "../../../shared/watchers";
import { ALERTS } from "./alerts";
import { whoText } from "./attribution";
import { readCapped, readRaw } from "./cap-binding";
import type { Deps } from "./deps";
import { capBinding, classifyPip, type PipKind } from "./detectors";
import { decodeOrReport } from "./notes";
import { KIND_TEXT } from "./oracles";
import { probePip } from "./reads";

/**
 * Start the capped watcher's reads of the block (the same calls `onBlock` makes, which then finds
 * them in the client's cache): called before the block's watchers run, so that these reads go out
 * with the first watchers' reads in one request instead of a round trip of their own after them.
 * Failures are left to `onBlock`'s own reads (a failed call is not cached).
 */
export function readCappedAhead(deps: Deps, blockNumber: number): void {
  const { ctx, book, oracles } = deps;
  const spotter = book.tryGetAddress("MCD_SPOT");
  for (const w of oracles.ofKind("capped", oracles.pips())) readCapped(ctx.rpc, w, spotter, blockNumber).catch(() => undefined);
}

export function cappedWatcher(deps: Deps): Watcher {
  const { ctx, config: cfg, book, oracles, controls, capBinding: check } = deps;
  return {
    name: "capped",
    async onBlock(blockEvent: BlockEvent): Promise<Finding[]> {
      const block = blockRefOf(blockEvent);
      const table = oracles.pips();
      const wrappers = oracles.ofKind("capped", table);
      const spotter = book.tryGetAddress("MCD_SPOT");
      const snaps = await Promise.all(wrappers.map((w) => readCapped(ctx.rpc, w, spotter, block.number)));
      const findings: Finding[] = [];
      for (const [i, w] of wrappers.entries()) {
        const s = snaps[i];
        if (!s) continue; // neither the Spotter nor the wrapper can read a price: nothing to compare
        // the OSM's own prices, for the finding: a second round trip only when the episode opens or escalates
        if (s.readAs === "spotter" && check.moves(w, capBinding(s.cap, s.cur, s.nxt))) Object.assign(s, await readRaw(ctx.rpc, w, block.number));
        findings.push(...check.observe(w, table.get(w)!, s, block, blockEvent.network));
      }
      return findings;
    },

    async onTransaction(tx: TransactionEvent): Promise<Finding[]> {
      const spot = book.tryGetAddress("MCD_SPOT");
      if (!spot) return [];
      const block = blockRefOf(tx);
      const findings: Finding[] = [];
      for (const log of tx.logs as unknown as LogInput[]) {
        if (log.address.toLowerCase() !== spot) continue;
        const note = decodeOrReport(log, SPOT_NOTES, tx, block, findings);
        const fc = note ? fileChangeOf(note) : null;
        if (!note || !fc || fc.what !== "pip" || fc.ilk !== cfg.lockstakeIlk) continue;
        const expected = book.tryGetAddress("LOCKSTAKE_ORACLE") ?? "";
        const pip = fc.value.toLowerCase();
        if (pip === expected) continue;
        const [kind, before, by] = await Promise.all([
          oracles.state.kinds[pip] !== undefined ? Promise.resolve<PipKind>(oracles.state.kinds[pip]!) : probePip(ctx.rpc, pip, block.number).then(classifyPip),
          contract(ctx.rpc, spot, SPOT_IFACE, "MCD_SPOT").read("ilks", [ethers.utils.formatBytes32String(cfg.lockstakeIlk)], block.number - 1).then((r) => String(r[0]).toLowerCase()),
          controls.attribute(spot, ["MCD_SPOT"], "file", log.logIndex, note.caller),
        ]);
        const outsider = by.callerClass === "outsider";
        const capped = kind === "capped";
        findings.push(
          createFinding(ALERTS.cappedPip, {
            description:
              `MCD_SPOT ${spot}: ${cfg.lockstakeIlk} is now priced by ${pip} (${KIND_TEXT[kind]}), not by LOCKSTAKE_ORACLE ${expected || "(not in the ChainLog)"}; was ${before}; by ${whoText(by)}. ` +
              (capped ? "Another capped wrapper, one the ChainLog does not name: its cap and readers are not the ones governance set" : "The cap is gone: a SKY price run-up now becomes borrowing capacity at the next Spotter poke"),
            key: logKey(tx.network, block, tx.hash, log.logIndex),
            block,
            severity: outsider || !capped ? FindingSeverity.Critical : FindingSeverity.High,
            addresses: [spot, pip, ...(expected ? [expected] : []), ...(note.caller ? [note.caller] : [])],
            metadata: {
              spotter: spot,
              ilk: cfg.lockstakeIlk,
              pip,
              pipKind: kind,
              pipIsCapped: capped,
              pipBefore: before,
              expected,
              caller: note.caller ?? "",
              byGovernance: !outsider,
              txFrom: tx.from,
              txHash: tx.hash,
              ...attributionMetadata(by),
            },
          }),
        );
      }
      return findings;
    },
  };
}
