/** What a LogNote's arguments carry. */
import type { DecodedNote } from "../../../shared/abi";

/** The addresses a note's first argument carries (one, or an array), or null when the note cannot carry them. */
export const addressArgs = (note: DecodedNote): string[] | null => {
  if (!note.args) return null;
  const v = note.args[0] as unknown;
  return (Array.isArray(v) ? v : [v]).map((x) => String(x).toLowerCase());
};
