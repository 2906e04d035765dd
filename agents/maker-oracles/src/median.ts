/**
 * The Median behind an OSM, from its LogNotes: price feeds (signers) lifted or dropped, the
 * quorum (bar), admin rights, reader whitelist. A Median read by several watched OSMs names them
 * all. Only a source recognised as a Median (oracles.ts) is decoded as one.
 */
import type { Finding, TransactionEvent } from "forta-agent";
import type { DecodedNote } from "../../../shared/abi";
import { createFinding, logKey, type BlockRef } from "../../../shared/findings";
import { ALERTS } from "./alerts";
import type { Deps } from "./deps";
import { controlSeverity, type ControlAction } from "./detectors";
import { addressArgs } from "./note-args";
import { whitelist } from "./osm-controls";
import { readMedianBar, readMedianFeeds } from "./reads";

export async function medianNote(deps: Deps, note: DecodedNote, readers: readonly string[], tx: TransactionEvent, block: BlockRef, logIndex: number): Promise<Finding[]> {
  const median = note.address;
  // every watched OSM reading this Median, named in one finding (ordered by their ChainLog keys)
  const { ctx, oracles, controls } = deps;
  const table = oracles.pips();
  const osms = [...readers].sort((a, b) => (table.get(a)?.[0] ?? a).localeCompare(table.get(b)?.[0] ?? b));
  const keys = osms.flatMap((o) => table.get(o) ?? []);
  const osm = osms.join(",");
  const chainId = tx.network;
  const key = logKey(chainId, block, tx.hash, logIndex);
  const base = await controls.base("Median", median, keys, note, tx, logIndex);
  const name = `Median ${median} behind ${osms.map((o) => `${(table.get(o) ?? []).join("/")} (OSM ${o})`).join(" and ")}`;
  const n = block.number;
  switch (note.name) {
    case "lift":
    case "drop": {
      let listed = addressArgs(note);
      let added: string[] = [];
      let removed: string[] = [];
      let count = "";
      if (!listed) {
        // 5+ addresses do not fit in the note: compare the feed sets before and after the block
        const [before, after] = await Promise.all([readMedianFeeds(ctx.rpc, median, n - 1), readMedianFeeds(ctx.rpc, median, n)]);
        added = after.filter((a) => !before.includes(a));
        removed = before.filter((a) => !after.includes(a));
        listed = note.name === "lift" ? added : removed;
        count = String(after.length);
      }
      const verb = note.name === "lift" ? "added" : "removed";
      return [
        createFinding(ALERTS.feeds, {
          description: `${name}: ${listed.length} price feed(s) ${verb} by ${base.who}: ${listed.join(", ") || "(none changed)"}${note.name === "lift" ? "; a new feed signs the prices this collateral is valued at" : ""}`,
          key,
          block,
          severity: controlSeverity(note.name, base.byGov),
          addresses: [median, ...osms, note.caller ?? "", ...listed].filter(Boolean),
          metadata: {
            ...base.metadata,
            osm,
            action: note.name,
            feeds: listed.join(","),
            feedCount: listed.length,
            feedsAfter: count,
            fromNote: note.args !== null,
            ...(note.args === null ? { addedInBlock: added.join(","), removedInBlock: removed.join(",") } : {}),
          },
        }),
      ];
    }
    case "setBar": {
      const bar = BigInt(String(note.args?.[0] ?? note.rawArgs[0]));
      const before = await readMedianBar(ctx.rpc, median, n - 1);
      const action: ControlAction = bar < before ? "setBar.lower" : "setBar.raise";
      return [
        createFinding(ALERTS.bar, {
          description: `${name}: quorum (bar) changed from ${before} to ${bar} signatures by ${base.who}${bar < before ? ": fewer feeds are needed to move the price" : ""}`,
          key,
          block,
          severity: controlSeverity(action, base.byGov),
          addresses: [median, ...osms, note.caller ?? ""].filter(Boolean),
          metadata: { ...base.metadata, osm, action: "setBar", barBefore: before, bar },
        }),
      ];
    }
    case "rely":
    case "deny": {
      const usr = addressArgs(note)?.[0] ?? `0x${note.rawArgs[0]!.slice(26)}`;
      return [
        createFinding(ALERTS.rights, {
          description: `${name}: admin rights ${note.name === "rely" ? "granted to" : "revoked from"} ${usr} by ${base.who}`,
          key,
          block,
          severity: controlSeverity(note.name, base.byGov),
          addresses: [median, ...osms, usr, note.caller ?? ""].filter(Boolean),
          metadata: { ...base.metadata, osm, contract: "Median", action: note.name, usr },
        }),
      ];
    }
    case "kiss":
    case "diss":
      return [whitelist(note, "Median", median, keys, base, key, block)];
    default:
      return [];
  }
}
