// Store errors say what went wrong in words an operator can act on (which file or database, what to
// do), instead of SQLite's bare "SQLITE_BUSY" / "file is not a database" or pg's "ECONNREFUSED".
// A PostgreSQL database is always named by its URL with the password redacted.
import Database from 'better-sqlite3';

export class StoreError extends Error {
  constructor(
    message: string,
    readonly code: 'locked' | 'not-a-database' | 'schema-too-new' | 'not-found' | 'invalid' | 'unavailable',
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = 'StoreError';
  }
}

/** Another connection held the write lock (SQLite) or a row/table lock (PostgreSQL) longer than our busy timeout. */
export class StoreLockedError extends StoreError {
  constructor(
    readonly file: string,
    busyTimeoutMs: number,
    cause: unknown,
  ) {
    super(
      `database is locked: ${file} (another process or connection held the write lock for more than the ${busyTimeoutMs} ms busy timeout; ` +
        (file.includes('://') ? 'is a long transaction or a stuck session holding it?)' : 'is a second toxguard running against the same file?)'),
      'locked',
      { cause },
    );
    this.name = 'StoreLockedError';
  }
}

export class NotADatabaseError extends StoreError {
  constructor(
    readonly file: string,
    cause: unknown,
  ) {
    super(`${file} is not a SQLite database (or it is encrypted or corrupt); point the store at a new path or a toxguard database`, 'not-a-database', { cause });
    this.name = 'NotADatabaseError';
  }
}

/** The PostgreSQL server cannot be reached or refuses us (down, wrong host, credentials, database name). */
export class DatabaseUnavailableError extends StoreError {
  constructor(
    readonly file: string,
    detail: string,
    cause: unknown,
  ) {
    super(`cannot use PostgreSQL database ${file}: ${detail}`, 'unavailable', { cause });
    this.name = 'DatabaseUnavailableError';
  }
}

const LOCKED_CODES = new Set(['SQLITE_BUSY', 'SQLITE_BUSY_SNAPSHOT', 'SQLITE_BUSY_RECOVERY', 'SQLITE_BUSY_TIMEOUT', 'SQLITE_LOCKED', 'SQLITE_LOCKED_SHAREDCACHE']);
const NOT_A_DB_CODES = new Set(['SQLITE_NOTADB', 'SQLITE_CORRUPT']);
/** pg: lock_not_available (lock_timeout), and the network and authentication failures an operator can fix. */
const PG_LOCKED = new Set(['55P03']);
const PG_UNAVAILABLE = new Set(['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'ECONNRESET', 'ETIMEDOUT', '28P01', '28000', '3D000', '57P03', '53300']);

/** Maps the engines' low-level errors onto the ones an operator can do something about; others pass through. */
export function translateError(err: unknown, file: string, busyTimeoutMs: number): unknown {
  if (err instanceof StoreError) return err;
  if (err instanceof Database.SqliteError) {
    if (LOCKED_CODES.has(err.code)) return new StoreLockedError(file, busyTimeoutMs, err);
    if (NOT_A_DB_CODES.has(err.code)) return new NotADatabaseError(file, err);
    return err;
  }
  if (err instanceof Error) {
    const code = (err as { code?: unknown }).code;
    if (typeof code === 'string' && PG_LOCKED.has(code)) return new StoreLockedError(file, busyTimeoutMs, err);
    if (typeof code === 'string' && PG_UNAVAILABLE.has(code)) return new DatabaseUnavailableError(file, err.message, err);
    if (/timeout exceeded when trying to connect|Connection terminated/i.test(err.message)) return new DatabaseUnavailableError(file, err.message, err);
  }
  return err;
}
