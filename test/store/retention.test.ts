import { expect, it } from 'vitest';
import { makeClock, openTemp, verdict, describeBackends } from './helpers.js';

describeBackends('prune', () => {
  it('deletes old finished verdicts with their children and keeps anything still pending', async () => {
    const clock = makeClock('2025-01-01T00:00:00.000Z');
    const store = await openTemp({ now: clock.now });
    const sources = [{ attachment: 0, scanned: false as const, reason: 'channel opted out of image scanning' }];

    // finished: action done, review decided -> pruned
    const done = await store.recordVerdict(verdict({ msg: { messageId: 'done' }, sources, actions: ['delete', 'flag'] }), [{ kind: 'delete' }, { kind: 'flag' }]);
    for (const a of await store.claimActions(10, '2025-01-01T00:00:00.000Z')) await store.completeAction(a.id);
    await store.decideReview(done.reviewId ?? -1, 'confirmed', 'mod', 'cli');
    await store.decideReview(done.reviewId ?? -1, 'dismissed', 'mod2', 'cli');
    await store.addStrike('guild-1', 'user-1', done.verdictId, '2025-01-01T00:00:00.000Z');

    // dead action, no review -> pruned
    const dead = await store.recordVerdict(verdict({ msg: { messageId: 'dead' }, actions: ['dm'] }), [{ kind: 'dm' }]);
    const [dm] = await store.claimActions(10, '2025-01-01T00:00:00.000Z');
    await store.failAction(dm?.id ?? -1, 'DMs closed', { dead: true });

    // pending review -> kept
    const pendingReview = await store.recordVerdict(verdict({ msg: { messageId: 'pending-review' }, actions: ['flag'] }), []);
    // pending action -> kept; failed-with-retry action -> kept
    const pendingAction = await store.recordVerdict(verdict({ msg: { messageId: 'pending-action' }, actions: ['timeout'] }), [{ kind: 'timeout' }]);
    const retrying = await store.recordVerdict(verdict({ msg: { messageId: 'retrying' }, actions: ['alert'] }), [{ kind: 'alert' }]);
    const claimed = await store.claimActions(10, '2025-01-01T00:00:00.000Z');
    const alert = claimed.find((a) => a.verdictId === retrying.verdictId);
    await store.failAction(alert?.id ?? -1, '503', { retryAt: '2025-06-01T00:00:00.000Z' });
    // 'timeout' is left running (a worker holds it) -> kept

    // a server's notices: an old posted one -> pruned (it has no verdict to go with); an old one still to post -> kept
    const posted = await store.enqueueNotice({ platform: 'discord', serverId: 'guild-1', key: 'drift:1', text: 'drifted' }, '2025-06-01T00:00:00.000Z');
    await store.completeAction(posted ?? -1, { messageId: '1' });
    const unposted = await store.enqueueNotice({ platform: 'discord', serverId: 'guild-1', key: 'drift:2', text: 'drifted' }, '2025-06-01T00:00:00.000Z');

    // recent -> kept
    clock.set('2025-03-01T00:00:00.000Z');
    const recent = await store.recordVerdict(verdict({ msg: { messageId: 'recent' }, actions: [] }), []);
    const recentNotice = await store.enqueueNotice({ platform: 'discord', serverId: 'guild-1', key: 'drift:3', text: 'drifted' }, '2025-06-01T00:00:00.000Z');
    await store.completeAction(recentNotice ?? -1, { messageId: '3' });

    const result = await store.prune('2025-02-01T00:00:00.000Z');
    expect(result).toEqual({ verdicts: 2, sources: 1, actions: 4, reviews: 1, reviewDecisions: 2, keptPending: 3 });
    expect((await store.listServerActions('discord', 'guild-1')).map((n) => n.id)).toEqual([unposted, recentNotice]);

    expect(await store.getVerdict(done.verdictId)).toBeUndefined();
    expect(await store.getVerdict(dead.verdictId)).toBeUndefined();
    expect(await store.listActions(done.verdictId)).toEqual([]);
    expect(await store.getReview(done.reviewId ?? -1)).toBeUndefined();
    expect(await store.reviewHistory(done.reviewId ?? -1)).toEqual([]);
    for (const kept of [pendingReview, pendingAction, retrying, recent]) expect(await store.getVerdict(kept.verdictId)).toBeDefined();
    expect((await store.reviewForVerdict(pendingReview.verdictId))?.status).toBe('pending');
    expect((await store.listActions(pendingAction.verdictId)).map((a) => a.status)).toEqual(['running']);
    expect((await store.listActions(retrying.verdictId)).map((a) => a.status)).toEqual(['failed']);
    // the strike outlives its verdict so escalation still counts it
    expect(await store.countStrikes('guild-1', 'user-1', '2024-12-01')).toBe(1);

    // a second prune finds nothing new; once the pending work is finished it goes too
    expect(await store.prune('2025-02-01T00:00:00.000Z')).toMatchObject({ verdicts: 0, keptPending: 3 });
    await store.decideReview(pendingReview.reviewId ?? -1, 'confirmed', 'mod', 'cli');
    expect(await store.prune('2025-02-01T00:00:00.000Z')).toMatchObject({ verdicts: 1, reviews: 1, keptPending: 2 });
  });
});
