// The moderator review queue. One review item per verdict; every decision is appended to
// review_decisions (who, where, when) and the item shows the latest one, so history is never lost.
import type { Selectable } from 'kysely';
import type { Q } from './context.js';
import { StoreError } from './errors.js';
import type { ReviewDecisionsTable, ReviewItemsTable } from './schema.js';
import type { DecisionSource, ReviewDecision, ReviewDecisionRecord, ReviewItem, ReviewStatus } from './types.js';
import { DECISION_SOURCES, REVIEW_STATUSES } from './types.js';

type ReviewRow = Selectable<ReviewItemsTable>;
type DecisionRow = Selectable<ReviewDecisionsTable>;

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
  private async toItem(q: Q, r: ReviewRow): Promise<ReviewItem> {
    const last = await q.selectFrom('review_decisions').selectAll().where('review_id', '=', r.id).orderBy('id', 'desc').limit(1).executeTakeFirst();
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

  private byId(q: Q, id: number): Promise<ReviewRow | undefined> {
    return q.selectFrom('review_items').selectAll().where('id', '=', id).executeTakeFirst();
  }

  private byVerdict(q: Q, verdictId: number): Promise<ReviewRow | undefined> {
    return q.selectFrom('review_items').selectAll().where('verdict_id', '=', verdictId).executeTakeFirst();
  }

  private async insertItem(q: Q, verdictId: number, serverId: string, now: string): Promise<number> {
    const row = await q
      .insertInto('review_items')
      .values({ verdict_id: verdictId, server_id: serverId, status: 'pending', queued_at: now, created_at: now, updated_at: now })
      .returning('id')
      .executeTakeFirstOrThrow();
    return row.id;
  }

  async get(q: Q, id: number): Promise<ReviewItem | undefined> {
    const row = await this.byId(q, id);
    return row ? this.toItem(q, row) : undefined;
  }

  async forVerdict(q: Q, verdictId: number): Promise<ReviewItem | undefined> {
    const row = await this.byVerdict(q, verdictId);
    return row ? this.toItem(q, row) : undefined;
  }

  /**
   * Makes sure a flagged verdict is in the queue (inside the caller's transaction, which holds the
   * verdict). A pending item is left as is; a decided one is re-queued only when `contentChanged` (an
   * edit after the decision: the moderator has not seen this text). Returns the item id.
   */
  async ensure(q: Q, verdictId: number, serverId: string, contentChanged: boolean, now: string): Promise<number> {
    const row = await this.byVerdict(q, verdictId);
    if (!row) return this.insertItem(q, verdictId, serverId, now);
    if (row.status !== 'pending' && contentChanged) {
      await q.updateTable('review_items').set({ status: 'pending', queued_at: now, updated_at: now }).where('id', '=', row.id).execute();
    }
    return row.id;
  }

  async list(q: Q, serverId: string, options: ListReviewsOptions = {}): Promise<ReviewItem[]> {
    if (options.status !== undefined && !REVIEW_STATUSES.includes(options.status)) {
      throw new StoreError(`unknown review status: ${String(options.status)}`, 'invalid');
    }
    const status = options.status;
    // Newest in the queue first: an appeal or a re-flag puts an old item back at the top.
    const rows = await q
      .selectFrom('review_items')
      .selectAll()
      .where('server_id', '=', serverId)
      .$if(status !== undefined, (qb) => qb.where('status', '=', status as ReviewStatus))
      .orderBy('queued_at', 'desc')
      .orderBy('id', 'desc')
      .limit(Math.max(0, Math.floor(options.limit ?? 50)))
      .offset(Math.max(0, Math.floor(options.offset ?? 0)))
      .execute();
    const items: ReviewItem[] = [];
    for (const r of rows) items.push(await this.toItem(q, r));
    return items;
  }

  /** Inside the caller's write transaction: appends the decision and sets the item's status to it. */
  async decide(q: Q, id: number, decision: ReviewDecision, moderatorId: string, source: DecisionSource, note: string | undefined, now: string, lock: boolean): Promise<ReviewItem> {
    if (!(['confirmed', 'overturned', 'dismissed'] as const).includes(decision)) throw new StoreError(`unknown review decision: ${String(decision)}`, 'invalid');
    if (!DECISION_SOURCES.includes(source)) throw new StoreError(`unknown decision source: ${String(source)}`, 'invalid');
    const row = await q
      .selectFrom('review_items')
      .selectAll()
      .where('id', '=', id)
      .$if(lock, (qb) => qb.forUpdate())
      .executeTakeFirst();
    if (!row) throw new StoreError(`no review item with id ${id}`, 'not-found');
    await q.insertInto('review_decisions').values({ review_id: id, decision, moderator_id: moderatorId, source, note: note ?? null, decided_at: now }).execute();
    await q.updateTable('review_items').set({ status: decision, updated_at: now }).where('id', '=', id).execute();
    return this.toItem(q, { ...row, status: decision, updated_at: now });
  }

  async history(q: Q, id: number): Promise<ReviewDecisionRecord[]> {
    return (await q.selectFrom('review_decisions').selectAll().where('review_id', '=', id).orderBy('id').execute()).map(toDecision);
  }

  /**
   * The author contests a verdict (inside the caller's write transaction, which holds the verdict): its
   * review item goes back to pending with the note (created if the verdict never had one, e.g. an
   * automatic delete without a flag).
   */
  async appeal(q: Q, verdictId: number, serverId: string, authorId: string, text: string, now: string): Promise<ReviewItem> {
    const existing = await this.byVerdict(q, verdictId);
    const id = existing ? existing.id : await this.insertItem(q, verdictId, serverId, now);
    await q
      .updateTable('review_items')
      .set({ status: 'pending', appeal_note: text, appeal_author_id: authorId, appealed_at: now, queued_at: now, updated_at: now })
      .where('id', '=', id)
      .execute();
    const item = await this.get(q, id);
    if (!item) throw new StoreError(`review item ${id} vanished`, 'not-found');
    return item;
  }
}
