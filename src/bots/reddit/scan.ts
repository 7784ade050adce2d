// Batch mode: `toxguard reddit scan r/<sub> --since 24h` reads what a subreddit posted in a window
// into the store, through the same pipeline, WITHOUT acting: every item is submitted with
// `act: false` (no action is ever planned), and the CLI applies the subreddit's policy log-only
// (the verdicts say what would have triggered). Resumable: the listing position (`after`)
// is saved after each page's verdicts are recorded; a scan stopped half-way continues from there.
// The same analysis also works without API access, from an export file (JSONL or CSV).
import type { IncomingMessage } from '../../core/message.js';
import type { ModerationPipeline } from '../../core/pipeline.js';
import { PolicyService } from '../../core/policies.js';
import type { ServerPolicy } from '../../policy/schema.js';
import type { Store } from '../../store/index.js';
import type { RedditClient } from './client.js';
import { serverIdOf } from './config.js';
import { listingPath } from './poller.js';
import { isGone, toMessage, type Listing, type People, type RedditItem } from './things.js';

/** Policies as they are, except that nothing is ever done: every server and channel is log-only. */
export class LogOnlyPolicies extends PolicyService {
  private readonly logOnly = new Map<string, ServerPolicy>();

  override async get(serverId: string): Promise<ServerPolicy> {
    let p = this.logOnly.get(serverId);
    if (!p) {
      const base = await super.get(serverId);
      p = { ...base, mode: 'log-only', channels: Object.fromEntries(Object.entries(base.channels).map(([id, o]) => [id, { ...o, mode: 'log-only' as const }])) };
      this.logOnly.set(serverId, p);
    }
    return p;
  }
}

/** `24h`, `90m`, `7d`, `3600s` (or a bare number of hours) as milliseconds. */
export function parseDuration(text: string): number {
  const m = /^\s*(\d+(?:\.\d+)?)\s*([smhdw]?)\s*$/i.exec(text);
  if (!m) throw new Error(`"${text}" is not a duration: use e.g. 90m, 24h, 7d`);
  const unit = { s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000, w: 604_800_000, '': 3_600_000 }[(m[2] ?? '').toLowerCase() as 's'];
  return Number(m[1]) * unit;
}

export type ScanListing = 'comments' | 'new';

export interface RedditScanOptions {
  client: RedditClient;
  store: Store;
  pipeline: Pick<ModerationPipeline, 'submit'>;
  subreddit: string;
  /** Items created at or after this time (Unix seconds) are read. */
  sinceUtc: number;
  listings?: ScanListing[];
  pageSize?: number;
  people?: People;
  /** After each page: how far back the scan has got, as a fraction of the window (0-1). */
  onProgress?: (p: { listing: ScanListing; items: number; pages: number; fraction: number }) => void;
  /** Stop after this many pages (the rest is picked up by the next run). */
  maxPages?: number;
  now?: () => number;
}

interface ScanCursor {
  sinceUtc: number;
  untilUtc: number;
  after: string | null;
  items: number;
  done: boolean;
}

export interface RedditScanResult {
  items: number;
  pages: number;
  /** Listings that continued an unfinished scan. */
  resumed: ScanListing[];
  /** Whether every listing reached the start of the window. */
  complete: boolean;
  seconds: number;
  itemsPerSecond: number;
}

export function scanSource(subreddit: string, listing: ScanListing): string {
  return `reddit-scan:${subreddit.toLowerCase()}:${listing}`;
}

export async function scanSubreddit(options: RedditScanOptions): Promise<RedditScanResult> {
  const { client, store, pipeline, subreddit } = options;
  const now = options.now ?? (() => Date.now());
  const started = now();
  const people: People = options.people ?? { moderators: new Set(), approved: new Set(), exemptApprovedUsers: true };
  let items = 0;
  let pages = 0;
  let complete = true;
  const resumed: ScanListing[] = [];
  for (const listing of options.listings ?? ['comments', 'new']) {
    const source = scanSource(subreddit, listing);
    const saved = (await store.getCursor<ScanCursor>(source))?.value;
    let cursor: ScanCursor;
    if (saved && !saved.done) {
      cursor = saved;
      resumed.push(listing);
    } else {
      cursor = { sinceUtc: options.sinceUtc, untilUtc: Math.floor(now() / 1000), after: null, items: 0, done: false };
    }
    const span = Math.max(1, cursor.untilUtc - cursor.sinceUtc);
    while (!cursor.done) {
      if (options.maxPages !== undefined && pages >= options.maxPages) {
        complete = false;
        break;
      }
      const page = await client.get<Listing>(listingPath(subreddit, listing), { limit: options.pageSize ?? 100, after: cursor.after ?? undefined });
      pages++;
      const all = page.data.children.map((c) => c.data);
      const inWindow = all.filter((i) => i.created_utc >= cursor.sinceUtc && i.created_utc <= cursor.untilUtc);
      // Scanned items are history, not live messages: verdicts are recorded, no action is ever planned.
      await Promise.all(inWindow.filter((i) => !isGone(i)).map((i) => pipeline.submit(toMessage(i, people), { act: false })));
      items += inWindow.length;
      const oldest = all.at(-1)?.created_utc;
      const finished = !page.data.after || all.length === 0 || (oldest !== undefined && oldest < cursor.sinceUtc);
      cursor = { ...cursor, after: page.data.after, items: cursor.items + inWindow.length, done: finished };
      await store.setCursor(source, cursor);
      const fraction = finished ? 1 : Math.min(1, Math.max(0, (cursor.untilUtc - (oldest ?? cursor.untilUtc)) / span));
      options.onProgress?.({ listing, items, pages, fraction });
    }
  }
  const seconds = (now() - started) / 1000;
  return { items, pages, resumed, complete, seconds, itemsPerSecond: seconds > 0 ? items / seconds : items };
}

const str = (v: unknown): string | undefined => (typeof v === 'string' && v !== '' ? v : typeof v === 'number' ? String(v) : undefined);

/** Unix seconds from a number, a numeric string, or a date string ("2024-05-01 12:00:00 UTC"). */
function utcSeconds(v: unknown): number | undefined {
  if (typeof v === 'number' && Number.isFinite(v)) return v;
  const s = str(v);
  if (!s) return undefined;
  if (/^\d+(\.\d+)?$/.test(s)) return Number(s);
  const t = Date.parse(s.replace(/ UTC$/, 'Z').replace(' ', 'T'));
  return Number.isNaN(t) ? undefined : t / 1000;
}

/**
 * One row of a Reddit export as an item: archive dumps (JSON lines with id, body or title +
 * selftext, author, created_utc, subreddit, link_id) and Reddit's own data export CSVs (id,
 * permalink, date, subreddit, body). `subreddit` is used when the row names none.
 */
export function exportRowToItem(row: Record<string, unknown>, subreddit: string): RedditItem {
  const rawId = str(row.id) ?? str(row.name);
  if (!rawId) throw new Error('missing "id"');
  const id = rawId.replace(/^t\d_/, '');
  const isPost = typeof row.title === 'string' || str(row.name)?.startsWith('t3_') === true;
  const created = utcSeconds(row.created_utc ?? row.date ?? row.created);
  if (created === undefined) throw new Error('missing "created_utc" (or "date")');
  const permalink = str(row.permalink);
  const postFromLink = permalink ? /\/comments\/([a-z0-9]+)/i.exec(permalink)?.[1] : undefined;
  const linkId = str(row.link_id) ?? (postFromLink ? `t3_${postFromLink}` : undefined);
  const body = row.body ?? row.text;
  if (!isPost && typeof body !== 'string') throw new Error('"body" must be a string');
  const edited = utcSeconds(row.edited);
  return {
    id,
    name: `${isPost ? 't3' : 't1'}_${id}`,
    subreddit: str(row.subreddit) ?? subreddit,
    author: str(row.author) ?? 'unknown',
    created_utc: created,
    edited: edited !== undefined && edited > 1 ? edited : false,
    ...(permalink ? { permalink: permalink.replace(/^https?:\/\/[^/]+/, '') } : {}),
    ...(isPost ? { title: str(row.title) ?? '', selftext: typeof row.selftext === 'string' ? row.selftext : '', is_self: true } : { body: body as string, ...(linkId ? { link_id: linkId } : {}) }),
  };
}

/** An export row as the pipeline's message (no moderators known: only distinguished items are exempt). */
export function exportRowToMessage(row: Record<string, unknown>, subreddit: string): IncomingMessage {
  const message = toMessage(exportRowToItem(row, subreddit), { moderators: new Set(), approved: new Set(), exemptApprovedUsers: true });
  // An export row stands for a subreddit's item: keep it under that subreddit's server id.
  return { ...message, serverId: serverIdOf(str(row.subreddit) ?? subreddit) };
}
