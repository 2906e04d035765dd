/**
 * Stopping a command the way its user expects. The first SIGINT, SIGTERM or SIGHUP asks the
 * command to stop gracefully (the runtime finishes the block in hand, flushes its sinks and
 * saves its cursor, then the command returns and everything it started is stopped on the way
 * out); a second signal, or the grace period running out, ends the process at once with
 * 128 + the signal's number. Child processes (anvil chains) are killed by their owners' `exit`
 * hooks either way (test/chain/anvil.ts).
 */
import type { Logger } from "../../shared/log";

const SIGNALS = ["SIGINT", "SIGTERM", "SIGHUP"] as const;
const NUMBER: Record<(typeof SIGNALS)[number], number> = { SIGHUP: 1, SIGINT: 2, SIGTERM: 15 };

export interface StopOptions {
  log: Logger;
  /** how long a graceful stop may take before the process is ended anyway (default 60 s, env VIGIL_STOP_GRACE_MS) */
  graceMs?: number;
}

/**
 * Call `stop` on the first stop signal; returns a function that removes the handlers (call it
 * once the command is done, so a later signal is not taken for this one).
 */
export function handleStopSignals(stop: (signal: NodeJS.Signals) => void, opts: StopOptions): () => void {
  const grace = opts.graceMs ?? (Number(process.env.VIGIL_STOP_GRACE_MS) > 0 ? Number(process.env.VIGIL_STOP_GRACE_MS) : 60_000);
  let first: NodeJS.Signals | undefined;
  const onSignal = (signal: NodeJS.Signals) => {
    const code = 128 + (NUMBER[signal as (typeof SIGNALS)[number]] ?? 15);
    if (first) {
      opts.log.warn({ signal }, "second stop signal: exiting now");
      process.exit(code);
    }
    first = signal;
    opts.log.info({ signal, graceMs: grace }, "stopping after the block in hand (send the signal again to force)");
    setTimeout(() => {
      opts.log.error({ graceMs: grace }, "graceful stop took too long: exiting now");
      process.exit(code);
    }, grace).unref();
    stop(signal);
  };
  for (const s of SIGNALS) process.on(s, onSignal);
  return () => {
    for (const s of SIGNALS) process.off(s, onSignal);
  };
}
