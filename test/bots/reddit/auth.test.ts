// Logging in: the password grant of a "script" app, a refresh token, and credentials Reddit refuses
// (each reported with the setting to fix, never with the secret itself).
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { subredditSettings } from '../../../src/bots/reddit/config.js';
import { RedditAuthError } from '../../../src/bots/reddit/client.js';
import { loadConfig, loadSecrets } from '../../../src/config/config.js';
import { BOT, MEMBER, PASSWORD, REFRESH, RedditHarness, SUB, TOXIC } from './harness.js';

let h: RedditHarness | undefined;
afterEach(async () => {
  await h?.close();
  h = undefined;
});

async function refusal(env: (hh: RedditHarness) => Record<string, string>): Promise<Error> {
  h = await RedditHarness.create({}, false);
  const hh = h;
  Object.assign(hh.opts, { env: env(hh) });
  const err = await hh.start().then(
    () => new Error('started'),
    (e: unknown) => e as Error,
  );
  return err;
}

describe('Reddit adapter: credentials', () => {
  it('logs in with a refresh token and renews an access token Reddit stops accepting', async () => {
    h = await RedditHarness.create({ env: {} }, false);
    Object.assign(h.opts, { env: { REDDIT_CLIENT_ID: h.fake.clientId, REDDIT_CLIENT_SECRET: h.fake.clientSecret, REDDIT_REFRESH_TOKEN: REFRESH } });
    await h.start();
    expect(h.bot.username).toBe(BOT);
    const grants = h.fake.calls.filter((c) => c.path === '/api/v1/access_token');
    expect(grants.map((c) => c.form.grant_type)).toEqual(['refresh_token']);

    // The token is revoked: the next call gets a 401, logs in again once, and goes on.
    h.fake.accessTokens.clear();
    const post = h.fake.addPost(SUB, { author: MEMBER, title: 'thread' });
    h.fake.addComment(SUB, { author: MEMBER, body: TOXIC, post });
    await h.bot.pollAll();
    await h.settled();
    expect(h.fake.calls.filter((c) => c.path === '/api/v1/access_token')).toHaveLength(2);
    expect(h.fake.callsTo('POST', '/api/report')).toHaveLength(1);
  });

  it('names REDDIT_CLIENT_ID / REDDIT_CLIENT_SECRET when the token endpoint refuses the app', async () => {
    const err = await refusal((hh) => ({ REDDIT_CLIENT_ID: hh.fake.clientId, REDDIT_CLIENT_SECRET: 'wrong-secret-123', REDDIT_USERNAME: BOT, REDDIT_PASSWORD: PASSWORD }));
    expect(err).toBeInstanceOf(RedditAuthError);
    expect(err.message).toMatch(/refused the app's credentials \(HTTP 401.*check REDDIT_CLIENT_ID and REDDIT_CLIENT_SECRET/);
    expect(err.message).not.toContain('wrong-secret-123');
  });

  it('names REDDIT_USERNAME / REDDIT_PASSWORD for a wrong password (invalid_grant), without the password', async () => {
    const err = await refusal((hh) => ({ REDDIT_CLIENT_ID: hh.fake.clientId, REDDIT_CLIENT_SECRET: hh.fake.clientSecret, REDDIT_USERNAME: BOT, REDDIT_PASSWORD: 'not-the-password-77' }));
    expect(err.message).toMatch(/Reddit refused REDDIT_USERNAME \/ REDDIT_PASSWORD \(invalid_grant\): wrong user name or password.*two-factor/);
    expect(err.message).not.toContain('not-the-password-77');
  });

  it('names REDDIT_REFRESH_TOKEN when it is revoked, and says what is missing when credentials are incomplete', async () => {
    const revoked = await refusal((hh) => ({ REDDIT_CLIENT_ID: hh.fake.clientId, REDDIT_CLIENT_SECRET: hh.fake.clientSecret, REDDIT_REFRESH_TOKEN: 'revoked-token-1' }));
    expect(revoked.message).toMatch(/Reddit refused REDDIT_REFRESH_TOKEN \(invalid_grant\)/);
    expect(revoked.message).not.toContain('revoked-token-1');
    await h?.close();
    const incomplete = await refusal((hh) => ({ REDDIT_CLIENT_ID: hh.fake.clientId, REDDIT_USERNAME: BOT }));
    expect(incomplete.message).toBe('REDDIT_CLIENT_ID is set but neither REDDIT_REFRESH_TOKEN nor REDDIT_USERNAME + REDDIT_PASSWORD is: the adapter needs one of them to log in');
  });

  it('reads the secrets from the environment and the reddit config keys from the file', () => {
    const secrets = loadSecrets({ REDDIT_CLIENT_ID: 'id', REDDIT_CLIENT_SECRET: 's', REDDIT_USERNAME: 'u', REDDIT_PASSWORD: 'p', REDDIT_REFRESH_TOKEN: 'r' });
    expect(secrets).toMatchObject({ redditClientId: 'id', redditClientSecret: 's', redditUsername: 'u', redditPassword: 'p', redditRefreshToken: 'r' });
    const dir = mkdtempSync(join(tmpdir(), 'toxguard-reddit-config-'));
    const file = join(dir, 'toxguard.config.json');
    writeFileSync(file, JSON.stringify({ reddit: { subreddits: ['r/AskScience', { name: 'memes', intervalSeconds: 3600, listings: ['comments'] }] } }));
    const config = loadConfig({ file, env: { REDDIT_API_URL: 'http://127.0.0.1:9/' } }).reddit;
    expect(config).toMatchObject({ apiUrl: 'http://127.0.0.1:9/', authUrl: 'https://www.reddit.com', intervalSeconds: 30, allowBans: false });
    expect(subredditSettings(config)).toEqual([
      { name: 'AskScience', intervalSeconds: 30, listings: ['comments', 'new', 'edited'] },
      { name: 'memes', intervalSeconds: 3600, listings: ['comments'] },
    ]);
    writeFileSync(file, JSON.stringify({ reddit: { subreddits: ['r/no spaces'], alowBans: true } }));
    expect(() => loadConfig({ file, env: {} })).toThrow(/unknown key reddit\.alowBans.*|reddit\.subreddits/);
    rmSync(dir, { recursive: true, force: true });
  });
});
