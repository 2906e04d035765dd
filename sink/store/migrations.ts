/**
 * The sink's schema, as numbered migrations applied in order at start (each in its own
 * transaction, recorded in sink_schema). Never edit a released migration: add the next one.
 * Every table is prefixed `sink_`: in the default setup they live in the runtime's own SQLite
 * file, next to its `findings`, `blocks` and `sink_cursor` tables.
 */
import { VigilError } from "../../shared/errors";
import { all, run, type Db, type Dialect, type Q } from "./db";

interface Migration {
  version: number;
  what: string;
  sql: string[];
}

/** `{id}` auto-increment primary key, `{big}` 64-bit integer (epoch ms, ids). */
function dialect(sql: string, d: Dialect): string {
  return sql
    .replace(/\{id\}/g, d === "pg" ? "BIGSERIAL PRIMARY KEY" : "INTEGER PRIMARY KEY AUTOINCREMENT")
    .replace(/\{big\}/g, d === "pg" ? "BIGINT" : "INTEGER")
    .replace(/\{real\}/g, d === "pg" ? "DOUBLE PRECISION" : "REAL");
}

export const MIGRATIONS: readonly Migration[] = [
  {
    version: 1,
    what: "findings, incidents, timeline, outbox, cursors",
    sql: [
      `CREATE TABLE sink_findings (
        id {id},
        unique_key TEXT NOT NULL UNIQUE,
        source TEXT NOT NULL,
        bot TEXT NOT NULL,
        chain_id {big} NOT NULL,
        block_number {big} NOT NULL,
        block_hash TEXT NOT NULL,
        tx_hash TEXT,
        alert_id TEXT NOT NULL,
        severity TEXT NOT NULL,
        received_at {big} NOT NULL,
        incident_id {big},
        retracted INTEGER NOT NULL DEFAULT 0,
        json TEXT NOT NULL
      )`,
      `CREATE INDEX sink_findings_incident ON sink_findings(incident_id)`,
      `CREATE INDEX sink_findings_alert ON sink_findings(alert_id, received_at)`,
      `CREATE TABLE sink_incidents (
        id {id},
        group_key TEXT NOT NULL,
        title TEXT NOT NULL,
        type TEXT NOT NULL,
        priority TEXT NOT NULL,
        status TEXT NOT NULL,
        owner TEXT NOT NULL,
        rule TEXT,
        why TEXT NOT NULL DEFAULT '',
        channels TEXT NOT NULL,
        chain_id {big} NOT NULL,
        alert_id TEXT NOT NULL,
        bot TEXT NOT NULL,
        opened_at {big} NOT NULL,
        updated_at {big} NOT NULL,
        closed_at {big},
        last_finding_at {big} NOT NULL
      )`,
      `CREATE INDEX sink_incidents_group ON sink_incidents(group_key, status)`,
      `CREATE INDEX sink_incidents_status ON sink_incidents(status, updated_at)`,
      `CREATE TABLE sink_events (
        id {id},
        incident_id {big} NOT NULL,
        at {big} NOT NULL,
        actor TEXT NOT NULL,
        kind TEXT NOT NULL,
        detail TEXT NOT NULL DEFAULT '',
        finding_key TEXT
      )`,
      `CREATE INDEX sink_events_incident ON sink_events(incident_id, id)`,
      `CREATE TABLE sink_outbox (
        id {id},
        incident_id {big} NOT NULL,
        channel TEXT NOT NULL,
        event TEXT NOT NULL,
        dedupe TEXT NOT NULL UNIQUE,
        priority TEXT NOT NULL,
        payload TEXT NOT NULL,
        state TEXT NOT NULL,
        attempts INTEGER NOT NULL DEFAULT 0,
        next_attempt_at {big} NOT NULL,
        lease_until {big},
        last_error TEXT,
        created_at {big} NOT NULL,
        sent_at {big}
      )`,
      `CREATE INDEX sink_outbox_due ON sink_outbox(state, next_attempt_at)`,
      `CREATE INDEX sink_outbox_order ON sink_outbox(incident_id, channel, id)`,
      `CREATE TABLE sink_cursors (name TEXT PRIMARY KEY, value TEXT NOT NULL)`,
    ],
  },
  {
    version: 2,
    what: "retention settings; outbox lease owner (several sink instances on one database)",
    sql: [
      `CREATE TABLE sink_settings (key TEXT PRIMARY KEY, value TEXT NOT NULL)`,
      `INSERT INTO sink_settings(key, value) VALUES ('retention.findingsDays', '90'), ('retention.closedIncidentsDays', '365')`,
      `ALTER TABLE sink_outbox ADD COLUMN lease_owner TEXT`,
      `CREATE INDEX sink_findings_received ON sink_findings(received_at)`,
    ],
  },
  {
    version: 3,
    what: "quarantine: findings intake refused (invalid, or data the store cannot hold), with the reason",
    sql: [
      `CREATE TABLE sink_quarantine (
        id {id},
        fingerprint TEXT NOT NULL UNIQUE,
        source TEXT NOT NULL,
        unique_key TEXT,
        bot TEXT,
        reason TEXT NOT NULL,
        json TEXT NOT NULL,
        at {big} NOT NULL
      )`,
    ],
  },
  {
    version: 4,
    what: "observations (ctx.observe) delivered by the runtime when the sink is in another store (PostgreSQL): the dashboard's charts",
    sql: [
      `CREATE TABLE sink_observations (
        id {id},
        chain_id {big} NOT NULL,
        runtime_id {big} NOT NULL,
        bot TEXT NOT NULL,
        name TEXT NOT NULL,
        labels TEXT NOT NULL,
        value {real} NOT NULL,
        block_number {big} NOT NULL,
        epoch {big},
        at {big} NOT NULL
      )`,
      `CREATE INDEX sink_observations_name_at ON sink_observations(name, at)`,
      `CREATE INDEX sink_observations_block ON sink_observations(chain_id, block_number)`,
      `INSERT INTO sink_settings(key, value) VALUES ('retention.observationsDays', '30')`,
    ],
  },
];

export const SCHEMA_VERSION = MIGRATIONS[MIGRATIONS.length - 1]!.version;

function* currentVersion(): Q<number> {
  yield* run(`CREATE TABLE IF NOT EXISTS sink_schema (version INTEGER PRIMARY KEY, applied_at ${"{big}"} NOT NULL)`.replace("{big}", "BIGINT"));
  const rows = yield* all<{ v: number | null }>("SELECT MAX(version) AS v FROM sink_schema");
  return Number(rows[0]?.v ?? 0);
}

/** Apply every migration above the database's version (up to `upTo`, for tests). Returns the versions applied. */
export async function migrate(db: Db, upTo = SCHEMA_VERSION): Promise<number[]> {
  const applied: number[] = [];
  for (const m of MIGRATIONS) {
    if (m.version > upTo) break;
    const did = await db.tx(function* () {
      // several sink instances may start together on one PostgreSQL: one migrates, the others wait
      if (db.dialect === "pg") yield* all("SELECT pg_advisory_xact_lock(734001)");
      const v = yield* currentVersion();
      if (v >= m.version) return false;
      if (v !== m.version - 1) throw new VigilError("SINK_SCHEMA", `sink schema is at version ${v}; cannot apply migration ${m.version}`);
      for (const s of m.sql) yield* run(dialect(s, db.dialect));
      yield* run("INSERT INTO sink_schema(version, applied_at) VALUES (?, ?)", [m.version, Date.now()]);
      return true;
    });
    if (did) applied.push(m.version);
  }
  const v = await db.read(currentVersion);
  if (v > SCHEMA_VERSION) {
    throw new VigilError("SINK_SCHEMA", `the sink database ${db.describe} is at schema version ${v}, newer than this Vigil (${SCHEMA_VERSION}): upgrade Vigil or use another database`);
  }
  return applied;
}
