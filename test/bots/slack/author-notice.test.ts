// dmAuthor on Slack: the author's notice is a planned outbox action (dm) that runs after the delete
// or flag and says what was actually done. Scores come from the deterministic word-list scorer.
import { afterEach, describe, expect, it, vi } from 'vitest';
import { wordScorer } from '../../helpers/word-scorer.js';
import { GENERAL, Harness, MEMBER, MODS, TEAM } from './harness.js';

let h: Harness | undefined;
afterEach(async () => {
  await h?.close();
  h = undefined;
});

const ACTIVE = { mode: 'active', 'alerts.channelId': MODS, dmAuthor: 'true' };

async function settledDm(hh: Harness, ts: string): Promise<{ result: unknown; kinds: string[] }> {
  const verdict = await vi.waitFor(
    async () => {
      const v = await hh.store.getVerdict(`slack:${TEAM}:${GENERAL}:${ts}`);
      if (!v) throw new Error('no verdict yet');
      return v;
    },
    { timeout: 10_000, interval: 25 },
  );
  return vi.waitFor(
    async () => {
      const actions = await hh.store.listActions(verdict.id);
      const dm = actions.find((a) => a.kind === 'dm');
      if (dm?.status !== 'done') throw new Error('dm not done yet');
      return { result: dm.result, kinds: actions.map((a) => a.kind) };
    },
    { timeout: 10_000, interval: 25 },
  );
}

describe('Slack app: telling the author (dmAuthor)', () => {
  it('a flagged message: the author gets one ephemeral notice, after the flag', async () => {
    h = await Harness.start({ scorer: wordScorer(), policy: ACTIVE });
    const { ts } = await h.memberSays('you are a worthless idiot');
    const { result, kinds } = await settledDm(h, ts);
    expect(kinds).toEqual(['flag', 'alert', 'dm']);
    expect(result).toEqual({ notified: true });
    const notices = h.fake.okCalls('chat.postEphemeral');
    expect(notices).toHaveLength(1);
    expect(notices[0]?.params).toMatchObject({ channel: GENERAL, user: MEMBER, text: expect.stringContaining('flagged') });
  });

  it('a deleted message (admin token): the notice says it was removed', async () => {
    h = await Harness.start({ scorer: wordScorer(), adminToken: true, policy: { ...ACTIVE, 'actions.delete.enabled': 'true', 'actions.delete.thresholds.insult': '0.85' } });
    const { ts } = await h.memberSays('you are a worthless idiot');
    const { result, kinds } = await settledDm(h, ts);
    expect(kinds).toContain('delete');
    expect(result).toEqual({ notified: true });
    const notices = h.fake.okCalls('chat.postEphemeral');
    expect(notices).toHaveLength(1);
    expect(notices[0]?.params).toMatchObject({ user: MEMBER, text: expect.stringContaining('removed') });
  });
});
