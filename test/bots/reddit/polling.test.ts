// Polling end to end: the adapter against the fake Reddit, the real pipeline, store (a SQLite file)
// and OutboxWorker, scored by a deterministic keyword scorer.
import { afterEach, describe, expect, it } from 'vitest';
import { cursorSource } from '../../../src/bots/reddit/poller.js';
import { DashboardQueries } from '../../../src/dashboard/queries.js';
import { APPROVED, BOT, CLEAN, HUMAN_MOD, MEMBER, RedditHarness, SERVER, SUB, TOXIC } from './harness.js';
import type { FakeItem } from './fake-reddit.js';

let h: RedditHarness | undefined;
afterEach(async () => {
  await h?.close();
  h = undefined;
});

/** `n` comments on one post; every `toxicEvery`-th is toxic. Returns them in creation order. */
function comments(hh: RedditHarness, n: number, toxicEvery: number, post?: FakeItem): FakeItem[] {
  const p = post ?? hh.fake.addPost(SUB, { author: MEMBER, title: 'Weekly discussion thread' });
  return Array.from({ length: n }, (_, i) => hh.fake.addComment(SUB, { author: `user${i % 17}`, body: (i + 1) % toxicEvery === 0 ? `${TOXIC} #${i}` : `${CLEAN} #${i}`, post: p }));
}

function reportsPerThing(hh: RedditHarness): Map<string, number> {
  const m = new Map<string, number>();
  for (const c of hh.fake.callsTo('POST', '/api/report')) m.set(c.form.thing_id ?? '', (m.get(c.form.thing_id ?? '') ?? 0) + 1);
  return m;
}

describe('Reddit adapter: polling', () => {
  it('reads new comments and posts across pages, records one verdict each, and acts once per toxic item', async () => {
    h = await RedditHarness.create();
    const post = h.fake.addPost(SUB, { author: MEMBER, title: 'What do you think of the new rules?' });
    const toxicPost = h.fake.addPost(SUB, { author: 'troll', title: 'The mods are stupid', selftext: 'total idiot behaviour' });
    const all = comments(h, 230, 23, post); // 10 toxic, three pages of 100

    await h.bot.pollAll();
    expect(h.count('verdicts', 'platform = ?', 'reddit')).toBe(230 + 2);
    expect(h.count('verdicts', 'revision > 1')).toBe(0);
    // Paged back with `after`, 100 at a time.
    const pages = h.fake.calls.filter((c) => c.path === `/r/${SUB}/comments`);
    expect(pages.map((c) => [c.query.limit, Boolean(c.query.after)])).toEqual([['100', false], ['100', true], ['100', true]]);
    expect(pages.every((c) => c.userAgent?.includes('toxguard') && c.userAgent.includes(`/u/${BOT}`))).toBe(true);

    const first = await h.verdict(all[0]?.name ?? '', post.name);
    expect(first).toMatchObject({ platform: 'reddit', serverId: SERVER, channelId: post.name, authorId: 'user0', kind: 'new' });
    const tp = await h.verdict(toxicPost.name, toxicPost.name);
    expect(tp?.text).toBe('The mods are stupid\n\ntotal idiot behaviour');
    expect(tp?.decision.actions).toEqual(['flag', 'alert']);

    await h.settled();
    const reports = reportsPerThing(h);
    expect(reports.size).toBe(11);
    expect([...reports.values()].every((n) => n === 1)).toBe(true);
    expect(h.fake.callsTo('POST', '/api/report')[0]?.form.reason).toMatch(/^toxguard: (insult|toxic) 0\.96/);
    const modmail = h.fake.callsTo('POST', '/api/mod/conversations');
    expect(modmail).toHaveLength(11);
    expect(modmail[0]?.form).toMatchObject({ srName: 'testsub' });
    expect(modmail.find((c) => c.form.body?.includes(toxicPost.name.slice(3)))?.form.body).toContain('> The mods are stupid');
    expect(h.fake.callsTo('POST', '/api/remove')).toHaveLength(0);

    // The subreddit is a server like any other: on the dashboard, with its review queue.
    expect(await new DashboardQueries(h.store).servers()).toContainEqual({ serverId: SERVER, verdicts: 232, pending: 11 });
    expect(await h.store.listReviews(SERVER)).toHaveLength(11);

    // Cursors saved per listing; a second poll reads one page each and judges nothing again.
    expect((await h.store.getCursor(cursorSource(SUB, 'comments')))?.value).toMatchObject({ id: all.at(-1)?.id });
    const before = h.fake.calls.length;
    await h.bot.pollAll();
    await h.pipeline.drain();
    expect(h.count('verdicts')).toBe(232);
    expect(h.fake.calls.slice(before).every((c) => c.method === 'GET')).toBe(true);
    expect(h.fake.calls.slice(before).filter((c) => c.path === `/r/${SUB}/comments`)).toHaveLength(1);
  });

  it('resumes after a restart on the same SQLite file with no gap and no second verdict or action', async () => {
    h = await RedditHarness.create();
    const post = h.fake.addPost(SUB, { author: MEMBER, title: 'thread' });
    comments(h, 150, 10, post);
    await h.bot.pollAll();
    await h.settled();
    expect(h.count('verdicts')).toBe(151);

    // A poll that dies half-way (the process is killed after 40 items of the next 120).
    comments(h, 120, 10, post);
    const submit = h.pipeline.submit.bind(h.pipeline);
    let n = 0;
    h.pipeline.submit = async (m) => {
      if (++n > 40) throw new Error('killed');
      return submit(m);
    };
    await h.bot.pollAll();
    await h.pipeline.drain();
    const recorded = h.count('verdicts');
    expect(recorded).toBeGreaterThanOrEqual(151 + 25);
    expect(recorded).toBeLessThan(271);

    // Meanwhile more arrive; a new process on the same file picks up where the cursor stands.
    comments(h, 60, 10, post);
    await h.restart();
    await h.bot.pollAll();
    await h.settled();
    expect(h.count('verdicts')).toBe(331);
    expect(h.count('verdicts', 'revision > 1')).toBe(0);
    const reports = reportsPerThing(h);
    expect(reports.size).toBe(15 + 12 + 6);
    expect([...reports.values()].every((c) => c === 1)).toBe(true);
    expect(h.count('actions', "status <> 'done'")).toBe(0);
  });

  it('judges an item that shows up below the cursor late (listings are eventually consistent)', async () => {
    h = await RedditHarness.create();
    const post = h.fake.addPost(SUB, { author: MEMBER, title: 'thread' });
    const late = h.fake.addComment(SUB, { author: MEMBER, body: TOXIC, post });
    const items = h.fake.subs.get(SUB.toLowerCase())?.items ?? [];
    items.splice(items.indexOf(late), 1); // held back (e.g. by the spam filter)...
    const next = h.fake.addComment(SUB, { author: MEMBER, body: CLEAN, post });
    await h.bot.pollAll();
    expect((await h.store.getCursor(cursorSource(SUB, 'comments')))?.value).toMatchObject({ id: next.id });
    items.splice(1, 0, late); // ...and approved later, listed at its own (older) place
    await h.bot.pollAll();
    await h.settled();
    expect((await h.verdict(late.name, post.name))?.decision.actions).toEqual(['flag', 'alert']);
    expect((await h.store.getCursor(cursorSource(SUB, 'comments')))?.value).toMatchObject({ id: next.id });
    expect(h.count('verdicts')).toBe(3);
  });

  it('says so when more items arrived than it may page back through (a gap it cannot fill)', async () => {
    h = await RedditHarness.create({ reddit: { pageSize: 10, maxPagesPerPoll: 2, listings: ['comments'] } });
    const post = h.fake.addPost(SUB, { author: MEMBER, title: 'thread' });
    comments(h, 5, 100, post);
    await h.bot.pollAll();
    comments(h, 50, 100, post);
    const results = await h.bot.pollAll();
    expect(results[0]?.[0]).toMatchObject({ listing: 'comments', gap: true, pages: 2, submitted: 20 });
    expect(h.count('verdicts')).toBe(25);
  });

  it('re-checks an edited comment and acts on the new text once', async () => {
    h = await RedditHarness.create();
    const post = h.fake.addPost(SUB, { author: MEMBER, title: 'thread' });
    const c = h.fake.addComment(SUB, { author: MEMBER, body: CLEAN, post });
    await h.bot.pollAll();
    expect((await h.verdict(c.name, post.name))?.decision.actions).toEqual([]);

    h.fake.edit(c.name, TOXIC);
    await h.bot.pollAll();
    await h.settled();
    const v = await h.verdict(c.name, post.name);
    expect(v).toMatchObject({ kind: 'edit', revision: 2, text: TOXIC });
    expect(v?.decision.actions).toEqual(['flag', 'alert']);
    expect(h.fake.callsTo('GET', `/r/${SUB}/about/edited`).length).toBeGreaterThan(0);

    // The edit stays on the edited listing: polling again changes nothing.
    await h.bot.pollAll();
    await h.settled();
    expect((await h.verdict(c.name, post.name))?.revision).toBe(2);
    expect(h.fake.callsTo('POST', '/api/report')).toHaveLength(1);
  });

  it('exempts moderators, approved users, AutoModerator and its own account', async () => {
    h = await RedditHarness.create();
    const post = h.fake.addPost(SUB, { author: MEMBER, title: 'thread' });
    const byMod = h.fake.addComment(SUB, { author: HUMAN_MOD, body: TOXIC, post });
    const byApproved = h.fake.addComment(SUB, { author: APPROVED, body: TOXIC, post });
    const byAuto = h.fake.addComment(SUB, { author: 'AutoModerator', body: TOXIC, post });
    const bySelf = h.fake.addComment(SUB, { author: BOT, body: TOXIC, post });
    const byMember = h.fake.addComment(SUB, { author: MEMBER, body: TOXIC, post });
    await h.bot.pollAll();
    await h.settled();
    expect((await h.verdict(byMod.name, post.name))?.decision).toMatchObject({ actions: [], exemption: 'moderator' });
    expect((await h.verdict(byApproved.name, post.name))?.decision).toMatchObject({ actions: [], exemption: 'moderator' });
    expect((await h.verdict(byAuto.name, post.name))?.decision).toMatchObject({ actions: [], exemption: 'bot' });
    expect((await h.verdict(bySelf.name, post.name))?.decision).toMatchObject({ actions: [], exemption: 'moderator' }); // the account moderates it
    expect((await h.verdict(byMember.name, post.name))?.decision.actions).toEqual(['flag', 'alert']);
    expect([...reportsPerThing(h).keys()]).toEqual([byMember.name]);
  });

  it('starts a new subreddit in log-only mode: verdicts recorded, nothing done', async () => {
    h = await RedditHarness.create({ policy: {} });
    const post = h.fake.addPost(SUB, { author: MEMBER, title: 'thread' });
    const c = h.fake.addComment(SUB, { author: MEMBER, body: TOXIC, post });
    await h.bot.pollAll();
    await h.pipeline.drain();
    const v = await h.verdict(c.name, post.name);
    expect(v?.decision).toMatchObject({ actions: [], logOnly: true });
    expect(v?.decision.triggered.map((t) => t.label)).toEqual(['toxic', 'insult']);
    expect(h.count('actions')).toBe(0);
    expect(h.fake.calls.filter((c2) => c2.method === 'POST' && c2.path !== '/api/v1/access_token')).toHaveLength(0);
  });
});
