// A review decided on the dashboard updates the alert already posted in Slack: every decision
// enqueues a refresh-alert action, which the outbox executes through the Slack adapter.
// Scores come from the deterministic word-list scorer.
import { afterEach, describe, expect, it, vi } from 'vitest';
import { dashboardOn } from '../../dashboard/harness.js';
import { wordScorer } from '../../helpers/word-scorer.js';
import { blocksOf, GENERAL, Harness, MODS, TEAM } from './harness.js';

let h: Harness | undefined;
afterEach(async () => {
  await h?.close();
  h = undefined;
});

/** An active workspace, a member's toxic message and its alert as posted. */
async function alerted() {
  const scorer = wordScorer();
  const hh = await Harness.start({ scorer, policy: { mode: 'active', 'alerts.channelId': MODS } });
  h = hh;
  const { ts } = await hh.memberSays('you are a worthless idiot');
  await vi.waitFor(() => expect(hh.fake.okCalls('chat.postMessage')).toHaveLength(1), { timeout: 10_000, interval: 25 });
  return { hh, scorer, ts, alert: hh.fake.okCalls('chat.postMessage')[0] };
}

describe('Slack app: decisions made elsewhere', () => {
  it('a dashboard decision updates the posted alert', async () => {
    const { hh, scorer, ts, alert } = await alerted();
    const verdict = await hh.store.getVerdict(`slack:${TEAM}:${GENERAL}:${ts}`);
    const review = verdict && await hh.store.reviewForVerdict(verdict.id);
    if (!verdict || !review) throw new Error('no verdict or review');

    const dashboard = await dashboardOn({ store: hh.store, policies: hh.policies, scorer, pipeline: hh.pipeline });
    try {
      expect(await dashboard.decide(review.id, 'overturned')).toBe(200);
    } finally {
      await dashboard.close();
    }
    await vi.waitFor(() => expect(hh.fake.okCalls('chat.update')).toHaveLength(1), { timeout: 10_000, interval: 25 });
    const update = hh.fake.okCalls('chat.update')[0];
    expect(update?.params).toMatchObject({ channel: MODS, ts: alert?.response.ts });
    const blocks = blocksOf(update?.params ?? {});
    expect(blocks.some((b) => b.type === 'actions')).toBe(false); // no buttons left on a decided alert
    expect(JSON.stringify(blocks)).toContain('Overturned (not toxic) by alice (dashboard)');
    await vi.waitFor(async () => expect((await hh.store.listActions(verdict.id)).find((a) => a.kind === 'refresh-alert')?.status).toBe('done'), { timeout: 5000, interval: 25 });
  });

  it('a retried alert (after a crash between the post and marking it done) is found by its metadata, not posted again', async () => {
    const { hh, ts, alert: first } = await alerted();
    expect(JSON.parse(first?.params.metadata ?? '{}')).toMatchObject({ event_type: 'toxguard_alert' });
    const verdict = await hh.store.getVerdict(`slack:${TEAM}:${GENERAL}:${ts}`);
    const alert = verdict && (await hh.store.listActions(verdict.id)).find((a) => a.kind === 'alert');
    if (!verdict || !alert) throw new Error('no verdict or alert');
    // The lease ran out and another worker claims the same action again.
    const claimed = { ...alert, status: 'running' as const, attempts: 2, target: { messageKey: '', platform: 'slack' as const, serverId: TEAM, channelId: GENERAL, threadId: null, messageId: ts, authorId: verdict.authorId } };
    const again = await hh.bot.executor.execute(claimed, verdict);
    expect(again).toEqual({ channel: MODS, ts: first?.response.ts, recovered: true });
    expect(hh.fake.okCalls('chat.postMessage')).toHaveLength(1);
  });
});
