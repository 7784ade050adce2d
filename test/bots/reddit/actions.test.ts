// Actions and the API's limits: remove, modmail, bans only when allowed, rate-limit headers
// honoured, 429 and 5xx retried, a report retried after a crash not sent twice; alerts beyond the
// per-minute limit summarised by one alert-summary outbox action; refresh-alert skipped.
import { afterEach, describe, expect, it } from 'vitest';
import { noticePlatform } from '../../../src/bots/index.js';
import { SUMMARY_GRACE_MS } from '../../../src/core/actions/index.js';
import type { ActionRecord } from '../../../src/store/index.js';
import { HUMAN_MOD, MEMBER, RedditHarness, SERVER, SUB, TOXIC, CLEAN } from './harness.js';

let h: RedditHarness | undefined;
afterEach(async () => {
  await h?.close();
  h = undefined;
});

const DELETE_AND_TIMEOUT = {
  mode: 'active',
  'alerts.maxPerMinute': '600',
  'actions.delete.enabled': 'true',
  'actions.delete.thresholds.insult': '0.9',
  'actions.timeout.enabled': 'true',
  'actions.timeout.thresholds.insult': '0.9',
  'escalation.timeoutMinutes': '2880',
};

/** The Discord server a subreddit's alerts are linked to (reddit.linkedServers). */
const LINKED = '123456789012345678';

/** The notices enqueued for the linked server (the Discord adapter would post them; none runs here). */
async function linkedNotices(): Promise<{ id: number; key: string; text: string }[]> {
  return (await (h as RedditHarness).store.listServerActions('discord', LINKED)).map((n) => ({ id: n.id, key: n.key, text: (n.payload as { text: string }).text }));
}

describe('Reddit adapter: actions', () => {
  it('maps delete to remove (with the removal reason) and alert to modmail; a timeout is skipped while bans are off', async () => {
    h = await RedditHarness.create({ policy: DELETE_AND_TIMEOUT, reddit: { removalReasonId: 'rr-1' } });
    const post = h.fake.addPost(SUB, { author: MEMBER, title: 'thread' });
    const c = h.fake.addComment(SUB, { author: MEMBER, body: TOXIC, post });
    await h.bot.pollAll();
    const actions = await h.settled();
    expect(actions.map((a) => [a.kind, a.status])).toEqual([['flag', 'done'], ['alert', 'done'], ['delete', 'done'], ['timeout', 'done']]);
    expect(h.fake.callsTo('POST', '/api/remove').map((x) => x.form)).toEqual([{ id: c.name, spam: 'false' }]);
    const reason = h.fake.callsTo('POST', '/api/v1/modactions/removal_reasons');
    expect(JSON.parse(reason[0]?.form.json ?? '{}')).toMatchObject({ item_ids: [c.name], reason_id: 'rr-1' });
    expect(actions.find((a) => a.kind === 'delete')?.result).toMatchObject({ removed: c.name, reasonId: 'rr-1' });
    expect(actions.find((a) => a.kind === 'timeout')?.result).toEqual({ skipped: 'bans are off (reddit.allowBans)' });
    expect(h.fake.calls.filter((x) => x.path.endsWith('/api/friend'))).toHaveLength(0);
    const mail = h.fake.callsTo('POST', '/api/mod/conversations')[0]?.form;
    expect(mail?.subject).toContain(`u/${MEMBER}`);
    expect(mail?.body).toContain('Actions: flag, delete, timeout');
  });

  it("posts a notice (a drift alert) from the outbox to its own subreddit's modmail; takes only its subreddits' notices", async () => {
    h = await RedditHarness.create();
    await expect(noticePlatform([h.bot], SERVER)).resolves.toBe('reddit');
    await expect(noticePlatform([h.bot], 'T0SLACKTEAM')).resolves.toBeUndefined();
    const id = await h.store.enqueueNotice({ platform: 'reddit', serverId: SERVER, key: 'drift:test', text: 'model drift: toxic PSI 0.340 over 0.200' });
    await h.settled();
    expect(await h.store.getAction(id ?? -1)).toMatchObject({ status: 'done', result: { conversation: expect.any(String) } });
    const mail = h.fake.callsTo('POST', '/api/mod/conversations');
    expect(mail.map((c) => [c.form.srName, c.form.body])).toEqual([['testsub', 'model drift: toxic PSI 0.340 over 0.200']]);
  });

  it("sends a subreddit's alerts to a linked Discord/Slack moderators' channel (an outbox notice), else to modmail", async () => {
    let channelSet = true;
    h = await RedditHarness.create({
      reddit: { linkedServers: { [`r/${SUB}`]: LINKED } },
      linkedPlatform: async () => (channelSet ? 'discord' : undefined),
    });
    const post = h.fake.addPost(SUB, { author: MEMBER, title: 'thread' });
    const c = h.fake.addComment(SUB, { author: MEMBER, body: TOXIC, post });
    await h.bot.pollAll();
    let actions = await h.settled();
    const alert = actions.find((a) => a.kind === 'alert');
    const posted = await linkedNotices();
    expect(alert?.result).toEqual({ linked: LINKED, notice: posted[0]?.id });
    // One notice for the linked Discord server, keyed by the alert: a retried alert enqueues no second one.
    expect(posted).toHaveLength(1);
    expect(posted[0]?.key).toBe(`notice:reddit-alert:${alert?.id}`);
    expect(posted[0]?.text).toContain(`r/${SUB.toLowerCase()}: toxguard flagged a comment by u/${MEMBER}`);
    expect(posted[0]?.text).toContain(`> ${TOXIC}`);
    expect(h.fake.callsTo('POST', '/api/mod/conversations')).toHaveLength(0);

    channelSet = false; // the linked server lost its moderators' channel: modmail it is
    h.fake.edit(c.name, `${TOXIC}!!`);
    await h.bot.pollAll();
    actions = await h.settled();
    expect(h.fake.callsTo('POST', '/api/mod/conversations')).toHaveLength(0); // an edit does not alert twice
    const c2 = h.fake.addComment(SUB, { author: MEMBER, body: `${TOXIC} again`, post });
    await h.bot.pollAll();
    await h.settled();
    expect(h.fake.callsTo('POST', '/api/mod/conversations').map((x) => x.form.body?.includes(c2.id))).toEqual([true]);
  });

  it('bans for whole days when reddit.allowBans is on', async () => {
    h = await RedditHarness.create({ policy: DELETE_AND_TIMEOUT, reddit: { allowBans: true } });
    const post = h.fake.addPost(SUB, { author: MEMBER, title: 'thread' });
    h.fake.addComment(SUB, { author: MEMBER, body: TOXIC, post });
    await h.bot.pollAll();
    const actions = await h.settled();
    const bans = h.fake.callsTo('POST', new RegExp(`^/r/${SUB}/api/friend$`, 'i'));
    expect(bans.map((b) => [b.form.type, b.form.name, b.form.duration])).toEqual([['banned', MEMBER, '2']]);
    expect(actions.find((a) => a.kind === 'timeout')?.result).toEqual({ banned: MEMBER, days: 2 });
  });

  it("honours the rate-limit headers (no request beyond the window) and retries a 429 and a 502", async () => {
    h = await RedditHarness.create();
    h.fake.rate = { limit: 4, windowMs: 1000 };
    const post = h.fake.addPost(SUB, { author: MEMBER, title: 'thread' });
    for (let i = 0; i < 40; i++) h.fake.addComment(SUB, { author: MEMBER, body: i === 39 ? TOXIC : `${CLEAN} ${i}`, post });
    h.fake.failNext(new RegExp(`^/r/${SUB}/comments$`), 429, { retryAfter: 1 });
    h.fake.failNext(new RegExp(`^/r/${SUB}/new$`), 502);
    const started = Date.now();
    await h.bot.pollAll();
    await h.settled();
    expect(h.count('verdicts')).toBe(41);
    expect(h.fake.overLimit).toBe(0);
    expect(h.bot.client.stats.rateLimitWaits).toBeGreaterThan(0);
    expect(h.bot.client.stats.tooManyRequests).toBe(1);
    expect(h.fake.calls.filter((c) => c.status === 502)).toHaveLength(1);
    expect(Date.now() - started).toBeGreaterThanOrEqual(1000);
    expect(h.fake.callsTo('POST', '/api/report')).toHaveLength(1);
  }, 30_000);

  it('a report retried after a crash looks first and is not sent twice', async () => {
    h = await RedditHarness.create();
    const post = h.fake.addPost(SUB, { author: MEMBER, title: 'thread' });
    const c = h.fake.addComment(SUB, { author: MEMBER, body: TOXIC, post });
    // The report reaches Reddit but the answer is lost (a 500 after the fact, as when the process dies).
    await h.outbox.stop();
    await h.bot.pollAll();
    const [claimed] = await h.store.claimActions(1);
    expect(claimed?.kind).toBe('flag');
    await h.bot.client.post('/api/report', { api_type: 'json', thing_id: c.name, reason: 'toxguard: insult 0.96' });
    await h.store.failAction(claimed?.id ?? -1, 'process died', { retryAt: new Date() });
    h.outbox.start();
    const actions = await h.settled();
    expect(actions.find((a) => a.kind === 'flag')?.result).toEqual({ reported: c.name, alreadyReported: true });
    expect(h.fake.callsTo('POST', '/api/report')).toHaveLength(1);
    expect(h.fake.callsTo('GET', '/api/info')).toHaveLength(1);
  });

  it('a permanent refusal (403: no moderator permission) fails the action at once and says why', async () => {
    h = await RedditHarness.create();
    const post = h.fake.addPost(SUB, { author: MEMBER, title: 'thread' });
    h.fake.addComment(SUB, { author: MEMBER, body: TOXIC, post });
    h.fake.failNext(/^\/api\/mod\/conversations$/, 403);
    await h.bot.pollAll();
    const actions = await h.settled();
    const alert = actions.find((a) => a.kind === 'alert');
    expect(alert).toMatchObject({ status: 'dead', attempts: 1 });
    expect(alert?.lastError).toContain('forbidden: the account must be a moderator');
    expect(actions.find((a) => a.kind === 'flag')?.status).toBe('done');
  });
});

/** The one alert-summary scheduled, and the batch its alerts were held back in. */
function scheduledSummary(actions: ActionRecord[]): { summary: ActionRecord; batchedIn: string; dueAt: number } {
  const summaries = actions.filter((a) => a.kind === 'alert-summary');
  expect(summaries).toHaveLength(1);
  const [summary] = summaries;
  if (!summary) throw new Error('no alert-summary scheduled');
  const batchedIn = (summary.payload as { batchStart: string }).batchStart;
  return { summary, batchedIn, dueAt: Date.parse(summary.nextAttemptAt) };
}

describe('Reddit adapter: held-back alerts', () => {
  it('holds back alerts beyond alerts.maxPerMinute and sends them as ONE modmail summary from the outbox, even after a restart', async () => {
    h = await RedditHarness.create({ policy: { mode: 'active', 'alerts.maxPerMinute': '2' } });
    const post = h.fake.addPost(SUB, { author: MEMBER, title: 'thread' });
    for (let i = 0; i < 5; i++) h.fake.addComment(SUB, { author: MEMBER, body: `${TOXIC} ${i}`, post });
    await h.bot.pollAll();
    const actions = await h.settled();

    const alerts = actions.filter((a) => a.kind === 'alert');
    expect(alerts.map((a) => a.status)).toEqual(['done', 'done', 'done', 'done', 'done']);
    const held = alerts.filter((a) => (a.result as { batched?: boolean } | null)?.batched === true);
    expect(held).toHaveLength(3);
    expect(h.fake.callsTo('POST', '/api/mod/conversations')).toHaveLength(2);

    // The first held-back alert scheduled the batch's summary in the outbox, due at the end of its minute.
    const { summary, batchedIn, dueAt } = scheduledSummary(actions);
    expect(held.map((a) => (a.result as { batchedIn: string }).batchedIn)).toEqual([batchedIn, batchedIn, batchedIn]);
    expect(summary).toMatchObject({ status: 'pending', attempts: 0, payload: { batchStart: batchedIn, channelId: `modmail:r/${SUB.toLowerCase()}` } });
    expect(dueAt).toBe(Date.parse(batchedIn) + 60_000 + SUMMARY_GRACE_MS);

    // Nothing about the batch lives in the process: a restart loses no summary.
    await h.restart();
    await h.outbox.stop(); // driven by hand, at chosen times, instead of waiting a minute
    expect(await h.outbox.runOnce(new Date(dueAt - 1000))).toBe(0);
    expect(await h.outbox.runOnce(new Date(dueAt + 1))).toBe(1);

    const mail = h.fake.callsTo('POST', '/api/mod/conversations');
    expect(mail).toHaveLength(3);
    const sent = mail[2]?.form;
    expect(sent?.srName).toBe(SUB.toLowerCase());
    expect(sent?.subject).toBe('toxguard: 3 more alerts held back');
    expect(sent?.body).toContain('toxguard held back 3 more alerts (more than alerts.maxPerMinute in a minute): toxic 3, insult 3');
    expect(sent?.body).toContain(`https://www.reddit.com/r/${SUB.toLowerCase()}/comments/${post.id}/`);
    expect(await h.store.getAction(summary.id)).toMatchObject({ status: 'done', result: { conversation: expect.any(String), count: 3 } });
    // Sent once: a later pass finds nothing due.
    expect(await h.outbox.runOnce(new Date(dueAt + 60_000))).toBe(0);
    expect(h.fake.callsTo('POST', '/api/mod/conversations')).toHaveLength(3);
  });

  it("sends a linked subreddit's summary to the linked Discord/Slack moderators' channel", async () => {
    h = await RedditHarness.create({
      policy: { mode: 'active', 'alerts.maxPerMinute': '1' },
      reddit: { linkedServers: { [`r/${SUB}`]: LINKED } },
      linkedPlatform: async () => 'discord',
    });
    const post = h.fake.addPost(SUB, { author: MEMBER, title: 'thread' });
    for (let i = 0; i < 3; i++) h.fake.addComment(SUB, { author: MEMBER, body: `${TOXIC} ${i}`, post });
    await h.bot.pollAll();
    const actions = await h.settled();
    expect(await linkedNotices()).toHaveLength(1); // the first alert; the other two are held back
    const { summary, dueAt } = scheduledSummary(actions);

    await h.outbox.stop();
    expect(await h.outbox.runOnce(new Date(dueAt + 1))).toBe(1);
    const posted = await linkedNotices();
    expect(posted).toHaveLength(2);
    expect(posted[1]?.key).toBe(`notice:reddit-alert-summary:${summary.id}`);
    expect(posted[1]?.text).toMatch(/^r\/testsub: toxguard held back 2 more alerts .*toxic 2, insult 2/);
    expect(h.fake.callsTo('POST', '/api/mod/conversations')).toHaveLength(0);
    expect(await h.store.getAction(summary.id)).toMatchObject({ status: 'done', result: { linked: LINKED, notice: posted[1]?.id, count: 2 } });
  });

  it('records a refresh-alert (after a review decision) as done and skipped: modmail cannot be edited', async () => {
    h = await RedditHarness.create();
    const post = h.fake.addPost(SUB, { author: MEMBER, title: 'thread' });
    const c = h.fake.addComment(SUB, { author: MEMBER, body: TOXIC, post });
    await h.bot.pollAll();
    await h.settled();
    const verdict = await h.verdict(c.name, post.name);
    if (!verdict) throw new Error('no verdict');
    const review = await h.store.ensureReview(verdict.id);
    await h.store.decideReview(review.id, 'confirmed', HUMAN_MOD, 'dashboard');
    const actions = await h.settled();
    expect(actions.find((a) => a.kind === 'refresh-alert')).toMatchObject({ status: 'done', attempts: 1, result: { skipped: 'Reddit modmail cannot be edited: the alert stays as sent' } });
    expect(h.fake.callsTo('POST', '/api/mod/conversations')).toHaveLength(1); // the alert, not a second message
  });
});

describe('Reddit adapter: stopping', () => {
  it('stops at once while a poll waits for a rate-limit reset, and the next start resumes from the cursor', async () => {
    h = await RedditHarness.create({ reddit: { pageSize: 5 } });
    h.fake.rate = { limit: 3, windowMs: 60_000 };
    const post = h.fake.addPost(SUB, { author: MEMBER, title: 'thread' });
    for (let i = 0; i < 30; i++) h.fake.addComment(SUB, { author: MEMBER, body: `${CLEAN} ${i}`, post });
    const poll = h.bot.pollAll();
    await new Promise((r) => setTimeout(r, 300)); // the window (3 calls a minute) is used up: the poll waits
    const started = Date.now();
    await h.shutdown();
    await poll;
    expect(Date.now() - started).toBeLessThan(2000);

    h.fake.rate = { limit: 600, windowMs: 60_000 };
    await h.start();
    await h.bot.pollAll();
    await h.pipeline.drain();
    expect(h.count('verdicts')).toBe(31);
  });
});
