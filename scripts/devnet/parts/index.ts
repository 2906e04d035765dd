/**
 * The parts of the devnet world beyond l1 + Maker, started in this order. Each part lives in
 * its own file, exports a `DevnetPart`, and keeps its handles in `world.parts[<name>]` (with a
 * typed accessor exported from its file, e.g. `beaconOf(world)`), so that adding a part touches
 * only this list.
 */
import { beaconPart } from "../../../test/beacon/devnet";
import type { DevnetPart } from "../types";
import { l2Part } from "./l2";
import { lockstakePart } from "./lockstake";
import { makerGovernancePart } from "./maker-governance";
import { skyPart } from "./sky";
import { chroniclePart } from "./chronicle";
import { skyBurnPart } from "./sky-burn";
import { skyBridgesPart } from "./sky-bridges";
import { skyAllocatorsPart } from "./sky-allocators";

// lockstake before chronicle: the Lockstake ilk's capped wrapper is LOCKSTAKE_ORACLE (chronicle keeps it)
export const DEVNET_PARTS: DevnetPart[] = [beaconPart, makerGovernancePart, l2Part, skyPart, lockstakePart, chroniclePart, skyBurnPart, skyBridgesPart, skyAllocatorsPart];
