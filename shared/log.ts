/**
 * Logging: pino, JSON lines on stderr (stdout carries findings), every line passed through
 * `redact` so secrets never reach a log. `LOG_LEVEL` sets the level (default info);
 * `LOG_FORMAT=pretty|json` the shape (default: pretty on a terminal, JSON otherwise).
 */
import pino from "pino";
import { Writable } from "stream";
import { redact } from "./net/secrets";
import { ConfigError } from "./errors";

export type Logger = pino.Logger;

let root: Logger | undefined;

const LEVEL_COLORS: Record<string, string> = { error: "\x1b[31m", warn: "\x1b[33m", info: "\x1b[36m", debug: "\x1b[2m", fatal: "\x1b[41;97m" };

/** An Error as the log formatter writes it (the stack is left to JSON logs). */
function isLoggedError(v: unknown): v is { type: string; message: string } {
  return !!v && typeof v === "object" && typeof (v as { type?: unknown }).type === "string" && typeof (v as { message?: unknown }).message === "string" && "stack" in v;
}

/** One log line for people: `12:00:01 INFO devnet: Maker deployed  chainlog=0x.. contracts=36`. */
export function prettyLogLine(json: string, color: boolean): string {
  let rec: Record<string, unknown>;
  try {
    rec = JSON.parse(json) as Record<string, unknown>;
  } catch {
    return json;
  }
  const { level, time, msg, ...rest } = rec;
  const t = typeof time === "number" ? new Date(time).toISOString().slice(11, 19) : "";
  const lvl = String(level ?? "").toUpperCase();
  const fields = Object.entries(rest)
    .map(([k, v]) => `${k}=${typeof v === "string" ? v : isLoggedError(v) ? `${v.type}: ${v.message}` : JSON.stringify(v)}`)
    .join(" ");
  const head = color ? `${LEVEL_COLORS[String(level)] ?? ""}${lvl}\x1b[0m` : lvl;
  return `${t} ${head} ${String(msg ?? "")}${fields ? `  ${color ? "\x1b[2m" : ""}${fields}${color ? "\x1b[0m" : ""}` : ""}`;
}

function prettyStderr(): pino.DestinationStream {
  const color = process.stderr.isTTY === true;
  return new Writable({
    write(chunk: Buffer, _enc, cb) {
      for (const line of chunk.toString("utf8").split("\n")) if (line) process.stderr.write(prettyLogLine(line, color) + "\n");
      cb();
    },
  });
}

/** Errors anywhere in a log object, as pino's err serializer shows them (type, message, stack, cause, own fields). */
function errorsAsJson(_key: string, value: unknown): unknown {
  return value instanceof Error ? pino.stdSerializers.err(value) : value;
}

/**
 * A log call's arguments with nothing left to print unredacted: an Error given first is logged
 * as `{ err }` with its message (redacted) as the line's message, as pino would do itself; an
 * `{ err }` object without a message gets the error's redacted message; strings and Errors
 * among the format arguments are redacted. (Objects are redacted by the `log` formatter.)
 */
function redactArgs(args: unknown[]): unknown[] {
  const [first, ...rest] = args;
  const text = (a: unknown) => (typeof a === "string" ? redact(a) : a instanceof Error ? redact(a.message) : a);
  if (first instanceof Error) return [{ err: first }, ...(rest.length ? rest.map(text) : [redact(first.message)])];
  if (first && typeof first === "object") {
    const err = (first as { err?: unknown }).err;
    if (rest.length === 0 && err instanceof Error && !("msg" in first)) return [first, redact(err.message)];
    return [first, ...rest.map(text)];
  }
  return args.map(text);
}

export const LOG_LEVELS = ["fatal", "error", "warn", "info", "debug", "trace", "silent"] as const;
export const LOG_FORMATS = ["json", "pretty"] as const;

/**
 * LOG_LEVEL and LOG_FORMAT, checked like every other configuration key: a bad value is a
 * ConfigError naming the key, the value and the choices. Empty or unset: the defaults.
 */
export function logSettings(env: Readonly<Record<string, string | undefined>> = process.env): { level: string; format: "json" | "pretty" | undefined } {
  const level = env.LOG_LEVEL?.trim().toLowerCase() || "info";
  if (!(LOG_LEVELS as readonly string[]).includes(level)) throw new ConfigError("LOG_LEVEL", env.LOG_LEVEL, `use one of ${LOG_LEVELS.join(", ")}`);
  const format = env.LOG_FORMAT?.trim().toLowerCase() || undefined;
  if (format !== undefined && !(LOG_FORMATS as readonly string[]).includes(format)) {
    throw new ConfigError("LOG_FORMAT", env.LOG_FORMAT, `use json or pretty, or leave it unset (pretty on a terminal, json otherwise)`);
  }
  return { level, format: format as "json" | "pretty" | undefined };
}

/** The settings to log with when the configured ones are bad (so the error about them can be logged). */
function safeLogSettings(): ReturnType<typeof logSettings> {
  try {
    return logSettings();
  } catch {
    return { level: "info", format: undefined };
  }
}

export function createLogger(opts: { level?: string; destination?: pino.DestinationStream; format?: "json" | "pretty" } = {}): Logger {
  const settings = safeLogSettings();
  const format = opts.format ?? settings.format ?? (process.stderr.isTTY ? "pretty" : "json");
  return pino(
    {
      level: opts.level ?? settings.level,
      base: undefined,
      formatters: {
        level: (label) => ({ level: label }),
        // pino runs this before its serializers: Errors are turned into JSON here (JSON.stringify
        // alone gives `{}`), then every string in the object is redacted (stack traces included)
        log: (obj) => JSON.parse(redact(JSON.stringify(obj, errorsAsJson))) as Record<string, unknown>,
      },
      hooks: {
        logMethod(args, method) {
          method.apply(this, redactArgs(args) as Parameters<typeof method>);
        },
      },
      // the log formatter above already made every Error plain JSON (pino's default err
      // serializer would take that for an error again and call its type "Object")
      serializers: { err: (value: unknown) => value },
    },
    opts.destination ?? (format === "pretty" ? prettyStderr() : pino.destination({ fd: 2, sync: true })),
  );
}

/** The process-wide logger (stderr). */
export function logger(): Logger {
  root ??= createLogger();
  return root;
}
