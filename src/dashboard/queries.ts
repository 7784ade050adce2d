// Aggregates the dashboard draws: verdicts over time by label and by action, top flagged terms,
// most affected channels, the servers seen, and the moderators' agreement with the model. Read
// through a second, read-only connection to the store's file (WAL: never blocks the pipeline's
// writer), so the store's own API stays as it is.
//
// "Flagged for a label" means exactly what `Store.stats` counts: the decision recorded the label as
// triggered AND the stored score is at or over the threshold recorded with it.
import Database from 'better-sqlite3';
import { LABELS, isLabel, type Label, type Span } from '../classifier/labels.js';

export const PERIODS = { '24h': 24 * 3600_000, '7d': 7 * 86_400_000, '30d': 30 * 86_400_000, '90d': 90 * 86_400_000 } as const;
export type Period = keyof typeof PERIODS;

export function isPeriod(p: unknown): p is Period {
  return typeof p === 'string' && Object.hasOwn(PERIODS, p);
}

/** Hour buckets for a day, day buckets beyond. Keys are prefixes of the stored ISO timestamps. */
export function bucketsFor(period: Period, now: Date): { since: string; unit: 'hour' | 'day'; keys: string[] } {
  const unit = period === '24h' ? 'hour' : 'day';
  const step = unit === 'hour' ? 3600_000 : 86_400_000;
  const len = unit === 'hour' ? 13 : 10;
  const since = new Date(now.getTime() - PERIODS[period]);
  const keys: string[] = [];
  // Start at the bucket holding `since`, step to the one holding `now`.
  const first = unit === 'hour' ? Date.UTC(since.getUTCFullYear(), since.getUTCMonth(), since.getUTCDate(), since.getUTCHours()) : Date.UTC(since.getUTCFullYear(), since.getUTCMonth(), since.getUTCDate());
  for (let t = first; t <= now.getTime(); t += step) keys.push(new Date(t).toISOString().slice(0, len));
  return { since: since.toISOString(), unit, keys };
}

const FLAGGED_LABEL = `json_extract(v.scores_json, '$.' || json_extract(t.value, '$.label')) >= json_extract(t.value, '$.threshold')`;
const IN_SCOPE = `v.created_at >= @since AND (@server IS NULL OR v.server_id = @server)`;
const IS_FLAGGED = `EXISTS (SELECT 1 FROM json_each(v.decision_json, '$.triggered') t WHERE ${FLAGGED_LABEL})`;

export interface Timeline {
  since: string;
  unit: 'hour' | 'day';
  buckets: string[];
  /** Verdicts per bucket (everything the bot saw). */
  total: number[];
  /** Flagged verdicts per bucket, per label. */
  byLabel: Record<Label, number[]>;
  /** Verdicts per bucket per action decided; 'log-only' = would have acted, but the server is log-only. */
  byAction: Record<string, number[]>;
}

export interface ChannelCount {
  serverId: string;
  channelId: string;
  verdicts: number;
  flagged: number;
}

export interface AgreementRow {
  label: Label;
  confirmed: number;
  overturned: number;
  dismissed: number;
  pending: number;
  /** confirmed / (confirmed + overturned); null when nobody decided yet. */
  rate: number | null;
}

type Scope = { since: string; server: string | null };

export class DashboardQueries {
  private readonly db: Database.Database;
  private readonly total;
  private readonly byLabel;
  private readonly byAction;
  private readonly logOnly;
  private readonly channels;
  private readonly flaggedTexts;
  private readonly serversStmt;
  private readonly agreement;

  constructor(file: string) {
    if (file === ':memory:') throw new Error('the dashboard needs the store in a file (database.path), not :memory:');
    this.db = new Database(file, { readonly: true, fileMustExist: true });
    this.db.pragma('busy_timeout = 5000');
    const len = 'CASE @unit WHEN \'hour\' THEN 13 ELSE 10 END';
    type P = Scope & { unit: string };
    this.total = this.db.prepare<P, { bucket: string; n: number }>(`SELECT substr(v.created_at, 1, ${len}) AS bucket, COUNT(*) AS n FROM verdicts v WHERE ${IN_SCOPE} GROUP BY 1`);
    this.byLabel = this.db.prepare<P, { bucket: string; label: string; n: number }>(
      `SELECT substr(v.created_at, 1, ${len}) AS bucket, json_extract(t.value, '$.label') AS label, COUNT(DISTINCT v.id) AS n
         FROM verdicts v, json_each(v.decision_json, '$.triggered') t
        WHERE ${IN_SCOPE} AND ${FLAGGED_LABEL} GROUP BY 1, 2`,
    );
    this.byAction = this.db.prepare<P, { bucket: string; action: string; n: number }>(
      `SELECT substr(v.created_at, 1, ${len}) AS bucket, a.value AS action, COUNT(*) AS n
         FROM verdicts v, json_each(v.decision_json, '$.actions') a WHERE ${IN_SCOPE} GROUP BY 1, 2`,
    );
    this.logOnly = this.db.prepare<P, { bucket: string; n: number }>(
      `SELECT substr(v.created_at, 1, ${len}) AS bucket, COUNT(*) AS n FROM verdicts v
        WHERE ${IN_SCOPE} AND json_extract(v.decision_json, '$.logOnly') = 1 AND json_array_length(v.decision_json, '$.triggered') > 0
        GROUP BY 1`,
    );
    this.channels = this.db.prepare<Scope & { limit: number }, { server_id: string; channel_id: string; verdicts: number; flagged: number }>(
      `SELECT v.server_id, v.channel_id, COUNT(*) AS verdicts, SUM(${IS_FLAGGED}) AS flagged
         FROM verdicts v WHERE ${IN_SCOPE} GROUP BY 1, 2 HAVING flagged > 0 ORDER BY flagged DESC, verdicts DESC LIMIT @limit`,
    );
    this.flaggedTexts = this.db.prepare<Scope & { limit: number }, { text: string | null; excerpt: string; spans_json: string }>(
      `SELECT v.text, v.excerpt, v.spans_json FROM verdicts v
        WHERE ${IN_SCOPE} AND v.spans_json <> '[]' AND ${IS_FLAGGED} ORDER BY v.created_at DESC LIMIT @limit`,
    );
    this.serversStmt = this.db.prepare<[], { server_id: string; verdicts: number; pending: number }>(
      `SELECT s.server_id,
              (SELECT COUNT(*) FROM verdicts v WHERE v.server_id = s.server_id) AS verdicts,
              (SELECT COUNT(*) FROM review_items r WHERE r.server_id = s.server_id AND r.status = 'pending') AS pending
         FROM (SELECT DISTINCT server_id FROM verdicts UNION SELECT server_id FROM policies) s ORDER BY verdicts DESC, s.server_id`,
    );
    this.agreement = this.db.prepare<Scope, { label: string; status: string; n: number }>(
      `SELECT json_extract(t.value, '$.label') AS label, r.status, COUNT(DISTINCT r.id) AS n
         FROM review_items r JOIN verdicts v ON v.id = r.verdict_id, json_each(v.decision_json, '$.triggered') t
        WHERE r.created_at >= @since AND (@server IS NULL OR r.server_id = @server) AND ${FLAGGED_LABEL}
        GROUP BY 1, 2`,
    );
  }

  close(): void {
    if (this.db.open) this.db.close();
  }

  timeline(serverId: string | undefined, period: Period, now = new Date()): Timeline {
    const { since, unit, keys } = bucketsFor(period, now);
    const p = { since, server: serverId ?? null, unit };
    const index = new Map(keys.map((k, i) => [k, i]));
    const zeros = () => keys.map(() => 0);
    const add = (series: number[], bucket: string, n: number): void => {
      const i = index.get(bucket);
      if (i !== undefined) series[i] = (series[i] ?? 0) + n;
    };
    const total = zeros();
    for (const r of this.total.all(p)) add(total, r.bucket, r.n);
    const byLabel = Object.fromEntries(LABELS.map((l) => [l, zeros()])) as Record<Label, number[]>;
    for (const r of this.byLabel.all(p)) if (isLabel(r.label)) add(byLabel[r.label], r.bucket, r.n);
    const byAction: Record<string, number[]> = {};
    for (const r of this.byAction.all(p)) add((byAction[r.action] ??= zeros()), r.bucket, r.n);
    for (const r of this.logOnly.all(p)) add((byAction['log-only'] ??= zeros()), r.bucket, r.n);
    return { since, unit, buckets: keys, total, byLabel, byAction };
  }

  topChannels(serverId: string | undefined, since: string, limit = 10): ChannelCount[] {
    return this.channels.all({ since, server: serverId ?? null, limit }).map((r) => ({ serverId: r.server_id, channelId: r.channel_id, verdicts: r.verdicts, flagged: r.flagged }));
  }

  /**
   * The words and phrases behind flagged verdicts (their explanation spans), counted over the most
   * recent `scan` flagged verdicts. In excerpt mode only spans inside the kept excerpt count.
   */
  topTerms(serverId: string | undefined, since: string, limit = 60, scan = 5000): [string, number][] {
    const counts = new Map<string, number>();
    for (const r of this.flaggedTexts.all({ since, server: serverId ?? null, limit: scan })) {
      const source = r.text ?? r.excerpt;
      for (const [start, end] of JSON.parse(r.spans_json) as Span[]) {
        if (end > source.length || end - start > 60) continue;
        const term = source.slice(start, end).toLowerCase().replace(/\s+/g, ' ').trim();
        if (term) counts.set(term, (counts.get(term) ?? 0) + 1);
      }
    }
    return [...counts.entries()].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1)).slice(0, limit);
  }

  servers(): { serverId: string; verdicts: number; pending: number }[] {
    return this.serversStmt.all().map((r) => ({ serverId: r.server_id, verdicts: r.verdicts, pending: r.pending }));
  }

  /** Per label, how moderators decided the review items the model flagged for it. */
  agreementByLabel(serverId: string | undefined, since = '0000'): AgreementRow[] {
    const rows = new Map<Label, AgreementRow>(LABELS.map((l) => [l, { label: l, confirmed: 0, overturned: 0, dismissed: 0, pending: 0, rate: null }]));
    for (const r of this.agreement.all({ since, server: serverId ?? null })) {
      const row = isLabel(r.label) ? rows.get(r.label) : undefined;
      if (row && (r.status === 'confirmed' || r.status === 'overturned' || r.status === 'dismissed' || r.status === 'pending')) row[r.status] = r.n;
    }
    for (const row of rows.values()) row.rate = row.confirmed + row.overturned > 0 ? row.confirmed / (row.confirmed + row.overturned) : null;
    return [...rows.values()];
  }
}
