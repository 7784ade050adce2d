import { expect, it } from 'vitest';
import { MIGRATIONS } from '../../src/store/index.js';
import { describeBackends, openTemp } from './helpers.js';

describeBackends('cursors', () => {
  it('stores a poller position as JSON, replaces it, and deletes it', async () => {
    let t = Date.parse('2026-01-01T00:00:00Z');
    const store = await openTemp({ now: () => new Date(t) });
    expect(await store.getCursor('reddit:asktoxguard:comments')).toBeUndefined();
    await store.setCursor('reddit:asktoxguard:comments', { id: 'abc12', createdUtc: 1 });
    t += 1000;
    await store.setCursor('reddit:asktoxguard:comments', { id: 'abc13', createdUtc: 2 });
    expect(await store.getCursor('reddit:asktoxguard:comments')).toEqual({ source: 'reddit:asktoxguard:comments', value: { id: 'abc13', createdUtc: 2 }, updatedAt: '2026-01-01T00:00:01.000Z' });
    expect(await store.deleteCursor('reddit:asktoxguard:comments')).toBe(true);
    expect(await store.deleteCursor('reddit:asktoxguard:comments')).toBe(false);
    await store.close();
  });

  it('the cursors table comes with migration 6', () => {
    const cursors = MIGRATIONS.find((m) => /CREATE TABLE cursors\b/.test(m.sql));
    expect(cursors?.version).toBe(6);
    expect(cursors?.description).toMatch(/^cursors of polled sources/);
  });
});
