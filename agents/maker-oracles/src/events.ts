/**
 * maker-oracles' "this event happened" alerts: one row per (contract, event), run by
 * event-table.ts. None of these events logs its caller: each is attributed from the transaction
 * (attribution.ts) and is High when governance's (its effect cannot be told apart without traces),
 * Critical (P0) when an outsider's.
 *
 * Chronicle Scribes' events name their caller (the logged caller is attributed as a note's is):
 * their controls are reported at the level of their effect when governance's, Critical when an
 * outsider's; a successful challenge of an optimistic poke is Critical whoever made it.
 *
 * `contract` names what the bot resolves to addresses: `osm-like` (PIPs classified as LP-token
 * oracles), `value` (fixed-price DSValues), `scribe` (the Chronicle Scribes watched OSMs read),
 * `capped` (capped OSM wrappers: LOCKSTAKE_ORACLE).
 */
import type { Finding, TransactionEvent } from "forta-agent";
import { FindingSeverity, type BlockRef } from "../../../shared/findings";
import type { DecodedEvent } from "../../../shared/logs";
import { attributionMetadata, type Classification } from "../../../shared/maker/attribution";
import { CAPPED_IFACE, DSVALUE_IFACE, LP_ORACLE_IFACE, SCRIBE_IFACE } from "./abi";
import { ALERTS } from "./alerts";
import { unloggedWho, whoText } from "./attribution";
import type { Deps } from "./deps";
import { UNATTRIBUTED_CONTROL_SEVERITY, controlSeverity, type ControlAction, type PipKind } from "./detectors";
import { contract } from "../../../shared/rpc/contract";
import { formatAmount, fromWad } from "../../../shared/math";
import { ethers } from "forta-agent";
import { runEventTable, type EventAlert } from "./event-table";
import type { Watcher } from "../../../shared/watchers";

/** What a row knows besides its event. */
export interface EventContext {
  keys: readonly string[];
  /** `PIP_X (OSM-like oracle 0x...)` */
  name: string;
  label: string;
  by: Classification;
  tx: TransactionEvent;
  /** the OSMs reading a Scribe (`osm` metadata) */
  osms?: readonly string[];
  /** a capped wrapper's cap before the block (File events) */
  capBefore?: bigint;
}

const arg = (e: DecodedEvent, k: string) => String(e.args[k]).toLowerCase();
const bySeverity = (_e: DecodedEvent, c: EventContext) => (c.by.callerClass === "outsider" ? FindingSeverity.Critical : UNATTRIBUTED_CONTROL_SEVERITY);
const by = (c: EventContext) => `transaction from ${c.tx.from}; ${unloggedWho(c.by)}`;
const callerAddresses = (c: EventContext) => [c.tx.from, ...(c.by.caller ? [c.by.caller] : [])];

/** An LP-token oracle's control: the metadata every such finding carries. */
function likeMetadata(action: string, extra: Record<string, string> = {}) {
  return (e: DecodedEvent, c: EventContext) => ({
    osm: e.address,
    keys: c.keys.join(","),
    caller: "",
    callerLogged: false,
    byGovernance: String(c.by.callerClass !== "outsider"),
    txFrom: c.tx.from,
    txHash: c.tx.hash,
    ...attributionMetadata(c.by),
    action,
    ...extra,
  });
}

const like = (event: string, alert: EventAlert<EventContext>["alert"], action: string, describe: (e: DecodedEvent, c: EventContext) => string, extra?: (e: DecodedEvent) => Record<string, string>, more?: (e: DecodedEvent) => string[]): EventAlert<EventContext> => ({
  contract: "osm-like",
  iface: LP_ORACLE_IFACE,
  event,
  alert,
  describe,
  severity: bySeverity,
  metadata: (e, c) => likeMetadata(action, extra?.(e))(e, c),
  addresses: (e, c) => [e.address, ...(more?.(e) ?? []), ...callerAddresses(c)],
});

/** A Chronicle Scribe's control: the caller is logged (`caller`), attributed as a note's caller is. */
const scribe = (
  event: string,
  alert: EventAlert<EventContext>["alert"],
  action: (e: DecodedEvent) => ControlAction,
  describe: (e: DecodedEvent, c: EventContext) => string,
  extra: (e: DecodedEvent) => Record<string, string | boolean> = () => ({}),
  more?: (e: DecodedEvent) => string[],
): EventAlert<EventContext> => ({
  contract: "scribe",
  iface: SCRIBE_IFACE,
  event,
  alert,
  describe,
  severity: (e, c) => controlSeverity(action(e), c.by.callerClass !== "outsider"),
  metadata: (e, c) => ({
    scribe: e.address,
    osm: (c.osms ?? []).join(","),
    keys: c.keys.join(","),
    caller: arg(e, "caller"),
    byGovernance: String(c.by.callerClass !== "outsider"),
    txFrom: c.tx.from,
    txHash: c.tx.hash,
    ...attributionMetadata(c.by),
    ...extra(e),
  }),
  addresses: (e, c) => [e.address, ...(c.osms ?? []), arg(e, "caller"), ...(more?.(e) ?? [])],
});

/** A capped OSM wrapper's control (LOCKSTAKE_ORACLE): no caller logged, as the LP-token oracles'. */
const capped = (event: string, alert: EventAlert<EventContext>["alert"], action: string, describe: (e: DecodedEvent, c: EventContext) => string, extra?: (e: DecodedEvent) => Record<string, string>, more?: (e: DecodedEvent) => string[]): EventAlert<EventContext> => ({
  ...like(event, alert, action, describe, extra, more),
  contract: "capped",
  iface: CAPPED_IFACE,
});

const dsAuth = (event: "LogSetOwner" | "LogSetAuthority"): EventAlert<EventContext> => {
  const what = event === "LogSetOwner" ? "owner" : "authority";
  const action = event === "LogSetOwner" ? "setOwner" : "setAuthority";
  const usr = (e: DecodedEvent) => arg(e, what);
  return {
    contract: "value",
    iface: DSVALUE_IFACE,
    event,
    alert: ALERTS.rights,
    describe: (e, c) => `${c.label} (fixed-price oracle): ${what} set to ${usr(e)} by ${whoText(c.by)} (transaction from ${c.tx.from}); the owner can set the price`,
    severity: (_e, c) => (c.by.callerClass === "outsider" ? FindingSeverity.Critical : FindingSeverity.High),
    metadata: (e, c) => ({ oracle: e.address, keys: c.keys.join(","), contract: "DSValue", action, usr: usr(e), caller: "", txFrom: c.tx.from, txHash: c.tx.hash, ...attributionMetadata(c.by) }),
    addresses: (e, c) => [e.address, usr(e), ...callerAddresses(c)],
  };
};

const DISSED = " (a dissed Spotter or Clipper can no longer price this collateral)";

export const EVENTS: EventAlert<EventContext>[] = [
  // LP-token oracles (OSM-like): their controls
  like("Stop", ALERTS.stop, "stop", (_e, c) => `${c.name} was stopped (${by(c)}): its current and queued prices are cleared and it cannot be poked until started again`),
  like("Start", ALERTS.start, "start", (_e, c) => `${c.name} was started (${by(c)}): pokes can move its price again`),
  like(
    "Link",
    ALERTS.source,
    "link",
    (e, c) => `${c.name}: price source ${"id" in e.args ? `orb${String(e.args.id)} ` : ""}replaced by ${arg(e, "orb")} (${by(c)}); the LP price is computed from it from the next poke`,
    (e) => ({ to: arg(e, "orb"), orbId: "id" in e.args ? String(e.args.id) : "", from: "" }),
    (e) => [arg(e, "orb")],
  ),
  like("Change", ALERTS.source, "change", (e, c) => `${c.name}: price source (src) changed to ${arg(e, "src")} (${by(c)})`, (e) => ({ to: arg(e, "src"), orbId: "", from: "" }), (e) => [arg(e, "src")]),
  like("Kiss", ALERTS.whitelist, "kiss", (e, c) => `${c.name}: may now be read by ${arg(e, "a")} (${by(c)})`, (e) => ({ contract: "OSM-like", readers: arg(e, "a") }), (e) => [arg(e, "a")]),
  like("Diss", ALERTS.whitelist, "diss", (e, c) => `${c.name}: may no longer be read by ${arg(e, "a")} (${by(c)})${DISSED}`, (e) => ({ contract: "OSM-like", readers: arg(e, "a") }), (e) => [arg(e, "a")]),
  like("Rely", ALERTS.rights, "rely", (e, c) => `${c.name}: admin rights granted to ${arg(e, "usr")} (${by(c)})`, (e) => ({ contract: "OSM-like", usr: arg(e, "usr") }), (e) => [arg(e, "usr")]),
  like("Deny", ALERTS.rights, "deny", (e, c) => `${c.name}: admin rights revoked from ${arg(e, "usr")} (${by(c)})`, (e) => ({ contract: "OSM-like", usr: arg(e, "usr") }), (e) => [arg(e, "usr")]),
  // fixed-price DSValues: ds-auth
  dsAuth("LogSetOwner"),
  dsAuth("LogSetAuthority"),
  // Chronicle Scribes behind watched OSMs
  scribe("FeedLifted", ALERTS.scribeFeeds, () => "lift", (e, c) => `${c.name}: feed ${arg(e, "feed")} lifted by ${whoText(c.by)}: it now signs the prices this collateral is valued at`, (e) => ({ action: "lift", feed: arg(e, "feed") }), (e) => [arg(e, "feed")]),
  {
    ...scribe("FeedDropped", ALERTS.scribeFeeds, () => "drop", (e, c) => (arg(e, "caller") === e.address ? `${c.name}: feed ${arg(e, "feed")} dropped by the Scribe itself, after a successful challenge of its optimistic poke` : `${c.name}: feed ${arg(e, "feed")} dropped by ${whoText(c.by)}`), (e) => ({ action: "drop", feed: arg(e, "feed"), byChallenge: arg(e, "caller") === e.address }), (e) => [arg(e, "feed")]),
    severity: (e, c) => (arg(e, "caller") === e.address ? FindingSeverity.Medium : controlSeverity("drop", c.by.callerClass !== "outsider")),
  },
  scribe(
    "BarUpdated",
    ALERTS.scribeConfig,
    (e) => (Number(e.args.newBar) < Number(e.args.oldBar) ? "setBar.lower" : "setBar.raise"),
    (e, c) => `${c.name}: quorum (bar) changed from ${Number(e.args.oldBar)} to ${Number(e.args.newBar)} signatures by ${whoText(c.by)}${Number(e.args.newBar) < Number(e.args.oldBar) ? ": fewer feeds are needed to move the price" : ""}`,
    (e) => ({ action: "setBar", barBefore: String(e.args.oldBar), bar: String(e.args.newBar) }),
  ),
  scribe(
    "OpChallengePeriodUpdated",
    ALERTS.scribeConfig,
    (e) => (Number(e.args.newOpChallengePeriod) < Number(e.args.oldOpChallengePeriod) ? "setBar.lower" : "setBar.raise"),
    (e, c) =>
      `${c.name}: optimistic-poke challenge period changed from ${Number(e.args.oldOpChallengePeriod)} s to ${Number(e.args.newOpChallengePeriod)} s by ${whoText(c.by)}${Number(e.args.newOpChallengePeriod) < Number(e.args.oldOpChallengePeriod) ? ": less time to challenge a bad optimistic poke" : ""}`,
    (e) => ({ action: "setOpChallengePeriod", periodBefore: String(e.args.oldOpChallengePeriod), period: String(e.args.newOpChallengePeriod) }),
  ),
  {
    ...scribe("OpPokeChallengedSuccessfully", ALERTS.scribeChallenge, () => "lift", (e, c) => `${c.name}: an optimistic poke was proven invalid by ${arg(e, "caller")}: a feed signed a price the quorum did not; the Scribe dropped that feed and deleted the price`, (e) => ({ action: "challenge", challenger: arg(e, "caller"), schnorrErr: String(e.args.schnorrErr) })),
    severity: () => FindingSeverity.Critical,
  },
  scribe("AuthGranted", ALERTS.rights, () => "rely", (e, c) => `${c.name}: admin rights granted to ${arg(e, "who")} by ${whoText(c.by)}`, (e) => ({ contract: "Scribe", action: "rely", usr: arg(e, "who") }), (e) => [arg(e, "who")]),
  scribe("AuthRenounced", ALERTS.rights, () => "deny", (e, c) => `${c.name}: admin rights revoked from ${arg(e, "who")} by ${whoText(c.by)}`, (e) => ({ contract: "Scribe", action: "deny", usr: arg(e, "who") }), (e) => [arg(e, "who")]),
  scribe("TollGranted", ALERTS.whitelist, () => "kiss", (e, c) => `${c.name}: may now be read by ${arg(e, "who")}; by ${whoText(c.by)}`, (e) => ({ contract: "Scribe", action: "kiss", readers: arg(e, "who") }), (e) => [arg(e, "who")]),
  scribe("TollRenounced", ALERTS.whitelist, () => "diss", (e, c) => `${c.name}: may no longer be read by ${arg(e, "who")}; by ${whoText(c.by)}${DISSED.replace("Spotter or Clipper", "OSM")}`, (e) => ({ contract: "Scribe", action: "diss", readers: arg(e, "who") }), (e) => [arg(e, "who")]),
  // capped OSM wrappers (LOCKSTAKE_ORACLE): caller not logged
  capped("Rely", ALERTS.rights, "rely", (e, c) => `${c.name}: admin rights granted to ${arg(e, "usr")} (${by(c)})`, (e) => ({ contract: "capped", usr: arg(e, "usr") }), (e) => [arg(e, "usr")]),
  capped("Deny", ALERTS.rights, "deny", (e, c) => `${c.name}: admin rights revoked from ${arg(e, "usr")} (${by(c)})`, (e) => ({ contract: "capped", usr: arg(e, "usr") }), (e) => [arg(e, "usr")]),
  capped("Kiss", ALERTS.whitelist, "kiss", (e, c) => `${c.name}: may now be read by ${arg(e, "usr")} (${by(c)})`, (e) => ({ contract: "capped", readers: arg(e, "usr") }), (e) => [arg(e, "usr")]),
  capped("Diss", ALERTS.whitelist, "diss", (e, c) => `${c.name}: may no longer be read by ${arg(e, "usr")} (${by(c)})${DISSED}`, (e) => ({ contract: "capped", readers: arg(e, "usr") }), (e) => [arg(e, "usr")]),
  {
    ...capped("File", ALERTS.cap, "file", (e, c) => capText(e, c), (e) => ({ what: ethers.utils.parseBytes32String(String(e.args.what)), capRaw: String(e.args.data), cap: fromWad(String(e.args.data)).toFixed() })),
    severity: (e, c) => (c.by.callerClass === "outsider" ? FindingSeverity.Critical : c.capBefore !== undefined && BigInt(String(e.args.data)) < c.capBefore ? FindingSeverity.Medium : FindingSeverity.High),
    metadata: (e, c) => ({
      ...likeMetadata("file", { what: safeWhat(e), capRaw: String(e.args.data), cap: fromWad(String(e.args.data)).toFixed(), capBeforeRaw: c.capBefore?.toString() ?? "", capBefore: c.capBefore !== undefined ? fromWad(c.capBefore.toString()).toFixed() : "" })(e, c),
      contract: "capped",
    }),
  },
];

function safeWhat(e: DecodedEvent): string {
  try {
    return ethers.utils.parseBytes32String(String(e.args.what));
  } catch {
    return String(e.args.what);
  }
}

function capText(e: DecodedEvent, c: EventContext): string {
  const to = BigInt(String(e.args.data));
  const toH = formatAmount(fromWad(to.toString()), 4);
  const before = c.capBefore !== undefined ? formatAmount(fromWad(c.capBefore.toString()), 4) : "unknown";
  const up = c.capBefore === undefined || to > c.capBefore;
  return `${c.name}: ${safeWhat(e)} changed from ${before} to ${toH} (${by(c)})${up ? ": a higher cap lets a higher price through to the Spotter" : ""}`;
}

/** The attribution param of a row's event (what shared/maker/attribution.ts is told was changed). */
const PARAM: Record<string, string> = {
  LogSetOwner: "setOwner",
  LogSetAuthority: "setAuthority",
  FeedLifted: "lift",
  FeedDropped: "drop",
  BarUpdated: "setBar",
  OpChallengePeriodUpdated: "setOpChallengePeriod",
  OpPokeChallengedSuccessfully: "opChallenge",
  AuthGranted: "rely",
  AuthRenounced: "deny",
  TollGranted: "kiss",
  TollRenounced: "diss",
};

export function eventsWatcher(deps: Deps, rows: readonly EventAlert<EventContext>[] = EVENTS): Watcher {
  const { oracles, controls } = deps;
  return {
    name: "events",
    onTransaction(tx: TransactionEvent): Promise<Finding[]> {
      const table = oracles.pips();
      return runEventTable(
        rows,
        {
          resolve: (kind) => (kind === "scribe" ? [...oracles.scribes(table).keys()] : oracles.ofKind(kind as PipKind, table)),
          async enrich(e: DecodedEvent, row, t: TransactionEvent, block: BlockRef): Promise<EventContext> {
            const param = PARAM[e.name] ?? e.name.toLowerCase();
            if (row.contract === "scribe") {
              const osms = oracles.scribes(table).get(e.address) ?? [];
              const keys = osms.flatMap((o) => table.get(o) ?? []);
              // a Scribe is not in the ChainLog under its own role: no module's role covers it (as a Median)
              const classification = await controls.attribute(e.address, [], param, e.logIndex, arg(e, "caller"));
              const kind = oracles.sourceKind(e.address) === "scribe-optimistic" ? "ScribeOptimistic" : "Scribe";
              return { keys, osms, name: `Chronicle ${kind} ${e.address} behind ${osms.map((o) => `${(table.get(o) ?? []).join("/")} (OSM ${o})`).join(" and ")}`, label: oracles.label(e.address, keys), by: classification, tx: t };
            }
            const keys = table.get(e.address) ?? [];
            const classification = await controls.attribute(e.address, keys, param, e.logIndex, null);
            const kindName = row.contract === "capped" ? "capped OSM wrapper" : "OSM-like oracle";
            const capBefore = row.contract === "capped" && e.name === "File" ? await contract(deps.ctx.rpc, e.address, CAPPED_IFACE, "capped").uint("cap", [], block.number - 1) : undefined;
            return { keys, name: `${keys.join("/")} (${kindName} ${e.address})`, label: oracles.label(e.address, keys), by: classification, tx: t, ...(capBefore !== undefined ? { capBefore } : {}) };
          },
        },
        tx,
      );
    },
  };
}
