import { describe, expect, it } from 'vitest';
import { makeClock, openTemp, verdict } from './helpers.js';

describe('prune', () => {
  it('deletes old finished verdicts with their children and keeps anything still pending', () => {
    const clock = makeClock('2025-01-01T00:00:00.000Z');
    const store = openTemp({ now: clock.now });
    const sources = [{ attachment: 0, scanned: false as const, reason: 'channel opted out of image scanning' }];

    // finished: action done, review decided -> pruned
    const done = store.recordVerdict(verdict({ msg: { messageId: 'done' }, sources, actions: ['delete', 'flag'] }), [{ kind: 'delete' }, { kind: 'flag' }]);
    for (const a of store.claimActions(10, '2025-01-01T00:00:00.000Z')) store.completeAction(a.id);
    store.decideReview(done.reviewId ?? -1, 'confirmed', 'mod', 'cli');
    store.decideReview(done.reviewId ?? -1, 'dismissed', 'mod2', 'cli');
    store.addStrike('guild-1', 'user-1', done.verdictId, '2025-01-01T00:00:00.000Z');

    // dead action, no review -> pruned
    const dead = store.recordVerdict(verdict({ msg: { messageId: 'dead' }, actions: ['dm'] }), [{ kind: 'dm' }]);
    const [dm] = store.claimActions(10, '2025-01-01T00:00:00.000Z');
    store.failAction(dm?.id ?? -1, 'DMs closed', { dead: true });

    // pending review -> kept
    const pendingReview = store.recordVerdict(verdict({ msg: { messageId: 'pending-review' }, actions: ['flag'] }), []);
    // pending action -> kept; failed-with-retry action -> kept
    const pendingAction = store.recordVerdict(verdict({ msg: { messageId: 'pending-action' }, actions: ['timeout'] }), [{ kind: 'timeout' }]);
    const retrying = store.recordVerdict(verdict({ msg: { messageId: 'retrying' }, actions: ['alert'] }), [{ kind: 'alert' }]);
    const claimed = store.claimActions(10, '2025-01-01T00:00:00.000Z');
    const alert = claimed.find((a) => a.verdictId === retrying.verdictId);
    store.failAction(alert?.id ?? -1, '503', { retryAt: '2025-06-01T00:00:00.000Z' });
    // 'timeout' is left running (a worker holds it) -> kept

    // recent -> kept
    clock.set('2025-03-01T00:00:00.000Z');
    const recent = store.recordVerdict(verdict({ msg: { messageId: 'recent' }, actions: [] }), []);

    const result = store.prune('2025-02-01T00:00:00.000Z');
    expect(result).toEqual({ verdicts: 2, sources: 1, actions: 3, reviews: 1, reviewDecisions: 2, keptPending: 3 });

    expect(store.getVerdict(done.verdictId)).toBeUndefined();
    expect(store.getVerdict(dead.verdictId)).toBeUndefined();
    expect(store.listActions(done.verdictId)).toEqual([]);
    expect(store.getReview(done.reviewId ?? -1)).toBeUndefined();
    expect(store.reviewHistory(done.reviewId ?? -1)).toEqual([]);
    for (const kept of [pendingReview, pendingAction, retrying, recent]) expect(store.getVerdict(kept.verdictId)).toBeDefined();
    expect(store.reviewForVerdict(pendingReview.verdictId)?.status).toBe('pending');
    expect(store.listActions(pendingAction.verdictId).map((a) => a.status)).toEqual(['running']);
    expect(store.listActions(retrying.verdictId).map((a) => a.status)).toEqual(['failed']);
    // the strike outlives its verdict so escalation still counts it
    expect(store.countStrikes('guild-1', 'user-1', '2024-12-01')).toBe(1);

    // a second prune finds nothing new; once the pending work is finished it goes too
    expect(store.prune('2025-02-01T00:00:00.000Z')).toMatchObject({ verdicts: 0, keptPending: 3 });
    store.decideReview(pendingReview.reviewId ?? -1, 'confirmed', 'mod', 'cli');
    expect(store.prune('2025-02-01T00:00:00.000Z')).toMatchObject({ verdicts: 1, reviews: 1, keptPending: 2 });
  });
});
