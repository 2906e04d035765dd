/**
 * What a transaction did to the chief, whichever chief it is:
 * - ds-chief 1.2 shape (MCD_ADM until 2025, MCD_ADM_LEGACY since; our test deployment): ds-note
 *   LogNotes on launch/lock/free/etch/vote/lift carrying the caller and the whole calldata;
 * - the 2025 SKY chief (makerdao/chief `src/Chief.sol`, MCD_ADM): named events. Both versions of
 *   its events are read: `Lock(address indexed usr, uint256 wad)` / `Vote(address indexed usr,
 *   bytes32 indexed slate)` and the earlier `Lock(uint256)` / `Vote(bytes32 indexed)` without the
 *   caller. `Lift(address indexed whom)` does not log the caller either.
 * The test deployment only has the first; the second is covered by unit tests of this module.
 */
import { ethers } from "forta-agent";
import { DS_CHIEF_NOTES } from "../../../shared/abi";
import { decodeEvents, type LogInput, type UndecodableLog } from "../../../shared/logs";
import { readNotes } from "../../../shared/maker/tx";

export const SKY_CHIEF_EVENTS = {
  Launch: "event Launch()",
  Lock: "event Lock(address indexed usr, uint256 wad)",
  Free: "event Free(address indexed usr, uint256 wad)",
  Etch: "event Etch(bytes32 indexed slate, address[] yays)",
  Vote: "event Vote(address indexed usr, bytes32 indexed slate)",
  Lift: "event Lift(address indexed whom)",
  LockWad: "event Lock(uint256 wad)",
  FreeWad: "event Free(uint256 wad)",
  VoteSlate: "event Vote(bytes32 indexed slate)",
} as const;

export const SKY_CHIEF_IFACE = new ethers.utils.Interface(Object.values(SKY_CHIEF_EVENTS));

export type ChiefActionKind = "launch" | "lock" | "free" | "etch" | "vote" | "lift";

export interface ChiefAction {
  kind: ChiefActionKind;
  logIndex: number;
  /** msg.sender of the call when the chief logs it (ds-note, SKY chief Lock/Free/Vote), else null */
  caller: string | null;
  /** lift: the new hat */
  whom?: string;
  /** lock/free: amount (raw wad, decimal string) */
  wad?: string;
  style: "ds-note" | "event";
}

const KINDS = new Set<string>(["launch", "lock", "free", "etch", "vote", "lift"]);

/** The chief's actions in a transaction's logs, in log order, and the logs that should have been but do not decode. */
export function chiefActions(logs: readonly LogInput[], chief: string): { actions: ChiefAction[]; undecodable: UndecodableLog[] } {
  const actions: ChiefAction[] = [];
  const notes = readNotes(logs, DS_CHIEF_NOTES, chief);
  for (const n of notes.notes) {
    if (!KINDS.has(n.name)) continue;
    const a: ChiefAction = { kind: n.name as ChiefActionKind, logIndex: n.logIndex, caller: n.caller, style: "ds-note" };
    if (n.name === "lift") a.whom = String(n.args!.whom).toLowerCase();
    if (n.name === "lock" || n.name === "free") a.wad = (n.args!.wad as ethers.BigNumber).toString();
    actions.push(a);
  }
  const events = decodeEvents(logs, SKY_CHIEF_IFACE, chief);
  for (const e of events.events) {
    const kind = e.name.toLowerCase();
    if (!KINDS.has(kind)) continue;
    const a: ChiefAction = { kind: kind as ChiefActionKind, logIndex: e.logIndex, caller: null, style: "event" };
    if ("usr" in e.args && typeof e.args.usr === "string") a.caller = e.args.usr.toLowerCase();
    if (kind === "lift") a.whom = String(e.args.whom).toLowerCase();
    if (kind === "lock" || kind === "free") a.wad = (e.args.wad as ethers.BigNumber).toString();
    actions.push(a);
  }
  actions.sort((x, y) => x.logIndex - y.logIndex);
  return { actions, undecodable: [...notes.undecodable, ...events.undecodable].sort((x, y) => x.logIndex - y.logIndex) };
}
