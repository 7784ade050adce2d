// Verdicts: one row per platform message (keyed by messageKey), its OCR sources, and the single
// transaction that records a verdict together with its outbox actions and review item.
import type { Label, Scores, Span } from '../classifier/labels.js';
import { messageKey } from '../core/message.js';
import type { ActionsRepo } from './actions.js';
import { contentHash, excerpt } from './content.js';
import { messageRefOf, parseJson, type MessageRefRow, type StoreContext } from './context.js';
import { StoreError } from './errors.js';
import type { ReviewsRepo } from './reviews.js';
import { toIso } from './time.js';
import type { Decision, LabelSource, PlannedAction, RecordResult, SourceInput, SourceRecord, TextMode, VerdictInput, VerdictRecord } from './types.js';

interface VerdictRow extends MessageRefRow {
  id: number;
  kind: 'new' | 'edit';
  content_hash: string;
  text: string | null;
  excerpt: string;
  text_stored: TextMode;
  scores_json: string;
  label_sources_json: string;
  spans_json: string;
  model_name: string;
  model_version: string;
  decision_json: string;
  latency_ms: number;
  revision: number;
  message_at: string;
  created_at: string;
  updated_at: string;
}

interface SourceRow {
  verdict_id: number;
  attachment: number;
  name: string | null;
  url: string | null;
  scanned: 0 | 1;
  text: string | null;
  confidence: number | null;
  reason: string | null;
  scores_json: string | null;
}

/** Column values shared by insert and update. */
interface VerdictColumns {
  key: string;
  platform: string;
  server: string;
  channel: string;
  thread: string | null;
  message: string;
  author: string;
  kind: string;
  hash: string;
  text: string | null;
  excerpt: string;
  textStored: TextMode;
  scores: string;
  labelSources: string;
  spans: string;
  modelName: string;
  modelVersion: string;
  decision: string;
  latency: number;
  messageAt: string;
  now: string;
}

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
  private readonly byKey;
  private readonly byId;
  private readonly sourcesOf;
  private readonly insert;
  private readonly update;
  private readonly deleteSources;
  private readonly insertSource;

  constructor(
    private readonly ctx: StoreContext,
    private readonly actions: ActionsRepo,
    private readonly reviews: ReviewsRepo,
  ) {
    const { db } = ctx;
    this.byKey = db.prepare<[string], VerdictRow>('SELECT * FROM verdicts WHERE message_key = ?');
    this.byId = db.prepare<[number], VerdictRow>('SELECT * FROM verdicts WHERE id = ?');
    this.sourcesOf = db.prepare<[number], SourceRow>('SELECT * FROM verdict_sources WHERE verdict_id = ? ORDER BY attachment');
    this.insert = db.prepare<VerdictColumns, void>(
      `INSERT INTO verdicts (message_key, platform, server_id, channel_id, thread_id, message_id, author_id, kind, content_hash,
                             text, excerpt, text_stored, scores_json, label_sources_json, spans_json, model_name, model_version,
                             decision_json, latency_ms, revision, message_at, created_at, updated_at)
       VALUES (@key, @platform, @server, @channel, @thread, @message, @author, @kind, @hash,
               @text, @excerpt, @textStored, @scores, @labelSources, @spans, @modelName, @modelVersion,
               @decision, @latency, 1, @messageAt, @now, @now)`,
    );
    // Identity columns (key, platform, server, channel, message) never change; the thread and author are
    // refreshed in case the first event lacked them.
    this.update = db.prepare<VerdictColumns, void>(
      `UPDATE verdicts SET thread_id = COALESCE(@thread, thread_id), author_id = @author, kind = @kind, content_hash = @hash,
              text = @text, excerpt = @excerpt, text_stored = @textStored, scores_json = @scores, label_sources_json = @labelSources,
              spans_json = @spans, model_name = @modelName, model_version = @modelVersion, decision_json = @decision,
              latency_ms = @latency, revision = revision + 1, message_at = @messageAt, updated_at = @now
        WHERE message_key = @key`,
    );
    this.deleteSources = db.prepare<[number], void>('DELETE FROM verdict_sources WHERE verdict_id = ?');
    this.insertSource = db.prepare<[number, number, string | null, string | null, 0 | 1, string | null, number | null, string | null, string | null], void>(
      `INSERT INTO verdict_sources (verdict_id, attachment, name, url, scanned, text, confidence, reason, scores_json)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    );
  }

  private columns(input: VerdictInput, now: string): VerdictColumns {
    const m = input.message;
    const full = this.ctx.storeText === 'full';
    return {
      key: messageKey(m),
      platform: m.platform,
      server: m.serverId,
      channel: m.channelId,
      thread: m.threadId ?? null,
      message: m.messageId,
      author: m.author.id,
      kind: m.kind,
      hash: contentHash(m.text, m.attachments.map((a) => a.url)),
      text: full ? m.text : null,
      excerpt: excerpt(m.text),
      textStored: this.ctx.storeText,
      scores: JSON.stringify(input.scores),
      labelSources: JSON.stringify(input.labelSources),
      spans: JSON.stringify(input.spans),
      modelName: input.model.name,
      modelVersion: input.model.version,
      decision: JSON.stringify(input.decision),
      latency: input.latencyMs,
      messageAt: toIso(m.editedAt ?? m.sentAt),
      now,
    };
  }

  private writeSources(verdictId: number, sources: readonly SourceInput[]): void {
    const full = this.ctx.storeText === 'full';
    for (const s of sources) {
      if (s.scanned) {
        // OCR text is message content too: excerpt mode keeps only its first 120 characters.
        const text = full ? s.text : excerpt(s.text);
        this.insertSource.run(verdictId, s.attachment, s.name ?? null, s.url ?? null, 1, text, s.confidence, null, s.scores ? JSON.stringify(s.scores) : null);
      } else {
        this.insertSource.run(verdictId, s.attachment, s.name ?? null, s.url ?? null, 0, null, null, s.reason, null);
      }
    }
  }

  /**
   * Records a verdict, its planned actions (the outbox) and, when flagged, its review item in ONE
   * transaction. Same key + same content hash: nothing happens (a replayed or resumed event never
   * doubles an action). Same key + new hash (an edit): the verdict is updated (revision + 1), actions
   * whose key already ran or is queued are not enqueued again, and queued actions the new plan drops
   * are cancelled. An event older than the stored one (by editedAt ?? sentAt) is ignored as stale.
   */
  record(input: VerdictInput, planned: readonly PlannedAction[]): RecordResult {
    validate(input);
    const now = this.ctx.now();
    const cols = this.columns(input, now);
    // In the review queue: what is flagged, and in log-only mode what would have been acted on (so
    // agreement per label is measured before actions are turned on).
    const logOnlyWouldAct = input.decision.logOnly && input.decision.triggered.length > 0;
    const flagged = input.decision.actions.includes('flag') || planned.some((p) => p.kind === 'flag') || logOnlyWouldAct;
    return this.ctx.db
      .transaction((): RecordResult => {
        const existing = this.byKey.get(cols.key);
        if (!existing) {
          this.insert.run(cols);
          const row = this.byKey.get(cols.key);
          if (!row) throw new StoreError(`verdict ${cols.key} was not written`, 'not-found');
          this.writeSources(row.id, input.sources);
          const enqueued = this.actions.enqueue(row.id, planned, now);
          const reviewId = flagged ? this.reviews.ensure(row.id, cols.server, true, now) : undefined;
          return { verdictId: row.id, created: true, changed: true, stale: false, revision: 1, enqueued, superseded: [], reviewId };
        }
        const unchanged = existing.content_hash === cols.hash;
        const stale = !unchanged && cols.messageAt < existing.message_at;
        if (unchanged || stale) {
          return {
            verdictId: existing.id,
            created: false,
            changed: false,
            stale,
            revision: existing.revision,
            enqueued: [],
            superseded: [],
            reviewId: this.reviews.forVerdict(existing.id)?.id,
          };
        }
        this.update.run(cols);
        this.deleteSources.run(existing.id);
        this.writeSources(existing.id, input.sources);
        const revision = existing.revision + 1;
        const superseded = this.actions.supersede(existing.id, planned, revision, now);
        const enqueued = this.actions.enqueue(existing.id, planned, now);
        const reviewId = flagged ? this.reviews.ensure(existing.id, cols.server, true, now) : this.reviews.forVerdict(existing.id)?.id;
        return { verdictId: existing.id, created: false, changed: true, stale: false, revision, enqueued, superseded, reviewId };
      })
      .immediate();
  }

  get(idOrKey: number | string): VerdictRecord | undefined {
    const row = typeof idOrKey === 'number' ? this.byId.get(idOrKey) : this.byKey.get(idOrKey);
    return row ? this.toRecord(row) : undefined;
  }

  toRecord(r: VerdictRow): VerdictRecord {
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
      sources: this.sourcesOf.all(r.id).map(
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
