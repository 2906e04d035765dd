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

// ---------------------------------------------------------------------------------------------------
// Who changed a parameter: governance, sanctioned automation, or an outsider
// ---------------------------------------------------------------------------------------------------

/**
 * Every Maker bot that reports a parameter change (a ceiling, a fee, a limit, an oracle control, a
 * pause setting) says who made it, in three classes:
 *
 * - `governance`: the pause proxy, i.e. a spell executing through the pause (the rule above,
 *   `attribute`). Reported at the change's own level, as before.
 * - `automation`: a module governance installed and the ChainLog names (KNOWN_MODULES), acting
 *   within its role: the AutoLine moving ilk lines, a MOM halting, SPBEAM setting rates. Reported
 *   at the level of its effect (the same level as a spell doing the same), never as an outsider.
 * - `outsider`: anyone else, including a known module acting outside its role. Critical (P0).
 *
 * Who the caller is, in this order:
 * 1. a module's own event vouches for the change (`witness`: the AutoLine's `Exec(ilk, line,
 *    lineNew)` comes right after the two Vat notes its exec writes);
 * 2. the log names the caller (LibNote `usr`, ds-note `guy`): exact;
 * 3. the transaction was sent to the changed contract itself: the caller is the sender (exact);
 * 4. otherwise the transaction's top-level contract (`to`): an inference (the real caller is
 *    somewhere in the calls it made; without traces we cannot see deeper). A module is trusted this
 *    way only because the known modules make no arbitrary calls.
 */
export type CallerClass = "governance" | "automation" | "outsider";

/** How the caller was found (metadata `callerSource`). */
export type CallerSource = "log" | "module-event" | "tx-from" | "tx-to" | "plan";

/** A sanctioned automation module: which ChainLog keys name it, and what it may change. */
export interface KnownModule {
  /** ChainLog keys naming the module (a pattern: D3M and LitePSM keys carry the ilk) */
  key: RegExp;
  /** what it is, for people */
  what: string;
  /** its role: the parameters it may change, by the changed contract's ChainLog key */
  may: readonly { contract: RegExp; params: readonly string[] }[];
}

/**
 * The modules mainnet runs, with their roles (../shared/reference/sky.md, the ChainLog keys of
 * spells-mainnet). Parameters are the names the bots report (`what` of a file, or the control:
 * `stop`, `void`). Modules that move debt but no parameter (the LitePSM's fill/trim/chug, D3M
 * hubs' exec) are listed so that their callers are recognised, with no parameter in their role.
 */
export const KNOWN_MODULES: readonly KnownModule[] = [
  { key: /^MCD_IAM_AUTO_LINE$/, what: "the debt ceiling AutoLine (DssAutoLine): moves an ilk's line within its configured gap on every exec, and Line with it", may: [{ contract: /^MCD_VAT$/, params: ["line", "Line"] }] },
  { key: /^LINE_MOM$/, what: "LineMom: wipes an ilk's line to 0 (the hat, no delay)", may: [{ contract: /^MCD_VAT$/, params: ["line", "Line"] }] },
  { key: /^OSM_MOM$/, what: "OsmMom: stops an OSM (the hat, no delay)", may: [{ contract: /^PIP_/, params: ["stop"] }] },
  { key: /^CLIPPER_MOM$/, what: "ClipperMom: sets a Clipper's breaker (the hat, or anyone when the price drops too fast)", may: [{ contract: /^MCD_CLIP_(?!CALC_)/, params: ["stopped"] }] },
  { key: /^FLASH_KILLER$/, what: "FlashKiller: sets DssFlash max to 0", may: [{ contract: /^MCD_FLASH(_LEGACY)?$/, params: ["max"] }] },
  { key: /^LITE_PSM_MOM$/, what: "DssLitePsmMom: halts a LitePSM direction (tin/tout to HALTED)", may: [{ contract: /^MCD_LITE_PSM_/, params: ["tin", "tout"] }] },
  { key: /^SPBEAM_MOM$/, what: "SPBEAMMom: halts SPBEAM (bad = 1)", may: [{ contract: /^MCD_SPBEAM$/, params: ["bad"] }] },
  { key: /^MCD_SPBEAM$/, what: "SPBEAM: sets ilk duties, the DSR and the SSR within configured bounds", may: [{ contract: /^MCD_JUG$/, params: ["duty"] }, { contract: /^MCD_POT$/, params: ["dsr"] }, { contract: /^SUSDS$/, params: ["ssr"] }] },
  { key: /^DIRECT_MOM$/, what: "D3MMom: disables a D3M plan", may: [{ contract: /^DIRECT_/, params: ["disable"] }] },
  { key: /^MCD_LITE_PSM_[A-Z0-9_]+$/, what: "a LitePSM: fills and trims its own pre-minted DAI (debt, no parameter)", may: [] },
  { key: /^DIRECT_HUB$/, what: "the D3M hub: adjusts D3M debt (no parameter)", may: [] },
];

/** ChainLog keys the attribution needs in a bot's address book (the pause, its proxy, the modules). */
export const ATTRIBUTION_KEYS = /^(MCD_PAUSE|MCD_PAUSE_PROXY|MCD_IAM_AUTO_LINE|[A-Z_]+_MOM|FLASH_KILLER|MCD_SPBEAM|DIRECT_HUB|MCD_LITE_PSM_[A-Z0-9_]+)$/;

/** A bot's `keep` pattern widened with the keys the attribution needs. */
export function keepForAttribution(keep: RegExp): RegExp {
  return new RegExp(`(?:${keep.source})|(?:${ATTRIBUTION_KEYS.source})`, keep.flags.replace("g", ""));
}

/** The known module a set of ChainLog keys names, if any. */
export function moduleOf(keys: readonly string[]): { key: string; module: KnownModule } | null {
  for (const k of keys) {
    const m = KNOWN_MODULES.find((mod) => mod.key.test(k));
    if (m) return { key: k, module: m };
  }
  return null;
}

/** May `module` change `param` on a contract named by `contractKeys`? */
export function withinRole(module: KnownModule, contractKeys: readonly string[], param: string): boolean {
  return module.may.some((r) => r.params.includes(param) && contractKeys.some((k) => r.contract.test(k)));
}

/** One parameter change as a bot decoded it. */
export interface ParamChangeSubject {
  /** the changed contract (lowercase) and its ChainLog keys */
  contract: string;
  contractKeys: readonly string[];
  /** the parameter (`line`, `Hole`, `tin`, `stop`, `setDelay`, ...) */
  param: string;
  logIndex: number;
  /** the caller the log names (LibNote usr, ds-note guy); null when the log does not name it */
  loggedCaller: string | null;
}

/** A module's own event vouching for a change (rule 1), found by `witnessOf`. */
export interface Witness {
  module: string;
  event: string;
}

export interface Classification {
  callerClass: CallerClass;
  /** the caller as found (lowercase); "" when unknown */
  caller: string;
  callerSource: CallerSource;
  /** the ChainLog key of the module (automation, or a module acting outside its role) */
  module: string;
  /** why, for people */
  reason: string;
  /** the plan executed around the change (governance) */
  planHash: string;
}

export interface ClassifyInput {
  change: ParamChangeSubject;
  gov: TxGovernance;
  /** ChainLog keys of an address */
  keysOf: (address: string) => readonly string[];
  witness?: Witness | null;
}

/** Classify one parameter change (pure: everything it needs is in the input). */
export function classifyChange({ change, gov, keysOf, witness }: ClassifyInput): Classification {
  const base = { planHash: "", module: "" };
  const att = attribute(gov, change.logIndex, change.loggedCaller);
  if (att.governance) {
    const caller = change.loggedCaller ?? (att.via === "proxy-sender" ? gov.from : gov.proxy ?? "");
    return { ...base, callerClass: "governance", caller, callerSource: change.loggedCaller ? "log" : att.via === "proxy-sender" ? "tx-from" : "plan", planHash: att.exec?.planHash ?? "", reason: att.reason };
  }
  let caller: string;
  let source: CallerSource;
  if (witness) {
    const keys = keysOf(witness.module);
    const m = moduleOf(keys);
    if (m && withinRole(m.module, change.contractKeys, change.param)) {
      return { ...base, callerClass: "automation", caller: witness.module, callerSource: "module-event", module: m.key, reason: `made by ${m.key} ${witness.module} (its ${witness.event} event vouches for it), a module governance installed, within its role: ${m.module.what}` };
    }
  }
  if (change.loggedCaller) {
    caller = change.loggedCaller;
    source = "log";
  } else if (gov.to && gov.to === change.contract) {
    caller = gov.from;
    source = "tx-from";
  } else {
    caller = gov.to ?? gov.from;
    source = "tx-to";
  }
  const how = source === "log" ? "the log names the caller" : source === "tx-from" ? "the transaction was sent to the contract itself" : "inferred: the transaction's top-level contract; the log does not name the caller";
  const m = moduleOf(keysOf(caller));
  if (m) {
    if (withinRole(m.module, change.contractKeys, change.param)) {
      return { ...base, callerClass: "automation", caller, callerSource: source, module: m.key, reason: `made by ${m.key} ${caller} (${how}), a module governance installed, within its role: ${m.module.what}` };
    }
    return { ...base, callerClass: "outsider", caller, callerSource: source, module: m.key, reason: `made by ${m.key} ${caller} (${how}), a known module acting OUTSIDE its role (${m.module.what}); ${att.reason}` };
  }
  const proxyNote = gov.proxy && caller === gov.proxy ? "" : " nor a known automation module";
  return { ...base, callerClass: "outsider", caller, callerSource: source, reason: `made by ${caller} (${how}), neither governance${proxyNote}: ${att.reason}` };
}

/** The metadata every parameter-change finding carries about its caller. */
export function attributionMetadata(c: Classification): Record<string, string> {
  return { caller: c.caller, callerClass: c.callerClass, callerSource: c.callerSource, callerClassReason: c.reason, callerModule: c.module, planHash: c.planHash };
}

/** A few words for a description: "by governance", "by automation (MCD_IAM_AUTO_LINE)", "by an OUTSIDER 0x…". */
export function callerPhrase(c: Classification): string {
  if (c.callerClass === "governance") return "by governance";
  if (c.callerClass === "automation") return `by automation (${c.module})`;
  return `by an OUTSIDER ${c.caller || "(unknown)"} (not governance, not a sanctioned module: Critical)`;
}
