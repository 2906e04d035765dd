/**
 * Logging: pino, JSON lines on stderr (stdout carries findings), every line passed through
 * `redact` so secrets never reach a log. `LOG_LEVEL` sets the level (default info).
 */
import pino from "pino";
import { redact } from "./net/secrets";

export type Logger = pino.Logger;

let root: Logger | undefined;

export function createLogger(opts: { level?: string; destination?: pino.DestinationStream } = {}): Logger {
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
          method.apply(
            this,
            args.map((a) => (typeof a === "string" ? redact(a) : a)) as Parameters<typeof method>,
          );
        },
      },
      serializers: { err: pino.stdSerializers.err },
    },
    opts.destination ?? pino.destination({ fd: 2, sync: true }),
  );
}

/** The process-wide logger (stderr). */
export function logger(): Logger {
  root ??= createLogger();
  return root;
}
