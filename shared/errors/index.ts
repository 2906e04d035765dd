/**
 * The shape every error Vigil raises on purpose takes (after viem's BaseError):
 *   - `code`: stable, safe to match on, one of the codes listed by domain in ./codes.ts (an unknown
 *     code is a type error; a subclass may narrow it: `VigilError<"FIXTURE_MISS">`);
 *   - `shortMessage`: what went wrong, one line (the message a caller passed);
 *   - `details`: structured facts for logs, metrics and the sink (the key, the URL's host, ...);
 *   - `hints`: what to do, one line each; appended to `message` as "(fix: ...)";
 *   - `walk(fn)`: the first error along the cause chain (this one first) that `fn` accepts.
 * `new VigilError(code, message, { cause })` keeps its meaning: without hints, `message` is the
 * message given. `details` and `hints` are set only when given, so logs of other errors stay as
 * they were.
 *
 * Ask the cause chain, do not loop over it: `hasCode(err, "FIXTURE_MISS")` (typed: the error found,
 * narrowed to its code) or `walk(err, (e) => e instanceof X)`.
 */
import type { ErrorCode } from "./codes";

export { ERROR_CODES, domainOf, type CodeOf, type ErrorCode, type ErrorDomain } from "./codes";

export interface VigilErrorOptions {
  cause?: unknown;
  details?: Readonly<Record<string, unknown>>;
  hints?: readonly string[];
}

/** How deep `walk` follows `cause` (a guard against cycles and endless chains). */
export const MAX_CAUSE_DEPTH = 8;

/**
 * The first error along `err`'s cause chain (`err` itself first, then `err.cause`, ...; at most
 * MAX_CAUSE_DEPTH links, each visited once) that `fn` accepts, or undefined. Without `fn`, the
 * innermost cause. Works on any thrown value, not only VigilErrors.
 */
export function walk(err: unknown, fn?: (e: unknown) => boolean): unknown {
  const seen = new Set<unknown>();
  let last: unknown;
  for (let e: unknown = err, i = 0; e && i < MAX_CAUSE_DEPTH && !seen.has(e); e = (e as { cause?: unknown }).cause, i++) {
    seen.add(e);
    if (fn?.(e)) return e;
    last = e;
  }
  return fn ? undefined : last;
}

/** Base class for every error Vigil raises on purpose. The message always says what went wrong and what to do. */
export class VigilError<C extends ErrorCode = ErrorCode> extends Error {
  /** what went wrong, without the hints */
  declare readonly shortMessage: string;
  declare readonly details?: Readonly<Record<string, unknown>>;
  declare readonly hints?: readonly string[];

  constructor(
    readonly code: C,
    message: string,
    options?: VigilErrorOptions,
  ) {
    const hints = options?.hints?.filter((h) => h.length > 0) ?? [];
    super(hints.length ? `${message} (fix: ${hints.join("; ")})` : message, options && "cause" in options ? { cause: options.cause } : undefined);
    this.name = new.target.name;
    Object.defineProperty(this, "shortMessage", { value: message, enumerable: false });
    if (options?.details !== undefined) Object.defineProperty(this, "details", { value: options.details, enumerable: true });
    if (hints.length) Object.defineProperty(this, "hints", { value: hints, enumerable: true });
  }

  /** The first error along this error's cause chain (this one first) that `fn` accepts; see walk(). */
  walk(fn?: (e: unknown) => boolean): unknown {
    return walk(this, fn);
  }
}

/**
 * The first VigilError along `err`'s cause chain (itself first) whose code is one of `codes`,
 * typed by that code; undefined when there is none.
 */
export function hasCode<C extends ErrorCode>(err: unknown, ...codes: readonly C[]): VigilError<C> | undefined {
  return walk(err, (e) => e instanceof VigilError && (codes as readonly string[]).includes(e.code)) as VigilError<C> | undefined;
}

/** Bad configuration: one line naming the key, the bad value and the fix. */
export class ConfigError extends VigilError<"CONFIG"> {
  constructor(
    readonly key: string,
    readonly value: string | undefined,
    fix: string,
  ) {
    super("CONFIG", `configuration ${key}=${value === undefined ? "(unset)" : JSON.stringify(value)} is invalid: ${fix}`);
  }
}

export function errorMessage(err: unknown): string {
  if (err instanceof Error) return err.message;
  return String(err);
}
