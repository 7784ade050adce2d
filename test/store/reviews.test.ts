import { expect, it } from 'vitest';
import { StoreError } from '../../src/store/index.js';
import { makeClock, openTemp, verdict, describeBackends } from './helpers.js';

describeBackends('review queue', () => {
  it('lists a server\'s items newest first with the verdict joined, filtered and paged', async () => {
    const clock = makeClock('2025-03-01T12:00:00.000Z');
    const store = await openTemp({ now: clock.now });
    const ids: number[] = [];
    for (let i = 0; i < 4; i++) {
      const r = await store.recordVerdict(verdict({ msg: { messageId: `m${i}`, text: `insult number ${i}` }, actions: ['flag'] }), [{ kind: 'flag' }]);
      ids.push(r.reviewId ?? -1);
      clock.advance(1000);
    }
    await store.recordVerdict(verdict({ msg: { serverId: 'guild-2', messageId: 'other' }, actions: ['flag'] }), [{ kind: 'flag' }]);
    // not flagged: no review item
    await store.recordVerdict(verdict({ msg: { messageId: 'clean', text: 'hello' }, actions: [] }), []);

    const all = await store.listReviews('guild-1');
    expect(all.map((r) => r.id)).toEqual([...ids].reverse());
    expect(all[0]?.verdict).toMatchObject({ messageId: 'm3', text: 'insult number 3', serverId: 'guild-1' });
    expect(all[0]?.status).toBe('pending');
    expect((await store.listReviews('guild-1', { limit: 2, offset: 1 })).map((r) => r.verdict.messageId)).toEqual(['m2', 'm1']);

    await store.decideReview(ids[1] ?? -1, 'confirmed', 'mod-1', 'discord');
    expect((await store.listReviews('guild-1', { status: 'pending' })).map((r) => r.verdict.messageId)).toEqual(['m3', 'm2', 'm0']);
    expect((await store.listReviews('guild-1', { status: 'confirmed' })).map((r) => r.verdict.messageId)).toEqual(['m1']);
    expect(await store.listReviews('guild-2')).toHaveLength(1);
  });

  it('every decision on an alerted verdict enqueues a refresh-alert action, in the same transaction', async () => {
    const store = await openTemp();
    const alerted = await store.recordVerdict(verdict({ msg: { messageId: 'a' }, actions: ['flag', 'alert'] }), [{ kind: 'flag' }, { kind: 'alert' }]);
    const flaggedOnly = await store.recordVerdict(verdict({ msg: { messageId: 'f' }, actions: ['flag'] }), [{ kind: 'flag' }]);
    await store.decideReview(alerted.reviewId ?? -1, 'confirmed', 'mod-1', 'discord');
    await store.decideReview(alerted.reviewId ?? -1, 'overturned', 'alice', 'dashboard');
    await store.decideReview(flaggedOnly.reviewId ?? -1, 'confirmed', 'mod-1', 'discord');
    const refreshes = (await store.listActions(alerted.verdictId)).filter((a) => a.kind === 'refresh-alert');
    expect(refreshes.map((a) => a.status)).toEqual(['pending', 'pending']); // one per decision
    expect(new Set(refreshes.map((a) => a.key)).size).toBe(2);
    expect((await store.listActions(flaggedOnly.verdictId)).map((a) => a.kind)).toEqual(['flag']); // no alert: nothing to refresh
    // A failed decision enqueues nothing.
    await expect((async () => await store.decideReview(9999, 'confirmed', 'mod-1', 'discord'))()).rejects.toThrow(StoreError);
  });

  it('keeps every decision (who, where, when) and shows the latest on the item', async () => {
    const clock = makeClock('2025-03-01T12:00:00.000Z');
    const store = await openTemp({ now: clock.now });
    const { reviewId } = await store.recordVerdict(verdict({ actions: ['flag'] }), [{ kind: 'flag' }]);
    const id = reviewId ?? -1;

    clock.set('2025-03-01T13:00:00.000Z');
    await store.decideReview(id, 'confirmed', 'mod-alice', 'discord', 'clear insult');
    clock.set('2025-03-02T09:30:00.000Z');
    const item = await store.decideReview(id, 'overturned', 'mod-bob', 'dashboard');

    expect(item.status).toBe('overturned');
    expect(await store.getReview(id)).toMatchObject({
      status: 'overturned',
      updatedAt: '2025-03-02T09:30:00.000Z',
      lastDecision: { decision: 'overturned', moderatorId: 'mod-bob', source: 'dashboard', decidedAt: '2025-03-02T09:30:00.000Z', note: null },
    });
    expect((await store.reviewHistory(id)).map((d) => [d.decision, d.moderatorId, d.source, d.note, d.decidedAt])).toEqual([
      ['confirmed', 'mod-alice', 'discord', 'clear insult', '2025-03-01T13:00:00.000Z'],
      ['overturned', 'mod-bob', 'dashboard', null, '2025-03-02T09:30:00.000Z'],
    ]);
    await expect((async () => await store.decideReview(9999, 'confirmed', 'mod', 'cli'))()).rejects.toThrow(/no review item with id 9999/);
    await expect((async () => await store.decideReview(id, 'pending' as never, 'mod', 'cli'))()).rejects.toThrow(/unknown review decision/);
    await expect((async () => await store.decideReview(id, 'confirmed', 'mod', 'email' as never))()).rejects.toThrow(/unknown decision source/);
    expect(await store.reviewHistory(id)).toHaveLength(2);
  });

  it('puts an appealed item back to pending at the top of the queue, with the note', async () => {
    const clock = makeClock('2025-03-01T12:00:00.000Z');
    const store = await openTemp({ now: clock.now });
    const old = await store.recordVerdict(verdict({ msg: { messageId: 'old', author: { id: 'shital', roleIds: [], isModerator: false, isBot: false } }, actions: ['delete', 'flag'] }), [{ kind: 'delete' }, { kind: 'flag' }]);
    clock.advance(60_000);
    await store.recordVerdict(verdict({ msg: { messageId: 'newer' }, actions: ['flag'] }), [{ kind: 'flag' }]);
    await store.decideReview(old.reviewId ?? -1, 'confirmed', 'mod-1', 'slack');

    clock.advance(60_000);
    const item = await store.appeal(old.verdictId, 'shital', 'Shital is my name, not a swear word');
    expect(item).toMatchObject({
      id: old.reviewId,
      status: 'pending',
      appealNote: 'Shital is my name, not a swear word',
      appealAuthorId: 'shital',
      appealedAt: '2025-03-01T12:02:00.000Z',
      queuedAt: '2025-03-01T12:02:00.000Z',
      lastDecision: { decision: 'confirmed' },
    });
    expect((await store.listReviews('guild-1', { status: 'pending' })).map((r) => r.verdict.messageId)).toEqual(['old', 'newer']);
    await expect((async () => await store.appeal(old.verdictId, 'someone-else', 'me too'))()).rejects.toThrow(/only the author/);
    await expect((async () => await store.appeal(424242, 'shital', 'x'))()).rejects.toThrow(StoreError);
  });

  it('creates a review item for an appeal against an automatic delete that was never flagged', async () => {
    const store = await openTemp();
    const r = await store.recordVerdict(verdict({ actions: ['delete'] }), [{ kind: 'delete' }]);
    expect(r.reviewId).toBeUndefined();
    const item = await store.appeal(r.verdictId, 'user-1', 'I was quoting the rules');
    expect(item).toMatchObject({ status: 'pending', verdictId: r.verdictId, serverId: 'guild-1', appealNote: 'I was quoting the rules', lastDecision: null });
    expect(await store.listReviews('guild-1')).toHaveLength(1);
  });
});

describeBackends('strikes', () => {
  it('counts strikes inside the window, once per verdict, per server and user', async () => {
    const store = await openTemp();
    const v1 = (await store.recordVerdict(verdict({ msg: { messageId: 'a' } }), [])).verdictId;
    const v2 = (await store.recordVerdict(verdict({ msg: { messageId: 'b' } }), [])).verdictId;
    const v3 = (await store.recordVerdict(verdict({ msg: { messageId: 'c' } }), [])).verdictId;
    expect(await store.addStrike('guild-1', 'user-1', v1, '2025-01-01T00:00:00.000Z')).toBe(true);
    expect(await store.addStrike('guild-1', 'user-1', v2, '2025-02-20T00:00:00.000Z')).toBe(true);
    expect(await store.addStrike('guild-1', 'user-1', v3, '2025-02-28T23:59:59.000Z')).toBe(true);
    expect(await store.addStrike('guild-1', 'user-1', v3, '2025-02-28T23:59:59.000Z')).toBe(false); // replay
    expect(await store.addStrike('guild-1', 'user-2', null, '2025-02-25T00:00:00.000Z')).toBe(true);
    expect(await store.addStrike('guild-9', 'user-1', null, '2025-02-25T00:00:00.000Z')).toBe(true);

    expect(await store.countStrikes('guild-1', 'user-1', '2025-02-01T00:00:00.000Z')).toBe(2);
    expect(await store.countStrikes('guild-1', 'user-1', '2025-02-20T00:00:00.000Z')).toBe(2); // inclusive
    expect(await store.countStrikes('guild-1', 'user-1', '2025-02-20T00:00:00.001Z')).toBe(1);
    expect(await store.countStrikes('guild-1', 'user-1', '2024-01-01')).toBe(3);
    expect(await store.countStrikes('guild-1', 'user-2', '2024-01-01')).toBe(1);
    expect(await store.countStrikes('guild-1', 'nobody', '2024-01-01')).toBe(0);
  });

  it('does not count a strike whose verdict a moderator overturned', async () => {
    const store = await openTemp();
    const r = await store.recordVerdict(verdict({ actions: ['flag'] }), [{ kind: 'flag' }]);
    await store.addStrike('guild-1', 'user-1', r.verdictId, '2025-03-01T00:00:00.000Z');
    expect(await store.countStrikes('guild-1', 'user-1', '2025-01-01')).toBe(1);
    await store.decideReview(r.reviewId ?? -1, 'overturned', 'mod', 'cli');
    expect(await store.countStrikes('guild-1', 'user-1', '2025-01-01')).toBe(0);
    await store.decideReview(r.reviewId ?? -1, 'confirmed', 'mod2', 'cli');
    expect(await store.countStrikes('guild-1', 'user-1', '2025-01-01')).toBe(1);
  });
});
