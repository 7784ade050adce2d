// Daily drift metrics (src/monitoring computes them) and the per-day samples they are computed from.
// Rows are keyed by (day, server, metric, label): recomputing a day replaces its values but keeps
// the record that an alert already went out, so moderators are not alerted twice for one day.
import { isLabel, type Label } from '../classifier/labels.js';
import { EXCERPT_CHARS } from './content.js';
import type { StoreContext } from './context.js';
import { StoreError } from './errors.js';
import { toIso, type TimeInput } from './time.js';

/** PSI metrics ('score' per label, 'length') and shares ('no_text', 'ocr_failure'). */
export const DRIFT_METRICS = ['score', 'length', 'no_text', 'ocr_failure'] as const;
export type DriftMetric = (typeof DRIFT_METRICS)[number];

export interface DriftInput {
  /** UTC day, YYYY-MM-DD. */
  day: string;
  /** null or undefined = all servers together. */
  serverId?: string | null;
  metric: DriftMetric;
  label?: Label;
  value: number;
  bound: number;
  /** Default: value > bound. */
  over?: boolean;
  /** Messages (or images, for ocr_failure) the value was computed from. */
  n: number;
  /** The reference's value where one applies (the training share of messages without text). */
  reference?: number | null;
  /** name@version of the model whose reference was used. */
  model: string;
}

export interface DriftRecord {
  id: number;
  day: string;
  serverId: string | null;
  metric: DriftMetric;
  label?: Label;
  value: number;
  bound: number;
  over: boolean;
  n: number;
  reference: number | null;
  model: string;
  /** An alert for this row went out (log line + onDriftAlert). */
  alerted: boolean;
  alertedAt: string | null;
  computedAt: string;
}

export interface ListDriftOptions {
  /** First day included (a YYYY-MM-DD day or a time; its UTC day is used). */
  since: TimeInput;
  /** Last day included. */
  until?: TimeInput;
  /** One server's rows; without it, the rows computed over all servers. */
  serverId?: string;
  /** Every row, every server (overrides serverId). */
  allServers?: boolean;
}

/** One verdict as drift sees it. */
export interface DriftMessageSample {
  serverId: string;
  model: string;
  scores: Record<string, number>;
  /** Code points; null when the store kept only an excerpt of a long text (length >= 120). */
  length: number | null;
  hasText: boolean;
}

export interface DriftImageSample {
  serverId: string;
  scanned: boolean;
  reason: string | null;
}

interface DriftRow {
  id: number;
  day: string;
  server_id: string;
  metric: DriftMetric;
  label: string;
  value: number;
  bound: number;
  over: 0 | 1;
  n: number;
  reference: number | null;
  model: string;
  alerted_at: string | null;
  computed_at: string;
}

const DAY = /^\d{4}-\d{2}-\d{2}$/;

/** The UTC day of a time, or a YYYY-MM-DD string as is. */
export function dayOf(t: TimeInput): string {
  return typeof t === 'string' && DAY.test(t) ? t : toIso(t).slice(0, 10);
}

function toRecord(r: DriftRow): DriftRecord {
  return {
    id: r.id,
    day: r.day,
    serverId: r.server_id === '' ? null : r.server_id,
    metric: r.metric,
    ...(isLabel(r.label) ? { label: r.label } : {}),
    value: r.value,
    bound: r.bound,
    over: r.over === 1,
    n: r.n,
    reference: r.reference,
    model: r.model,
    alerted: r.alerted_at !== null,
    alertedAt: r.alerted_at,
    computedAt: r.computed_at,
  };
}

export class DriftRepo {
  private readonly upsert;
  private readonly byKey;
  private readonly list;
  private readonly markAlerted;
  private readonly upsertDay;
  private readonly days;
  private readonly verdictDays;
  private readonly messages;
  private readonly images;

  constructor(private readonly ctx: StoreContext) {
    const { db } = ctx;
    this.upsert = db.prepare<
      { day: string; server: string; metric: string; label: string; value: number; bound: number; over: 0 | 1; n: number; reference: number | null; model: string; now: string },
      void
    >(
      `INSERT INTO drift (day, server_id, metric, label, value, bound, over, n, reference, model, computed_at)
       VALUES (@day, @server, @metric, @label, @value, @bound, @over, @n, @reference, @model, @now)
       ON CONFLICT (day, server_id, metric, label) DO UPDATE SET
         value = excluded.value, bound = excluded.bound, over = excluded.over, n = excluded.n,
         reference = excluded.reference, model = excluded.model, computed_at = excluded.computed_at`,
    );
    this.byKey = db.prepare<[string, string, string, string], DriftRow>('SELECT * FROM drift WHERE day = ? AND server_id = ? AND metric = ? AND label = ?');
    this.list = db.prepare<{ since: string; until: string; server: string | null; all: 0 | 1 }, DriftRow>(
      `SELECT * FROM drift
        WHERE day >= @since AND day <= @until AND (@all = 1 OR server_id = COALESCE(@server, ''))
        ORDER BY day, server_id, metric, label`,
    );
    this.markAlerted = db.prepare<[string, number], void>('UPDATE drift SET alerted_at = ? WHERE id = ? AND alerted_at IS NULL');
    this.upsertDay = db.prepare<[string, number, string, string], void>(
      `INSERT INTO drift_days (day, messages, model, computed_at) VALUES (?, ?, ?, ?)
       ON CONFLICT (day) DO UPDATE SET messages = excluded.messages, model = excluded.model, computed_at = excluded.computed_at`,
    );
    this.days = db.prepare<[string, string], { day: string }>('SELECT day FROM drift_days WHERE day >= ? AND day <= ? ORDER BY day');
    // Range scan on the created_at index, then one row per day.
    this.verdictDays = db.prepare<[string, string], { day: string }>(
      'SELECT DISTINCT substr(created_at, 1, 10) AS day FROM verdicts WHERE created_at >= ? AND created_at < ? ORDER BY 1',
    );
    this.messages = db.prepare<
      [string, string],
      { server_id: string; model: string; scores_json: string; text_len: number | null; excerpt_len: number; no_text: 0 | 1 }
    >(
      `SELECT server_id, model_name || '@' || model_version AS model, scores_json,
              length(text) AS text_len, length(excerpt) AS excerpt_len, trim(excerpt) = '' AS no_text
         FROM verdicts WHERE created_at >= ? AND created_at < ?`,
    );
    this.images = db.prepare<[string, string], { server_id: string; scanned: 0 | 1; reason: string | null }>(
      `SELECT v.server_id, s.scanned, s.reason
         FROM verdicts v JOIN verdict_sources s ON s.verdict_id = v.id
        WHERE v.created_at >= ? AND v.created_at < ?`,
    );
  }

  record(rows: readonly DriftInput[]): DriftRecord[] {
    const now = this.ctx.now();
    return this.ctx.db
      .transaction(() => {
        const out: DriftRecord[] = [];
        for (const r of rows) {
          if (!DAY.test(r.day)) throw new StoreError(`drift day must be YYYY-MM-DD, got ${r.day}`, 'invalid');
          if (!Number.isFinite(r.value) || !Number.isFinite(r.bound)) throw new StoreError(`drift ${r.metric} on ${r.day}: value and bound must be finite numbers`, 'invalid');
          const server = r.serverId ?? '';
          const label = r.label ?? '';
          this.upsert.run({
            day: r.day,
            server,
            metric: r.metric,
            label,
            value: r.value,
            bound: r.bound,
            over: (r.over ?? r.value > r.bound) ? 1 : 0,
            n: r.n,
            reference: r.reference ?? null,
            model: r.model,
            now,
          });
          const row = this.byKey.get(r.day, server, r.metric, label);
          if (row) out.push(toRecord(row));
        }
        return out;
      })
      .immediate();
  }

  listRows(options: ListDriftOptions): DriftRecord[] {
    return this.list
      .all({ since: dayOf(options.since), until: options.until === undefined ? '9999-12-31' : dayOf(options.until), server: options.serverId ?? null, all: options.allServers ? 1 : 0 })
      .map(toRecord);
  }

  setAlerted(id: number): boolean {
    return this.markAlerted.run(this.ctx.now(), id).changes > 0;
  }

  recordDay(day: string, messages: number, model: string): void {
    this.upsertDay.run(day, messages, model, this.ctx.now());
  }

  computedDays(since: string, until: string): string[] {
    return this.days.all(since, until).map((r) => r.day);
  }

  /** UTC days in [from, to) that have verdicts. */
  daysWithVerdicts(from: string, to: string): string[] {
    return this.verdictDays.all(from, to).map((r) => r.day);
  }

  /** Verdicts and image sources recorded on one UTC day. */
  samples(day: string): { messages: DriftMessageSample[]; images: DriftImageSample[] } {
    const from = `${day}T00:00:00.000Z`;
    const to = new Date(new Date(from).getTime() + 86_400_000).toISOString();
    const messages = this.messages.all(from, to).map(
      (r): DriftMessageSample => ({
        serverId: r.server_id,
        model: r.model,
        scores: JSON.parse(r.scores_json) as Record<string, number>,
        // Excerpt mode keeps the first EXCERPT_CHARS code points: a shorter excerpt is the whole text.
        length: r.text_len ?? (r.excerpt_len < EXCERPT_CHARS ? r.excerpt_len : null),
        hasText: r.no_text === 0,
      }),
    );
    const images = this.images.all(from, to).map((r): DriftImageSample => ({ serverId: r.server_id, scanned: r.scanned === 1, reason: r.reason }));
    return { messages, images };
  }
}
