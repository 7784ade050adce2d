// Verdicts: one row per platform message (keyed by messageKey), its OCR sources, and the single
// transaction that records a verdict together with its outbox actions and review item.
import type { Insertable, Selectable } from 'kysely';
import type { Label, Scores, Span } from '../classifier/labels.js';
import { messageKey } from '../core/message.js';
import type { ActionsRepo } from './actions.js';
import { contentHash, excerpt } from './content.js';
import { messageRefOf, parseJson, type Q, type StoreContext } from './context.js';
import { StoreError } from './errors.js';
import type { ReviewsRepo } from './reviews.js';
import type { VerdictSourcesTable, VerdictsTable } from './schema.js';
import { toIso } from './time.js';
import type { Decision, LabelSource, PlannedAction, RecordResult, SourceInput, SourceRecord, VerdictInput, VerdictRecord } from './types.js';

type VerdictRow = Selectable<VerdictsTable>;
type VerdictColumns = Omit<Insertable<VerdictsTable>, 'id' | 'revision'> & { created_at: string; updated_at: string };

const LABEL_SOURCE = /^(text|attachment:\d+)$/;

function validate(input: VerdictInput): void {
  for (const [label, source] of Object.entries(input.labelSources)) {
    if (typeof source !== 'string' || !LABEL_SOURCE.test(source)) {
      throw new StoreError(`label source for ${label} must be 'text' or 'attachment:<n>', got ${String(source)}`, 'invalid');
    }
  }
  for (const [label, score] of Object.entries(input.scores)) {
    if (typeof score !== 'number' || Number.isNaN(score)) throw new StoreError(`score for ${label} is not a number`, 'invalid');
  }
  if (!Array.isArray(input.decision.actions) || !Array.isArray(input.decision.triggered)) {
    throw new StoreError('decision needs actions[] and triggered[]', 'invalid');
  }
}

export class VerdictsRepo {
  constructor(
    private readonly ctx: StoreContext,
    private readonly actions: ActionsRepo,
    private readonly reviews: ReviewsRepo,
  ) {}

  private columns(input: VerdictInput, now: string): VerdictColumns {
    const m = input.message;
    const full = this.ctx.storeText === 'full';
    return {
      message_key: messageKey(m),
      platform: m.platform,
      server_id: m.serverId,
      channel_id: m.channelId,
      thread_id: m.threadId ?? null,
      message_id: m.messageId,
      author_id: m.author.id,
      kind: m.kind,
      content_hash: contentHash(m.text, m.attachments.map((a) => a.url)),
      text: full ? m.text : null,
      excerpt: excerpt(m.text),
      text_stored: this.ctx.storeText,
      scores_json: JSON.stringify(input.scores),
      label_sources_json: JSON.stringify(input.labelSources),
      spans_json: JSON.stringify(input.spans),
      model_name: input.model.name,
      model_version: input.model.version,
      decision_json: JSON.stringify(input.decision),
      latency_ms: input.latencyMs,
      message_at: toIso(m.editedAt ?? m.sentAt),
      created_at: now,
      updated_at: now,
    };
  }

  private async writeSources(q: Q, verdictId: number, sources: readonly SourceInput[]): Promise<void> {
    if (sources.length === 0) return;
    const full = this.ctx.storeText === 'full';
    const rows = sources.map((s): Insertable<VerdictSourcesTable> => {
      const base = { verdict_id: verdictId, attachment: s.attachment, name: s.name ?? null, url: s.url ?? null };
      // OCR text is message content too: excerpt mode keeps only its first 120 characters.
      return s.scanned
        ? { ...base, scanned: 1, text: full ? s.text : excerpt(s.text), confidence: s.confidence, reason: null, scores_json: s.scores ? JSON.stringify(s.scores) : null }
        : { ...base, scanned: 0, text: null, confidence: null, reason: s.reason, scores_json: null };
    });
    await q.insertInto('verdict_sources').values(rows).execute();
  }

  /** The verdict row, locked until the transaction ends on PostgreSQL (SQLite's IMMEDIATE transaction already excludes writers). */
  lockByKey(q: Q, key: string): Promise<VerdictRow | undefined> {
    return q
      .selectFrom('verdicts')
      .selectAll()
      .where('message_key', '=', key)
      .$if(this.ctx.backend === 'postgres', (qb) => qb.forUpdate())
      .executeTakeFirst();
  }

  lockById(q: Q, id: number): Promise<VerdictRow | undefined> {
    return q
      .selectFrom('verdicts')
      .selectAll()
      .where('id', '=', id)
      .$if(this.ctx.backend === 'postgres', (qb) => qb.forUpdate())
      .executeTakeFirst();
  }

  /**
   * Records a verdict, its planned actions (the outbox) and, when flagged, its review item in ONE
   * transaction (the caller's). Same key + same content hash: nothing happens (a replayed or resumed
   * event never doubles an action). Same key + new hash (an edit): the verdict is updated (revision + 1),
   * actions whose key already ran or is queued are not enqueued again, and queued actions the new plan
   * drops are cancelled. An event older than the stored one (by editedAt ?? sentAt) is ignored as stale.
   * Two processes recording the same message at once: the unique key lets one insert; the other waits
   * on the row lock and then sees it as existing.
   */
  async record(q: Q, input: VerdictInput, planned: readonly PlannedAction[]): Promise<RecordResult> {
    validate(input);
    const now = this.ctx.now();
    const cols = this.columns(input, now);
    // In the review queue: what is flagged, and in log-only mode what would have been acted on (so
    // agreement per label is measured before actions are turned on).
    const logOnlyWouldAct = input.decision.logOnly && input.decision.triggered.length > 0;
    const flagged = input.decision.actions.includes('flag') || planned.some((p) => p.kind === 'flag') || logOnlyWouldAct;
    let existing = await this.lockByKey(q, cols.message_key);
    if (!existing) {
      const inserted = await q.insertInto('verdicts').values(cols).onConflict((oc) => oc.column('message_key').doNothing()).returning('id').executeTakeFirst();
      if (inserted) {
        await this.writeSources(q, inserted.id, input.sources);
        const enqueued = await this.actions.enqueue(q, inserted.id, planned, now);
        const reviewId = flagged ? await this.reviews.ensure(q, inserted.id, cols.server_id, true, now) : undefined;
        return { verdictId: inserted.id, created: true, changed: true, stale: false, revision: 1, enqueued, superseded: [], reviewId };
      }
      // Another process inserted it between our read and our insert: take its row (and its lock).
      existing = await this.lockByKey(q, cols.message_key);
      if (!existing) throw new StoreError(`verdict ${cols.message_key} was not written`, 'not-found');
    }
    const unchanged = existing.content_hash === cols.content_hash;
    const stale = !unchanged && cols.message_at < existing.message_at;
    if (unchanged || stale) {
      return {
        verdictId: existing.id,
        created: false,
        changed: false,
        stale,
        revision: existing.revision,
        enqueued: [],
        superseded: [],
        reviewId: (await this.reviews.forVerdict(q, existing.id))?.id,
      };
    }
    // Identity columns (key, platform, server, channel, message) never change; the thread and author are
    // refreshed in case the first event lacked them.
    await q
      .updateTable('verdicts')
      .set((eb) => ({
        thread_id: cols.thread_id ?? eb.ref('thread_id'),
        author_id: cols.author_id,
        kind: cols.kind,
        content_hash: cols.content_hash,
        text: cols.text,
        excerpt: cols.excerpt,
        text_stored: cols.text_stored,
        scores_json: cols.scores_json,
        label_sources_json: cols.label_sources_json,
        spans_json: cols.spans_json,
        model_name: cols.model_name,
        model_version: cols.model_version,
        decision_json: cols.decision_json,
        latency_ms: cols.latency_ms,
        revision: eb('revision', '+', 1),
        message_at: cols.message_at,
        updated_at: now,
      }))
      .where('id', '=', existing.id)
      .execute();
    await q.deleteFrom('verdict_sources').where('verdict_id', '=', existing.id).execute();
    await this.writeSources(q, existing.id, input.sources);
    const revision = existing.revision + 1;
    const superseded = await this.actions.supersede(q, existing.id, planned, revision, now);
    const enqueued = await this.actions.enqueue(q, existing.id, planned, now);
    const reviewId = flagged ? await this.reviews.ensure(q, existing.id, cols.server_id, true, now) : (await this.reviews.forVerdict(q, existing.id))?.id;
    return { verdictId: existing.id, created: false, changed: true, stale: false, revision, enqueued, superseded, reviewId };
  }

  async get(q: Q, idOrKey: number | string): Promise<VerdictRecord | undefined> {
    const row = await q
      .selectFrom('verdicts')
      .selectAll()
      .$if(typeof idOrKey === 'number', (qb) => qb.where('id', '=', idOrKey as number))
      .$if(typeof idOrKey !== 'number', (qb) => qb.where('message_key', '=', idOrKey as string))
      .executeTakeFirst();
    return row ? this.toRecord(q, row) : undefined;
  }

  async toRecord(q: Q, r: VerdictRow): Promise<VerdictRecord> {
    const sources = await q.selectFrom('verdict_sources').selectAll().where('verdict_id', '=', r.id).orderBy('attachment').execute();
    return {
      id: r.id,
      ...messageRefOf(r),
      kind: r.kind,
      contentHash: r.content_hash,
      text: r.text,
      excerpt: r.excerpt,
      textStored: r.text_stored,
      scores: parseJson<Scores>(r.scores_json),
      labelSources: parseJson<Partial<Record<Label, LabelSource>>>(r.label_sources_json),
      spans: parseJson<Span[]>(r.spans_json),
      sources: sources.map(
        (s): SourceRecord => ({
          attachment: s.attachment,
          name: s.name,
          url: s.url,
          scanned: s.scanned === 1,
          text: s.text,
          confidence: s.confidence,
          reason: s.reason,
          scores: parseJson<Scores | null>(s.scores_json),
        }),
      ),
      model: { name: r.model_name, version: r.model_version },
      decision: parseJson<Decision>(r.decision_json),
      latencyMs: r.latency_ms,
      revision: r.revision,
      messageAt: r.message_at,
      createdAt: r.created_at,
      updatedAt: r.updated_at,
    };
  }
}
