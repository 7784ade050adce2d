// The `reddit` section of toxguard's config file. Secrets (client secret, password, refresh token)
// are never here: they come from the environment (REDDIT_CLIENT_ID, REDDIT_CLIENT_SECRET,
// REDDIT_USERNAME + REDDIT_PASSWORD or REDDIT_REFRESH_TOKEN; see src/config/config.ts).
import { z } from 'zod';

/** A subreddit name as Reddit spells them (3-21 letters, digits, underscores), with or without `r/`. */
export const SubredditNameSchema = z
  .string()
  .trim()
  .transform((s) => s.replace(/^\/?r\//i, ''))
  .pipe(z.string().regex(/^[A-Za-z0-9][A-Za-z0-9_]{1,20}$/, { error: 'a subreddit name is 2-21 letters, digits or underscores (e.g. "AskScience" or "r/AskScience")' }));

export const LISTINGS = ['comments', 'new', 'edited'] as const;
/** `comments`: /r/<sub>/comments; `new`: /r/<sub>/new (posts); `edited`: /r/<sub>/about/edited (needs the moderator's posts permission). */
export type ListingName = (typeof LISTINGS)[number];

const SubredditSchema = z.strictObject({
  name: SubredditNameSchema,
  /** Seconds between two polls of this subreddit (a few seconds for live moderation, an hour for analysis). */
  intervalSeconds: z.number().min(1).max(86_400).optional(),
  /** Which listings are polled. */
  listings: z.array(z.enum(LISTINGS)).min(1).optional(),
});

export const RedditConfigSchema = z
  .strictObject({
    /** OAuth API base (env REDDIT_API_URL): Reddit's, or a test fake. */
    apiUrl: z.string().url().default('https://oauth.reddit.com'),
    /** Where access tokens come from (env REDDIT_AUTH_URL): `<authUrl>/api/v1/access_token`. */
    authUrl: z.string().url().default('https://www.reddit.com'),
    /**
     * Reddit asks for a unique, descriptive User-Agent: `<platform>:<app id>:<version> (by /u/<name>)`.
     * `{username}` is replaced by the account's name.
     */
    userAgent: z.string().min(10).default('nodejs:toxguard:0.1.0 (self-hosted moderation bot; by /u/{username})'),
    /** The subreddits to moderate: names, or objects with their own interval and listings. */
    subreddits: z.array(z.union([SubredditNameSchema, SubredditSchema])).default([]),
    /** Default seconds between polls of a subreddit. */
    intervalSeconds: z.number().min(1).max(86_400).default(30),
    /** Default listings polled. */
    listings: z.array(z.enum(LISTINGS)).min(1).default(['comments', 'new', 'edited']),
    /** Items asked for per listing page (Reddit's maximum is 100). */
    pageSize: z.number().int().min(1).max(100).default(100),
    /**
     * Pages read back per listing and poll before giving up on reaching the saved cursor (Reddit
     * listings end about 1000 items back). Reaching it is logged as a possible gap.
     */
    maxPagesPerPoll: z.number().int().min(1).max(50).default(10),
    /** On the very first poll of a listing (no cursor yet), how far back to read, in minutes. */
    initialLookbackMinutes: z.number().min(0).default(60),
    /** How long the lists of moderators and approved users are cached. */
    membersCacheSeconds: z.number().min(0).default(600),
    /** Approved users are exempt like moderators. */
    exemptApprovedUsers: z.boolean().default(true),
    /**
     * A policy's timeout becomes a temporary ban from the subreddit (rounded up to whole days). A ban
     * is harsher than a Discord timeout, so it also needs this switch, off by default.
     */
    allowBans: z.boolean().default(false),
    /** Removal reason id (from the subreddit's removal reasons) attached to removals, if any. */
    removalReasonId: z.string().min(1).optional(),
    /** Sent as the ban message when a ban is allowed. */
    banMessage: z.string().max(1000).default('You were temporarily banned by the moderators\' automatic toxicity filter. Reply to this message to appeal.'),
    /**
     * Alerts of a subreddit go to the moderators' channel of a Discord or Slack server instead of
     * modmail: subreddit name -> that server's id (guild or team). Falls back to modmail when the
     * server has no moderators' channel or its adapter is not running.
     */
    linkedServers: z.record(z.string(), z.string().min(1)).default({}),
    /** Retries of a failed API call (429 and 5xx, with backoff) before it is reported. */
    retries: z.number().int().min(0).max(10).default(3),
    /** Longest wait honoured for a rate-limit reset or Retry-After, in ms; a longer one fails the call. */
    maxRateLimitWaitMs: z.number().int().min(0).default(600_000),
    /** Per-request time limit, in ms. */
    requestTimeoutMs: z.number().int().min(100).default(30_000),
  })
  .prefault({});

export type RedditConfig = z.output<typeof RedditConfigSchema>;

export interface SubredditSettings {
  name: string;
  intervalSeconds: number;
  listings: ListingName[];
}

/** Each configured subreddit with the defaults filled in. */
export function subredditSettings(config: RedditConfig): SubredditSettings[] {
  return config.subreddits.map((s) =>
    typeof s === 'string'
      ? { name: s, intervalSeconds: config.intervalSeconds, listings: [...config.listings] }
      : { name: s.name, intervalSeconds: s.intervalSeconds ?? config.intervalSeconds, listings: [...(s.listings ?? config.listings)] },
  );
}

/** The store's server id of a subreddit: `r_` + its lower-case name (server ids hold no `/`). */
export function serverIdOf(subreddit: string): string {
  return `r_${subreddit.toLowerCase()}`;
}

/** OAuth scopes the adapter asks for, each for one thing it does. */
export const SCOPES = [
  'identity', // /api/v1/me: whose token this is
  'mysubreddits', // /subreddits/mine/moderator: which subreddits the account moderates
  'read', // listings, moderators, approved users, edited items
  'report', // flag = report to the mod queue
  'modposts', // delete = remove
  'modmail', // alert = a modmail conversation
  'modcontributors', // timeout = a temporary ban (only with allowBans)
] as const;
