/**
 * What the fault suite's parts share (test/faults/suite.ts runs them): options, reports, the world
 * they run on, the bots. Its own module so a part (beacon.ts, kills.ts) needs nothing of suite.ts.
 */
import type { AnvilChain } from "../chain/anvil";
import type { MakerSystem } from "../chain/maker";
import type { EmittedFinding } from "../../shared/runtime/store";

export const MAKER_BOTS = ["maker-auth", "maker-dai-bridge", "maker-emergency", "maker-flash", "maker-governance", "maker-liquidations", "maker-oracles", "maker-psm", "maker-vat"];

export interface SuiteOptions {
  seed: number;
  /** the long version (npm run test:faults): more faults, more kills, more reorgs, more fuzz */
  long: boolean;
  /** progress lines (stderr in the command) */
  say?: (line: string) => void;
  /** parts to run (default all) */
  parts?: readonly Part[];
}

/** The parts, in the order they run (runFaultSuite). */
export const PARTS = ["rpc", "kills", "fuzz", "beacon", "reorgs"] as const;
export type Part = (typeof PARTS)[number];

export interface PartReport {
  part: Part;
  faults: Record<string, number>;
  blocks: number;
  findingsCompared: number;
  mismatches: string[];
}

export interface SuiteReport {
  seed: number;
  parts: PartReport[];
  faults: Record<string, number>;
  blocks: number;
  findingsCompared: number;
  mismatches: string[];
}

export interface World {
  chain: AnvilChain;
  mk: MakerSystem;
  env: Record<string, string>;
  from: number;
  to: number;
  clean: EmittedFinding[];
}
