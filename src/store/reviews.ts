// The moderator review queue. One review item per verdict; every decision is appended to
// review_decisions (who, where, when) and the item shows the latest one, so history is never lost.
import type { StoreContext } from './context.js';
import { StoreError } from './errors.js';
import type { DecisionSource, ReviewDecision, ReviewDecisionRecord, ReviewItem, ReviewStatus } from './types.js';
import { DECISION_SOURCES, REVIEW_STATUSES } from './types.js';

interface ReviewRow {
  id: number;
  verdict_id: number;
  server_id: string;
  status: ReviewStatus;
  appeal_note: string | null;
  appeal_author_id: string | null;
  appealed_at: string | null;
  queued_at: string;
  created_at: string;
  updated_at: string;
}

interface DecisionRow {
  id: number;
  review_id: number;
  decision: ReviewDecision;
  moderator_id: string;
  source: DecisionSource;
  note: string | null;
  decided_at: string;
}

function toDecision(r: DecisionRow): ReviewDecisionRecord {
  return {
    id: r.id,
    reviewId: r.review_id,
    decision: r.decision,
    moderatorId: r.moderator_id,
    source: r.source,
    note: r.note,
    decidedAt: r.decided_at,
  };
}

export interface ListReviewsOptions {
  status?: ReviewStatus;
  limit?: number;
  offset?: number;
}

export class ReviewsRepo {
  private readonly byId;
  private readonly byVerdict;
  private readonly insertItem;
  private readonly requeue;
  private readonly insertDecision;
  private readonly setStatus;
  private readonly decisions;
  private readonly latestDecision;
  private readonly setAppeal;
  private readonly listStmt;

  constructor(private readonly ctx: StoreContext) {
    const { db } = ctx;
    this.byId = db.prepare<[number], ReviewRow>('SELECT * FROM review_items WHERE id = ?');
    this.byVerdict = db.prepare<[number], ReviewRow>('SELECT * FROM review_items WHERE verdict_id = ?');
    this.insertItem = db.prepare<[number, string, string, string, string], void>(
      `INSERT INTO review_items (verdict_id, server_id, status, queued_at, created_at, updated_at) VALUES (?, ?, 'pending', ?, ?, ?)`,
    );
    this.requeue = db.prepare<{ id: number; now: string }, void>(`UPDATE review_items SET status = 'pending', queued_at = @now, updated_at = @now WHERE id = @id`);
    this.insertDecision = db.prepare<[number, string, string, string, string | null, string], void>(
      'INSERT INTO review_decisions (review_id, decision, moderator_id, source, note, decided_at) VALUES (?, ?, ?, ?, ?, ?)',
    );
    this.setStatus = db.prepare<[string, string, number], void>('UPDATE review_items SET status = ?, updated_at = ? WHERE id = ?');
    this.decisions = db.prepare<[number], DecisionRow>('SELECT * FROM review_decisions WHERE review_id = ? ORDER BY id');
    this.latestDecision = db.prepare<[number], DecisionRow>('SELECT * FROM review_decisions WHERE review_id = ? ORDER BY id DESC LIMIT 1');
    this.setAppeal = db.prepare<{ id: number; note: string; author: string; now: string }, void>(
      `UPDATE review_items SET status = 'pending', appeal_note = @note, appeal_author_id = @author, appealed_at = @now,
              queued_at = @now, updated_at = @now WHERE id = @id`,
    );
    // Newest in the queue first: an appeal or a re-flag puts an old item back at the top.
    this.listStmt = db.prepare<{ server: string; status: string | null; limit: number; offset: number }, ReviewRow>(
      `SELECT * FROM review_items
        WHERE server_id = @server AND (@status IS NULL OR status = @status)
        ORDER BY queued_at DESC, id DESC
        LIMIT @limit OFFSET @offset`,
    );
  }

  private toItem(r: ReviewRow): ReviewItem {
    const last = this.latestDecision.get(r.id);
    return {
      id: r.id,
      verdictId: r.verdict_id,
      serverId: r.server_id,
      status: r.status,
      appealNote: r.appeal_note,
      appealAuthorId: r.appeal_author_id,
      appealedAt: r.appealed_at,
      queuedAt: r.queued_at,
      createdAt: r.created_at,
      updatedAt: r.updated_at,
      lastDecision: last ? toDecision(last) : null,
    };
  }

  get(id: number): ReviewItem | undefined {
    const row = this.byId.get(id);
    return row ? this.toItem(row) : undefined;
  }

  forVerdict(verdictId: number): ReviewItem | undefined {
    const row = this.byVerdict.get(verdictId);
    return row ? this.toItem(row) : undefined;
  }

  /**
   * Makes sure a flagged verdict is in the queue (inside the caller's transaction). A pending item is
   * left as is; a decided one is re-queued only when `contentChanged` (an edit after the decision:
   * the moderator has not seen this text). Returns the item id.
   */
  ensure(verdictId: number, serverId: string, contentChanged: boolean, now: string): number {
    const row = this.byVerdict.get(verdictId);
    if (!row) return Number(this.insertItem.run(verdictId, serverId, now, now, now).lastInsertRowid);
    if (row.status !== 'pending' && contentChanged) this.requeue.run({ id: row.id, now });
    return row.id;
  }

  list(serverId: string, options: ListReviewsOptions = {}): ReviewItem[] {
    if (options.status !== undefined && !REVIEW_STATUSES.includes(options.status)) {
      throw new StoreError(`unknown review status: ${String(options.status)}`, 'invalid');
    }
    return this.listStmt
      .all({
        server: serverId,
        status: options.status ?? null,
        limit: Math.max(0, Math.floor(options.limit ?? 50)),
        offset: Math.max(0, Math.floor(options.offset ?? 0)),
      })
      .map((r) => this.toItem(r));
  }

  decide(id: number, decision: ReviewDecision, moderatorId: string, source: DecisionSource, note: string | undefined, now: string): ReviewItem {
    if (!(['confirmed', 'overturned', 'dismissed'] as const).includes(decision)) throw new StoreError(`unknown review decision: ${String(decision)}`, 'invalid');
    if (!DECISION_SOURCES.includes(source)) throw new StoreError(`unknown decision source: ${String(source)}`, 'invalid');
    return this.ctx.db
      .transaction(() => {
        const row = this.byId.get(id);
        if (!row) throw new StoreError(`no review item with id ${id}`, 'not-found');
        this.insertDecision.run(id, decision, moderatorId, source, note ?? null, now);
        this.setStatus.run(decision, now, id);
        return this.toItem({ ...row, status: decision, updated_at: now });
      })
      .immediate();
  }

  history(id: number): ReviewDecisionRecord[] {
    return this.decisions.all(id).map(toDecision);
  }

  /**
   * The author contests a verdict: its review item goes back to pending with the note (created if
   * the verdict never had one, e.g. an automatic delete without a flag).
   */
  appeal(verdictId: number, serverId: string, authorId: string, text: string, now: string): ReviewItem {
    return this.ctx.db
      .transaction(() => {
        const existing = this.byVerdict.get(verdictId);
        const id = existing ? existing.id : Number(this.insertItem.run(verdictId, serverId, now, now, now).lastInsertRowid);
        this.setAppeal.run({ id, note: text, author: authorId, now });
        const item = this.get(id);
        if (!item) throw new StoreError(`review item ${id} vanished`, 'not-found');
        return item;
      })
      .immediate();
  }
}
