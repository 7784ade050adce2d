import { describe, expect, it } from 'vitest';

import { AlertLimiter, summaryOf } from '../../src/policy/alert-limiter.js';

const T0 = 1_700_000_000_000;

describe('AlertLimiter', () => {
  it('sends maxPerMinute alerts and holds the rest back in one batch, opened by the first', async () => {
    const limiter = new AlertLimiter({ maxPerMinute: 5 });
    const results = [];
    for (let i = 0; i < 12; i++) results.push(await limiter.offer('S1', T0 + i * 1000));
    expect(results.slice(0, 5)).toEqual(Array.from({ length: 5 }, () => ({ send: true })));
    // The batch starts with the first alert held back (T0 + 5 s); only that one opens it.
    expect(results.slice(5)).toEqual(Array.from({ length: 7 }, (_, i) => ({ send: false, batchStart: T0 + 5000, first: i === 0 })));
    expect(limiter.summaryAt(T0 + 5000)).toBe(T0 + 65_000);
  });

  it('sends again once the sliding minute has passed; a held-back alert after a batch\'s minute opens a new batch', async () => {
    const limiter = new AlertLimiter({ maxPerMinute: 2 });
    expect(await limiter.offer('S1', T0)).toEqual({ send: true });
    expect(await limiter.offer('S1', T0 + 30_000)).toEqual({ send: true });
    expect(await limiter.offer('S1', T0 + 59_999)).toEqual({ send: false, batchStart: T0 + 59_999, first: true });
    expect(await limiter.offer('S1', T0 + 60_000)).toEqual({ send: true });
    expect(await limiter.offer('S1', T0 + 60_001)).toEqual({ send: false, batchStart: T0 + 59_999, first: false });
    expect(await limiter.offer('S1', T0 + 90_000)).toEqual({ send: true });
    expect(await limiter.offer('S1', T0 + 119_999)).toEqual({ send: false, batchStart: T0 + 119_999, first: true });
  });

  it('limits each server separately, with per-server limits', async () => {
    const limiter = new AlertLimiter({ maxPerMinute: (id) => (id === 'big' ? 3 : 1) });
    const a = [];
    for (const i of [1, 2, 3, 4]) a.push((await limiter.offer('big', T0 + i)).send);
    const b = [];
    for (const i of [1, 2]) b.push((await limiter.offer('small', T0 + i)).send);
    expect(a).toEqual([true, true, true, false]);
    expect(b).toEqual([true, false]);
  });

  it('summarises held-back alerts: count, per-label counts, channels first seen first', () => {
    const held = [
      { channelId: 'C2', labels: ['toxic', 'insult'] as const },
      { channelId: 'C1', labels: ['toxic', 'insult', 'insult'] as const },
      { channelId: 'C2', labels: ['threat'] as const },
    ];
    expect(summaryOf('S1', held.map((h) => ({ channelId: h.channelId, labels: [...h.labels] })))).toEqual({
      serverId: 'S1',
      count: 3,
      labels: { toxic: 2, severe_toxic: 0, obscene: 0, threat: 1, insult: 2, identity_hate: 0 },
      channelIds: ['C2', 'C1'],
    });
  });
});
