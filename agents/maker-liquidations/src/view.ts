/**
 * One transaction as maker-liquidations' watchers see it: the Dog's, the Clippers' and the Cat's
 * logs decoded once, so no two watchers decode (or report undecodable) the same log. The Clippers
 * a Bark or `Dog.file(ilk, "clip", ...)` names are learnt before the Clippers' logs are decoded
 * (a Bark kicks its auction in the same transaction).
 */
import type { Finding, TransactionEvent } from "forta-agent";
import { CAT_IFACE, CAT_NOTES, CLIP_IFACE, DOG_IFACE, NoteDecodeError, decodeNote, fileChangeOf, fromBytes32 } from "../../../shared/abi";
import { blockRefOf } from "../../../shared/bot";
import { decodeEvents, undecodableLogFinding } from "../../../shared/logs";
import type { ClipRegistry } from "./clips";
import type { LiqDeps, LiqTx } from "./model";

/** The transaction's view, and the findings for logs of the bot's contracts that do not decode. */
export async function viewOf(tx: TransactionEvent, { book, state, callers }: LiqDeps, clips: ClipRegistry): Promise<{ view: LiqTx; undecodable: Finding[] }> {
  const block = blockRefOf(tx);
  const n = block.number;
  book.applyTransaction(tx);
  const who = callers.observe(tx);
  // new ChainLog clippers (and, should a runtime call this before the block handler, the first ones)
  await clips.registerChainlog(n);
  const dog = book.tryGetAddress("MCD_DOG");
  const cat = book.tryGetAddress("MCD_CAT");
  const undecodable: Finding[] = [];
  const bad = (u: Parameters<typeof undecodableLogFinding>[3]) => undecodable.push(undecodableLogFinding(tx.network, block, tx.hash, u));

  const dogLogs = dog ? decodeEvents(tx.logs, DOG_IFACE, dog) : { events: [], undecodable: [] };
  dogLogs.undecodable.forEach(bad);
  for (const e of dogLogs.events) {
    if (e.name === "Bark") await clips.register(String(e.args.clip).toLowerCase(), n, "Dog.bark");
    if (e.name === "File" && e.signature.startsWith("File(bytes32,bytes32") && fromBytes32(String(e.args.what)) === "clip") {
      await clips.register(String(e.args[e.args.length - 1]).toLowerCase(), n, "Dog.file");
    }
  }

  const known = Object.keys(state.clips);
  const clipLogs = known.length ? decodeEvents(tx.logs, CLIP_IFACE, known) : { events: [], undecodable: [] };
  clipLogs.undecodable.forEach(bad);

  const catLogs = cat ? decodeEvents(tx.logs, CAT_IFACE, cat, ["Bite"]) : { events: [], undecodable: [] };
  catLogs.undecodable.forEach(bad);
  const catFiles: LiqTx["catFiles"] = [];
  for (const log of cat ? tx.logs : []) {
    if (log.address.toLowerCase() !== cat) continue;
    try {
      const note = decodeNote(log, CAT_NOTES);
      const change = note && note.name === "file" ? fileChangeOf(note) : null;
      if (change) catFiles.push({ what: change.what, ilk: change.ilk, value: change.value, isAddress: change.valueType === "address", logIndex: log.logIndex, caller: note!.caller });
    } catch (err) {
      if (!(err instanceof NoteDecodeError)) throw err;
      bad({ address: cat!, logIndex: log.logIndex, signature: "Cat LogNote", error: err.message });
    }
  }
  return { view: { tx, block, who, dog, cat, dogEvents: dogLogs.events, clipEvents: clipLogs.events, catEvents: catLogs.events, catFiles }, undecodable };
}
