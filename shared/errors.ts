/**
 * Base class for every error Vigil raises on purpose. The message always says what went wrong
 * and, where there is one, what to do about it. `code` is stable and safe to match on.
 */
export class VigilError extends Error {
  constructor(
    readonly code: string,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = new.target.name;
  }
}

/** Bad configuration: one line naming the key, the bad value and the fix. */
export class ConfigError extends VigilError {
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
