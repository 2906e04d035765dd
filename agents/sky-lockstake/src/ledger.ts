/**
 * What the bot follows of Lockstake from its logs (plain JSON, kept in ctx.persistent): urns and
 * their Vat position, the vote delegates the engine stakes in, and the lots of running auctions.
 * `applyEngine` / `applyClip` take decoded logs in order and return the urns whose Vat position
 * must be re-read.
 */
import type { DecodedEvent } from "../../../shared/logs";
import type { UrnPosition } from "./detectors";

export interface Ledger {
  /** urn (lowercase) -> owner, index and its last read Vat position */
  urns: Record<string, UrnPosition & { owner: string; index: string }>;
  /** "owner:index" -> urn */
  byOwner: Record<string, string>;
  /** vote delegates ever selected (the engine's stake is read from each) */
  voteDelegates: Record<string, true>;
  /** auction id -> remaining lot [wad], tab [rad] and urn */
  auctions: Record<string, { lot: string; tab: string; usr: string }>;
  /** last block whose logs are in the ledger (null: nothing scanned yet) */
  scannedTo: number | null;
}

export const emptyLedger = (): Ledger => ({ urns: {}, byOwner: {}, voteDelegates: {}, auctions: {}, scannedTo: null });

const lc = (v: unknown) => String(v).toLowerCase();
const str = (v: unknown) => (v as { toString(): string }).toString();

export function applyEngine(ledger: Ledger, e: DecodedEvent): string[] {
  const urnOf = () => ledger.byOwner[`${lc(e.args.owner)}:${str(e.args.index)}`];
  switch (e.name) {
    case "Open": {
      const urn = lc(e.args.urn);
      ledger.urns[urn] = { owner: lc(e.args.owner), index: str(e.args.index), ink: "0", art: "0" };
      ledger.byOwner[`${lc(e.args.owner)}:${str(e.args.index)}`] = urn;
      return [];
    }
    case "SelectVoteDelegate": {
      const vd = lc(e.args.voteDelegate);
      if (vd !== "0x0000000000000000000000000000000000000000") ledger.voteDelegates[vd] = true;
      return [];
    }
    case "Lock":
    case "Free":
    case "FreeNoFee":
    case "Draw":
    case "Wipe": {
      const urn = urnOf();
      return urn ? [urn] : [];
    }
    case "OnKick":
    case "OnRemove":
      return [lc(e.args.urn)];
    default:
      return [];
  }
}

/** Returns the auction ids that ended with this log. */
export function applyClip(ledger: Ledger, e: DecodedEvent): string[] {
  if (!["Kick", "Redo", "Take", "Yank"].includes(e.name)) return [];
  const id = str(e.args.id);
  switch (e.name) {
    case "Kick":
    case "Redo":
      ledger.auctions[id] = { lot: str(e.args.lot), tab: str(e.args.tab), usr: lc(e.args.usr) };
      return [];
    case "Take": {
      const [lot, tab] = [str(e.args.lot), str(e.args.tab)];
      if (lot === "0" || tab === "0") {
        delete ledger.auctions[id];
        return [id];
      }
      ledger.auctions[id] = { lot, tab, usr: lc(e.args.usr) };
      return [];
    }
    case "Yank":
      delete ledger.auctions[id];
      return [id];
    default:
      return [];
  }
}
