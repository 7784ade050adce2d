import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { Store, StoreError } from '../../src/store/index.js';
import { makeClock, openTemp, tempDir, track, verdict } from './helpers.js';

describe('actions outbox', () => {
  it('claims due actions once, with a lease, and never returns a completed action again', () => {
    const clock = makeClock('2025-03-01T12:00:00.000Z');
    const store = openTemp({ now: clock.now, leaseMs: 30_000 });
    const r = store.recordVerdict(verdict({ msg: { threadId: 't1' } }), [{ kind: 'delete' }, { kind: 'alert', payload: { channelId: 'mods' } }]);

    const claimed = store.claimActions(1, '2025-03-01T12:00:00.000Z');
    expect(claimed).toHaveLength(1);
    const [del] = claimed;
    expect(del).toMatchObject({
      kind: 'delete',
      status: 'running',
      attempts: 1,
      leaseUntil: '2025-03-01T12:00:30.000Z',
      verdictId: r.verdictId,
      target: { platform: 'discord', serverId: 'guild-1', channelId: 'chan-1', threadId: 't1', messageId: 'msg-1', authorId: 'user-1', messageKey: 'discord:guild-1:chan-1:msg-1' },
    });
    // the running one is not handed out again while its lease holds
    const next = store.claimActions(10, '2025-03-01T12:00:10.000Z');
    expect(next.map((a) => a.kind)).toEqual(['alert']);
    expect(next[0]?.payload).toEqual({ channelId: 'mods' });
    expect(store.claimActions(10, '2025-03-01T12:00:20.000Z')).toEqual([]);

    expect(store.completeAction(del?.id ?? -1, { deleted: true })).toBe(true);
    expect(store.completeAction(next[0]?.id ?? -1)).toBe(true);
    expect(store.getAction(del?.id ?? -1)).toMatchObject({ status: 'done', result: { deleted: true }, leaseUntil: null });
    // far in the future: nothing, completed actions are never claimable
    expect(store.claimActions(10, '2030-01-01T00:00:00.000Z')).toEqual([]);
    // completing or failing a done action changes nothing
    expect(store.completeAction(del?.id ?? -1, 'again')).toBe(false);
    expect(store.failAction(del?.id ?? -1, new Error('late'), { dead: true })).toBe(false);
    expect(store.getAction(del?.id ?? -1)).toMatchObject({ status: 'done', result: { deleted: true }, lastError: null });
  });

  it('validates each kind\'s payload when enqueued: an invalid plan records nothing', () => {
    const store = openTemp();
    const bad = (planned: { kind: 'timeout' | 'alert' | 'delete'; payload?: unknown }[]) => () => store.recordVerdict(verdict({ msg: { messageId: `m-${Math.random()}` } }), planned);
    expect(bad([{ kind: 'timeout', payload: { minutes: 10 } }])).toThrow(/invalid payload for a timeout action: userId/);
    expect(bad([{ kind: 'timeout', payload: { minutes: 0, userId: 'u' } }])).toThrow(/timeout action: minutes/);
    expect(bad([{ kind: 'alert', payload: { channel: 'mods' } }])).toThrow(/alert action/);
    expect(bad([{ kind: 'delete', payload: { hard: true } }])).toThrow(/delete action/);
    expect(store.stats(undefined, '0000').verdicts).toBe(0); // the verdict's transaction rolled back
    const ok = store.recordVerdict(verdict(), [{ kind: 'timeout', payload: { minutes: 10, userId: 'user-1' } }, { kind: 'alert' }]);
    expect(store.listActions(ok.verdictId).map((a) => a.payload)).toEqual([{ minutes: 10, userId: 'user-1' }, null]);
  });

  it('retries a failed action at retryAt, counts attempts, and stops at dead', () => {
    const clock = makeClock('2025-03-01T12:00:00.000Z');
    const store = openTemp({ now: clock.now });
    store.recordVerdict(verdict({ actions: ['dm'] }), [{ kind: 'dm' }]);

    const [a] = store.claimActions(5, '2025-03-01T12:00:00.000Z');
    expect(a?.attempts).toBe(1);
    expect(store.failAction(a?.id ?? -1, new Error('429 rate limited'), { retryAt: '2025-03-01T12:01:00.000Z' })).toBe(true);
    expect(store.getAction(a?.id ?? -1)).toMatchObject({ status: 'failed', attempts: 1, lastError: '429 rate limited', nextAttemptAt: '2025-03-01T12:01:00.000Z', leaseUntil: null });

    expect(store.claimActions(5, '2025-03-01T12:00:59.999Z')).toEqual([]);
    const [b] = store.claimActions(5, '2025-03-01T12:01:00.000Z');
    expect(b).toMatchObject({ id: a?.id, attempts: 2, status: 'running' });

    expect(store.failAction(b?.id ?? -1, 'user has DMs closed', { dead: true })).toBe(true);
    expect(store.getAction(b?.id ?? -1)).toMatchObject({ status: 'dead', attempts: 2, lastError: 'user has DMs closed' });
    expect(store.claimActions(5, '2030-01-01T00:00:00.000Z')).toEqual([]);
    expect(store.stats('guild-1', '2000-01-01').actions.dm).toEqual({ pending: 0, running: 0, done: 0, failed: 0, dead: 1 });
  });

  it('hands a crashed running action to the next worker once its lease expires', () => {
    const dir = tempDir();
    const file = join(dir, 'outbox.db');
    const clock = makeClock('2025-03-01T12:00:00.000Z');
    const worker1 = Store.open(file, { leaseMs: 10_000, now: clock.now });
    worker1.recordVerdict(verdict({ actions: ['delete'] }), [{ kind: 'delete' }]);
    const [claimed] = worker1.claimActions(1, '2025-03-01T12:00:00.000Z');
    expect(claimed?.status).toBe('running');
    worker1.close(); // the process dies mid-action

    const worker2 = track(Store.open(file, { leaseMs: 10_000 }));
    expect(worker2.claimActions(5, '2025-03-01T12:00:09.999Z')).toEqual([]);
    const [again] = worker2.claimActions(5, '2025-03-01T12:00:10.000Z');
    expect(again).toMatchObject({ id: claimed?.id, kind: 'delete', attempts: 2, leaseUntil: '2025-03-01T12:00:20.000Z' });
    worker2.completeAction(again?.id ?? -1, { ok: true });
    expect(worker2.claimActions(5, '2030-01-01T00:00:00.000Z')).toEqual([]);
  });

  it('never gives the same action to two connections claiming concurrently', () => {
    const file = join(tempDir(), 'race.db');
    const { now } = makeClock('2025-03-01T12:00:00.000Z');
    const a = track(Store.open(file, { now }));
    const b = track(Store.open(file, { now }));
    for (let i = 0; i < 20; i++) a.recordVerdict(verdict({ msg: { messageId: `m${i}` }, actions: ['delete'] }), [{ kind: 'delete' }]);
    const seen: number[] = [];
    for (let round = 0; round < 10; round++) {
      for (const s of [a, b]) seen.push(...s.claimActions(3, '2025-03-01T12:00:00.000Z').map((x) => x.id));
    }
    expect(seen).toHaveLength(20);
    expect(new Set(seen).size).toBe(20);
  });

  it('rejects unknown ids and bad times clearly', () => {
    const store = openTemp();
    expect(() => store.completeAction(999, null)).toThrow(StoreError);
    expect(() => store.failAction(999, 'x', { dead: true })).toThrow(/no action with id 999/);
    expect(() => store.claimActions(1, 'not a time')).toThrow(/not a valid time/);
  });
});
