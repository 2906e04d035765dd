/**
 * The check behind `Agent.wantsTransaction` (shared/interest.ts): with VIGIL_CHECK_INTEREST=1 the
 * executor still runs a handler the bot said it did not want, and this module judges the call:
 * it must have returned no finding, changed none of the bot's persistent state (compared as the
 * JSON the runtime checkpoints) and observed nothing. Otherwise the run stops with
 * InterestMismatchError, so a wrong declaration cannot hide findings. Costs a state
 * serialisation per skipped call: for tests and audits, not for production.
 */
import type { Finding, TransactionEvent } from "forta-agent";
import { VigilError, errorMessage } from "../errors";
import type { BotHost } from "./host";

/** Whether the check is on (the environment variable; the test suite's setup turns it on). */
export function interestCheckFromEnv(env: NodeJS.ProcessEnv = process.env): boolean {
  const v = env.VIGIL_CHECK_INTEREST;
  return v !== undefined && v !== "" && v !== "0" && v !== "false";
}

export class InterestMismatchError extends VigilError<"INTEREST_MISMATCH"> {
  constructor(bot: string, txHash: string, what: string) {
    super(
      "INTEREST_MISMATCH",
      `bot ${bot}: wantsTransaction said no to tx ${txHash}, yet its handleTransaction ${what}; ` +
        "the bot's wantsTransaction must say yes to every transaction its handler acts on (VIGIL_CHECK_INTEREST=1 runs skipped handlers to find this)",
    );
  }
}

/** What a skipped call must leave as it found it. */
export interface InterestBefore {
  state: string;
  observations: number;
}

function stateText(host: BotHost): string {
  try {
    return host.state.serialize();
  } catch (err) {
    return `(state not serialisable: ${errorMessage(err)})`;
  }
}

export function interestBefore(host: BotHost): InterestBefore {
  return { state: stateText(host), observations: host.observations.size };
}

/** The error for a skipped call that acted after all, or undefined when it did nothing. */
export function interestMismatch(host: BotHost, tx: TransactionEvent, result: unknown, before: InterestBefore): InterestMismatchError | undefined {
  if (Array.isArray(result) && result.length > 0) {
    const ids = (result as Finding[]).map((f) => f?.alertId).join(", ");
    return new InterestMismatchError(host.name, tx.hash, `returned ${result.length} finding(s): ${ids}`);
  }
  if (host.observations.size !== before.observations) return new InterestMismatchError(host.name, tx.hash, "reported an observation (ctx.observe)");
  const after = stateText(host);
  if (after !== before.state) return new InterestMismatchError(host.name, tx.hash, `changed its persistent state (${firstDifference(before.state, after)})`);
  return undefined;
}

/** Where two JSON texts part, shortly: enough to find the field. */
function firstDifference(a: string, b: string): string {
  let i = 0;
  while (i < a.length && i < b.length && a[i] === b[i]) i++;
  const from = Math.max(0, i - 60);
  return `before …${a.slice(from, i + 60)}… after …${b.slice(from, i + 60)}…`;
}
