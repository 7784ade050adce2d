import { expect, it } from 'vitest';
import { Store, StoreError } from '../../src/store/index.js';
import { makeClock, openTemp, tempTarget, track, verdict, describeBackends } from './helpers.js';

describeBackends('actions outbox', (backend) => {
  it('claims due actions once, with a lease, and never returns a completed action again', async () => {
    const clock = makeClock('2025-03-01T12:00:00.000Z');
    const store = await openTemp({ now: clock.now, leaseMs: 30_000 });
    const r = await store.recordVerdict(verdict({ msg: { threadId: 't1' } }), [{ kind: 'delete' }, { kind: 'alert', payload: { channelId: 'mods' } }]);

    const claimed = await store.claimActions(1, '2025-03-01T12:00:00.000Z');
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
    const next = await store.claimActions(10, '2025-03-01T12:00:10.000Z');
    expect(next.map((a) => a.kind)).toEqual(['alert']);
    expect(next[0]?.payload).toEqual({ channelId: 'mods' });
    expect(await store.claimActions(10, '2025-03-01T12:00:20.000Z')).toEqual([]);

    expect(await store.completeAction(del?.id ?? -1, { deleted: true })).toBe(true);
    expect(await store.completeAction(next[0]?.id ?? -1)).toBe(true);
    expect(await store.getAction(del?.id ?? -1)).toMatchObject({ status: 'done', result: { deleted: true }, leaseUntil: null });
    // far in the future: nothing, completed actions are never claimable
    expect(await store.claimActions(10, '2030-01-01T00:00:00.000Z')).toEqual([]);
    // completing or failing a done action changes nothing
    expect(await store.completeAction(del?.id ?? -1, 'again')).toBe(false);
    expect(await store.failAction(del?.id ?? -1, new Error('late'), { dead: true })).toBe(false);
    expect(await store.getAction(del?.id ?? -1)).toMatchObject({ status: 'done', result: { deleted: true }, lastError: null });
  });

  it('validates each kind\'s payload when enqueued: an invalid plan records nothing', async () => {
    const store = await openTemp();
    const bad = (planned: { kind: 'timeout' | 'alert' | 'delete'; payload?: unknown }[]) => store.recordVerdict(verdict({ msg: { messageId: `m-${Math.random()}` } }), planned);
    await expect(bad([{ kind: 'timeout', payload: { minutes: 10 } }])).rejects.toThrow(/invalid payload for a timeout action: userId/);
    await expect(bad([{ kind: 'timeout', payload: { minutes: 0, userId: 'u' } }])).rejects.toThrow(/timeout action: minutes/);
    await expect(bad([{ kind: 'alert', payload: { channel: 'mods' } }])).rejects.toThrow(/alert action/);
    await expect(bad([{ kind: 'delete', payload: { hard: true } }])).rejects.toThrow(/delete action/);
    expect((await store.stats(undefined, '0000')).verdicts).toBe(0); // the verdict's transaction rolled back
    const ok = await store.recordVerdict(verdict(), [{ kind: 'timeout', payload: { minutes: 10, userId: 'user-1' } }, { kind: 'alert' }]);
    expect((await store.listActions(ok.verdictId)).map((a) => a.payload)).toEqual([{ minutes: 10, userId: 'user-1' }, null]);
  });

  it('retries a failed action at retryAt, counts attempts, and stops at dead', async () => {
    const clock = makeClock('2025-03-01T12:00:00.000Z');
    const store = await openTemp({ now: clock.now });
    await store.recordVerdict(verdict({ actions: ['dm'] }), [{ kind: 'dm' }]);

    const [a] = await store.claimActions(5, '2025-03-01T12:00:00.000Z');
    expect(a?.attempts).toBe(1);
    expect(await store.failAction(a?.id ?? -1, new Error('429 rate limited'), { retryAt: '2025-03-01T12:01:00.000Z' })).toBe(true);
    expect(await store.getAction(a?.id ?? -1)).toMatchObject({ status: 'failed', attempts: 1, lastError: '429 rate limited', nextAttemptAt: '2025-03-01T12:01:00.000Z', leaseUntil: null });

    expect(await store.claimActions(5, '2025-03-01T12:00:59.999Z')).toEqual([]);
    const [b] = await store.claimActions(5, '2025-03-01T12:01:00.000Z');
    expect(b).toMatchObject({ id: a?.id, attempts: 2, status: 'running' });

    expect(await store.failAction(b?.id ?? -1, 'user has DMs closed', { dead: true })).toBe(true);
    expect(await store.getAction(b?.id ?? -1)).toMatchObject({ status: 'dead', attempts: 2, lastError: 'user has DMs closed' });
    expect(await store.claimActions(5, '2030-01-01T00:00:00.000Z')).toEqual([]);
    expect((await store.stats('guild-1', '2000-01-01')).actions.dm).toEqual({ pending: 0, running: 0, done: 0, failed: 0, dead: 1 });
  });

  it('hands a crashed running action to the next worker once its lease expires', async () => {
    const file = await tempTarget('outbox.db');
    const clock = makeClock('2025-03-01T12:00:00.000Z');
    const worker1 = track(await Store.open(file, { leaseMs: 10_000, now: clock.now }));
    await worker1.recordVerdict(verdict({ actions: ['delete'] }), [{ kind: 'delete' }]);
    const [claimed] = await worker1.claimActions(1, '2025-03-01T12:00:00.000Z');
    expect(claimed?.status).toBe('running');
    await worker1.close(); // the process dies mid-action

    const worker2 = track(await Store.open(file, { leaseMs: 10_000 }));
    expect(await worker2.claimActions(5, '2025-03-01T12:00:09.999Z')).toEqual([]);
    const [again] = await worker2.claimActions(5, '2025-03-01T12:00:10.000Z');
    expect(again).toMatchObject({ id: claimed?.id, kind: 'delete', attempts: 2, leaseUntil: '2025-03-01T12:00:20.000Z' });
    await worker2.completeAction(again?.id ?? -1, { ok: true });
    expect(await worker2.claimActions(5, '2030-01-01T00:00:00.000Z')).toEqual([]);
  });

  it('never gives the same action to two connections claiming concurrently', async () => {
    const file = await tempTarget('race.db');
    const { now } = makeClock('2025-03-01T12:00:00.000Z');
    const a = track(await Store.open(file, { now }));
    const b = track(await Store.open(file, { now }));
    for (let i = 0; i < 20; i++) await a.recordVerdict(verdict({ msg: { messageId: `m${i}` }, actions: ['delete'] }), [{ kind: 'delete' }]);
    const seen: number[] = [];
    for (let round = 0; round < 10; round++) {
      for (const s of [a, b]) seen.push(...(await s.claimActions(3, '2025-03-01T12:00:00.000Z')).map((x) => x.id));
    }
    expect(seen).toHaveLength(20);
    expect(new Set(seen).size).toBe(20);
  });

  it('enqueues a server notice at most once per (platform, server, key), across connections, until it is dead', async () => {
    const file = await tempTarget('notices.db');
    const { now } = makeClock('2025-03-01T12:00:00.000Z');
    const a = track(await Store.open(file, { now }));
    const b = track(await Store.open(file, { now }));
    const notice = { platform: 'discord' as const, serverId: 'guild-1', key: 'missing-permission:delete', text: 'grant Manage Messages' };
    // two processes reporting the same thing: one row. (PostgreSQL: at once. SQLite's writers take
    // turns, and one process cannot hold two write transactions open at once: one after the other.)
    const tries = [a, b, a, b];
    const ids = backend === 'postgres' ? await Promise.all(tries.map((s) => s.enqueueNotice(notice))) : [];
    if (backend === 'sqlite') for (const s of tries) ids.push(await s.enqueueNotice(notice));
    expect(ids.filter((id) => id !== undefined)).toHaveLength(1);
    const id = ids.find((id) => id !== undefined) ?? -1;
    // the same key elsewhere is another notice: another server, another platform, another key
    expect(await a.enqueueNotice({ ...notice, serverId: 'guild-2' })).toBeTypeOf('number');
    expect(await a.enqueueNotice({ ...notice, platform: 'slack' })).toBeTypeOf('number');
    expect(await a.enqueueNotice({ ...notice, key: 'missing-permission:timeout' })).toBeTypeOf('number');
    expect((await a.listServerActions('discord', 'guild-1')).map((x) => [x.kind, x.key, x.verdictId, x.payload])).toEqual([
      ['notice', 'notice:missing-permission:delete', null, { key: 'missing-permission:delete', text: 'grant Manage Messages' }],
      ['notice', 'notice:missing-permission:timeout', null, { key: 'missing-permission:timeout', text: 'grant Manage Messages' }],
    ]);
    // done still counts (posted once, ever); only a dead one may be enqueued again
    await a.completeAction(id, { posted: true });
    expect(await b.enqueueNotice(notice)).toBeUndefined();
    await a.failAction(id, 'x', { dead: true }).catch(() => undefined);
    expect(await a.getAction(id)).toMatchObject({ status: 'done' }); // done is never moved back to dead
    await expect((async () => await a.enqueueNotice({ ...notice, text: '' }))()).rejects.toThrow(/invalid payload for a notice action: text/);
    // a notice is not a message's action
    await expect((async () => await a.recordVerdict(verdict(), [{ kind: 'notice', payload: { key: 'k', text: 't' } }]))()).rejects.toThrow(/for a server, not a message/);
  });

  it('claims and completes a verdict-less notice with its server as the target, next to message actions', async () => {
    const clock = makeClock('2025-03-01T12:00:00.000Z');
    const store = await openTemp({ now: clock.now, leaseMs: 30_000 });
    const r = await store.recordVerdict(verdict(), [{ kind: 'delete' }]);
    clock.advance(1000);
    const id = await store.enqueueNotice({ platform: 'slack', serverId: 'T1', key: 'no-admin-token', text: 'no admin token', channelId: 'C9' });
    const claimed = await store.claimActions(10, '2025-03-01T12:00:05.000Z');
    expect(claimed.map((x) => [x.kind, x.verdictId])).toEqual([
      ['delete', r.verdictId],
      ['notice', null],
    ]);
    expect(claimed[1]).toMatchObject({ id, status: 'running', attempts: 1, target: { platform: 'slack', serverId: 'T1' }, payload: { key: 'no-admin-token', text: 'no admin token', channelId: 'C9' } });
    expect(claimed[1]?.target).not.toHaveProperty('messageKey');
    expect(await store.completeAction(id ?? -1, { ts: '1.2' })).toBe(true);
    expect(await store.completeAction(claimed[0]?.id ?? -1)).toBe(true);
    expect(await store.getAction(id ?? -1)).toMatchObject({ status: 'done', result: { ts: '1.2' }, verdictId: null });
    expect(await store.claimActions(10, '2030-01-01T00:00:00.000Z')).toEqual([]);
    // a notice due later waits like any action; a purged server takes its notices with it
    const later = await store.enqueueNotice({ platform: 'slack', serverId: 'T1', key: 'drift:1', text: 'drift' }, '2025-03-02T00:00:00.000Z');
    expect(await store.claimActions(10, '2025-03-01T23:59:59.000Z')).toEqual([]);
    expect((await store.claimActions(10, '2025-03-02T00:00:00.000Z')).map((x) => x.id)).toEqual([later]);
    await store.purgeServer('T1');
    expect(await store.listServerActions('slack', 'T1')).toEqual([]);
  });

  it("alerts a server's drift row atomically: marked alerted and its notice enqueued together, once", async () => {
    const store = await openTemp();
    await store.recordVerdict(verdict(), []); // guild-1's traffic comes from Discord
    const model = 'builtin@1';
    const [row, other] = await store.recordDrift([
      { day: '2025-03-01', serverId: 'guild-1', metric: 'score', label: 'toxic', value: 0.4, bound: 0.2, n: 300, model },
      { day: '2025-03-01', serverId: 'guild-1', metric: 'length', value: 0.3, bound: 0.2, n: 300, model },
    ]);
    const id = row?.id ?? -1;
    // A notice that cannot be written (an empty text fails its payload check) leaves the row unalerted: both or neither.
    await expect((async () => await store.alertDrift(id, ''))()).rejects.toThrow(/notice action: text/);
    expect((await store.listDrift({ since: '2025-03-01', serverId: 'guild-1' })).find((r) => r.id === id)?.alerted).toBe(false);
    expect(await store.listServerActions('discord', 'guild-1')).toEqual([]);

    const first = await store.alertDrift(id, 'toxic drifted');
    expect(first).toEqual({ marked: true, notices: [expect.any(Number)] });
    expect(await store.alertDrift(id, 'toxic drifted')).toEqual({ marked: false, notices: [] });
    expect(await store.alertDrift(other?.id ?? -1, 'length drifted')).toMatchObject({ marked: true });
    expect((await store.listServerActions('discord', 'guild-1')).map((n) => [n.key, n.payload])).toEqual([
      [`notice:drift:${id}`, { key: `drift:${id}`, text: 'toxic drifted' }],
      [`notice:drift:${other?.id}`, { key: `drift:${other?.id}`, text: 'length drifted' }],
    ]);
    expect((await store.listDrift({ since: '2025-03-01', serverId: 'guild-1' })).every((r) => r.alerted)).toBe(true);
  });

  it('rejects unknown ids and bad times clearly', async () => {
    const store = await openTemp();
    await expect((async () => await store.completeAction(999, null))()).rejects.toThrow(StoreError);
    await expect((async () => await store.failAction(999, 'x', { dead: true }))()).rejects.toThrow(/no action with id 999/);
    await expect((async () => await store.claimActions(1, 'not a time'))()).rejects.toThrow(/not a valid time/);
  });
});
