// The aggregates the dashboard draws: verdicts per time bucket (all, per flagged label, per action),
// the most affected channels, the explanation spans of flagged verdicts, the servers seen, and per
// label how moderators decided what the model flagged. Same Kysely SQL on SQLite and PostgreSQL (what
// differs is in dialect.ts); "flagged" is exactly what `Store.stats` counts (stats.ts).
import { sql } from 'kysely';
import { LABELS, isLabel, type Label, type Span } from '../classifier/labels.js';
import { parseJson, type Q, type StoreContext } from './context.js';
import { jsonArrayLength, jsonArrayTexts, jsonTrue, triggeredRows } from './dialect.js';
import { inScope, labelFlagged, verdictFlagged } from './stats.js';
import { toIso, type TimeInput } from './time.js';
import { REVIEW_STATUSES, type ReviewStatus } from './types.js';

/** Time buckets are prefixes of the stored ISO timestamps: 'YYYY-MM-DDTHH' (hour) or 'YYYY-MM-DD' (day). */
export type BucketUnit = 'hour' | 'day';
export const BUCKET_PREFIX_LENGTH: Record<BucketUnit, number> = { hour: 13, day: 10 };

export interface BucketCount {
  bucket: string;
  n: number;
}

/** Verdict counts per bucket; buckets with no verdicts are absent. */
export interface TimelineCounts {
  total: BucketCount[];
  /** Flagged verdicts per bucket per label. */
  byLabel: (BucketCount & { label: Label })[];
  /** Verdicts per bucket per action decided. */
  byAction: (BucketCount & { action: string })[];
  /** Verdicts that would have been acted on, but their server (or channel) is log-only. */
  logOnly: BucketCount[];
}

export interface ChannelCount {
  serverId: string;
  channelId: string;
  verdicts: number;
  flagged: number;
}

export interface ServerSummary {
  serverId: string;
  verdicts: number;
  /** Review items waiting for a moderator. */
  pending: number;
}

/** A flagged verdict's text (or kept excerpt) and the spans the model highlighted in it. */
export interface FlaggedSpans {
  text: string;
  spans: Span[];
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

// PostgreSQL returns COUNT and SUM as bigint strings: every count goes through Number.
const count = (n: unknown): number => Number(n ?? 0);

export class ChartsRepo {
  constructor(private readonly ctx: StoreContext) {}

  async timeline(q: Q, serverId: string | undefined, sinceInput: TimeInput, unit: BucketUnit): Promise<TimelineCounts> {
    const since = toIso(sinceInput);
    const { backend } = this.ctx;
    const bucket = sql<string>`substr(v.created_at, 1, ${sql.lit(BUCKET_PREFIX_LENGTH[unit])})`;
    const scope = inScope('v', since, serverId);
    const t = triggeredRows(backend);
    const a = jsonArrayTexts(backend, 'v.decision_json', 'actions', 'a');
    const [total, byLabel, byAction, logOnly] = await Promise.all([
      sql<{ bucket: string; n: unknown }>`SELECT ${bucket} AS bucket, COUNT(*) AS n FROM verdicts v WHERE ${scope} GROUP BY 1`.execute(q),
      sql<{ bucket: string; label: string; n: unknown }>`
        SELECT ${bucket} AS bucket, ${t.label} AS label, COUNT(DISTINCT v.id) AS n
          FROM verdicts v, ${t.from} WHERE ${scope} AND ${labelFlagged(t)} GROUP BY 1, 2`.execute(q),
      sql<{ bucket: string; action: string; n: unknown }>`SELECT ${bucket} AS bucket, ${a.value} AS action, COUNT(*) AS n FROM verdicts v, ${a.from} WHERE ${scope} GROUP BY 1, 2`.execute(q),
      sql<{ bucket: string; n: unknown }>`
        SELECT ${bucket} AS bucket, COUNT(*) AS n FROM verdicts v
         WHERE ${scope} AND ${jsonTrue(backend, 'v.decision_json', 'logOnly')} AND ${jsonArrayLength(backend, 'v.decision_json', 'triggered')} > 0
         GROUP BY 1`.execute(q),
    ]);
    const counts = <R extends { bucket: string; n: unknown }>(rows: R[]) => rows.map((r) => ({ ...r, n: count(r.n) }));
    return {
      total: counts(total.rows),
      byLabel: counts(byLabel.rows).flatMap((r) => (isLabel(r.label) ? [{ bucket: r.bucket, label: r.label, n: r.n }] : [])),
      byAction: counts(byAction.rows),
      logOnly: counts(logOnly.rows),
    };
  }

  /** Channels with flagged verdicts, most flagged first (ties: more verdicts, then by id, byte-wise on both engines). */
  async topChannels(q: Q, serverId: string | undefined, sinceInput: TimeInput, limit: number): Promise<ChannelCount[]> {
    const scope = inScope('v', toIso(sinceInput), serverId);
    // A subquery, not HAVING on the alias: PostgreSQL does not see select-list aliases in HAVING.
    const rows = await sql<{ server_id: string; channel_id: string; verdicts: unknown; flagged: unknown }>`
      SELECT c.server_id, c.channel_id, c.verdicts, c.flagged FROM (
        SELECT v.server_id, v.channel_id, COUNT(*) AS verdicts, SUM(CASE WHEN ${verdictFlagged(this.ctx.backend)} THEN 1 ELSE 0 END) AS flagged
          FROM verdicts v WHERE ${scope} GROUP BY v.server_id, v.channel_id) c
       WHERE c.flagged > 0 ORDER BY c.flagged DESC, c.verdicts DESC, c.server_id, c.channel_id LIMIT ${limit}`.execute(q);
    return rows.rows.map((r) => ({ serverId: r.server_id, channelId: r.channel_id, verdicts: count(r.verdicts), flagged: count(r.flagged) }));
  }

  /** The most recent `limit` flagged verdicts that have explanation spans: their text and spans. */
  async flaggedSpans(q: Q, serverId: string | undefined, sinceInput: TimeInput, limit: number): Promise<FlaggedSpans[]> {
    const rows = await sql<{ text: string | null; excerpt: string; spans_json: string }>`
      SELECT v.text, v.excerpt, v.spans_json FROM verdicts v
       WHERE ${inScope('v', toIso(sinceInput), serverId)} AND v.spans_json <> '[]' AND ${verdictFlagged(this.ctx.backend)}
       ORDER BY v.created_at DESC, v.id DESC LIMIT ${limit}`.execute(q);
    return rows.rows.map((r) => ({ text: r.text ?? r.excerpt, spans: parseJson<Span[]>(r.spans_json) }));
  }

  /** Every server with verdicts or a stored policy, most verdicts first. */
  async servers(q: Q): Promise<ServerSummary[]> {
    const rows = await sql<{ server_id: string; verdicts: unknown; pending: unknown }>`
      SELECT s.server_id,
             (SELECT COUNT(*) FROM verdicts v WHERE v.server_id = s.server_id) AS verdicts,
             (SELECT COUNT(*) FROM review_items r WHERE r.server_id = s.server_id AND r.status = 'pending') AS pending
        FROM (SELECT server_id FROM verdicts UNION SELECT server_id FROM policies) s ORDER BY 2 DESC, 1`.execute(q);
    return rows.rows.map((r) => ({ serverId: r.server_id, verdicts: count(r.verdicts), pending: count(r.pending) }));
  }

  /** Per label, how moderators decided the review items (created since `since`) the model flagged for it. */
  async agreementByLabel(q: Q, serverId: string | undefined, sinceInput: TimeInput): Promise<AgreementRow[]> {
    const t = triggeredRows(this.ctx.backend);
    const rows = await sql<{ label: string; status: string; n: unknown }>`
      SELECT ${t.label} AS label, r.status, COUNT(DISTINCT r.id) AS n
        FROM review_items r JOIN verdicts v ON v.id = r.verdict_id, ${t.from}
       WHERE ${inScope('r', toIso(sinceInput), serverId)} AND ${labelFlagged(t)}
       GROUP BY 1, 2`.execute(q);
    const byLabel = new Map<Label, AgreementRow>(LABELS.map((l) => [l, { label: l, confirmed: 0, overturned: 0, dismissed: 0, pending: 0, rate: null }]));
    for (const r of rows.rows) {
      const row = isLabel(r.label) ? byLabel.get(r.label) : undefined;
      if (row && isReviewStatus(r.status)) row[r.status] = count(r.n);
    }
    for (const row of byLabel.values()) row.rate = row.confirmed + row.overturned > 0 ? row.confirmed / (row.confirmed + row.overturned) : null;
    return [...byLabel.values()];
  }
}

function isReviewStatus(s: string): s is ReviewStatus {
  return (REVIEW_STATUSES as readonly string[]).includes(s);
}
