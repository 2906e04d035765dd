/**
 * The LogNotes of the watched oracles, in log order: an OSM's (osm-controls.ts), the Median's
 * behind one (median.ts), a fixed-price DSValue's (value.ts). A note with a watched shape that
 * does not decode is reported (VIGIL-UNDECODABLE-LOG), never dropped.
 */
import type { Finding, TransactionEvent } from "forta-agent";
import { MEDIAN_NOTES, NoteDecodeError, OSM_NOTES, decodeNote, selectorOfNoteTopic, type DecodedNote, type NoteSpec } from "../../../shared/abi";
import { blockRefOf } from "../../../shared/bot";
import type { BlockRef } from "../../../shared/findings";
import { undecodableLogFinding, type LogInput } from "../../../shared/logs";
import { DSVALUE_NOTES } from "./abi";
import type { Deps } from "./deps";
import { medianNote } from "./median";
import { osmNote } from "./osm-controls";
import { valueNote } from "./value";
import type { Watcher } from "../../../shared/watchers";

/** Decode a watched note; one that has a watched shape but does not decode is reported (VIGIL-UNDECODABLE-LOG) and null returned. */
export function decodeOrReport(log: LogInput, spec: NoteSpec, tx: TransactionEvent, block: BlockRef, out: Finding[]): DecodedNote | null {
  try {
    return decodeNote(log, spec);
  } catch (err) {
    if (!(err instanceof NoteDecodeError)) throw err;
    const selector = selectorOfNoteTopic(log.topics[0] ?? "") ?? String(log.topics[0] ?? "");
    let signature = selector;
    try {
      signature = spec.iface.getFunction(selector).format();
    } catch {
      /* keep the selector */
    }
    out.push(undecodableLogFinding(tx.network, block, tx.hash, { address: log.address.toLowerCase(), logIndex: log.logIndex, signature: `${spec.contract} note ${signature}`, error: err.message }));
    return null;
  }
}

export function notesWatcher(deps: Deps): Watcher {
  const { oracles } = deps;
  return {
    name: "notes",
    async onTransaction(tx: TransactionEvent): Promise<Finding[]> {
      const block = blockRefOf(tx);
      const findings: Finding[] = [];
      const table = oracles.pips();
      const medians = oracles.medians(table); // median -> every watched OSM reading it
      for (const log of tx.logs as unknown as LogInput[]) {
        const address = log.address.toLowerCase();
        const kind = table.has(address) ? oracles.state.kinds[address] : undefined;
        if (kind === "osm") {
          const note = decodeOrReport(log, OSM_NOTES, tx, block, findings);
          if (note) findings.push(...(await osmNote(deps, note, table.get(address)!, tx, block, log.logIndex, medians)));
        } else if (kind === "value") {
          const note = decodeOrReport(log, DSVALUE_NOTES, tx, block, findings);
          if (note) findings.push(...(await valueNote(deps, note, table.get(address)!, tx, block, log.logIndex)));
        } else if (medians.has(address)) {
          const note = decodeOrReport(log, MEDIAN_NOTES, tx, block, findings);
          if (note) findings.push(...(await medianNote(deps, note, medians.get(address)!, tx, block, log.logIndex)));
        }
      }
      return findings;
    },
  };
}
