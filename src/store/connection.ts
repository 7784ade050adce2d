// Opening the database. SQLite (the zero-configuration default): parent folders, pragmas, and clear
// errors for the two failures an operator meets in practice (file locked by another writer, path that
// is not a database). PostgreSQL (a postgres:// URL): a pg pool with bigint/numeric read as numbers,
// the busy timeout as lock_timeout, and a first query so a wrong URL fails at open, naming the
// database (password redacted). Either way the repositories get one Kysely<DB>.
import { mkdirSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import Database from 'better-sqlite3';
import { Kysely, PostgresDialect, SqliteDialect, sql } from 'kysely';
import pg from 'pg';
import { translateError } from './errors.js';
import type { DB } from './schema.js';

export const DEFAULT_BUSY_TIMEOUT_MS = 5000;

export type Backend = 'sqlite' | 'postgres';

export interface ConnectionOptions {
  busyTimeoutMs?: number;
  /** PostgreSQL: connections in the pool. Default 10. */
  poolSize?: number;
}

export function isMemory(path: string): boolean {
  return path === ':memory:' || path === '';
}

/** A postgres:// or postgresql:// URL (anything else is a SQLite path). */
export function isPostgresUrl(target: string): boolean {
  return /^postgres(ql)?:\/\//i.test(target);
}

/** The URL with its password replaced by ***, for logs and error messages. */
export function redactUrl(url: string): string {
  try {
    const u = new URL(url);
    if (u.password) u.password = '***';
    return u.toString();
  } catch {
    return url.replace(/\/\/([^:/@]*):[^@/]*@/, '//$1:***@');
  }
}

/** Opens (creating folders and file) and configures a SQLite connection. `file` in errors is the resolved path. */
export function openDatabase(path: string, options: ConnectionOptions = {}): { db: Database.Database; file: string } {
  const busyTimeoutMs = options.busyTimeoutMs ?? DEFAULT_BUSY_TIMEOUT_MS;
  const file = isMemory(path) ? ':memory:' : resolve(path);
  if (!isMemory(path)) mkdirSync(dirname(file), { recursive: true });
  const db = new Database(file);
  try {
    // busy_timeout first: the journal_mode switch below may itself have to wait for a lock.
    db.pragma(`busy_timeout = ${Math.max(0, Math.floor(busyTimeoutMs))}`);
    // Reading the schema is the first thing that touches the file, so a non-database fails here.
    db.prepare('SELECT count(*) FROM sqlite_master').get();
    // WAL: readers (dashboard, stats) never block the writer and vice versa.
    db.pragma('journal_mode = WAL');
    // NORMAL is durable across application crashes in WAL mode; only an OS crash can lose the last commits.
    db.pragma('synchronous = NORMAL');
    db.pragma('foreign_keys = ON');
  } catch (err) {
    db.close();
    throw translateError(err, file, busyTimeoutMs);
  }
  return { db, file };
}

export function sqliteKysely(db: Database.Database): Kysely<DB> {
  return new Kysely<DB>({ dialect: new SqliteDialect({ database: db }) });
}

const INT8 = 20;
const NUMERIC = 1700;

/** A pg pool on `url`; COUNT(*) (bigint), SUM (numeric) and BIGINT ids come back as JS numbers. */
export function postgresPool(url: string, options: ConnectionOptions = {}): pg.Pool {
  return new pg.Pool({
    connectionString: url,
    max: options.poolSize ?? 10,
    connectionTimeoutMillis: 10_000,
    lock_timeout: Math.max(1, Math.floor(options.busyTimeoutMs ?? DEFAULT_BUSY_TIMEOUT_MS)),
    types: {
      getTypeParser: ((oid: number, format?: 'text' | 'binary') =>
        oid === INT8 || oid === NUMERIC ? (v: string) => Number(v) : pg.types.getTypeParser(oid, format as 'text')) as typeof pg.types.getTypeParser,
    },
  });
}

/** Opens a pool and checks that the database answers (a wrong URL fails here, not on the first message). */
export async function openPostgres(url: string, options: ConnectionOptions = {}): Promise<{ db: Kysely<DB>; pool: pg.Pool; file: string }> {
  const file = redactUrl(url);
  const pool = postgresPool(url, options);
  // An idle client losing its server (restart, failover) must not crash the process: the next query reconnects.
  pool.on('error', () => undefined);
  const db = new Kysely<DB>({ dialect: new PostgresDialect({ pool }) });
  try {
    await sql`SELECT 1`.execute(db);
  } catch (err) {
    await db.destroy().catch(() => undefined);
    throw translateError(err, file, options.busyTimeoutMs ?? DEFAULT_BUSY_TIMEOUT_MS);
  }
  return { db, pool, file };
}
