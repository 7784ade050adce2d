import { expect, it } from 'vitest';
import { makeClock, openTemp, scores, verdict, describeBackends } from './helpers.js';

describeBackends('policies and their audit trail', () => {
  it('stores policy JSON as given and records who changed what, from where, before and after', async () => {
    const clock = makeClock('2025-03-01T12:00:00.000Z');
    const store = await openTemp({ now: clock.now });
    expect(await store.getPolicy('guild-1')).toBeUndefined();

    const p1 = { thresholds: { insult: 0.8 }, actions: ['flag'] };
    await store.setPolicy('guild-1', p1, 'owner-1', 'cli');
    clock.advance(1000);
    const p2 = { thresholds: { insult: 0.9, threat: 0.5 }, actions: ['flag', 'delete'], logOnly: false };
    await store.setPolicy('guild-1', p2, 'mod-2', 'dashboard');
    await store.setPolicy('guild-2', { anything: [1, 'two', null] }, 'owner-9', 'slack');

    expect(await store.getPolicy('guild-1')).toEqual(p2);
    expect(await store.getPolicy('guild-2')).toEqual({ anything: [1, 'two', null] });

    const audit = await store.listPolicyAudit('guild-1', 10);
    expect(audit.map((a) => [a.actor, a.source, a.before, a.after, a.at])).toEqual([
      ['mod-2', 'dashboard', p1, p2, '2025-03-01T12:00:01.000Z'],
      ['owner-1', 'cli', undefined, p1, '2025-03-01T12:00:00.000Z'],
    ]);
    expect(await store.listPolicyAudit('guild-1', 1)).toHaveLength(1);

    // removing a policy is audited too
    await store.setPolicy('guild-1', undefined, 'owner-1', 'cli');
    expect(await store.getPolicy('guild-1')).toBeUndefined();
    expect((await store.listPolicyAudit('guild-1', 1))[0]).toMatchObject({ before: p2, after: undefined });
    expect(await store.listPolicyAudit('guild-2', 10)).toHaveLength(1);
  });
});

describeBackends('scan checkpoints', () => {
  it('saves and overwrites the position of a resumable scan', async () => {
    const store = await openTemp();
    expect(await store.scanCheckpoint('scan-1')).toBeUndefined();
    await store.setScanCheckpoint('scan-1', 'export/part-1.jsonl', 500);
    await store.setScanCheckpoint('scan-1', 'export/part-2.jsonl', 20);
    await store.setScanCheckpoint('scan-2', 'other.csv', 7);
    expect(await store.scanCheckpoint('scan-1')).toMatchObject({ scanId: 'scan-1', file: 'export/part-2.jsonl', line: 20 });
    expect((await store.scanCheckpoint('scan-2'))?.line).toBe(7);
  });
});

describeBackends('stats', () => {
  it('counts verdicts, labels at or over their recorded threshold, actions by kind and status, reviews', async () => {
    const clock = makeClock('2025-03-01T12:00:00.000Z');
    const store = await openTemp({ now: clock.now });
    // before the window
    await store.recordVerdict(verdict({ msg: { messageId: 'old' } }), [{ kind: 'delete' }]);
    clock.set('2025-03-10T00:00:00.000Z');

    // insult 0.92 >= 0.8 and threat 0.6 >= 0.5: both flagged
    const a = await store.recordVerdict(
      verdict({
        msg: { messageId: 'a' },
        scores: scores({ insult: 0.92, threat: 0.6 }),
        decision: { actions: ['delete', 'flag'], triggered: [{ label: 'insult', score: 0.92, threshold: 0.8 }, { label: 'threat', score: 0.6, threshold: 0.5 }], logOnly: false },
      }),
      [{ kind: 'delete' }, { kind: 'flag' }],
    );
    // insult exactly at the threshold counts; toxic under its recorded threshold does not
    await store.recordVerdict(
      verdict({
        msg: { messageId: 'b' },
        scores: scores({ insult: 0.8, toxic: 0.4 }),
        decision: { actions: ['alert'], triggered: [{ label: 'insult', score: 0.8, threshold: 0.8 }, { label: 'toxic', score: 0.4, threshold: 0.7 }], logOnly: false },
      }),
      [{ kind: 'alert' }],
    );
    // exempt (moderator) and a log-only server
    await store.recordVerdict(verdict({ msg: { messageId: 'c' }, decision: { actions: [], triggered: [], exemption: 'author is a moderator', logOnly: false } }), []);
    await store.recordVerdict(
      verdict({ msg: { messageId: 'd', serverId: 'guild-2' }, scores: scores({ obscene: 0.99 }), decision: { actions: [], triggered: [{ label: 'obscene', score: 0.99, threshold: 0.9 }], logOnly: true } }),
      [],
    );
    // oldest first: the pre-window delete, then verdict a's delete
    const claimed = await store.claimActions(2, '2025-03-10T00:00:00.000Z');
    expect(claimed.map((x) => [x.kind, x.verdictId === null ? null : x.target.messageId])).toEqual([
      ['delete', 'old'],
      ['delete', 'a'],
    ]);
    for (const x of claimed) await store.completeAction(x.id);
    await store.decideReview(a.reviewId ?? -1, 'confirmed', 'mod', 'cli');

    const s = await store.stats('guild-1', '2025-03-05T00:00:00.000Z');
    expect(s.verdicts).toBe(3);
    expect(s.flaggedVerdicts).toBe(2);
    expect(s.flaggedByLabel).toEqual({ toxic: 0, severe_toxic: 0, obscene: 0, threat: 1, insult: 2, identity_hate: 0 });
    expect(s.exempted).toBe(1);
    expect(s.logOnly).toBe(0);
    expect(s.actions.delete).toEqual({ pending: 0, running: 0, done: 1, failed: 0, dead: 0 });
    expect(s.actions.flag.pending).toBe(1);
    expect(s.actions.alert.pending).toBe(1);
    expect(s.reviews).toEqual({ pending: 0, confirmed: 1, overturned: 0, dismissed: 0 });

    const everywhere = await store.stats(undefined, '2025-03-05T00:00:00.000Z');
    expect(everywhere.verdicts).toBe(4);
    expect(everywhere.flaggedByLabel.obscene).toBe(1);
    expect(everywhere.logOnly).toBe(1);
    expect((await store.stats(undefined, '2000-01-01')).verdicts).toBe(5);
    expect((await store.stats(undefined, '2000-01-01')).actions.delete.done).toBe(2);
  });
});
