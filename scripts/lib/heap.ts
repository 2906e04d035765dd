/**
 * How far V8 lets the heap grow past what a collection left alive, set for every Vigil command
 * process (scripts/lib/options.ts `main`: `npx vigil ...`, `npm start`, `npm run replay` ...).
 *
 * V8 sizes the old generation at (what survived the last full collection) x a factor it picks
 * from the machine: up to 4 when the heap may grow past 2 GB, i.e. on any machine with more than
 * ~8 GB of RAM. The runtime keeps little alive from block to block (~60 MB, most of it code and
 * module tables) but turns over tens of MB of block data per block, so the heap filled with
 * garbage up to ~4x that before each full collection: replaying the 604-block bench workload
 * peaked at 267 MB RSS compiled (345 MB under tsx), whatever was alive. A factor of 2 (100%)
 * keeps the heap at twice the live data (peak 197 MB on the same replay, ~24 full collections
 * instead of 9, each a few ms on this small heap).
 *
 * The flag is read at each collection, so setting it here, after start, takes effect; a
 * `--heap-growing-percent` given on node's command line or in NODE_OPTIONS is left as given.
 */
import { setFlagsFromString } from "v8";

export const HEAP_GROWING_PERCENT = 100;

/** Set V8's heap growing factor unless the user set it; returns whether it was set here. */
export function tuneHeap(execArgv: readonly string[] = process.execArgv, nodeOptions: string = process.env.NODE_OPTIONS ?? ""): boolean {
  if (/--heap[-_]growing[-_]percent/.test([...execArgv, nodeOptions].join(" "))) return false;
  setFlagsFromString(`--heap-growing-percent=${HEAP_GROWING_PERCENT}`);
  return true;
}
