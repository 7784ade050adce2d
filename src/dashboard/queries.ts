// What the dashboard's charts show, shaped for the pages: a period's timeline as dense series (a
// zero for every empty bucket), the top flagged terms, the most affected channels, the servers seen,
// and the moderators' agreement with the model. The counting itself is the store's (src/store/charts.ts,
// the same SQL on SQLite and PostgreSQL), so "flagged" means exactly what `Store.stats` counts.
import { LABELS, type Label } from '../classifier/labels.js';
import { BUCKET_PREFIX_LENGTH, type AgreementRow, type BucketUnit, type ChannelCount, type ServerSummary, type Store } from '../store/index.js';

export type { AgreementRow, ChannelCount, ServerSummary };

export const PERIODS = { '24h': 24 * 3600_000, '7d': 7 * 86_400_000, '30d': 30 * 86_400_000, '90d': 90 * 86_400_000 } as const;
export type Period = keyof typeof PERIODS;

export function isPeriod(p: unknown): p is Period {
  return typeof p === 'string' && Object.hasOwn(PERIODS, p);
}

/** Hour buckets for a day, day buckets beyond. Keys are prefixes of the stored ISO timestamps. */
export function bucketsFor(period: Period, now: Date): { since: string; unit: BucketUnit; keys: string[] } {
  const unit: BucketUnit = period === '24h' ? 'hour' : 'day';
  const step = unit === 'hour' ? 3600_000 : 86_400_000;
  const len = BUCKET_PREFIX_LENGTH[unit];
  const since = new Date(now.getTime() - PERIODS[period]);
  const keys: string[] = [];
  // Start at the bucket holding `since`, step to the one holding `now`.
  const first = unit === 'hour' ? Date.UTC(since.getUTCFullYear(), since.getUTCMonth(), since.getUTCDate(), since.getUTCHours()) : Date.UTC(since.getUTCFullYear(), since.getUTCMonth(), since.getUTCDate());
  for (let t = first; t <= now.getTime(); t += step) keys.push(new Date(t).toISOString().slice(0, len));
  return { since: since.toISOString(), unit, keys };
}

export interface Timeline {
  since: string;
  unit: BucketUnit;
  buckets: string[];
  /** Verdicts per bucket (everything the bot saw). */
  total: number[];
  /** Flagged verdicts per bucket, per label. */
  byLabel: Record<Label, number[]>;
  /** Verdicts per bucket per action decided; 'log-only' = would have acted, but the server is log-only. */
  byAction: Record<string, number[]>;
}

export class DashboardQueries {
  constructor(private readonly store: Store) {}

  async timeline(serverId: string | undefined, period: Period, now = new Date()): Promise<Timeline> {
    const { since, unit, keys } = bucketsFor(period, now);
    const counts = await this.store.timelineCounts(serverId, since, unit);
    const index = new Map(keys.map((k, i) => [k, i]));
    const zeros = () => keys.map(() => 0);
    const add = (series: number[], bucket: string, n: number): void => {
      const i = index.get(bucket);
      if (i !== undefined) series[i] = (series[i] ?? 0) + n;
    };
    const total = zeros();
    for (const r of counts.total) add(total, r.bucket, r.n);
    const byLabel = Object.fromEntries(LABELS.map((l) => [l, zeros()])) as Record<Label, number[]>;
    for (const r of counts.byLabel) add(byLabel[r.label], r.bucket, r.n);
    const byAction: Record<string, number[]> = {};
    for (const r of counts.byAction) add((byAction[r.action] ??= zeros()), r.bucket, r.n);
    for (const r of counts.logOnly) add((byAction['log-only'] ??= zeros()), r.bucket, r.n);
    return { since, unit, buckets: keys, total, byLabel, byAction };
  }

  topChannels(serverId: string | undefined, since: string, limit = 10): Promise<ChannelCount[]> {
    return this.store.topChannels(serverId, since, limit);
  }

  /**
   * The words and phrases behind flagged verdicts (their explanation spans), counted over the most
   * recent `scan` flagged verdicts. In excerpt mode only spans inside the kept excerpt count.
   */
  async topTerms(serverId: string | undefined, since: string, limit = 60, scan = 5000): Promise<[string, number][]> {
    const counts = new Map<string, number>();
    for (const { text, spans } of await this.store.flaggedSpans(serverId, since, scan)) {
      for (const [start, end] of spans) {
        if (end > text.length || end - start > 60) continue;
        const term = text.slice(start, end).toLowerCase().replace(/\s+/g, ' ').trim();
        if (term) counts.set(term, (counts.get(term) ?? 0) + 1);
      }
    }
    return [...counts.entries()].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1)).slice(0, limit);
  }

  servers(): Promise<ServerSummary[]> {
    return this.store.serverSummaries();
  }

  /** Per label, how moderators decided the review items the model flagged for it. */
  agreementByLabel(serverId: string | undefined): Promise<AgreementRow[]> {
    return this.store.agreementByLabel(serverId);
  }
}
