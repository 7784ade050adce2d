import { existsSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { LATEST_VERSION, MIGRATIONS, Store, StoreError } from '../../src/store/index.js';
import { migrate } from '../../src/store/migrations.js';
import { tempDir, track } from './helpers.js';

const TABLES = ['actions', 'cursors', 'drift', 'drift_days', 'installations', 'policies', 'policy_audit', 'review_decisions', 'review_items', 'scan_checkpoints', 'schema_version', 'strikes', 'verdict_sources', 'verdicts'];

describe('migrations', () => {
  it('creates parent folders and the schema on first open, and does not re-run on re-open', async () => {
    const file = join(tempDir(), 'deep', 'er', 'toxguard.db');
    const first = await Store.open(file);
    expect(existsSync(file)).toBe(true);
    expect(first.migrated).toEqual(MIGRATIONS.map((m) => m.version));
    expect(await first.schemaVersion()).toBe(LATEST_VERSION);
    await first.close();
    await first.close(); // idempotent

    const second = track(await Store.open(file));
    expect(second.migrated).toEqual([]);
    await second.close();

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

  it("migration 5 keeps every action of a version-4 database and allows 'refresh-alert'", async () => {
    const file = join(tempDir(), 'v4.db');
    const raw = new Database(file);
    migrate(raw, '2025-01-01T00:00:00.000Z', MIGRATIONS.filter((m) => m.version <= 4));
    raw.exec(`INSERT INTO verdicts (id, message_key, platform, server_id, channel_id, message_id, author_id, kind, content_hash, excerpt, text_stored,
                                    scores_json, label_sources_json, spans_json, model_name, model_version, decision_json, latency_ms, message_at, created_at, updated_at)
              VALUES (1, 'discord:g:c:m', 'discord', 'g', 'c', 'm', 'u', 'new', 'h', 'x', 'full', '{}', '{}', '[]', 'b', '1', '{"actions":[],"triggered":[],"logOnly":false}', 1, 't', 't', 't')`);
    raw.exec(`INSERT INTO actions (verdict_id, kind, dedupe_key, payload_json, status, next_attempt_at, result_json, created_at, updated_at)
              VALUES (1, 'alert', 'alert', 'null', 'done', 't', '{"channelId":"mods","messageId":"9"}', 't', 't')`);
    expect(() => raw.exec(`INSERT INTO actions (verdict_id, kind, dedupe_key, payload_json, next_attempt_at, created_at, updated_at) VALUES (1, 'refresh-alert', 'r', 'null', 't', 't', 't')`)).toThrow(/CHECK/);
    raw.close();
    const store = track(await Store.open(file));
    expect(store.migrated).toEqual([5, 6, 7]);
    expect(await store.listActions(1)).toEqual([expect.objectContaining({ kind: 'alert', status: 'done', result: { channelId: 'mods', messageId: '9' } })]);
    const review = await store.ensureReview(1);
    await store.decideReview(review.id, 'confirmed', 'alice', 'dashboard');
    expect((await store.listActions(1)).map((a) => a.kind)).toEqual(['alert', 'refresh-alert']);
  });

  it("migration 6 adds Reddit's cursors table to a version-5 database (and only migration 6 does)", async () => {
    expect(MIGRATIONS.map((m) => m.version)).toEqual([1, 2, 3, 4, 5, 6, 7]);
    expect(MIGRATIONS.filter((m) => /CREATE TABLE cursors\b/.test(m.sql)).map((m) => m.version)).toEqual([6]);
    const file = join(tempDir(), 'v5.db');
    const raw = new Database(file);
    migrate(raw, '2025-01-01T00:00:00.000Z', MIGRATIONS.filter((m) => m.version <= 5));
    expect(raw.prepare(`SELECT name FROM sqlite_master WHERE type = 'table' AND name = 'cursors'`).all()).toEqual([]);
    raw.close();
    const store = track(await Store.open(file));
    expect(store.migrated).toEqual([6, 7]);
    expect(await store.schemaVersion()).toBe(7);
    await store.setCursor('reddit:testsub:comments', { after: 't1_a' });
    expect((await store.getCursor('reddit:testsub:comments'))?.value).toEqual({ after: 't1_a' });
  });

  it('turns on foreign keys and the busy timeout on every connection', async () => {
    const store = track(await Store.open(join(tempDir(), 'a.db'), { busyTimeoutMs: 1234 }));
    // reach the connection the way a maintainer would debug it
    const db = (store as unknown as { sqlite: Database.Database }).sqlite;
    expect(db.pragma('foreign_keys', { simple: true })).toBe(1);
    expect(db.pragma('busy_timeout', { simple: true })).toBe(1234);
  });

  it('applies only newer migrations, in one transaction (a failing migration leaves nothing behind)', async () => {
    const file = join(tempDir(), 'm.db');
    await track(await Store.open(file)).close();
    const db = new Database(file);
    try {
      const next = LATEST_VERSION + 1;
      const broken = [...MIGRATIONS, { version: next, description: 'adds a table then fails', sql: 'CREATE TABLE extra (x); SELECT * FROM nowhere;', postgres: '' }];
      expect(() => migrate(db, '2025-01-01T00:00:00.000Z', broken)).toThrow(/nowhere/);
      expect(db.prepare(`SELECT name FROM sqlite_master WHERE name = 'extra'`).get()).toBeUndefined();
      expect(db.prepare('SELECT MAX(version) AS v FROM schema_version').get()).toEqual({ v: LATEST_VERSION });

      const good = [...MIGRATIONS, { version: next, description: 'adds a table', sql: 'CREATE TABLE extra (x)', postgres: '' }];
      expect(migrate(db, '2025-01-01T00:00:00.000Z', good)).toEqual([next]);
      expect(migrate(db, '2025-01-01T00:00:00.000Z', good)).toEqual([]);
    } finally {
      db.close();
    }
  });

  it('refuses a database written by a newer toxguard', async () => {
    const file = join(tempDir(), 'new.db');
    await track(await Store.open(file)).close();
    const db = new Database(file);
    db.prepare(`INSERT INTO schema_version (version, description, applied_at) VALUES (99, 'future', 'x')`).run();
    db.close();
    await expect((async () => await Store.open(file))()).rejects.toThrow(StoreError);
    await expect((async () => await Store.open(file))()).rejects.toThrow(/schema version 99 is newer/);
  });

  it('works in memory', async () => {
    const store = track(await Store.open(':memory:'));
    expect(store.file).toBe(':memory:');
    expect(await store.schemaVersion()).toBe(LATEST_VERSION);
  });
});
