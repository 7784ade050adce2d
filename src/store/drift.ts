// Daily drift metrics (src/monitoring computes them) and the per-day samples they are computed from.
// Rows are keyed by (day, server, metric, label): recomputing a day replaces its values but keeps
// the record that an alert already went out, so moderators are not alerted twice for one day.
import { isLabel, type Label } from '../classifier/labels.js';
import { EXCERPT_CHARS } from './content.js';
import { sql, type Selectable } from 'kysely';
import { affected, type Q, type StoreContext } from './context.js';
import type { DriftTable } from './schema.js';
import type { Platform } from '../core/message.js';
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
  /** An alert for this row went out (log line; a server's row also enqueued its notice: Store.alertDrift). */
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

type DriftRow = Selectable<DriftTable>;

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
    metric: r.metric as DriftMetric,
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
  constructor(private readonly ctx: StoreContext) {}

  /** Inside the caller's transaction. */
  async record(q: Q, rows: readonly DriftInput[]): Promise<DriftRecord[]> {
    const now = this.ctx.now();
    const out: DriftRecord[] = [];
    for (const r of rows) {
      if (!DAY.test(r.day)) throw new StoreError(`drift day must be YYYY-MM-DD, got ${r.day}`, 'invalid');
      if (!Number.isFinite(r.value) || !Number.isFinite(r.bound)) throw new StoreError(`drift ${r.metric} on ${r.day}: value and bound must be finite numbers`, 'invalid');
      const server = r.serverId ?? '';
      const label = r.label ?? '';
      await q
        .insertInto('drift')
        .values({
          day: r.day,
          server_id: server,
          metric: r.metric,
          label,
          value: r.value,
          bound: r.bound,
          over: (r.over ?? r.value > r.bound) ? 1 : 0,
          n: r.n,
          reference: r.reference ?? null,
          model: r.model,
          computed_at: now,
        })
        .onConflict((oc) =>
          oc.columns(['day', 'server_id', 'metric', 'label']).doUpdateSet((eb) => ({
            value: eb.ref('excluded.value'),
            bound: eb.ref('excluded.bound'),
            over: eb.ref('excluded.over'),
            n: eb.ref('excluded.n'),
            reference: eb.ref('excluded.reference'),
            model: eb.ref('excluded.model'),
            computed_at: eb.ref('excluded.computed_at'),
          })),
        )
        .execute();
      const row = await q.selectFrom('drift').selectAll().where('day', '=', r.day).where('server_id', '=', server).where('metric', '=', r.metric).where('label', '=', label).executeTakeFirst();
      if (row) out.push(toRecord(row));
    }
    return out;
  }

  async listRows(q: Q, options: ListDriftOptions): Promise<DriftRecord[]> {
    const rows = await q
      .selectFrom('drift')
      .selectAll()
      .where('day', '>=', dayOf(options.since))
      .where('day', '<=', options.until === undefined ? '9999-12-31' : dayOf(options.until))
      .$if(!options.allServers, (qb) => qb.where('server_id', '=', options.serverId ?? ''))
      .orderBy('day')
      .orderBy('server_id')
      .orderBy('metric')
      .orderBy('label')
      .execute();
    return rows.map(toRecord);
  }

  async setAlerted(q: Q, id: number): Promise<boolean> {
    return affected(await q.updateTable('drift').set({ alerted_at: this.ctx.now() }).where('id', '=', id).where('alerted_at', 'is', null).executeTakeFirst()) > 0;
  }

  /** The row's server ('' for all servers together), undefined when there is no such row. */
  async serverOf(q: Q, id: number): Promise<string | undefined> {
    return (await q.selectFrom('drift').select('server_id').where('id', '=', id).executeTakeFirst())?.server_id;
  }

  /** The platforms a server's verdicts came from (where its moderators are told). */
  async platformsOf(q: Q, serverId: string): Promise<Platform[]> {
    const rows = await q.selectFrom('verdicts').select('platform').distinct().where('server_id', '=', serverId).orderBy('platform').execute();
    return rows.map((r) => r.platform);
  }

  async recordDay(q: Q, day: string, messages: number, model: string): Promise<void> {
    await q
      .insertInto('drift_days')
      .values({ day, messages, model, computed_at: this.ctx.now() })
      .onConflict((oc) => oc.column('day').doUpdateSet((eb) => ({ messages: eb.ref('excluded.messages'), model: eb.ref('excluded.model'), computed_at: eb.ref('excluded.computed_at') })))
      .execute();
  }

  async computedDays(q: Q, since: string, until: string): Promise<string[]> {
    return (await q.selectFrom('drift_days').select('day').where('day', '>=', since).where('day', '<=', until).orderBy('day').execute()).map((r) => r.day);
  }

  /** UTC days in [from, to) that have verdicts (a range scan on the created_at index, then one row per day). */
  async daysWithVerdicts(q: Q, from: string, to: string): Promise<string[]> {
    const rows = await q
      .selectFrom('verdicts')
      .select(sql<string>`substr(created_at, 1, 10)`.as('day'))
      .distinct()
      .where('created_at', '>=', from)
      .where('created_at', '<', to)
      .orderBy('day')
      .execute();
    return rows.map((r) => r.day);
  }

  /** Verdicts and image sources recorded on one UTC day. */
  async samples(q: Q, day: string): Promise<{ messages: DriftMessageSample[]; images: DriftImageSample[] }> {
    const from = `${day}T00:00:00.000Z`;
    const to = new Date(new Date(from).getTime() + 86_400_000).toISOString();
    const rows = await q
      .selectFrom('verdicts')
      .select([
        'server_id',
        sql<string>`model_name || '@' || model_version`.as('model'),
        'scores_json',
        sql<number | null>`length(text)`.as('text_len'),
        sql<number>`length(excerpt)`.as('excerpt_len'),
        sql<number>`CASE WHEN trim(excerpt) = '' THEN 1 ELSE 0 END`.as('no_text'),
      ])
      .where('created_at', '>=', from)
      .where('created_at', '<', to)
      .execute();
    const messages = rows.map(
      (r): DriftMessageSample => ({
        serverId: r.server_id,
        model: r.model,
        scores: JSON.parse(r.scores_json) as Record<string, number>,
        // Excerpt mode keeps the first EXCERPT_CHARS code points: a shorter excerpt is the whole text.
        length: r.text_len ?? (Number(r.excerpt_len) < EXCERPT_CHARS ? Number(r.excerpt_len) : null),
        hasText: Number(r.no_text) === 0,
      }),
    );
    const imageRows = await q
      .selectFrom('verdicts as v')
      .innerJoin('verdict_sources as s', 's.verdict_id', 'v.id')
      .select(['v.server_id', 's.scanned', 's.reason'])
      .where('v.created_at', '>=', from)
      .where('v.created_at', '<', to)
      .execute();
    const images = imageRows.map((r): DriftImageSample => ({ serverId: r.server_id, scanned: r.scanned === 1, reason: r.reason }));
    return { messages, images };
  }
}
