/**
 * An OSM's controls, from its LogNotes (the caller is logged): the price source swapped
 * (`change`: what the new source reads, whatever kind it is), stop, start, void, admin rights,
 * reader whitelist. Pokes are seen in state (osm-state.ts).
 */
import type { Finding, TransactionEvent } from "forta-agent";
import { decodeMedianValAge, decodeOsmSrcHopZzz, type DecodedNote } from "../../../shared/abi";
import { createFinding, logKey, type BlockRef } from "../../../shared/findings";
import { formatAmount, formatPercent, fromWad } from "../../../shared/math";
import { ALERTS } from "./alerts";
import type { ControlBase } from "./attribution";
import type { Deps } from "./deps";
import { controlSeverity, isScribe, relative, sourceKindOf, type ControlAction } from "./detectors";
import { addressArgs } from "./note-args";
import { peekSourceAs, probeSource, readOsmControlWords, readOsmFeeds } from "./reads";

export async function osmNote(
  deps: Deps,
  note: DecodedNote,
  keys: readonly string[],
  tx: TransactionEvent,
  block: BlockRef,
  logIndex: number,
  medians: Map<string, string[]>,
): Promise<Finding[]> {
  const osm = note.address;
  const chainId = tx.network;
  const key = logKey(chainId, block, tx.hash, logIndex);
  const { ctx, oracles, controls } = deps;
  const state = oracles.state;
  const base = await controls.base("OSM", osm, keys, note, tx, logIndex);
  const name = `${keys.join("/")} (OSM ${osm})`;
  const control = (action: ControlAction, spec: (typeof ALERTS)[keyof typeof ALERTS], description: string, extra: Record<string, string | number | boolean> = {}, addresses: string[] = []) =>
    createFinding(spec, {
      description,
      key,
      block,
      severity: controlSeverity(action, base.byGov),
      addresses: [osm, note.caller ?? "", ...addresses].filter(Boolean),
      metadata: { ...base.metadata, action, ...extra },
    });
  switch (note.name) {
    case "change": {
      const to = String(note.args?.[0] ?? `0x${note.rawArgs[0]!.slice(26)}`).toLowerCase();
      const n = block.number;
      const [beforeWord, feeds, probe, peek] = await Promise.all([
        readOsmControlWords(ctx.rpc, osm, n - 1),
        readOsmFeeds(ctx.rpc, osm, n),
        probeSource(ctx.rpc, to, n),
        peekSourceAs(ctx.rpc, to, osm, n),
      ]);
      const from = decodeOsmSrcHopZzz(beforeWord[1]).src;
      const toKind = sourceKindOf(probe);
      const toIsMedian = toKind === "median";
      state.sources[to] ??= toIsMedian;
      (state.sourceKinds ??= {})[to] ??= toKind;
      if (toIsMedian && !medians.get(to)?.includes(osm)) medians.set(to, [...(medians.get(to) ?? []), osm]);
      // a Median's price from storage (whatever its whitelist); any other source through peek(), as the OSM reads it
      const newVal = toIsMedian ? decodeMedianValAge(probe.slot1).val : peek.ok && peek.has ? peek.val : null;
      const gap = newVal !== null && feeds.cur.has ? relative(feeds.cur.val, newVal) : null;
      const notMedian = toIsMedian ? "" : isScribe(toKind) ? ` (a Chronicle ${toKind === "scribe" ? "Scribe" : "ScribeOptimistic"}, not a Median)` : " (not a Median: divergence is not checked while it is the source)";
      const priceText =
        newVal !== null
          ? `; the new source${notMedian} reads ${formatAmount(fromWad(newVal.toString()), 4)}${gap ? ` (${formatPercent(gap)} from the OSM's current price)` : ""} and will be queued at the next poke`
          : peek.ok
            ? `; the new source${notMedian} reports no valid price (peek: has = false): pokes leave the OSM's prices as they are`
            : `; the new source${notMedian} gives no price: ${peek.error}; pokes will fail`;
      return [
        control(
          "change",
          ALERTS.source,
          `${name}: price source changed from ${from} to ${to} by ${base.who}${priceText}`,
          {
            from,
            to,
            newSourceIsMedian: toIsMedian,
            newSourcePriceRaw: newVal?.toString() ?? "",
            newSourcePrice: newVal !== null ? fromWad(newVal.toString()).toFixed() : "",
            newSourceGap: gap?.toFixed(6) ?? "",
            newSourcePriceValid: newVal !== null,
            newSourceReadError: toIsMedian || peek.ok ? "" : peek.error,
            ...(isScribe(toKind) ? { newSourceKind: toKind } : {}),
          },
          [from, to],
        ),
      ];
    }
    case "stop":
      return [control("stop", ALERTS.stop, `${name} was stopped by ${base.who}: its price is frozen (no pokes) until it is started again`)];
    case "start":
      return [control("start", ALERTS.start, `${name} was started by ${base.who}: pokes can move its price again`)];
    case "void": {
      const rec = state.osms[osm];
      if (rec) rec.dirty = true;
      return [control("void", ALERTS.void, `${name} was voided by ${base.who}: its current and queued prices are cleared and it is stopped; collateral priced by it cannot be revalued or liquidated at a new price`)];
    }
    case "rely":
    case "deny": {
      const usr = addressArgs(note)?.[0] ?? `0x${note.rawArgs[0]!.slice(26)}`;
      return [
        control(
          note.name,
          ALERTS.rights,
          `${name}: admin rights ${note.name === "rely" ? "granted to" : "revoked from"} ${usr} by ${base.who}`,
          { contract: "OSM", usr },
          [usr],
        ),
      ];
    }
    case "kiss":
    case "diss":
      return [whitelist(note, "OSM", osm, keys, base, key, block)];
    default:
      return []; // poke: the state checks of handleBlock see its effects
  }
}

export function whitelist(
  note: DecodedNote,
  contractName: "OSM" | "Median",
  address: string,
  keys: readonly string[],
  base: ControlBase,
  key: (string | number)[],
  block: BlockRef,
): Finding {
  const readers = addressArgs(note);
  const action = note.name as "kiss" | "diss";
  const list = readers ? readers.join(", ") : `(more addresses than a note carries; see transaction ${key[2]})`;
  return createFinding(ALERTS.whitelist, {
    description: `${contractName} ${address} (${keys.join("/")}): ${action === "kiss" ? "may now be read by" : "may no longer be read by"} ${list}; by ${base.who}${action === "diss" ? " (a dissed Spotter or Clipper can no longer price this collateral)" : ""}`,
    key,
    block,
    severity: controlSeverity(action, base.byGov),
    addresses: [address, note.caller ?? "", ...(readers ?? [])].filter(Boolean),
    metadata: { ...base.metadata, contract: contractName, action, readers: readers?.join(",") ?? "" },
  });
}
