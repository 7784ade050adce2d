// The dashboard's chart aggregates (src/store/charts.ts) on both backends, from hand-made verdicts
// whose figures are known: time buckets, "flagged" exactly as Store.stats counts it (a label triggered
// below its recorded threshold is not flagged), actions, log-only, channels, servers and agreement.
import { expect, it } from 'vitest';
import type { Store } from '../../src/store/index.js';
import { decision, describeBackends, makeClock, openTemp, scores, verdict } from './helpers.js';

const SINCE = '2025-03-01T00:00:00.000Z';

/** Five verdicts over two days and three servers, two review decisions; returns the store and review ids. */
async function seeded(): Promise<{ store: Store; reviews: Record<string, number> }> {
  const clock = makeClock('2025-02-20T08:00:00.000Z');
  const store = await openTemp({ now: clock.now });
  const reviews: Record<string, number> = {};
  // Before the period: counted for the server list only.
  await store.recordVerdict(verdict({ msg: { serverId: 'g1', channelId: 'c1', messageId: 'old' }, actions: ['flag'] }), [{ kind: 'flag' }]);
  clock.set('2025-03-01T10:15:00.000Z');
  const flagged = await store.recordVerdict(verdict({ msg: { serverId: 'g1', channelId: 'c1', messageId: 'm1', text: 'you are an idiot' }, actions: ['delete', 'flag'] }), [{ kind: 'delete' }, { kind: 'flag' }]);
  reviews.flagged = flagged.reviewId ?? -1;
  clock.set('2025-03-01T10:45:00.000Z');
  // Triggered, but the stored score is under the threshold recorded with it: acted on, not "flagged".
  const under = verdict({ msg: { serverId: 'g1', channelId: 'c2', messageId: 'm2', text: 'meh' }, scores: scores({ insult: 0.5 }), decision: decision(['flag'], { triggered: [{ label: 'insult', score: 0.5, threshold: 0.8 }] }) });
  reviews.under = (await store.recordVerdict(under, [{ kind: 'flag' }])).reviewId ?? -1;
  clock.set('2025-03-01T11:05:00.000Z');
  const logOnly = verdict({
    msg: { serverId: 'g1', channelId: 'c1', messageId: 'm3', text: 'damn you all' },
    scores: scores({ toxic: 0.95 }),
    spans: [[0, 4]],
    decision: decision([], { triggered: [{ label: 'toxic', score: 0.95, threshold: 0.9 }], logOnly: true, wouldAct: ['flag'] }),
  });
  reviews.logOnly = (await store.recordVerdict(logOnly, [])).reviewId ?? -1;
  clock.set('2025-03-02T09:00:00.000Z');
  await store.recordVerdict(verdict({ msg: { serverId: 'g2', channelId: 'c9', messageId: 'm4', text: 'hello' }, scores: scores(), spans: [], decision: decision([]) }), []);
  await store.setPolicy('g3', { mode: 'log-only' }, 'test', 'cli');
  await store.decideReview(reviews.flagged, 'confirmed', 'mod', 'dashboard');
  await store.decideReview(reviews.logOnly, 'overturned', 'mod', 'dashboard');
  await store.decideReview(reviews.under, 'confirmed', 'mod', 'dashboard');
  return { store, reviews };
}

describeBackends('dashboard chart aggregates', () => {
  it('timeline per hour and per day: all verdicts, flagged per label, per action, log-only', async () => {
    const { store } = await seeded();
    const byBucket = <T extends { bucket: string }>(rows: T[]) => [...rows].sort((a, b) => JSON.stringify(a).localeCompare(JSON.stringify(b)));
    const hours = await store.timelineCounts(undefined, SINCE, 'hour');
    expect(byBucket(hours.total)).toEqual([
      { bucket: '2025-03-01T10', n: 2 },
      { bucket: '2025-03-01T11', n: 1 },
      { bucket: '2025-03-02T09', n: 1 },
    ]);
    expect(byBucket(hours.byLabel)).toEqual([
      { bucket: '2025-03-01T10', label: 'insult', n: 1 },
      { bucket: '2025-03-01T11', label: 'toxic', n: 1 },
    ]);
    expect(byBucket(hours.byAction)).toEqual([
      { bucket: '2025-03-01T10', action: 'delete', n: 1 },
      { bucket: '2025-03-01T10', action: 'flag', n: 2 },
    ]);
    expect(hours.logOnly).toEqual([{ bucket: '2025-03-01T11', n: 1 }]);
    const days = await store.timelineCounts(undefined, SINCE, 'day');
    expect(byBucket(days.total)).toEqual([
      { bucket: '2025-03-01', n: 3 },
      { bucket: '2025-03-02', n: 1 },
    ]);
    expect((await store.timelineCounts('g2', SINCE, 'day')).total).toEqual([{ bucket: '2025-03-02', n: 1 }]);
    // The same "flagged" as the store's own counts.
    const stats = await store.stats(undefined, SINCE);
    expect(stats.flaggedByLabel).toMatchObject({ insult: 1, toxic: 1 });
    expect(stats.flaggedVerdicts).toBe(2);
  });

  it('channels with flagged verdicts, flagged spans newest first, servers with verdicts or a policy', async () => {
    const { store } = await seeded();
    expect(await store.topChannels(undefined, SINCE)).toEqual([{ serverId: 'g1', channelId: 'c1', verdicts: 2, flagged: 2 }]);
    expect(await store.topChannels('g2', SINCE)).toEqual([]);
    expect(await store.flaggedSpans('g1', SINCE, 10)).toEqual([
      { text: 'damn you all', spans: [[0, 4]] },
      { text: 'you are an idiot', spans: [[11, 16]] },
    ]);
    expect(await store.flaggedSpans('g1', SINCE, 1)).toHaveLength(1);
    expect(await store.serverSummaries()).toEqual([
      { serverId: 'g1', verdicts: 4, pending: 1 },
      { serverId: 'g2', verdicts: 1, pending: 0 },
      { serverId: 'g3', verdicts: 0, pending: 0 },
    ]);
  });

  it('agreement per label counts the decided items the model flagged for that label only', async () => {
    const { store } = await seeded();
    const rows = Object.fromEntries((await store.agreementByLabel(undefined)).map((r) => [r.label, r]));
    expect(rows.insult).toEqual({ label: 'insult', confirmed: 1, overturned: 0, dismissed: 0, pending: 1, rate: 1 }); // 'old' is pending; 'meh' was under its threshold
    expect(rows.toxic).toEqual({ label: 'toxic', confirmed: 0, overturned: 1, dismissed: 0, pending: 0, rate: 0 });
    expect(rows.threat?.rate).toBeNull();
    expect((await store.agreementByLabel('g2')).every((r) => r.confirmed + r.overturned + r.pending === 0)).toBe(true);
    expect((await store.agreementByLabel(undefined, SINCE)).find((r) => r.label === 'insult')?.pending).toBe(0);
  });
});
