/**
 * Logging: pino, JSON lines on stderr (stdout carries findings), every line passed through
 * `redact` so secrets never reach a log. `LOG_LEVEL` sets the level (default info);
 * `LOG_FORMAT=pretty|json` the shape (default: pretty on a terminal, JSON otherwise).
 */
import pino from "pino";
import { Writable } from "stream";
import { redact } from "./net/secrets";

export type Logger = pino.Logger;

let root: Logger | undefined;

const LEVEL_COLORS: Record<string, string> = { error: "\x1b[31m", warn: "\x1b[33m", info: "\x1b[36m", debug: "\x1b[2m", fatal: "\x1b[41;97m" };

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
    .map(([k, v]) => `${k}=${typeof v === "string" ? v : JSON.stringify(v)}`)
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

export function createLogger(opts: { level?: string; destination?: pino.DestinationStream; format?: "json" | "pretty" } = {}): Logger {
  const format = opts.format ?? (process.env.LOG_FORMAT === "json" || process.env.LOG_FORMAT === "pretty" ? process.env.LOG_FORMAT : process.stderr.isTTY ? "pretty" : "json");
  return pino(
    {
      level: opts.level ?? process.env.LOG_LEVEL ?? "info",
      base: undefined,
      formatters: {
        level: (label) => ({ level: label }),
        log: (obj) => JSON.parse(redact(JSON.stringify(obj))) as Record<string, unknown>,
      },
      hooks: {
        logMethod(args, method) {
          method.apply(this, args.map((a) => (typeof a === "string" ? redact(a) : a)) as Parameters<typeof method>);
        },
      },
      serializers: { err: pino.stdSerializers.err },
    },
    opts.destination ?? (format === "pretty" ? prettyStderr() : pino.destination({ fd: 2, sync: true })),
  );
}

/** The process-wide logger (stderr). */
export function logger(): Logger {
  root ??= createLogger();
  return root;
}
