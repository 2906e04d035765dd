/**
 * The sink's database connection, for SQLite (better-sqlite3, WAL) and PostgreSQL (pg).
 *
 * Store code is written once for both: a transaction body is a generator that yields SQL
 * statements (`yield* all(...)`, `yield* run(...)`) and receives their results. On SQLite the
 * body is driven synchronously inside one `BEGIN IMMEDIATE` transaction (nothing else in the
 * process can interleave with it, so the runtime's own connection to the same file never waits on
 * a half-done sink transaction); on PostgreSQL it is driven asynchronously on one pooled client.
 * SQL is written with `?` placeholders and converted to `$n` for PostgreSQL.
 */
import Database from "better-sqlite3";
import { mkdirSync } from "fs";
import { dirname } from "path";
import type { Pool, PoolClient } from "pg";
import { VigilError } from "../../shared/errors";
import { maskUrl } from "../../shared/net/secrets";

export type Dialect = "sqlite" | "pg";

export interface Op {
  mode: "all" | "run";
  sql: string;
  params: readonly unknown[];
}
/** A piece of store code: yields statements, returns T. */
export type Q<T> = Generator<Op, T, unknown>;

export function* all<T>(sql: string, params: readonly unknown[] = []): Q<T[]> {
  return (yield { mode: "all", sql, params }) as T[];
}
export function* get<T>(sql: string, params: readonly unknown[] = []): Q<T | undefined> {
  const rows = yield* all<T>(sql, params);
  return rows[0];
}
/** Runs a statement; returns the number of rows changed. */
export function* run(sql: string, params: readonly unknown[] = []): Q<number> {
  return (yield { mode: "run", sql, params }) as number;
}

export interface Db {
  readonly dialect: Dialect;
  /** where it lives, safe to print */
  readonly describe: string;
  /** Run `body` in one transaction (retried on PostgreSQL serialization failures and deadlocks). */
  tx<T>(body: () => Q<T>): Promise<T>;
  /** Run `body` outside an explicit transaction (reads). */
  read<T>(body: () => Q<T>): Promise<T>;
  close(): Promise<void>;
}

export class SqliteDb implements Db {
  readonly dialect = "sqlite" as const;
  readonly describe: string;
  readonly raw: Database.Database;
  constructor(path: string) {
    if (path !== ":memory:") mkdirSync(dirname(path), { recursive: true });
    this.raw = new Database(path);
    this.raw.pragma("journal_mode = WAL");
    this.raw.pragma("synchronous = NORMAL");
    // another process (the CLI, a second `sink serve`, the runtime) may hold the write lock briefly
    this.raw.pragma("busy_timeout = 15000");
    this.describe = path;
  }
  private drive<T>(gen: Q<T>): T {
    let r = gen.next();
    while (!r.done) {
      const op = r.value;
      let result: unknown;
      try {
        const st = this.raw.prepare(op.sql);
        const params = op.params.map((p) => (typeof p === "boolean" ? (p ? 1 : 0) : p));
        result = op.mode === "all" ? (st.reader ? st.all(...params) : (st.run(...params), [])) : st.run(...params).changes;
      } catch (err) {
        r = gen.throw(err);
        continue;
      }
      r = gen.next(result);
    }
    return r.value;
  }
  async tx<T>(body: () => Q<T>): Promise<T> {
    return this.raw.transaction(() => this.drive(body())).immediate();
  }
  async read<T>(body: () => Q<T>): Promise<T> {
    return this.drive(body());
  }
  async close(): Promise<void> {
    if (this.raw.open) this.raw.close();
  }
}

function toPg(sql: string): string {
  let n = 0;
  return sql.replace(/\?/g, () => `$${++n}`);
}

export class PgDb implements Db {
  readonly dialect = "pg" as const;
  readonly describe: string;
  constructor(
    readonly pool: Pool,
    url: string,
  ) {
    this.describe = maskUrl(url);
  }
  static async connect(url: string): Promise<PgDb> {
    const pg = await import("pg");
    pg.types.setTypeParser(20, (v) => Number(v)); // int8 -> number (ids and epoch ms fit)
    const pool = new pg.Pool({ connectionString: url, max: 8 });
    pool.on("error", () => undefined); // a dropped idle client is replaced on next use
    try {
      const c = await pool.connect();
      c.release();
    } catch (err) {
      await pool.end().catch(() => undefined);
      throw new VigilError("SINK_DB", `cannot connect to PostgreSQL at ${maskUrl(url)}: ${(err as Error).message}; check SINK_DATABASE_URL`);
    }
    return new PgDb(pool, url);
  }
  private async drive<T>(c: PoolClient, gen: Q<T>): Promise<T> {
    let r = gen.next();
    while (!r.done) {
      const op = r.value;
      let result: unknown;
      try {
        const res = await c.query(toPg(op.sql), op.params as unknown[]);
        result = op.mode === "all" ? res.rows : (res.rowCount ?? 0);
      } catch (err) {
        r = gen.throw(err);
        continue;
      }
      r = gen.next(result);
    }
    return r.value;
  }
  async tx<T>(body: () => Q<T>): Promise<T> {
    for (let attempt = 1; ; attempt++) {
      const c = await this.pool.connect();
      try {
        await c.query("BEGIN");
        const out = await this.drive(c, body());
        await c.query("COMMIT");
        return out;
      } catch (err) {
        await c.query("ROLLBACK").catch(() => undefined);
        const code = (err as { code?: string }).code;
        if ((code === "40001" || code === "40P01") && attempt < 10) continue;
        throw err;
      } finally {
        c.release();
      }
    }
  }
  async read<T>(body: () => Q<T>): Promise<T> {
    const c = await this.pool.connect();
    try {
      return await this.drive(c, body());
    } finally {
      c.release();
    }
  }
  async close(): Promise<void> {
    await this.pool.end().catch(() => undefined);
  }
}

/** SINK_DATABASE_URL (postgres://...) or a SQLite file path. */
export async function openDb(target: string): Promise<Db> {
  if (/^postgres(ql)?:\/\//.test(target)) return PgDb.connect(target);
  return new SqliteDb(target);
}

const TRANSIENT_SQLITE = /^SQLITE_(BUSY|LOCKED|IOERR|FULL|CANTOPEN|READONLY|PROTOCOL|NOMEM|INTERRUPT|CORRUPT|NOTADB|PERM|AUTH)/;
/**
 * SQLSTATE classes of a database that is busy or away (connection, resources, operator, system,
 * rollback, lock) or of a schema/permission problem (42: every finding would fail the same way)
 */
const TRANSIENT_PG = /^(08|53|57|58|40|42|55P03|XX)/;
const TRANSIENT_NODE = new Set(["ECONNREFUSED", "ECONNRESET", "ETIMEDOUT", "EPIPE", "ENOTFOUND", "EAI_AGAIN", "EHOSTUNREACH", "ENETUNREACH"]);

/**
 * Whether a store error is not the data's fault: the database is busy or away, or its schema or
 * permissions are wrong (every finding would fail alike), so retry later; rather than that it
 * refused this data (a value PostgreSQL cannot store, a constraint, a value our code cannot
 * handle). The runtime's intake retries the first and quarantines the finding on the second. A
 * pool or handle already closed counts as away (the process is stopping).
 */
export function isTransientStoreError(err: unknown): boolean {
  const e = err as { code?: unknown; message?: unknown } | undefined;
  const code = typeof e?.code === "string" ? e.code : "";
  const message = typeof e?.message === "string" ? e.message : "";
  if (TRANSIENT_SQLITE.test(code) || TRANSIENT_NODE.has(code)) return true;
  if (/^[0-9A-Z]{5}$/.test(code) && TRANSIENT_PG.test(code)) return true;
  return /connection terminated|timeout exceeded when trying to connect|connection error|after calling end on the pool|database connection is not open|database is locked|no such (table|column)/i.test(message);
}
