/**
 * Which collateral types (ilks) the Vat has. The Vat keeps no list, so the bot assembles one from:
 *
 * 1. the IlkRegistry (`ILK_REGISTRY` in the ChainLog): `list()` when the bot starts (and whenever
 *    the ChainLog points ILK_REGISTRY somewhere else), then its `AddIlk` events;
 * 2. the Vat's own notes: `init(ilk)` (the only way an ilk gets a rate, hence debt) and the ilk
 *    argument of `frob`, `grab`, `fork`, `fold` and `file(ilk, what, data)`, seen in every
 *    transaction from the block the bot starts at;
 * 3. a scan of the Vat's `init` notes with eth_getLogs, run only when the identity shows debt the
 *    known ilks do not explain (debt > vice + sum(Art * rate)): an ilk initialised in the Vat but
 *    never put in the registry would otherwise look like a violation. The first scan covers the
 *    chain from block 0; later ones only the blocks since the last scan.
 *
 * An ilk is never dropped (RemoveIlk in the registry does not remove its debt from the Vat).
 * Names are kept as bytes32 words (lowercase hex), exactly as the Vat is keyed.
 */
import { ILK_REGISTRY_IFACE, NoteDecodeError, VAT_NOTES, decodeNote, noteTopic, type DecodedNote, type LogLike } from "../../../shared/abi";
import type { UndecodableLog } from "../../../shared/logs";

const WORD = /^0x[0-9a-f]{64}$/;

/** topic 0 of the Vat's `init(bytes32)` note */
export const INIT_TOPIC = noteTopic("init(bytes32)");

/** Vat notes whose first argument word is an ilk. */
const ILK_FIRST = new Set(["init", "frob", "grab", "fork", "fold", "slip", "flux"]);

/** The ilk a Vat note names (its first argument word), or null for notes without one. */
export function ilkOfVatNote(note: DecodedNote): string | null {
  const ilkFirst = ILK_FIRST.has(note.name) || note.signature === "file(bytes32,bytes32,uint256)";
  const word = note.rawArgs[0];
  return ilkFirst && word && WORD.test(word) && !/^0x0{64}$/.test(word) ? word : null;
}

const ADD_ILK_TOPIC = ILK_REGISTRY_IFACE.getEventTopic("AddIlk");

/**
 * The ilk of an IlkRegistry `AddIlk(bytes32 ilk)` log. Deployed registries differ: the 2021 mainnet
 * one does not index `ilk` (it is the log's data), the current source indexes it (topics[1]); both
 * are accepted. Returns null for other logs and `{error}` for an AddIlk log of neither shape.
 */
export function addIlkOf(log: LogLike): { ilk: string } | { error: string } | null {
  if (String(log.topics[0] ?? "").toLowerCase() !== ADD_ILK_TOPIC) return null;
  if (log.topics.length === 2 && WORD.test(log.topics[1]!.toLowerCase())) return { ilk: log.topics[1]!.toLowerCase() };
  if (log.topics.length === 1 && /^0x[0-9a-fA-F]{64}$/.test(log.data)) return { ilk: log.data.toLowerCase() };
  return { error: `AddIlk with ${log.topics.length} topics and ${(log.data.length - 2) / 2} data bytes is neither the indexed nor the unindexed layout` };
}

export interface VatNotesOfTx {
  notes: { note: DecodedNote; logIndex: number }[];
  undecodable: UndecodableLog[];
}

/** Decode every note the Vat at `vat` wrote in `logs`; malformed ones are returned as undecodable, not dropped. */
export function vatNotes(logs: readonly (LogLike & { logIndex: number })[], vat: string): VatNotesOfTx {
  const out: VatNotesOfTx = { notes: [], undecodable: [] };
  for (const log of logs) {
    if (String(log.address).toLowerCase() !== vat) continue;
    try {
      const note = decodeNote(log, VAT_NOTES);
      if (note) out.notes.push({ note, logIndex: log.logIndex });
      else if (log.topics.length > 0) {
        out.undecodable.push({ address: vat, logIndex: log.logIndex, signature: "Vat LogNote", error: `topic 0 ${String(log.topics[0]).slice(0, 10)} with ${log.topics.length} topics is not a note of a Vat function` });
      }
    } catch (err) {
      if (!(err instanceof NoteDecodeError)) throw err;
      out.undecodable.push({ address: vat, logIndex: log.logIndex, signature: "Vat LogNote", error: err.message });
    }
  }
  return out;
}
