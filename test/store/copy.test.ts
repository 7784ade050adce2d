// `toxguard db copy`: a SQLite installation moved to PostgreSQL with every table and its row
// count, ids kept (and new ids continue after them), a non-empty target refused, an interrupted
// copy resumed.
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { copyDatabase, countRows } from '../../src/store/copy.js';
import { Store } from '../../src/store/index.js';
import { runCli } from '../helpers/cli.js';
import { makeClock, newPgDatabase, pgMissing, tempDir, track, verdict } from './helpers.js';

const missing = pgMissing();
if (missing) console.warn(`[toxguard] SKIPPED: db copy to PostgreSQL: ${missing}`);

async function filledSqlite(n: number): Promise<{ file: string; store: Store }> {
  const file = join(tempDir(), 'source.sqlite');
  const clock = makeClock('2025-03-01T12:00:00.000Z');
  const store = track(await Store.open(file, { now: clock.now }));
  for (let i = 0; i < n; i++) {
    const r = await store.recordVerdict(
      verdict({
        msg: { messageId: `m${i}`, attachments: i % 3 === 0 ? [{ url: `https://cdn.example/${i}.png`, name: `${i}.png` }] : [] },
        sources: i % 3 === 0 ? [{ attachment: 0, scanned: true, text: `ocr ${i}`, confidence: 0.5 }] : [],
      }),
      [{ kind: 'delete' }, { kind: 'flag' }],
    );
    if (i % 4 === 0 && r.reviewId) await store.decideReview(r.reviewId, 'confirmed', 'mod', 'cli');
    if (i % 5 === 0) await store.addStrike('guild-1', 'user-1', r.verdictId);
    clock.advance(1000);
  }
  await store.setPolicy('guild-1', { mode: 'active' }, 'owner', 'cli');
  await store.recordDrift({ day: '2025-03-01', metric: 'length', value: 0.1, bound: 0.2, n: 10, model: 'builtin@1' });
  await store.recordDriftDay('2025-03-01', 10, 'builtin@1');
  await store.setCursor('reddit:x:comments', { after: 't1' });
  await store.saveInstallation({ platform: 'slack', teamId: 'T1', isEnterpriseInstall: false }, { bot: { token: 'xoxb' } });
  await store.setScanCheckpoint('s', 'f.jsonl', 9);
  return { file, store };
}

describe.skipIf(missing !== '')('db copy (SQLite -> PostgreSQL)', () => {
  it('copies every table with its row count and ids, then new rows continue after the copied ids', async () => {
    const { store: source } = await filledSqlite(40);
    const target = track(await Store.open(await newPgDatabase('copy')));
    const seen: number[] = [];
    const result = await copyDatabase(source, target, { batch: 7, onProgress: (done) => seen.push(done) });
    for (const c of result.counts) expect(c.target, c.table).toBe(c.source);
    expect(result.counts.find((c) => c.table === 'verdicts')?.source).toBe(40);
    expect(seen.at(-1)).toBe(result.counts.reduce((n, c) => n + c.source, 0));
    expect(await target.getVerdict(4)).toEqual(await source.getVerdict(4));
    expect(await target.listReviews('guild-1', { limit: 100 })).toEqual(await source.listReviews('guild-1', { limit: 100 }));
    expect(await target.stats('guild-1', '2000-01-01')).toEqual(await source.stats('guild-1', '2000-01-01'));
    // the identity sequences moved past the copied ids
    const next = await target.recordVerdict(verdict({ msg: { messageId: 'after-copy' } }), [{ kind: 'delete' }]);
    expect(next.verdictId).toBe(41);
    expect(next.enqueued[0]).toBe(81);

    // a target with data is refused, naming it without its password
    await expect(copyDatabase(source, target)).rejects.toThrow(/is not empty \(verdicts: 41/);
  });

  it('resumes an interrupted copy: rows already there are skipped, the rest copied', async () => {
    const { store: source } = await filledSqlite(25);
    const target = track(await Store.open(await newPgDatabase('resume')));
    await copyDatabase(source, target, { batch: 10 });
    // as if the copy had stopped during the actions table
    await target.kysely.deleteFrom('actions').where('id', '>', 17).execute();
    for (const t of ['review_items', 'strikes', 'policies', 'policy_audit', 'scan_checkpoints', 'installations', 'drift', 'drift_days', 'cursors'] as const) {
      await target.kysely.deleteFrom(t).execute();
    }
    const result = await copyDatabase(source, target, { batch: 10, resume: true });
    for (const c of result.counts) expect(c.target, c.table).toBe(c.source);
    expect(await countRows(target)).toEqual(await countRows(source));
  });

  it('toxguard db copy --from sqlite:PATH --to postgres://... reports the counts per table', async () => {
    const { file, store } = await filledSqlite(12);
    await store.close();
    const url = await newPgDatabase('cli');
    const res = await runCli(['db', 'copy', '--from', `sqlite:${file}`, '--to', url, '--batch', '5']);
    expect(res.stderr).toContain('copying');
    expect(res.code).toBe(0);
    expect(res.stdout).toMatch(/verdicts\s+12 ->\s+12/);
    expect(res.stdout).toContain('every table has the same row count');
    const again = await runCli(['db', 'copy', '--from', `sqlite:${file}`, '--to', url]);
    expect(again.code).not.toBe(0);
    expect(again.stderr).toContain('is not empty');
    const migrate = await runCli(['db', 'migrate', '--db', url]);
    expect(migrate.stdout).toMatch(/\(postgres\): schema version 7 of 7, already up to date/);
  });
});
