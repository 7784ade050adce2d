// Who is exempt in a subreddit: its moderators and (by default) its approved users, read from
// /about/moderators and /about/contributors and cached for `membersCacheSeconds`. A list the
// account may not read is logged once and treated as empty (distinguished moderator items are
// still recognised from the item itself).
import type { Logger } from 'pino';
import type { Listing } from './things.js';
import type { RedditClient } from './client.js';

interface Entry {
  moderators: Set<string>;
  approved: Set<string>;
  at: number;
}

/** Most pages of approved users read (100 a page). */
const MAX_APPROVED_PAGES = 20;

export class Members {
  private readonly cache = new Map<string, Entry>();
  private readonly pending = new Map<string, Promise<Entry>>();
  private readonly warned = new Set<string>();

  constructor(
    private readonly client: RedditClient,
    private readonly ttlMs: number,
    private readonly logger: Pick<Logger, 'warn'>,
    private readonly now: () => number = () => Date.now(),
  ) {}

  async of(subreddit: string): Promise<{ moderators: ReadonlySet<string>; approved: ReadonlySet<string> }> {
    const key = subreddit.toLowerCase();
    const hit = this.cache.get(key);
    if (hit && this.now() - hit.at < this.ttlMs) return hit;
    let p = this.pending.get(key);
    if (!p) {
      p = this.load(subreddit).finally(() => this.pending.delete(key));
      this.pending.set(key, p);
    }
    const entry = await p;
    this.cache.set(key, entry);
    return entry;
  }

  private async load(subreddit: string): Promise<Entry> {
    const moderators = new Set<string>();
    const approved = new Set<string>();
    try {
      const res = await this.client.get<{ data?: { children?: { name: string }[] } }>(`/r/${subreddit}/about/moderators`);
      for (const u of res.data?.children ?? []) moderators.add(u.name.toLowerCase());
    } catch (err) {
      this.warnOnce(`${subreddit}:moderators`, subreddit, 'moderators', err);
    }
    try {
      let after: string | undefined;
      for (let page = 0; page < MAX_APPROVED_PAGES; page++) {
        const res = await this.client.get<Listing<{ name: string }>>(`/r/${subreddit}/about/contributors`, { limit: 100, after });
        for (const u of res.data.children) approved.add(u.name.toLowerCase());
        if (!res.data.after) break;
        after = res.data.after;
      }
    } catch (err) {
      this.warnOnce(`${subreddit}:approved`, subreddit, 'approved users', err);
    }
    return { moderators, approved, at: this.now() };
  }

  private warnOnce(key: string, subreddit: string, what: string, err: unknown): void {
    if (this.warned.has(key)) return;
    this.warned.add(key);
    this.logger.warn({ subreddit, error: (err as Error).message }, `Reddit: could not read the ${what} of r/${subreddit}; they are not exempt until it can`);
  }
}
