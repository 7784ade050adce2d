// `toxguard serve` with Reddit credentials: the adapter starts next to the API, polls the fake,
// and acts through the outbox. Killed with SIGKILL in the middle of a poll and started again on
// the same SQLite file, it resumes from the saved cursor: no item missed, none judged twice, no
// report sent twice.
import type { ChildProcess } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, describe, expect, it, vi } from 'vitest';
import { spawnServe, type SpawnedServe } from '../../helpers/cli.js';
import { Store } from '../../../src/store/index.js';
import { FakeReddit } from './fake-reddit.js';
import { BOT, CLEAN, MEMBER, PASSWORD, SERVER, SUB, TOXIC } from './harness.js';

const fake = new FakeReddit();
const cwd = mkdtempSync(join(tmpdir(), 'toxguard-serve-reddit-'));
const dbFile = join(cwd, 'data', 'toxguard.sqlite');
let child: ChildProcess | undefined;

afterAll(async () => {
  child?.kill('SIGKILL');
  await fake.stop();
  rmSync(cwd, { recursive: true, force: true });
});

function serve(): SpawnedServe {
  const spawned = spawnServe(cwd, {
    DISCORD_TOKEN: '',
    SLACK_BOT_TOKEN: '',
    SLACK_SIGNING_SECRET: '',
    REDDIT_API_URL: fake.baseUrl,
    REDDIT_AUTH_URL: fake.baseUrl,
    REDDIT_CLIENT_ID: fake.clientId,
    REDDIT_CLIENT_SECRET: fake.clientSecret,
    REDDIT_USERNAME: BOT,
    REDDIT_PASSWORD: PASSWORD,
  });
  child = spawned.proc;
  return spawned;
}

function count(sql: string): number {
  const db = new Database(dbFile, { readonly: true, fileMustExist: true });
  try {
    return (db.prepare(sql).get() as { n: number }).n;
  } finally {
    db.close();
  }
}

describe('toxguard serve with Reddit credentials', () => {
  it('starts the adapter, and after a SIGKILL mid-poll resumes with no gap, no second verdict and no second report', async () => {
    await fake.start();
    fake.users.set(BOT, PASSWORD);
    fake.addSubreddit(SUB, [BOT]);
    const post = fake.addPost(SUB, { author: MEMBER, title: 'megathread', at: Math.floor(Date.now() / 1000) - 7200 });
    const add = (n: number): void => {
      for (let i = 0; i < n; i++) fake.addComment(SUB, { author: `user${i % 40}`, body: i % 50 === 0 ? `${TOXIC} ${i}` : `${CLEAN} ${i}`, post });
    };
    add(3000);
    mkdirSync(join(cwd, 'data'));
    writeFileSync(join(cwd, 'toxguard.config.json'), JSON.stringify({ ocr: { enabled: false }, reddit: { subreddits: [SUB], listings: ['comments', 'new'], intervalSeconds: 1, initialLookbackMinutes: 24 * 60, maxPagesPerPoll: 50 } }));
    // The subreddit's moderators turned actions on (flag only: a report per toxic comment).
    const store = await Store.open(dbFile);
    await store.setPolicy(SERVER, { mode: 'active', actions: { alert: { enabled: false } } }, 'mod', 'test');
    await store.close();

    const first = serve();
    await vi.waitFor(() => expect(first.logs()).toContain('Reddit: polling'), { timeout: 30_000, interval: 50 });
    await vi.waitFor(() => expect(count('SELECT count(*) AS n FROM verdicts')).toBeGreaterThanOrEqual(500), { timeout: 30_000, interval: 20 });
    first.proc.kill('SIGKILL');
    await first.exited;
    const atKill = count('SELECT count(*) AS n FROM verdicts');
    expect(atKill).toBeLessThan(3001);
    process.stdout.write(`[reddit serve] killed with ${atKill} of 3001 verdicts recorded\n`);

    add(200); // posted while toxguard was down
    const second = serve();
    await vi.waitFor(() => expect(count('SELECT count(*) AS n FROM verdicts')).toBe(3201), { timeout: 60_000, interval: 100 });
    // Actions claimed by the killed process stay leased until their lease ends; all others are done.
    await vi.waitFor(() => expect(count("SELECT count(*) AS n FROM actions WHERE status IN ('pending', 'failed')")).toBe(0), { timeout: 20_000, interval: 100 });
    second.proc.kill('SIGTERM');
    await second.exited;

    expect(count('SELECT count(*) AS n FROM verdicts WHERE revision > 1')).toBe(0);
    expect(count("SELECT count(*) AS n FROM actions WHERE kind = 'flag'")).toBe(64); // 60 + 4 toxic comments, one flag each
    const reports = new Map<string, number>();
    for (const c of fake.callsTo('POST', '/api/report')) reports.set(c.form.thing_id ?? '', (reports.get(c.form.thing_id ?? '') ?? 0) + 1);
    expect([...reports.values()].every((n) => n === 1)).toBe(true);
    expect(reports.size).toBe(count("SELECT count(*) AS n FROM actions WHERE kind = 'flag' AND status = 'done'"));
    expect(reports.size).toBeGreaterThan(50);
    expect(first.logs() + second.logs()).not.toContain(PASSWORD);
    expect(first.logs() + second.logs()).not.toContain(fake.clientSecret);
  }, 150_000);
});
