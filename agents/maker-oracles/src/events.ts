/**
 * maker-oracles' "this event happened" alerts: one row per (contract, event), run by
 * event-table.ts. None of these events logs its caller: each is attributed from the transaction
 * (attribution.ts) and is High when governance's (its effect cannot be told apart without traces),
 * Critical (P0) when an outsider's.
 *
 * `contract` names what the bot resolves to addresses: `osm-like` (PIPs classified as LP-token
 * oracles), `value` (fixed-price DSValues).
 */
import type { Finding, TransactionEvent } from "forta-agent";
import { FindingSeverity, type BlockRef } from "../../../shared/findings";
import type { DecodedEvent } from "../../../shared/logs";
import { attributionMetadata, type Classification } from "../../../shared/maker/attribution";
import { DSVALUE_IFACE, LP_ORACLE_IFACE } from "./abi";
import { ALERTS } from "./alerts";
import { unloggedWho, whoText } from "./attribution";
import type { Deps } from "./deps";
import { UNATTRIBUTED_CONTROL_SEVERITY, type PipKind } from "./detectors";
import { runEventTable, type EventAlert } from "./event-table";
import type { Watcher } from "./watcher";

/** What a row knows besides its event. */
export interface EventContext {
  keys: readonly string[];
  /** `PIP_X (OSM-like oracle 0x...)` */
  name: string;
  label: string;
  by: Classification;
  tx: TransactionEvent;
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
];

/** The attribution param of a row's event (what shared/maker/attribution.ts is told was changed). */
const PARAM: Record<string, string> = { LogSetOwner: "setOwner", LogSetAuthority: "setAuthority" };

export function eventsWatcher(deps: Deps, rows: readonly EventAlert<EventContext>[] = EVENTS): Watcher {
  const { oracles, controls } = deps;
  return {
    name: "events",
    onTransaction(tx: TransactionEvent): Promise<Finding[]> {
      const table = oracles.pips();
      return runEventTable(
        rows,
        {
          resolve: (contract) => oracles.ofKind(contract as PipKind, table),
          async enrich(e: DecodedEvent, _row, t: TransactionEvent, _block: BlockRef): Promise<EventContext> {
            const keys = table.get(e.address) ?? [];
            const classification = await controls.attribute(e.address, keys, PARAM[e.name] ?? e.name.toLowerCase(), e.logIndex, null);
            return { keys, name: `${keys.join("/")} (OSM-like oracle ${e.address})`, label: oracles.label(e.address, keys), by: classification, tx: t };
          },
        },
        tx,
      );
    },
  };
}
