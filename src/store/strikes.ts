// Strikes: one per offending verdict, counted in a time window for escalation (warn -> timeout -> ...).
import type { StoreContext } from './context.js';
import { toIso, type TimeInput } from './time.js';

export class StrikesRepo {
  private readonly insert;
  private readonly count;

  constructor(ctx: StoreContext) {
    const { db } = ctx;
    // UNIQUE(verdict_id): a replayed event cannot strike twice for the same message.
    this.insert = db.prepare<[string, string, number | null, string], void>(
      'INSERT INTO strikes (server_id, user_id, verdict_id, at) VALUES (?, ?, ?, ?) ON CONFLICT (verdict_id) DO NOTHING',
    );
    // A strike whose verdict a moderator overturned (false positive) does not count towards escalation;
    // deciding the review again brings it back, so nothing has to be deleted.
    this.count = db.prepare<{ server: string; user: string; since: string }, { n: number }>(
      `SELECT COUNT(*) AS n FROM strikes s
         LEFT JOIN review_items r ON r.verdict_id = s.verdict_id
        WHERE s.server_id = @server AND s.user_id = @user AND s.at >= @since
          AND (r.status IS NULL OR r.status <> 'overturned')`,
    );
  }

  /** Returns false if this verdict already has a strike. `verdictId` may be null for manual strikes. */
  add(serverId: string, userId: string, verdictId: number | null, at: TimeInput): boolean {
    return this.insert.run(serverId, userId, verdictId, toIso(at)).changes > 0;
  }

  countSince(serverId: string, userId: string, since: TimeInput): number {
    return this.count.get({ server: serverId, user: userId, since: toIso(since) })?.n ?? 0;
  }
}
