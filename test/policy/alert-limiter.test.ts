import { describe, expect, it } from 'vitest';

import { AlertLimiter } from '../../src/policy/alert-limiter.js';

const T0 = 1_700_000_000_000;

describe('AlertLimiter', () => {
  it('sends maxPerMinute alerts and batches the rest into one summary', () => {
    const limiter = new AlertLimiter({ maxPerMinute: 5 });
    const results = Array.from({ length: 12 }, (_, i) =>
      limiter.offer('S1', { channelId: i % 2 === 0 ? 'C1' : 'C2', labels: i < 9 ? ['toxic', 'insult'] : ['threat'] }, T0 + i * 1000),
    );
    expect(results.filter((r) => r === 'send')).toHaveLength(5);
    expect(results.slice(0, 5).every((r) => r === 'send')).toBe(true);
    expect(results.slice(5).every((r) => r === 'batched')).toBe(true);
    expect(limiter.pending('S1')).toBe(7);

    // The batch started at T0 + 5s: nothing to drain before its minute has passed.
    expect(limiter.drainSummaries(T0 + 64_999)).toEqual([]);
    const summaries = limiter.drainSummaries(T0 + 65_000);
    expect(summaries).toEqual([
      {
        serverId: 'S1',
        count: 7,
        labels: { toxic: 4, severe_toxic: 0, obscene: 0, threat: 3, insult: 4, identity_hate: 0 },
        channelIds: ['C2', 'C1'],
        firstAt: T0 + 5000,
        lastAt: T0 + 11_000,
      },
    ]);
    // Drained once only.
    expect(limiter.drainSummaries(T0 + 200_000)).toEqual([]);
    expect(limiter.pending('S1')).toBe(0);
  });

  it('sends again once the sliding minute has passed', () => {
    const limiter = new AlertLimiter({ maxPerMinute: 2 });
    expect(limiter.offer('S1', { channelId: 'C1', labels: ['toxic'] }, T0)).toBe('send');
    expect(limiter.offer('S1', { channelId: 'C1', labels: ['toxic'] }, T0 + 30_000)).toBe('send');
    expect(limiter.offer('S1', { channelId: 'C1', labels: ['toxic'] }, T0 + 59_999)).toBe('batched');
    expect(limiter.offer('S1', { channelId: 'C1', labels: ['toxic'] }, T0 + 60_000)).toBe('send');
    expect(limiter.offer('S1', { channelId: 'C1', labels: ['toxic'] }, T0 + 60_001)).toBe('batched');
  });

  it('limits each server separately, with per-server limits', () => {
    const limiter = new AlertLimiter({ maxPerMinute: (id) => (id === 'big' ? 3 : 1) });
    const a = [1, 2, 3, 4].map((i) => limiter.offer('big', { channelId: 'C', labels: ['toxic'] }, T0 + i));
    const b = [1, 2].map((i) => limiter.offer('small', { channelId: 'D', labels: ['obscene'] }, T0 + i));
    expect(a).toEqual(['send', 'send', 'send', 'batched']);
    expect(b).toEqual(['send', 'batched']);
    const summaries = limiter.drainSummaries(T0 + 120_000);
    expect(summaries.map((s) => [s.serverId, s.count])).toEqual([
      ['big', 1],
      ['small', 1],
    ]);
  });

  it('servers with no overflow get no summary', () => {
    const limiter = new AlertLimiter();
    limiter.offer('S1', { channelId: 'C1', labels: ['toxic'] }, T0);
    expect(limiter.drainSummaries(T0 + 120_000)).toEqual([]);
  });
});
