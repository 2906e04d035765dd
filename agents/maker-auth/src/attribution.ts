/**
 * Did governance make this change? Every core contract's admin is the pause proxy
 * (MCD_PAUSE_PROXY), and the proxy acts only when the pause (MCD_PAUSE) executes a plan that the
 * chief's hat scheduled at least `delay` earlier: `DSPause.exec -> DSPauseProxy.exec ->
 * delegatecall(plan)`. So a change is "governance" when the pause proxy made it, and "outside
 * governance" otherwise. How we know who made it, without traces or calls:
 *
 * 1. The log names the caller (LibNote, ds-note): the caller is the pause proxy, or it is not.
 *    A call from the proxy sits inside a plan execution: the pause's `exec` ds-note is written
 *    after the plan ran, so the plan is the first exec note after the change in the same
 *    transaction. The proxy acting with no exec of MCD_PAUSE in the transaction means something
 *    else drives it (outside governance).
 * 2. The log does not name the caller (the Vat's note, named Rely/Deny, ds-auth events): the
 *    change counts as governance only if it lies inside a plan execution we can vouch for: an exec
 *    note of MCD_PAUSE follows it in the transaction, and the transaction's top-level call is the
 *    pause itself, or the contract that called `exec`, provided that contract is the spell that
 *    scheduled the plan (recorded from its plot) or a known spell. Everything a transaction logs
 *    happens inside its top-level call, so when that call is `pause.exec` or a known spell's
 *    `cast()`, no other code ran in the transaction.
 *
 * Limits: a plan may itself call a contract that changes rights (it is then governance, as it
 * should be). An attacker who holds a ward key and calls `rely` and then `pause.exec(ripe plan)`
 * from their own contract (or from an EIP-7702 account) does not pass rule 2: the top-level call
 * is their contract, which neither scheduled the plan nor is a known spell. A plan scheduled
 * before the bot started and cast by a contract that is not a known spell cannot be vouched for:
 * the change is reported as outside governance, with the reason. In tests the pause proxy can be
 * impersonated; a transaction sent *from* the proxy is governance (impossible on mainnet).
 */

export interface ExecNote {
  logIndex: number;
  /** who called `pause.exec` (the spell, for `cast()`) */
  caller: string;
  planHash: string;
  usr: string;
  /** rule 2 holds for this exec: its window can be vouched for */
  trusted: boolean;
}

export interface TxGovernance {
  from: string;
  to: string | null;
  pause: string | null;
  proxy: string | null;
  /** exec notes of MCD_PAUSE in this transaction, in log order */
  execs: readonly ExecNote[];
}

export type Attribution =
  | { governance: true; via: "proxy-sender"; exec: null; reason: string }
  | { governance: true; via: "plan"; exec: ExecNote; reason: string }
  | { governance: false; via: null; exec: ExecNote | null; reason: string };

/** The plan execution a log at `logIndex` happened inside, if any: the first exec note after it. */
export function enclosingExec(g: TxGovernance, logIndex: number): ExecNote | null {
  return g.execs.find((e) => e.logIndex > logIndex) ?? null;
}

/** Rule 2: can the window of `exec` be vouched for? */
export function execTrusted(g: Pick<TxGovernance, "to" | "pause">, exec: { caller: string }, plotter: string | null, callerIsKnownSpell: boolean): boolean {
  if (!g.to || !g.pause) return false;
  if (g.to === g.pause) return true;
  return g.to === exec.caller && (exec.caller === plotter || callerIsKnownSpell);
}

/** Who made the change logged at `logIndex`, whose caller the log names (`caller`) or not (null). */
export function attribute(g: TxGovernance, logIndex: number, caller: string | null): Attribution {
  const exec = enclosingExec(g, logIndex);
  if (g.proxy && g.from === g.proxy) return { governance: true, via: "proxy-sender", exec: null, reason: "the transaction was sent by the pause proxy itself" };
  if (caller !== null && caller === g.proxy) {
    if (exec) return { governance: true, via: "plan", exec, reason: `made by the pause proxy while the pause executed plan ${exec.planHash}` };
    return { governance: false, via: null, exec: null, reason: "made by the pause proxy, but MCD_PAUSE executed no plan in this transaction: something other than the pause drives the proxy" };
  }
  if (exec && exec.trusted) {
    return {
      governance: true,
      via: "plan",
      exec,
      reason: caller ? `made by ${caller} while the pause executed plan ${exec.planHash} (the plan caused it)` : `made while the pause executed plan ${exec.planHash}`,
    };
  }
  const who = caller ? `made by ${caller}, not the pause proxy` : "the log does not name the caller";
  if (exec) {
    return {
      governance: false,
      via: null,
      exec,
      reason: `${who}; the pause executed plan ${exec.planHash} later in this transaction, but the transaction was sent to ${g.to ?? "(contract creation)"}, which is neither the pause nor the spell that scheduled the plan, so the change cannot be tied to the plan`,
    };
  }
  return { governance: false, via: null, exec: null, reason: `${who}, and no governance plan was executed in this transaction (from ${g.from} to ${g.to ?? "(contract creation)"})` };
}
