import { describe, expect, it } from 'vitest';
import { MIGRATIONS, Store } from '../../src/store/index.js';

describe('cursors', () => {
  it('stores a poller position as JSON, replaces it, and deletes it', () => {
    let t = Date.parse('2026-01-01T00:00:00Z');
    const store = Store.open(':memory:', { now: () => new Date(t) });
    expect(store.getCursor('reddit:asktoxguard:comments')).toBeUndefined();
    store.setCursor('reddit:asktoxguard:comments', { id: 'abc12', createdUtc: 1 });
    t += 1000;
    store.setCursor('reddit:asktoxguard:comments', { id: 'abc13', createdUtc: 2 });
    expect(store.getCursor('reddit:asktoxguard:comments')).toEqual({ source: 'reddit:asktoxguard:comments', value: { id: 'abc13', createdUtc: 2 }, updatedAt: '2026-01-01T00:00:01.000Z' });
    expect(store.deleteCursor('reddit:asktoxguard:comments')).toBe(true);
    expect(store.deleteCursor('reddit:asktoxguard:comments')).toBe(false);
    store.close();
  });

  it('the cursors table comes with migration 6', () => {
    const cursors = MIGRATIONS.find((m) => /CREATE TABLE cursors\b/.test(m.sql));
    expect(cursors?.version).toBe(6);
    expect(cursors?.description).toMatch(/^cursors of polled sources/);
  });
});
