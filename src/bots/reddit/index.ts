// The Reddit adapter: started by `toxguard serve` when REDDIT_CLIENT_ID is set. Logs in as a
// moderator account, polls each configured subreddit's new comments, new posts and edited items
// into the shared pipeline, and executes the outbox's actions with Reddit's moderator tools.
import type { Platform } from '../../core/message.js';
import type { BotContext, RunningBot } from '../context.js';
import { AlertLimiter } from '../../policy/alert-limiter.js';
import { RedditClient, credentialsFrom, type RedditClientOptions } from './client.js';
import { serverIdOf, subredditSettings, type RedditConfig } from './config.js';
import { RedditExecutor } from './executor.js';
import { Members } from './members.js';
import { SubredditPoller, type ListingResult } from './poller.js';
import type { Listing } from './things.js';

export interface RedditRunningBot extends RunningBot {
  client: RedditClient;
  pollers: SubredditPoller[];
  /** The moderator account's name. */
  username: string;
  /** Polls every subreddit once, now (tests, and `toxguard reddit poll`). */
  pollAll(): Promise<ListingResult[][]>;
}

export interface RedditStartOptions {
  /** Start the polling timers (default true); false: poll only through pollAll(). */
  poll?: boolean;
  retryBaseMs?: number;
  /** The alert limiter's window (default a minute); held-back alerts are summarised at its end. */
  alertWindowMs?: number;
  now?: () => number;
  /** The platform of a Discord/Slack server that takes notices (reddit.linkedServers); `serve` asks the other adapters. */
  linkedPlatform?: (serverId: string) => Promise<Platform | undefined>;
}

/** A client from the config and the secrets (throws RedditAuthError when the credentials are incomplete). */
export function redditClient(config: RedditConfig, secrets: BotContext['secrets'], extra: Partial<RedditClientOptions> = {}): RedditClient {
  return new RedditClient({
    apiUrl: config.apiUrl,
    authUrl: config.authUrl,
    userAgent: config.userAgent,
    credentials: credentialsFrom(secrets),
    retries: config.retries,
    maxRateLimitWaitMs: config.maxRateLimitWaitMs,
    requestTimeoutMs: config.requestTimeoutMs,
    ...extra,
  });
}

/** Logs in and learns the account's name; wrong credentials fail here, with the setting to fix. */
export async function login(client: RedditClient): Promise<string> {
  await client.authenticate();
  const me = await client.get<{ name?: string }>('/api/v1/me');
  if (!me.name) throw new Error('Reddit: /api/v1/me returned no account name');
  client.setUsername(me.name);
  return me.name;
}

/** The subreddits the account moderates (lower case). */
export async function moderatedSubreddits(client: RedditClient): Promise<Set<string>> {
  const names = new Set<string>();
  let after: string | undefined;
  for (let page = 0; page < 10; page++) {
    const res = await client.get<Listing<{ data: { display_name: string } }>>('/subreddits/mine/moderator', { limit: 100, after });
    for (const c of res.data.children) names.add(c.data.display_name.toLowerCase());
    if (!res.data.after) break;
    after = res.data.after;
  }
  return names;
}

export async function startRedditAdapter(ctx: BotContext, options: RedditStartOptions = {}): Promise<RedditRunningBot> {
  const config = ctx.config.reddit;
  const logger = ctx.logger.child({ platform: 'reddit' });
  const now = options.now ?? (() => Date.now());
  const client = redditClient(config, ctx.secrets, { logger, ...(options.retryBaseMs !== undefined ? { retryBaseMs: options.retryBaseMs } : {}) });
  const username = await login(client);
  const settings = subredditSettings(config);
  if (settings.length === 0) logger.warn('Reddit: reddit.subreddits is empty, nothing to moderate');

  try {
    const moderated = await moderatedSubreddits(client);
    for (const s of settings) {
      if (!moderated.has(s.name.toLowerCase())) {
        logger.warn({ subreddit: s.name, account: username }, `Reddit: u/${username} is not a moderator of r/${s.name}: its items are read and recorded, but reports, removals, modmail and bans will fail`);
      }
    }
  } catch (err) {
    logger.warn({ error: (err as Error).message }, 'Reddit: could not list the subreddits the account moderates');
  }

  const members = new Members(client, config.membersCacheSeconds * 1000, logger, now);
  const limiter = new AlertLimiter({ maxPerMinute: async (serverId) => (await ctx.policies.get(serverId)).alerts.maxPerMinute, windowMs: options.alertWindowMs ?? 60_000 });
  // Held-back alerts are summarised by alert-summary outbox actions: no timer of its own.
  const executor = new RedditExecutor({ client, config, limiter, store: ctx.store, logger, now, linkedPlatform: options.linkedPlatform });

  const pollers = settings.map(
    (s) => new SubredditPoller({ client, store: ctx.store, submit: (m) => ctx.pipeline.submit(m), members, config, logger, self: username, now }, s),
  );
  if (options.poll !== false) for (const p of pollers) p.start();
  logger.info({ account: username, subreddits: settings.map((s) => s.name), scopes: client.scopes }, 'Reddit: polling');

  const ours = new Set(settings.map((s) => serverIdOf(s.name)));
  return {
    platform: 'reddit',
    executor,
    client,
    pollers,
    username,
    pollAll: () => Promise.all(pollers.map((p) => p.pollOnce())),
    takesNotices: (serverId) => Promise.resolve(ours.has(serverId)),
    async stop() {
      const stopping = Promise.all(pollers.map((p) => p.stop()));
      // Polls stop at once instead of waiting out a rate-limit reset; a poll cut short resumes
      // from its saved cursor at the next start. Actions still queued are retried by the outbox.
      client.close();
      await stopping;
    },
  };
}
