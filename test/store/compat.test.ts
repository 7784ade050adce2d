// A SQLite file written by toxguard before the store moved to Kysely (schema version 6, made by the
// synchronous better-sqlite3 store of that release: test/fixtures/store-v6.sqlite) opens, is
// upgraded by migration 7 (server notices: the actions table rebuilt), reads back as it was
// written, and takes new writes, notices included.
import { copyFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { expect, it } from 'vitest';
import { Store } from '../../src/store/index.js';
import { tempDir, track, verdict } from './helpers.js';

const FIXTURE = resolve(import.meta.dirname, '../fixtures/store-v6.sqlite');

it('opens a version-6 file written by the previous store: migrated to 7, every row readable, writes work', async () => {
  const file = join(tempDir(), 'old.sqlite');
  copyFileSync(FIXTURE, file);
  const store = track(await Store.open(file, { now: () => new Date('2025-03-02T00:00:00.000Z') }));
  expect(store.migrated).toEqual([7]);
  expect(await store.schemaVersion()).toBe(7);

  const v1 = await store.getVerdict('discord:guild-1:chan-1:m1');
  expect(v1).toMatchObject({ id: 1, text: 'you are an idiot', latencyMs: 12.5, spans: [[8, 13]], model: { name: 'builtin', version: '2.0.0' } });
  expect(v1?.sources).toEqual([{ attachment: 0, name: 'a.png', url: 'https://cdn.example/a.png', scanned: true, text: 'meme text', confidence: 0.8, reason: null, scores: null }]);
  expect((await store.getVerdict(2))?.sources[0]).toMatchObject({ scanned: false, reason: 'too large' });
  expect((await store.listActions(1)).map((a) => [a.kind, a.status])).toEqual([
    ['delete', 'done'],
    ['flag', 'pending'],
    ['alert', 'pending'],
    ['refresh-alert', 'pending'],
  ]);
  const review = await store.reviewForVerdict(1);
  expect(review).toMatchObject({ status: 'confirmed', lastDecision: { moderatorId: 'mod-1', note: 'clear insult' } });
  expect(await store.countStrikes('guild-1', 'user-1', '2000-01-01')).toBe(1);
  expect(await store.getPolicy('guild-1')).toEqual({ mode: 'active' });
  expect((await store.getInstallation({ platform: 'slack', teamId: 'T1', isEnterpriseInstall: false }))?.installation).toEqual({ bot: { token: 'xoxb-x' } });
  expect((await store.scanCheckpoint('scan-1'))?.line).toBe(42);
  expect(await store.listDrift({ since: '2025-03-01' })).toEqual([expect.objectContaining({ metric: 'score', label: 'insult', value: 0.3, over: true })]);
  expect((await store.getCursor('reddit:sub:comments'))?.value).toEqual({ after: 't1_x' });
  const stats = await store.stats('guild-1', '2000-01-01');
  expect(stats).toMatchObject({ verdicts: 2, flaggedVerdicts: 1, reviews: { confirmed: 1 } });

  // the replay of an old message is still recognised (same unique key), a new one is added after the old ids
  const replay = await store.recordVerdict(verdict({ msg: { messageId: 'm1', text: 'you are an idiot', attachments: [{ url: 'https://cdn.example/a.png', name: 'a.png' }] } }), [{ kind: 'delete' }]);
  expect(replay).toMatchObject({ verdictId: 1, created: false, changed: false, enqueued: [] });
  const fresh = await store.recordVerdict(verdict({ msg: { messageId: 'm3' } }), [{ kind: 'delete' }]);
  expect(fresh).toMatchObject({ verdictId: 3, created: true });
  const claimed = await store.claimActions(10, '2025-03-02T00:00:00.000Z');
  expect(claimed.map((a) => a.kind).sort()).toEqual(['alert', 'delete', 'flag', 'refresh-alert']);
  // the rebuilt table takes a server's notice, once per key, after the old ids
  const notice = await store.enqueueNotice({ platform: 'discord', serverId: 'guild-1', key: 'missing-permission:delete', text: 'grant Manage Messages' });
  expect(notice).toBeGreaterThan(Math.max(...claimed.map((a) => a.id)));
  expect(await store.enqueueNotice({ platform: 'discord', serverId: 'guild-1', key: 'missing-permission:delete', text: 'again' })).toBeUndefined();
  expect(await store.claimActions(10, '2025-03-02T00:00:00.000Z')).toEqual([expect.objectContaining({ id: notice, kind: 'notice', verdictId: null, target: { platform: 'discord', serverId: 'guild-1' } })]);
});
