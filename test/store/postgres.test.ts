// What only PostgreSQL does: migrations under an advisory lock, several processes' pools claiming
// the outbox with FOR UPDATE SKIP LOCKED, concurrent recording of one message, policy changes
// announced with LISTEN/NOTIFY, and errors that name the database without its password.
import { sql } from 'kysely';
import { describe, expect, it, vi } from 'vitest';
import { PolicyService } from '../../src/core/policies.js';
import { openPostgres } from '../../src/store/connection.js';
import { DatabaseUnavailableError, LATEST_VERSION, MIGRATIONS, Store } from '../../src/store/index.js';
import { migratePostgres } from '../../src/store/migrations.js';
import { makeClock, newPgDatabase, pgMissing, scores, track, verdict } from './helpers.js';

const missing = pgMissing();
if (missing) console.warn(`[toxguard] SKIPPED: PostgreSQL store tests: ${missing}`);

describe.skipIf(missing !== '')('PostgreSQL store', () => {
  it('migrates a fresh database once, even when several processes open it at the same moment', async () => {
    const url = await newPgDatabase();
    const stores = await Promise.all([0, 1, 2].map(() => Store.open(url)));
    for (const s of stores) track(s);
    expect(stores.map((s) => s.migrated.length).sort()).toEqual([0, 0, MIGRATIONS.length]);
    expect(stores[0]?.backend).toBe('postgres');
    expect(await stores[0]?.schemaVersion()).toBe(LATEST_VERSION);
    const again = track(await Store.open(url));
    expect(again.migrated).toEqual([]);
  });

  it('migration 7 upgrades a version-6 database in place: its actions keep working, notices are taken once', async () => {
    const url = await newPgDatabase();
    const { db } = await openPostgres(url);
    try {
      await migratePostgres(db, '2025-01-01T00:00:00.000Z', MIGRATIONS.filter((m) => m.version <= 6));
      // a message and its pending alert, written by the previous version (no platform/server_id columns yet)
      await sql`INSERT INTO verdicts (id, message_key, platform, server_id, channel_id, message_id, author_id, kind, content_hash, excerpt, text_stored,
                                      scores_json, label_sources_json, spans_json, model_name, model_version, decision_json, latency_ms, message_at, created_at, updated_at)
                VALUES (100, 'discord:guild-1:c:old', 'discord', 'guild-1', 'c', 'old', 'u', 'new', 'h', 'x', 'full', '{}', '{}', '[]', 'b', '1',
                        '{"actions":["alert"],"triggered":[],"logOnly":false}', 1, 't', 't', 't')`.execute(db);
      await sql`INSERT INTO actions (verdict_id, kind, dedupe_key, payload_json, next_attempt_at, created_at, updated_at)
                VALUES (100, 'alert', 'alert', 'null', '2025-01-01T00:00:00.000Z', 't', 't')`.execute(db);
    } finally {
      await db.destroy();
    }
    const old = track(await Store.open(url, { now: () => new Date('2025-03-01T12:00:00.000Z') }));
    expect(old.migrated).toEqual([7]);
    const r = await old.recordVerdict(verdict(), [{ kind: 'delete' }]);
    const notice = await old.enqueueNotice({ platform: 'discord', serverId: 'guild-1', key: 'missing-permission:delete', text: 'grant Manage Messages' });
    expect(await old.enqueueNotice({ platform: 'discord', serverId: 'guild-1', key: 'missing-permission:delete', text: 'again' })).toBeUndefined();
    const claimed = await old.claimActions(10, '2025-03-01T12:00:00.000Z');
    expect(claimed.map((a) => [a.kind, a.verdictId])).toEqual([
      ['alert', 100],
      ['delete', r.verdictId],
      ['notice', null],
    ]);
    expect(claimed[0]?.target).toMatchObject({ messageKey: 'discord:guild-1:c:old', serverId: 'guild-1' });
    expect(claimed[2]?.id).toBe(notice);
  });

  it('several pools claiming at once: every action goes to exactly one of them (SKIP LOCKED)', async () => {
    const url = await newPgDatabase();
    const { now } = makeClock('2025-03-01T12:00:00.000Z');
    const writer = track(await Store.open(url, { now }));
    for (let i = 0; i < 60; i++) await writer.recordVerdict(verdict({ msg: { messageId: `m${i}` }, actions: ['delete', 'alert'] }), [{ kind: 'delete' }, { kind: 'alert' }]);
    const workers = await Promise.all([0, 1, 2, 3].map(() => Store.open(url, { now, poolSize: 3 })));
    for (const w of workers) track(w);
    const seen: number[] = [];
    await Promise.all(
      workers.map(async (w) => {
        for (;;) {
          const batch = await w.claimActions(4, '2025-03-01T12:00:00.000Z');
          if (batch.length === 0) return;
          for (const a of batch) {
            seen.push(a.id);
            expect(await w.completeAction(a.id, { by: workers.indexOf(w) })).toBe(true);
          }
        }
      }),
    );
    expect(seen).toHaveLength(120);
    expect(new Set(seen).size).toBe(120);
    expect((await writer.stats('guild-1', '2000-01-01')).actions.delete).toEqual({ pending: 0, running: 0, done: 60, failed: 0, dead: 0 });
  });

  it('the same message recorded by two processes at once: one verdict, its actions once', async () => {
    const url = await newPgDatabase();
    const a = track(await Store.open(url));
    const b = track(await Store.open(url));
    const results = await Promise.all(
      Array.from({ length: 10 }, (_, i) => (i % 2 ? a : b).recordVerdict(verdict({ msg: { messageId: `same-${i % 3}` } }), [{ kind: 'delete' }, { kind: 'flag' }])),
    );
    expect(results.filter((r) => r.created)).toHaveLength(3);
    expect(new Set(results.map((r) => r.verdictId)).size).toBe(3);
    for (const id of new Set(results.map((r) => r.verdictId))) expect((await a.listActions(id)).map((x) => x.kind)).toEqual(['delete', 'flag']);
  });

  it('a policy change reaches every process at once (LISTEN/NOTIFY), without a TTL', async () => {
    const url = await newPgDatabase();
    const storeA = track(await Store.open(url));
    const storeB = track(await Store.open(url));
    const thresholds = scores({ insult: 0.8, toxic: 0.8 });
    const a = new PolicyService(storeA, thresholds);
    const b = new PolicyService(storeB, thresholds);
    expect(await a.listen()).toBe(true);
    expect(await b.listen()).toBe(true);
    try {
      expect((await b.get('guild-1')).mode).toBe('log-only'); // cached in B from now on
      await a.set('guild-1', 'mode', 'active', 'owner', 'cli');
      await vi.waitFor(async () => expect((await b.get('guild-1')).mode).toBe('active'), { timeout: 10_000, interval: 20 });
    } finally {
      await a.close();
      await b.close();
    }
  });

  it('names the database in errors with its password redacted', async () => {
    const url = 'postgres://toxguard:s3cret-pass@127.0.0.1:1/nowhere';
    let caught: unknown;
    try {
      track(await Store.open(url));
    } catch (err) {
      caught = err;
    }
    expect(caught).toBeInstanceOf(DatabaseUnavailableError);
    expect((caught as Error).message).toContain('postgres://toxguard:***@127.0.0.1:1/nowhere');
    expect((caught as Error).message).not.toContain('s3cret');
  });
});
