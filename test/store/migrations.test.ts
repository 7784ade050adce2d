import { existsSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { LATEST_VERSION, MIGRATIONS, Store, StoreError } from '../../src/store/index.js';
import { migrate } from '../../src/store/migrations.js';
import { tempDir, track } from './helpers.js';

const TABLES = ['actions', 'cursors', 'drift', 'drift_days', 'installations', 'policies', 'policy_audit', 'review_decisions', 'review_items', 'scan_checkpoints', 'schema_version', 'strikes', 'verdict_sources', 'verdicts'];

describe('migrations', () => {
  it('creates parent folders and the schema on first open, and does not re-run on re-open', () => {
    const file = join(tempDir(), 'deep', 'er', 'toxguard.db');
    const first = Store.open(file);
    expect(existsSync(file)).toBe(true);
    expect(first.migrated).toEqual(MIGRATIONS.map((m) => m.version));
    expect(first.schemaVersion()).toBe(LATEST_VERSION);
    first.close();
    first.close(); // idempotent

    const second = track(Store.open(file));
    expect(second.migrated).toEqual([]);
    second.close();

    const raw = new Database(file, { readonly: true });
    try {
      const tables = raw
        .prepare<[], { name: string }>(`SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name`)
        .all()
        .map((r) => r.name);
      expect(tables).toEqual(TABLES);
      const versions = raw.prepare('SELECT version, description FROM schema_version').all();
      expect(versions).toEqual(MIGRATIONS.map((m) => ({ version: m.version, description: m.description })));
      expect(raw.pragma('journal_mode', { simple: true })).toBe('wal');
    } finally {
      raw.close();
    }
  });

  it('turns on foreign keys and the busy timeout on every connection', () => {
    const store = track(Store.open(join(tempDir(), 'a.db'), { busyTimeoutMs: 1234 }));
    // reach the connection the way a maintainer would debug it
    const db = (store as unknown as { db: Database.Database }).db;
    expect(db.pragma('foreign_keys', { simple: true })).toBe(1);
    expect(db.pragma('busy_timeout', { simple: true })).toBe(1234);
  });

  it('applies only newer migrations, in one transaction (a failing migration leaves nothing behind)', () => {
    const file = join(tempDir(), 'm.db');
    track(Store.open(file)).close();
    const db = new Database(file);
    try {
      const next = LATEST_VERSION + 1;
      const broken = [...MIGRATIONS, { version: next, description: 'adds a table then fails', sql: 'CREATE TABLE extra (x); SELECT * FROM nowhere;' }];
      expect(() => migrate(db, '2025-01-01T00:00:00.000Z', broken)).toThrow(/nowhere/);
      expect(db.prepare(`SELECT name FROM sqlite_master WHERE name = 'extra'`).get()).toBeUndefined();
      expect(db.prepare('SELECT MAX(version) AS v FROM schema_version').get()).toEqual({ v: LATEST_VERSION });

      const good = [...MIGRATIONS, { version: next, description: 'adds a table', sql: 'CREATE TABLE extra (x)' }];
      expect(migrate(db, '2025-01-01T00:00:00.000Z', good)).toEqual([next]);
      expect(migrate(db, '2025-01-01T00:00:00.000Z', good)).toEqual([]);
    } finally {
      db.close();
    }
  });

  it('refuses a database written by a newer toxguard', () => {
    const file = join(tempDir(), 'new.db');
    track(Store.open(file)).close();
    const db = new Database(file);
    db.prepare(`INSERT INTO schema_version (version, description, applied_at) VALUES (99, 'future', 'x')`).run();
    db.close();
    expect(() => Store.open(file)).toThrow(StoreError);
    expect(() => Store.open(file)).toThrow(/schema version 99 is newer/);
  });

  it('works in memory', () => {
    const store = track(Store.open(':memory:'));
    expect(store.file).toBe(':memory:');
    expect(store.schemaVersion()).toBe(LATEST_VERSION);
  });
});
