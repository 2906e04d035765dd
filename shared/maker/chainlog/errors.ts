/**
 * The ChainLog's errors: a ChainLog that cannot be used (or saved state that cannot be restored),
 * and a key the ChainLog does not hold.
 */
import { VigilError } from "../../errors";

/** The ChainLog address is wrong or unusable (no code, not a ChainLog), or saved state is invalid. */
export class ChainlogError extends VigilError<"CHAINLOG"> {
  constructor(message: string, options?: { cause?: unknown }) {
    super("CHAINLOG", message, options);
  }
}

/** A key the ChainLog does not hold (or holds with the zero address). */
export class UnknownChainlogKeyError extends VigilError<"CHAINLOG_UNKNOWN_KEY"> {
  constructor(readonly key: string, message: string) {
    super("CHAINLOG_UNKNOWN_KEY", message);
  }
}
