// Retention: delete what is older than the cutoff, except anything still waiting for someone (a queued
// action, a pending review). Those verdicts stay whole until the work is finished, then a later prune
// takes them. Strikes are kept (their verdict link becomes NULL) so escalation windows still count.
import type { StoreContext } from './context.js';
import { toIso, type TimeInput } from './time.js';
import type { PruneResult, ServerPurgeResult } from './types.js';

// "Older" = last written (an edit refreshes updated_at) before the cutoff.
const OLD = `v.updated_at < @cutoff`;
const BUSY = `(EXISTS (SELECT 1 FROM actions a WHERE a.verdict_id = v.id AND a.status IN ('pending', 'running', 'failed'))
            OR EXISTS (SELECT 1 FROM review_items r WHERE r.verdict_id = v.id AND r.status = 'pending'))`;

export class RetentionRepo {
  private readonly count;
  private readonly kept;
  private readonly remove;

  constructor(private readonly ctx: StoreContext) {
    const { db } = ctx;
    this.count = db.prepare<{ cutoff: string }, Omit<PruneResult, 'keptPending'>>(
      `WITH doomed AS (SELECT v.id FROM verdicts v WHERE ${OLD} AND NOT ${BUSY})
       SELECT (SELECT COUNT(*) FROM doomed) AS verdicts,
              (SELECT COUNT(*) FROM verdict_sources WHERE verdict_id IN doomed) AS sources,
              (SELECT COUNT(*) FROM actions WHERE verdict_id IN doomed) AS actions,
              (SELECT COUNT(*) FROM review_items WHERE verdict_id IN doomed) AS reviews,
              (SELECT COUNT(*) FROM review_decisions d JOIN review_items r ON r.id = d.review_id WHERE r.verdict_id IN doomed) AS reviewDecisions`,
    );
    this.kept = db.prepare<{ cutoff: string }, { n: number }>(`SELECT COUNT(*) AS n FROM verdicts v WHERE ${OLD} AND ${BUSY}`);
    // Children go by ON DELETE CASCADE (foreign_keys is on for every connection we open).
    this.remove = db.prepare<{ cutoff: string }, void>(`DELETE FROM verdicts AS v WHERE ${OLD} AND NOT ${BUSY}`);
  }

  /** Everything stored about one server (a bot removed from it, set to purge). */
  purgeServer(serverId: string): ServerPurgeResult {
    const { db } = this.ctx;
    return db
      .transaction((): ServerPurgeResult => {
        // Sources, actions, reviews and decisions go with their verdicts (ON DELETE CASCADE).
        const verdicts = db.prepare('DELETE FROM verdicts WHERE server_id = ?').run(serverId).changes;
        const strikes = db.prepare('DELETE FROM strikes WHERE server_id = ?').run(serverId).changes;
        const policies = db.prepare('DELETE FROM policies WHERE server_id = ?').run(serverId).changes;
        const policyAudit = db.prepare('DELETE FROM policy_audit WHERE server_id = ?').run(serverId).changes;
        // Its own drift rows (aggregates only; the all-servers rows keep what was computed then).
        db.prepare('DELETE FROM drift WHERE server_id = ?').run(serverId);
        return { verdicts, strikes, policies, policyAudit };
      })
      .immediate();
  }

  prune(olderThan: TimeInput): PruneResult {
    const p = { cutoff: toIso(olderThan) };
    return this.ctx.db
      .transaction((): PruneResult => {
        const counts = this.count.get(p) ?? { verdicts: 0, sources: 0, actions: 0, reviews: 0, reviewDecisions: 0 };
        const keptPending = this.kept.get(p)?.n ?? 0;
        this.remove.run(p);
        return { ...counts, keptPending };
      })
      .immediate();
  }
}
