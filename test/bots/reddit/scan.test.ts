// Batch mode: a subreddit's window read into the store without acting, resumable, within the
// API's rate limit; and the same from an export file, for teams without API access.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { ModerationPipeline } from '../../../src/core/pipeline.js';
import { login, redditClient } from '../../../src/bots/reddit/index.js';
import { LogOnlyPolicies, exportRowToMessage, parseDuration, scanSource, scanSubreddit } from '../../../src/bots/reddit/scan.js';
import { runCli } from '../../helpers/cli.js';
import { BOT, CLEAN, MEMBER, PASSWORD, RedditHarness, SERVER, SUB, TOXIC } from './harness.js';

let h: RedditHarness | undefined;
afterEach(async () => {
  await h?.close();
  h = undefined;
});

function fill(hh: RedditHarness, n: number, nowSec: number): void {
  const post = hh.fake.addPost(SUB, { author: MEMBER, title: 'old thread', at: nowSec - 200_000 });
  // Five comments from before the window, then n inside it (one a second, the newest a few seconds ago).
  for (let i = 0; i < 5; i++) hh.fake.addComment(SUB, { author: MEMBER, body: `${CLEAN} old ${i}`, post, at: nowSec - 100_000 + i });
  for (let i = 0; i < n; i++) hh.fake.addComment(SUB, { author: `user${i % 50}`, body: i % 100 === 0 ? `${TOXIC} ${i}` : `${CLEAN} ${i}`, post, at: nowSec - n - 5 + i });
}

describe('Reddit batch scan', () => {
  it('backfills 10,000 comments within the rate limit, records them log-only, acts on nothing, and resumes', async () => {
    h = await RedditHarness.create(); // the subreddit's policy is active: the scan must still not act
    await h.bot.stop();
    const nowSec = Math.floor(Date.now() / 1000);
    fill(h, 10_000, nowSec);
    h.fake.rate = { limit: 15, windowMs: 1000 };
    const client = redditClient(h.config.reddit, { redditClientId: h.fake.clientId, redditClientSecret: h.fake.clientSecret, redditUsername: BOT, redditPassword: PASSWORD });
    await login(client);
    const pipeline = new ModerationPipeline({ scorer: h.scorer, store: h.store, policies: new LogOnlyPolicies(h.store, h.scorer.thresholds), batchWaitMs: 0 });
    const progress: number[] = [];
    const common = { client, store: h.store, pipeline, subreddit: SUB, sinceUtc: nowSec - 24 * 3600, listings: ['comments' as const], onProgress: (p: { fraction: number }) => progress.push(p.fraction) };

    // Stopped after 30 pages (as if interrupted), then run again: it continues from the saved position.
    const first = await scanSubreddit({ ...common, maxPages: 30 });
    expect(first).toMatchObject({ items: 3000, pages: 30, complete: false });
    expect((await h.store.getCursor(scanSource(SUB, 'comments')))?.value).toMatchObject({ items: 3000, done: false });
    const second = await scanSubreddit(common);
    expect(second.resumed).toEqual(['comments']);
    expect(second.complete).toBe(true);
    expect(first.items + second.items).toBe(10_000);
    expect(progress.at(-1)).toBe(1);
    expect(progress.every((p, i) => i === 0 || p >= (progress[i - 1] as number) || i === 30)).toBe(true);

    expect(h.count('verdicts', 'server_id = ?', SERVER)).toBe(10_000);
    expect(h.count('verdicts', "decision_json LIKE '%\"logOnly\":true%'")).toBe(10_000);
    expect(h.count('actions')).toBe(0);
    expect(h.fake.calls.filter((c) => c.method === 'POST' && c.path !== '/api/v1/access_token')).toHaveLength(0);
    // Within the fake's limit of 15 requests a second: the client waited instead of being refused.
    expect(h.fake.overLimit).toBe(0);
    const requests = h.fake.calls.filter((c) => c.path === `/r/${SUB}/comments`).length;
    expect(requests).toBe(101);
    const seconds = first.seconds + second.seconds;
    process.stdout.write(`[reddit scan] 10000 comments in ${seconds.toFixed(1)} s (${(10_000 / seconds).toFixed(0)} items/s), ${requests} listing requests, ${client.stats.rateLimitWaits} rate-limit waits, 0 over the limit\n`);
  }, 120_000);

  it('never plans an action, even through a pipeline with the active policy: every item is submitted with act: false', async () => {
    h = await RedditHarness.create(); // active, alerts on: a live poll of these items would act
    await h.bot.stop();
    const nowSec = Math.floor(Date.now() / 1000);
    fill(h, 250, nowSec);
    const client = redditClient(h.config.reddit, { redditClientId: h.fake.clientId, redditClientSecret: h.fake.clientSecret, redditUsername: BOT, redditPassword: PASSWORD });
    await login(client);
    const live = h.pipeline;
    const options: ({ act?: boolean } | undefined)[] = [];
    const pipeline: Pick<ModerationPipeline, 'submit'> = {
      submit: (m, o) => {
        options.push(o);
        return live.submit(m, o);
      },
    };
    const result = await scanSubreddit({ client, store: h.store, pipeline, subreddit: SUB, sinceUtc: nowSec - 3600, listings: ['comments'] });
    await h.pipeline.drain();
    expect(result).toMatchObject({ items: 250, complete: true });
    expect(options).toHaveLength(250);
    expect(options.every((o) => o?.act === false)).toBe(true);
    expect(h.count('verdicts', 'server_id = ?', SERVER)).toBe(250);
    // The three toxic comments got the active policy's decision, but nothing was queued to act on it.
    expect(h.count('verdicts', "decision_json LIKE '%\"alert\"%'")).toBe(3);
    expect(h.count('actions')).toBe(0);
    expect(h.fake.calls.filter((c) => c.method === 'POST' && c.path !== '/api/v1/access_token')).toHaveLength(0);
  });

  it('toxguard reddit scan r/<sub> --since: reads the window through the CLI and reports its throughput', async () => {
    h = await RedditHarness.create({}, false);
    const nowSec = Math.floor(Date.now() / 1000);
    fill(h, 250, nowSec);
    const env = { ...(h.env() as Record<string, string>), TOXGUARD_PROGRESS: '1' };
    const run = await runCli(['reddit', 'scan', `r/${SUB}`, '--since', '2h', '--listings', 'comments', '--db', h.dbFile], { env });
    expect(run.stderr).not.toContain(PASSWORD);
    expect(run.code, run.stderr).toBe(0);
    expect(run.stdout).toMatch(/^250 items of r\/TestSub scanned \(3 pages\) into .* as server r_testsub, nothing acted on; [\d.]+ s, \d+ items\/s, \d+ API requests/);
    expect(run.stderr).toContain('scan r/TestSub');
    expect(h.count('verdicts')).toBe(250);
    expect(h.count('actions')).toBe(0);
  }, 60_000);

  it('scans an export file (archive JSONL or Reddit data-export CSV) without API access', async () => {
    h = await RedditHarness.create({}, false);
    const jsonl = join(h.dir, 'comments.jsonl');
    writeFileSync(
      jsonl,
      [
        { id: 'k1a', body: CLEAN, author: 'dan', created_utc: 1714560000, subreddit: SUB, link_id: 't3_p1' },
        { id: 'k1b', body: TOXIC, author: 'eve', created_utc: 1714560100, subreddit: SUB, link_id: 't3_p1', edited: 1714560200 },
        { id: 'p2', title: 'a post', selftext: 'you moron', author: 'eve', created_utc: '1714560300', subreddit: SUB },
      ]
        .map((r) => JSON.stringify(r))
        .join('\n') + '\n{not json\n',
    );
    const csv = join(h.dir, 'comments.csv');
    writeFileSync(csv, 'id,permalink,date,ip,subreddit,gildings,link,parent,body,media\nk2c,https://www.reddit.com/r/TestSub/comments/p3/title/k2c/,2024-05-01 12:00:00 UTC,,TestSub,0,https://www.reddit.com/r/TestSub/comments/p3/title/,t3_p3,"what an idiot, honestly",\n');
    const env = h.env() as Record<string, string>;
    const a = await runCli(['reddit', 'scan', SUB, '--file', jsonl, '--db', h.dbFile, '-q'], { env });
    expect(a.code).toBe(1); // one bad line, named
    expect(a.stderr).toContain('line 4: not valid JSON');
    expect(a.stdout).toMatch(/^3 items of r\/TestSub scanned from .*comments\.jsonl \(4 lines, 1 bad\)/);
    const b = await runCli(['reddit', 'scan', SUB, '--file', csv, '--db', h.dbFile, '-q'], { env });
    expect(b.code, b.stderr).toBe(0);

    h.store = await (await import('../../../src/store/index.js')).Store.open(h.dbFile);
    expect(await h.verdict('t1_k1b', 't3_p1')).toMatchObject({ kind: 'new', authorId: 'eve', messageAt: new Date(1714560200_000).toISOString() });
    expect((await h.verdict('t1_k1b', 't3_p1'))?.decision).toMatchObject({ logOnly: true, actions: [] });
    expect((await h.verdict('t3_p2', 't3_p2'))?.text).toBe('a post\n\nyou moron');
    expect(await h.verdict('t1_k2c', 't3_p3')).toMatchObject({ serverId: SERVER, text: 'what an idiot, honestly', messageAt: '2024-05-01T12:00:00.000Z' });
    expect(h.count('actions')).toBe(0);
  }, 60_000);

  it('parses durations and export rows', () => {
    expect(parseDuration('24h')).toBe(86_400_000);
    expect(parseDuration('90m')).toBe(5_400_000);
    expect(parseDuration('7d')).toBe(604_800_000);
    expect(() => parseDuration('yesterday')).toThrow(/not a duration/);
    expect(() => exportRowToMessage({ body: 'x', created_utc: 1 }, SUB)).toThrow('missing "id"');
    expect(() => exportRowToMessage({ id: 'a', body: 'x' }, SUB)).toThrow(/created_utc/);
  });
});
