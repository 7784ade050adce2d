// Strikes: one per offending verdict, counted in a time window for escalation (warn -> timeout -> ...).
import type { Q } from './context.js';
import { toIso, type TimeInput } from './time.js';

export class StrikesRepo {
  /** Returns false if this verdict already has a strike (UNIQUE(verdict_id): a replay cannot strike twice). `verdictId` may be null for manual strikes. */
  async add(q: Q, serverId: string, userId: string, verdictId: number | null, at: TimeInput): Promise<boolean> {
    const rows = await q
      .insertInto('strikes')
      .values({ server_id: serverId, user_id: userId, verdict_id: verdictId, at: toIso(at) })
      .onConflict((oc) => oc.column('verdict_id').doNothing())
      .returning('id')
      .execute();
    return rows.length > 0;
  }

  /**
   * A strike whose verdict a moderator overturned (false positive) does not count towards escalation;
   * deciding the review again brings it back, so nothing has to be deleted.
   */
  async countSince(q: Q, serverId: string, userId: string, since: TimeInput): Promise<number> {
    const row = await q
      .selectFrom('strikes as s')
      .leftJoin('review_items as r', 'r.verdict_id', 's.verdict_id')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .where('s.server_id', '=', serverId)
      .where('s.user_id', '=', userId)
      .where('s.at', '>=', toIso(since))
      .where((eb) => eb.or([eb('r.status', 'is', null), eb('r.status', '<>', 'overturned')]))
      .executeTakeFirst();
    return Number(row?.n ?? 0);
  }
}
