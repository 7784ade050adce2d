// Opening the SQLite file: parent folders, pragmas, and clear errors for the two failures an
// operator meets in practice (file locked by another writer, path that is not a database).
import { mkdirSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import Database from 'better-sqlite3';
import { translateError } from './errors.js';

export const DEFAULT_BUSY_TIMEOUT_MS = 5000;

export interface ConnectionOptions {
  busyTimeoutMs?: number;
}

export function isMemory(path: string): boolean {
  return path === ':memory:' || path === '';
}

/** Opens (creating folders and file) and configures a connection. `file` in errors is the resolved path. */
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
