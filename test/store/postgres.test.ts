// What only PostgreSQL does: migrations under an advisory lock, several processes' pools claiming
// the outbox with FOR UPDATE SKIP LOCKED, concurrent recording of one message, policy changes
// announced with LISTEN/NOTIFY, and errors that name the database without its password.
import { describe, expect, it, vi } from 'vitest';
import { PolicyService } from '../../src/core/policies.js';
import { DatabaseUnavailableError, LATEST_VERSION, MIGRATIONS, Store } from '../../src/store/index.js';
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
