// Log-only mode (a new workspace's default) still fills the review queue, so moderators can measure
// how often they agree with the model before turning actions on; nothing is posted or reacted to.
// Scores come from the deterministic word-list scorer.
import { afterEach, describe, expect, it, vi } from 'vitest';
import { ADMIN, Harness, MODS } from './harness.js';
import { wordScorer } from '../../helpers/word-scorer.js';

let h: Harness | undefined;
afterEach(async () => {
  await h?.close();
  h = undefined;
});

describe('Slack app: log-only mode', () => {
  it('queues the message for review marked "would have acted", and does nothing on Slack', async () => {
    h = await Harness.start({ scorer: wordScorer(), policy: { 'alerts.channelId': MODS } });
    await h.memberSays('you are a worthless idiot');
    await vi.waitFor(() => expect(h?.count('review_items')).toBe(1), { timeout: 10_000, interval: 25 });
    expect(h.count('actions')).toBe(0);
    const review = await h.command('review', ADMIN);
    expect(review.body.text).toBe('1 pending review');
    expect(JSON.stringify(review.body.blocks)).toContain('would have acted: flag, alert');
    expect(h.fake.callsTo('reactions.add')).toEqual([]);
    expect(h.fake.callsTo('chat.postMessage')).toEqual([]);
  });
});
