// Store errors say what went wrong in words an operator can act on (which file, what to do), instead
// of SQLite's bare "SQLITE_BUSY" / "file is not a database".
import Database from 'better-sqlite3';

export class StoreError extends Error {
  constructor(
    message: string,
    readonly code: 'locked' | 'not-a-database' | 'schema-too-new' | 'not-found' | 'invalid',
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = 'StoreError';
  }
}

/** Another connection held the write lock longer than our busy timeout. */
export class StoreLockedError extends StoreError {
  constructor(
    readonly file: string,
    busyTimeoutMs: number,
    cause: unknown,
  ) {
    super(
      `database is locked: ${file} (another process or connection held the write lock for more than the ${busyTimeoutMs} ms busy timeout; ` +
        'is a second toxguard running against the same file?)',
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

const LOCKED_CODES = new Set(['SQLITE_BUSY', 'SQLITE_BUSY_SNAPSHOT', 'SQLITE_BUSY_RECOVERY', 'SQLITE_BUSY_TIMEOUT', 'SQLITE_LOCKED', 'SQLITE_LOCKED_SHAREDCACHE']);
const NOT_A_DB_CODES = new Set(['SQLITE_NOTADB', 'SQLITE_CORRUPT']);

/** Maps SQLite's low-level errors onto the two an operator can do something about; others pass through. */
export function translateError(err: unknown, file: string, busyTimeoutMs: number): unknown {
  if (err instanceof Database.SqliteError) {
    if (LOCKED_CODES.has(err.code)) return new StoreLockedError(file, busyTimeoutMs, err);
    if (NOT_A_DB_CODES.has(err.code)) return new NotADatabaseError(file, err);
  }
  return err;
}
