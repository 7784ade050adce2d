// Retention: delete what is older than the cutoff, except anything still waiting for someone (a queued
// action, a pending review, a notice still to be posted). Those verdicts stay whole until the work is finished, then a later prune
// takes them. Strikes are kept (their verdict link becomes NULL) so escalation windows still count.
import type { ExpressionBuilder } from 'kysely';
import { affected, type Q } from './context.js';
import type { DB } from './schema.js';
import { toIso, type TimeInput } from './time.js';
import type { PruneResult, ServerPurgeResult } from './types.js';

/** A verdict something is still waiting for: a live action or a pending review. */
function busy(eb: ExpressionBuilder<DB, 'verdicts'>) {
  return eb.or([
    eb.exists(eb.selectFrom('actions as a').select('a.id').whereRef('a.verdict_id', '=', 'verdicts.id').where('a.status', 'in', ['pending', 'running', 'failed'])),
    eb.exists(eb.selectFrom('review_items as r').select('r.id').whereRef('r.verdict_id', '=', 'verdicts.id').where('r.status', '=', 'pending')),
  ]);
}

export class RetentionRepo {
  /** Everything stored about one server (a bot removed from it, set to purge); inside the caller's transaction. */
  async purgeServer(q: Q, serverId: string): Promise<ServerPurgeResult> {
    // Sources, actions, reviews and decisions go with their verdicts (ON DELETE CASCADE).
    const verdicts = affected(await q.deleteFrom('verdicts').where('server_id', '=', serverId).executeTakeFirst());
    // Its notices (no verdict to cascade from).
    await q.deleteFrom('actions').where('verdict_id', 'is', null).where('server_id', '=', serverId).execute();
    const strikes = affected(await q.deleteFrom('strikes').where('server_id', '=', serverId).executeTakeFirst());
    const policies = affected(await q.deleteFrom('policies').where('server_id', '=', serverId).executeTakeFirst());
    const policyAudit = affected(await q.deleteFrom('policy_audit').where('server_id', '=', serverId).executeTakeFirst());
    // Its own drift rows (aggregates only; the all-servers rows keep what was computed then).
    await q.deleteFrom('drift').where('server_id', '=', serverId).execute();
    return { verdicts, strikes, policies, policyAudit };
  }

  /** Inside the caller's transaction. "Older" = last written (an edit refreshes updated_at) before the cutoff. */
  async prune(q: Q, olderThan: TimeInput): Promise<PruneResult> {
    const cutoff = toIso(olderThan);
    const doomed = q
      .selectFrom('verdicts')
      .select('verdicts.id')
      .where('verdicts.updated_at', '<', cutoff)
      .where((eb) => eb.not(busy(eb)));
    const count = async (table: 'verdict_sources' | 'actions' | 'review_items'): Promise<number> => {
      const row = await q
        .selectFrom(table)
        .select((eb) => eb.fn.countAll<number>().as('n'))
        .where('verdict_id', 'in', doomed)
        .executeTakeFirst();
      return Number(row?.n ?? 0);
    };
    const verdicts = Number((await q.selectFrom(doomed.as('d')).select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirst())?.n ?? 0);
    const sources = await count('verdict_sources');
    const actions = await count('actions');
    const reviews = await count('review_items');
    const decisions = await q
      .selectFrom('review_decisions as d')
      .innerJoin('review_items as r', 'r.id', 'd.review_id')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .where('r.verdict_id', 'in', doomed)
      .executeTakeFirst();
    const kept = await q
      .selectFrom('verdicts')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .where('verdicts.updated_at', '<', cutoff)
      .where((eb) => busy(eb))
      .executeTakeFirst();
    // Children go by ON DELETE CASCADE (foreign_keys is on for every SQLite connection we open).
    await q.deleteFrom('verdicts').where('id', 'in', doomed).execute();
    // Finished notices have no verdict to go with: they go by their own age (a once-only notice may
    // then be said again, a reminder after the retention period; a drift row keeps its alertedAt).
    const notices = affected(
      await q.deleteFrom('actions').where('verdict_id', 'is', null).where('status', 'in', ['done', 'dead']).where('updated_at', '<', cutoff).executeTakeFirst(),
    );
    return { verdicts, sources, actions: actions + notices, reviews, reviewDecisions: Number(decisions?.n ?? 0), keptPending: Number(kept?.n ?? 0) };
  }
}
