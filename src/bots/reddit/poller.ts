// Polls one subreddit's listings. Reddit lists newest first; each poll reads pages back (`after`)
// until it reaches the item its saved cursor names, then submits what is new OLDEST FIRST, in
// chunks, and saves the cursor after each chunk's verdicts are recorded. A process killed in the
// middle resumes after the last saved chunk: nothing is skipped, and an item judged again is a
// no-op (verdicts are keyed by the item's fullname, actions by verdict and kind).
//
// Cursors, one per subreddit and listing (table `cursors`):
//   comments / new: the newest item id handled (base 36 ids grow with time);
//   edited (/about/edited): the newest edit time handled, and the items edited at that second.
import type { Logger } from 'pino';
import type { IncomingMessage } from '../../core/message.js';
import type { Outcome } from '../../core/pipeline.js';
import type { Store } from '../../store/index.js';
import type { RedditClient } from './client.js';
import type { ListingName, RedditConfig, SubredditSettings } from './config.js';
import type { Members } from './members.js';
import { idValue, isGone, keyOf, toMessage, type Listing, type People, type RedditItem } from './things.js';

export interface PollerDeps {
  client: RedditClient;
  store: Store;
  /** Submits a message (the pipeline's `submit`, or a batch scan's own). */
  submit: (message: IncomingMessage) => Promise<Outcome | unknown>;
  members: Members;
  config: RedditConfig;
  logger: Pick<Logger, 'info' | 'warn' | 'error' | 'debug'>;
  /** The account's own name (its items are never moderated). */
  self?: string | undefined;
  now?: () => number;
}

export type ListingCursor = { id: string; createdUtc: number } | { editedUtc: number; names: string[] };

export interface ListingResult {
  listing: ListingName;
  pages: number;
  submitted: number;
  /** The saved cursor was not reached within maxPagesPerPoll: items in between may be missed. */
  gap: boolean;
}

/** Items handled between two cursor saves. */
const CHUNK = 25;

export function listingPath(subreddit: string, listing: ListingName): string {
  return listing === 'edited' ? `/r/${subreddit}/about/edited` : `/r/${subreddit}/${listing}`;
}

export function cursorSource(subreddit: string, listing: ListingName): string {
  return `reddit:${subreddit.toLowerCase()}:${listing}`;
}

export class SubredditPoller {
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<unknown> | undefined;
  private stopped = true;
  private readonly disabled = new Set<ListingName>();
  private readonly now: () => number;

  constructor(
    private readonly deps: PollerDeps,
    readonly settings: SubredditSettings,
  ) {
    this.now = deps.now ?? (() => Date.now());
  }

  /** Polls every listing once. */
  async pollOnce(): Promise<ListingResult[]> {
    const results: ListingResult[] = [];
    for (const listing of this.settings.listings) {
      if (this.disabled.has(listing)) continue;
      try {
        results.push(await this.pollListing(listing));
      } catch (err) {
        const status = (err as { status?: number }).status;
        if (listing === 'edited' && status === 403) {
          // Reading edits needs the moderator's "posts" permission: say so once, carry on without.
          this.disabled.add(listing);
          this.deps.logger.warn({ subreddit: this.settings.name }, `Reddit: r/${this.settings.name}/about/edited is forbidden (the account needs the moderator permission "posts"); edited items are only re-checked while still on the first pages of new items`);
          continue;
        }
        if (this.stopped && this.deps.client.closed) return results; // shutting down
        this.deps.logger.error({ subreddit: this.settings.name, listing, error: (err as Error).message }, 'Reddit: poll failed; it is retried at the next poll from the saved cursor');
      }
    }
    return results;
  }

  start(): void {
    if (!this.stopped) return;
    this.stopped = false;
    const tick = async (): Promise<void> => {
      if (this.stopped) return;
      this.running = this.pollOnce();
      await this.running;
      if (!this.stopped) this.timer = setTimeout(() => void tick(), this.settings.intervalSeconds * 1000);
    };
    void tick();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    await this.running;
  }

  private async people(): Promise<People> {
    const { moderators, approved } = await this.deps.members.of(this.settings.name);
    return { moderators, approved, self: this.deps.self, exemptApprovedUsers: this.deps.config.exemptApprovedUsers };
  }

  async pollListing(listing: ListingName): Promise<ListingResult> {
    const { client, store, config, logger } = this.deps;
    const sub = this.settings.name;
    const source = cursorSource(sub, listing);
    const cursor = (await store.getCursor<ListingCursor>(source))?.value;
    const edited = listing === 'edited';
    const floorUtc = (this.now() - config.initialLookbackMinutes * 60_000) / 1000;
    // Whether an item is at or before the cursor (already handled).
    const handled = (item: RedditItem): boolean => {
      if (edited) {
        const at = typeof item.edited === 'number' ? item.edited : 0;
        if (!cursor || !('editedUtc' in cursor)) return at < floorUtc;
        return at < cursor.editedUtc || (at === cursor.editedUtc && cursor.names.includes(item.name));
      }
      if (!cursor || !('id' in cursor)) return item.created_utc < floorUtc;
      return idValue(item.id) <= idValue(cursor.id);
    };

    const fresh: RedditItem[] = [];
    let newest: RedditItem | undefined;
    let after: string | undefined;
    let pages = 0;
    let reached = false;
    while (pages < config.maxPagesPerPoll) {
      const page = await client.get<Listing>(listingPath(sub, listing), { limit: config.pageSize, after });
      pages++;
      const items = page.data.children.map((c) => c.data).filter((d) => d && typeof d.name === 'string');
      newest ??= items[0];
      for (const item of items) {
        if (!handled(item)) {
          fresh.push(item);
        } else {
          reached = true;
          // Listings are eventually consistent: an item can show up below the cursor after it moved
          // on (e.g. approved out of the spam filter). On the page already read, the ones without a
          // verdict are judged too.
          if (!edited && cursor && 'id' in cursor && item.created_utc >= floorUtc && !await store.getVerdict(keyOf(item))) fresh.push(item);
        }
      }
      if (reached || !page.data.after || items.length === 0) break;
      after = page.data.after;
    }
    const gap = !reached && pages >= config.maxPagesPerPoll && cursor !== undefined;
    if (gap) {
      logger.warn({ subreddit: sub, listing, pages }, `Reddit: more new items in r/${sub}/${listing} than ${pages} pages since the last poll; older ones in between are missed (poll more often, or raise reddit.maxPagesPerPoll)`);
    }

    // Oldest first, so the cursor only ever moves past items already recorded.
    const order = (i: RedditItem): number => (edited ? (typeof i.edited === 'number' ? i.edited : 0) : idValue(i.id));
    fresh.sort((a, b) => order(a) - order(b) || idValue(a.id) - idValue(b.id));
    let submitted = 0;
    let current = cursor;
    for (let i = 0; i < fresh.length; i += CHUNK) {
      const chunk = fresh.slice(i, i + CHUNK);
      const people = await this.people();
      await Promise.all(chunk.filter((item) => !isGone(item)).map((item) => this.deps.submit(toMessage(item, people, edited))));
      submitted += chunk.length;
      current = this.cursorAfter(chunk, current, edited);
      await store.setCursor(source, current);
    }
    // Nothing new (a first poll with only old items): start from the newest item seen.
    if (fresh.length === 0 && newest && !cursor && !edited) await store.setCursor(source, { id: newest.id, createdUtc: newest.created_utc });
    if (fresh.length > 0) logger.debug({ subreddit: sub, listing, pages, submitted }, 'Reddit: polled');
    return { listing, pages, submitted, gap };
  }

  private cursorAfter(chunk: RedditItem[], previous: ListingCursor | undefined, edited: boolean): ListingCursor {
    const last = chunk[chunk.length - 1] as RedditItem;
    // Never backwards (a chunk of late items lies below the cursor).
    if (!edited) return previous && 'id' in previous && idValue(previous.id) > idValue(last.id) ? previous : { id: last.id, createdUtc: last.created_utc };
    const at = typeof last.edited === 'number' ? last.edited : 0;
    const before = previous && 'editedUtc' in previous && previous.editedUtc === at ? previous.names : [];
    const names = [...new Set([...before, ...chunk.filter((c) => c.edited === at).map((c) => c.name)])];
    return { editedUtc: at, names };
  }
}
