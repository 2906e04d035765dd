/**
 * The runtime's durable state, in one SQLite file (better-sqlite3):
 * - the cursor (next block to process) and the hashes of recently processed blocks (for reorgs),
 * - every finding emitted, keyed by uniqueKey (idempotent), in emission order (`seq`),
 * - each sink's delivery position in that order (an outbox: a finding is committed with the
 *   cursor first, delivered after, so a crash between the two re-delivers instead of losing it),
 * - each bot's persistent state after each recent block (restart and reorg rewind).
 * Everything one block changes is written in one transaction.
 */
import Database from "better-sqlite3";
import { mkdirSync } from "fs";
import { hostname } from "os";
import { dirname } from "path";
import { VigilError } from "../errors";
import type { FindingJson } from "../findings";
import { RUNTIME_ALERTS } from "./alerts";
import { addObservationsCursor, OBSERVATIONS_SCHEMA, ObservationTable, type Observation } from "./observations";

export interface EmittedFinding {
  bot: string;
  chainId: number;
  blockNumber: number;
  blockHash: string;
  txHash?: string;
  finding: FindingJson;
}

export interface StoredFinding extends EmittedFinding {
  seq: number;
}

export interface BlockRow {
  number: number;
  hash: string;
  parentHash: string;
  timestamp: number;
}

export class StateMismatchError extends VigilError<"STATE_MISMATCH"> {
  constructor(path: string, what: string, stored: string, actual: string) {
    super(
      "STATE_MISMATCH",
      `state file ${path} belongs to a different chain (${what} ${stored}, the node says ${actual}); ` +
        `use another --state file for this chain, or delete ${path} to start afresh`,
    );
  }
}

/** A state file that cannot be used as it is: one line naming the file and what to do. */
export class StateFileError extends VigilError<"STATE_FILE"> {
  constructor(path: string, problem: string, fix: string) {
    super("STATE_FILE", `state file ${path} ${problem}; ${fix}`);
  }
}

/** Another runtime writes this state file. */
export class StateLockedError extends VigilError<"STATE_LOCKED"> {
  constructor(
    path: string,
    readonly holder: StateHolder | undefined,
  ) {
    const who = holder ? `pid ${holder.pid} on host ${holder.host}, running since ${holder.startedAt}` : "holder unknown";
    super("STATE_LOCKED", `state file ${path} is in use by another Vigil runtime (${who}); stop that one first, or give this one another --state file`);
  }
}

export interface StateHolder {
  pid: number;
  host: string;
  startedAt: string;
}


/** The schema as version 1 created it (every file written before versions were recorded). */
const SCHEMA_V1 = `
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS blocks (number INTEGER PRIMARY KEY, hash TEXT NOT NULL, parent_hash TEXT NOT NULL, timestamp INTEGER NOT NULL DEFAULT 0);
CREATE TABLE IF NOT EXISTS findings (
  seq INTEGER PRIMARY KEY AUTOINCREMENT,
  unique_key TEXT NOT NULL UNIQUE,
  bot TEXT NOT NULL,
  block_number INTEGER NOT NULL,
  block_hash TEXT NOT NULL,
  tx_hash TEXT,
  json TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS findings_block ON findings(block_number);
CREATE TABLE IF NOT EXISTS retracted (unique_key TEXT NOT NULL, block_number INTEGER NOT NULL, block_hash TEXT NOT NULL, retracted_by TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS sink_cursor (sink TEXT PRIMARY KEY, seq INTEGER NOT NULL);
CREATE TABLE IF NOT EXISTS bot_state (bot TEXT NOT NULL, block_number INTEGER NOT NULL, json TEXT NOT NULL, PRIMARY KEY (bot, block_number));
`;

/**
 * Forward migrations, in order: version n's `up` turns a version n-1 file into a version n one.
 * A file records its version in meta.schemaVersion (files from before that are version 1).
 * Add a row to change the schema; never edit a released row.
 */
export const MIGRATIONS: readonly { version: number; what: string; up(db: Database.Database): void }[] = [
  { version: 1, what: "cursor, blocks, findings, retractions, sink cursors, bot state", up: (db) => db.exec(SCHEMA_V1) },
  { version: 2, what: "schema version and writer recorded in meta; findings indexed by bot", up: (db) => db.exec("CREATE INDEX IF NOT EXISTS findings_bot ON findings(bot)") },
  { version: 3, what: "observations: the numbers bots report with ctx.observe, per block", up: (db) => db.exec(OBSERVATIONS_SCHEMA) },
  { version: 4, what: "each sink's delivery position in the observations too (sinks that take them: the sink in another store)", up: addObservationsCursor },
];
export const SCHEMA_VERSION = MIGRATIONS[MIGRATIONS.length - 1]!.version;

const sqliteCode = (err: unknown): string => String((err as { code?: unknown })?.code ?? "");

/** Open `path` as a SQLite database, turning "not a database" into one line naming the file. */
function openDatabase(path: string, options?: Database.Options): Database.Database {
  try {
    const db = new Database(path, options);
    db.prepare("SELECT name FROM sqlite_master LIMIT 1").all(); // reads the header: fails on a file that is not SQLite
    return db;
  } catch (err) {
    const code = sqliteCode(err);
    if (code === "SQLITE_NOTADB" || code.startsWith("SQLITE_CORRUPT")) {
      throw new StateFileError(path, "is not a SQLite database, or is damaged", "move it away (or restore it from a backup) and start again: a new file is then created and the runtime starts at the head, or at --from");
    }
    if (code.startsWith("SQLITE_CANTOPEN") || code === "SQLITE_READONLY" || code.startsWith("SQLITE_IOERR") || code === "SQLITE_PERM") {
      throw new StateFileError(path, `cannot be opened (${(err as Error).message})`, "check that its folder exists and is writable, or give another --state file");
    }
    throw err;
  }
}

/**
 * One writer per state file: an exclusive SQLite lock on `<state>.lock`, held while the store is
 * open. The operating system drops it when the process ends, however it ends (SIGKILL, crash),
 * so a dead holder never blocks the next runtime.
 */
function acquireLock(path: string): Database.Database | "busy" {
  const lock = new Database(`${path}.lock`, { timeout: 0 });
  try {
    lock.pragma("locking_mode = EXCLUSIVE");
    lock.exec("BEGIN EXCLUSIVE; CREATE TABLE IF NOT EXISTS lock (x); COMMIT;");
    return lock;
  } catch (err) {
    lock.close();
    if (sqliteCode(err).startsWith("SQLITE_BUSY") || sqliteCode(err).startsWith("SQLITE_LOCKED")) return "busy";
    throw err;
  }
}

const tablesOf = (db: Database.Database): string[] =>
  (db.prepare("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'").all() as { name: string }[]).map((r) => r.name);

/** The schema version of an open file: 0 for an empty one; refuses a SQLite file that is not a Vigil state. */
function schemaVersion(db: Database.Database, path: string): number {
  const tables = tablesOf(db);
  if (tables.length === 0) return 0;
  if (!tables.includes("meta") || !tables.includes("findings") || !tables.includes("sink_cursor")) {
    throw new StateFileError(
      path,
      `is a SQLite database but not a Vigil runtime state (its tables: ${tables.slice(0, 6).join(", ")}${tables.length > 6 ? ", ..." : ""})`,
      "give --state a file of its own (a new name creates one)",
    );
  }
  const row = db.prepare("SELECT value FROM meta WHERE key = 'schemaVersion'").get() as { value: string } | undefined;
  return row ? Number(row.value) : 1;
}

export class RuntimeStore {
  private readonly db: Database.Database;
  private readonly lastState = new Map<string, string>();
  /** the statements every block runs, prepared once (better-sqlite3 compiles the SQL on each prepare) */
  private readonly statements = new Map<string, Database.Statement>();

  /** the bots' observations (ctx.observe): retention and sampling are set there */
  observations!: ObservationTable;
  private readonly lock: Database.Database | undefined;
  /** the version the file had when opened (0: new), before migrating */
  readonly openedVersion: number;

  constructor(readonly path: string) {
    if (path !== ":memory:") mkdirSync(dirname(path), { recursive: true });
    this.db = openDatabase(path);
    try {
      this.openedVersion = schemaVersion(this.db, path);
      if (this.openedVersion > SCHEMA_VERSION) {
        throw new StateFileError(path, `was written by a newer Vigil (schema version ${this.openedVersion}; this one knows up to ${SCHEMA_VERSION})`, "upgrade Vigil, or give this one another --state file");
      }
      if (path !== ":memory:") {
        const lock = acquireLock(path);
        if (lock === "busy") throw new StateLockedError(path, this.holder());
        this.lock = lock;
      }
      this.db.pragma("journal_mode = WAL");
      // In WAL mode NORMAL survives any crash of this process (the WAL is in the OS's hands once a
      // commit returns); only a power loss can roll back the last commits, and then blocks are
      // processed again (findings re-emitted with the same uniqueKey), never skipped.
      this.db.pragma("synchronous = NORMAL");
      this.migrate();
      this.observations = new ObservationTable(this.db);
      const holder: StateHolder = { pid: process.pid, host: hostname(), startedAt: new Date().toISOString() };
      this.db.prepare("INSERT OR REPLACE INTO meta(key, value) VALUES ('holder', ?)").run(JSON.stringify(holder));
    } catch (err) {
      this.lock?.close();
      this.db.close();
      throw err;
    }
  }

  /** Bring the file to SCHEMA_VERSION, one migration at a time, each in its own transaction. */
  private migrate(): void {
    const set = () => this.db.prepare("INSERT OR REPLACE INTO meta(key, value) VALUES ('schemaVersion', ?)");
    for (const m of MIGRATIONS) {
      if (m.version <= this.openedVersion) continue;
      this.db.transaction(() => {
        m.up(this.db);
        set().run(String(m.version));
      })();
    }
  }

  /** Who holds the file, as recorded by the runtime that opened it last. */
  holder(): StateHolder | undefined {
    try {
      const row = this.db.prepare("SELECT value FROM meta WHERE key = 'holder'").get() as { value: string } | undefined;
      return row ? (JSON.parse(row.value) as StateHolder) : undefined;
    } catch {
      return undefined;
    }
  }

  schemaVersion(): number {
    return schemaVersion(this.db, this.path);
  }

  close(): void {
    if (!this.db.open) return;
    try {
      if (this.lock) this.db.prepare("DELETE FROM meta WHERE key = 'holder'").run();
    } finally {
      this.db.close();
      this.lock?.close();
    }
  }

  /** Bind the file to one chain; refuse a file written for another. */
  bindChain(chainId: number, genesisHash: string): void {
    const get = this.db.prepare("SELECT value FROM meta WHERE key = ?");
    const set = this.db.prepare("INSERT OR REPLACE INTO meta(key, value) VALUES (?, ?)");
    const storedId = get.get("chainId") as { value: string } | undefined;
    const storedGenesis = get.get("genesisHash") as { value: string } | undefined;
    if (storedId && storedId.value !== String(chainId)) throw new StateMismatchError(this.path, "chain id", storedId.value, String(chainId));
    if (storedGenesis && storedGenesis.value !== genesisHash) throw new StateMismatchError(this.path, "genesis", storedGenesis.value, genesisHash);
    set.run("chainId", String(chainId));
    set.run("genesisHash", genesisHash);
  }

  /** Remember why a bot is off (BotDisabledError), or that it is on again; the dashboard shows it. */
  setBotDisabled(bot: string, why: string | undefined): void {
    if (why === undefined) this.db.prepare("DELETE FROM meta WHERE key = ?").run(`bot.disabled.${bot}`);
    else this.db.prepare("INSERT OR REPLACE INTO meta(key, value) VALUES (?, ?)").run(`bot.disabled.${bot}`, why);
  }

  /** The next block to process, if the file has one. */
  cursor(): number | undefined {
    const row = this.db.prepare("SELECT value FROM meta WHERE key = 'cursor'").get() as { value: string } | undefined;
    return row ? Number(row.value) : undefined;
  }

  /** `sql` prepared once for this store (the statements of every block) */
  private prepared(sql: string): Database.Statement {
    let st = this.statements.get(sql);
    if (!st) this.statements.set(sql, (st = this.db.prepare(sql)));
    return st;
  }

  setCursor(next: number): void {
    this.prepared("INSERT OR REPLACE INTO meta(key, value) VALUES ('cursor', ?)").run(String(next));
  }

  block(number: number): BlockRow | undefined {
    const r = this.prepared("SELECT number, hash, parent_hash AS parentHash, timestamp FROM blocks WHERE number = ?").get(number) as BlockRow | undefined;
    return r;
  }

  oldestBlock(): number | undefined {
    const r = this.db.prepare("SELECT MIN(number) AS n FROM blocks").get() as { n: number | null };
    return r.n ?? undefined;
  }

  /**
   * Record a processed block: its hash, its findings (ignored if their uniqueKey is already
   * stored), the bots' state after it, and the cursor, all or nothing.
   */
  commitBlock(args: {
    block: BlockRow;
    findings: readonly EmittedFinding[];
    states: ReadonlyMap<string, string>;
    next: number;
    keepBlocks: number;
    /** the numbers the bots observed in this block (ctx.observe) */
    observations?: readonly Observation[];
  }): { inserted: number; duplicates: string[] } {
    const duplicates: string[] = [];
    let inserted = 0;
    const insertFinding = this.prepared("INSERT OR IGNORE INTO findings(unique_key, bot, block_number, block_hash, tx_hash, json) VALUES (?, ?, ?, ?, ?, ?)");
    const insertState = this.prepared("INSERT OR REPLACE INTO bot_state(bot, block_number, json) VALUES (?, ?, ?)");
    const tx = this.db.transaction(() => {
      this.prepared("INSERT OR REPLACE INTO blocks(number, hash, parent_hash, timestamp) VALUES (?, ?, ?, ?)").run(args.block.number, args.block.hash, args.block.parentHash, args.block.timestamp);
      for (const f of args.findings) {
        const r = insertFinding.run(f.finding.uniqueKey, f.bot, f.blockNumber, f.blockHash, f.txHash ?? null, JSON.stringify(f));
        if (r.changes === 0) duplicates.push(f.finding.uniqueKey);
        else inserted++;
      }
      this.observations.write(args.block, args.observations ?? []);
      for (const [bot, json] of args.states) {
        if (this.lastState.get(bot) === json) continue;
        insertState.run(bot, args.block.number, json);
      }
      this.setCursor(args.next);
      if (args.block.number % 64 === 0) {
        this.prune(args.block.number - args.keepBlocks);
        this.observations.prune(args.block.timestamp);
      }
    });
    tx();
    for (const [bot, json] of args.states) this.lastState.set(bot, json);
    return { inserted, duplicates };
  }

  /** Store findings not tied to a processed block (e.g. a reorg's retraction); returns how many were new. */
  insertFindings(findings: readonly EmittedFinding[]): number {
    const ins = this.db.prepare(
      "INSERT OR IGNORE INTO findings(unique_key, bot, block_number, block_hash, tx_hash, json) VALUES (?, ?, ?, ?, ?, ?)",
    );
    let inserted = 0;
    this.db.transaction(() => {
      for (const f of findings) inserted += ins.run(f.finding.uniqueKey, f.bot, f.blockNumber, f.blockHash, f.txHash ?? null, JSON.stringify(f)).changes;
    })();
    return inserted;
  }

  /** Forget history older than `floor` (keeping the newest state row below it for each bot). */
  private prune(floor: number): void {
    if (floor <= 0) return;
    this.db.prepare("DELETE FROM blocks WHERE number < ?").run(floor);
    this.db
      .prepare(
        `DELETE FROM bot_state WHERE block_number < ? AND block_number < (
           SELECT MAX(s2.block_number) FROM bot_state s2 WHERE s2.bot = bot_state.bot AND s2.block_number < ?)`,
      )
      .run(floor, floor);
  }

  /** The bots' state as it was after `block` (the newest row at or below it). */
  statesAt(block: number): Map<string, string> {
    const rows = this.db
      .prepare(
        `SELECT s.bot, s.json FROM bot_state s
         WHERE s.block_number = (SELECT MAX(block_number) FROM bot_state WHERE bot = s.bot AND block_number <= ?)`,
      )
      .all(block) as { bot: string; json: string }[];
    return new Map(rows.map((r) => [r.bot, r.json]));
  }

  /**
   * Rewind to `ancestor` after a reorg: blocks, bot state and findings above it are removed;
   * the removed findings are returned (and remembered as retracted by `by`). The runtime's own
   * findings about those blocks (a bot that threw, timed out or could not start there) go with
   * them: the new branch is run afresh and reports its own. Retractions are kept: what they
   * retracted stays retracted.
   */
  rewind(ancestor: number, by: string): StoredFinding[] {
    const orphaned = this.findingsAfter(ancestor);
    this.db.transaction(() => {
      const log = this.db.prepare("INSERT INTO retracted(unique_key, block_number, block_hash, retracted_by) VALUES (?, ?, ?, ?)");
      const del = this.db.prepare("DELETE FROM findings WHERE seq = ?");
      for (const f of orphaned) {
        log.run(f.finding.uniqueKey, f.blockNumber, f.blockHash, by);
        del.run(f.seq);
      }
      this.db.prepare("DELETE FROM blocks WHERE number > ?").run(ancestor);
      this.db.prepare("DELETE FROM bot_state WHERE block_number > ?").run(ancestor);
      this.observations.rewind(ancestor);
      this.setCursor(ancestor + 1);
    })();
    this.lastState.clear();
    return orphaned;
  }

  /** Findings of blocks above `block`, in emission order, except reorg retractions. */
  findingsAfter(block: number): StoredFinding[] {
    return (
      this.db
        .prepare("SELECT seq, json FROM findings WHERE block_number > ? AND json_extract(json, '$.finding.alertId') IS NOT ? ORDER BY seq")
        .all(block, RUNTIME_ALERTS.reorg.id) as {
        seq: number;
        json: string;
      }[]
    ).map((r) => ({ ...(JSON.parse(r.json) as EmittedFinding), seq: r.seq }));
  }

  /** Findings a sink has not yet received, in emission order. */
  undelivered(sink: string, limit = 1000): StoredFinding[] {
    const cur = this.db.prepare("SELECT seq FROM sink_cursor WHERE sink = ?").get(sink) as { seq: number } | undefined;
    return (
      this.db.prepare("SELECT seq, json FROM findings WHERE seq > ? ORDER BY seq LIMIT ?").all(cur?.seq ?? 0, limit) as {
        seq: number;
        json: string;
      }[]
    ).map((r) => ({ ...(JSON.parse(r.json) as EmittedFinding), seq: r.seq }));
  }

  /** How many findings a sink has not yet received. */
  undeliveredCount(sink: string): number {
    const cur = this.db.prepare("SELECT seq FROM sink_cursor WHERE sink = ?").get(sink) as { seq: number } | undefined;
    return (this.db.prepare("SELECT COUNT(*) AS n FROM findings WHERE seq > ?").get(cur?.seq ?? 0) as { n: number }).n;
  }

  markDelivered(sink: string, seq: number): void {
    this.db.prepare("INSERT INTO sink_cursor(sink, seq) VALUES (?, ?) ON CONFLICT(sink) DO UPDATE SET seq = MAX(seq, excluded.seq)").run(sink, seq);
  }

  /** A sink seen for the first time starts at the current end (it gets what comes next), unless told otherwise. */
  registerSink(sink: string, fromStart: boolean): void {
    const cur = this.db.prepare("SELECT seq FROM sink_cursor WHERE sink = ?").get(sink);
    if (cur) return;
    const max = fromStart ? 0 : ((this.db.prepare("SELECT MAX(seq) AS m FROM findings").get() as { m: number | null }).m ?? 0);
    this.db.prepare("INSERT INTO sink_cursor(sink, seq) VALUES (?, ?)").run(sink, max);
  }

  allFindings(): StoredFinding[] {
    return (this.db.prepare("SELECT seq, json FROM findings ORDER BY seq").all() as { seq: number; json: string }[]).map((r) => ({
      ...(JSON.parse(r.json) as EmittedFinding),
      seq: r.seq,
    }));
  }
}
