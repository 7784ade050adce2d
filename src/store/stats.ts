// Counts for dashboards and `toxguard stats`: verdicts, labels flagged, actions, review outcomes
// (confirmed vs overturned is how often moderators agree with the model).
import { LABELS, isLabel, type Label } from '../classifier/labels.js';
import type { StoreContext } from './context.js';
import { toIso, type TimeInput } from './time.js';
import { ACTION_KINDS, ACTION_STATUSES, REVIEW_STATUSES, type ActionKind, type ActionStatus, type ReviewStatus, type Stats } from './types.js';

// A label counts as flagged for a verdict when the decision recorded it as triggered AND the stored
// score is at or over the threshold recorded with it (what the policy saw, not today's policy).
const FLAGGED = `
  FROM verdicts v, json_each(v.decision_json, '$.triggered') t
 WHERE v.created_at >= @since AND (@server IS NULL OR v.server_id = @server)
   AND json_extract(v.scores_json, '$.' || json_extract(t.value, '$.label')) >= json_extract(t.value, '$.threshold')`;

export class StatsRepo {
  private readonly verdicts;
  private readonly byLabel;
  private readonly flaggedVerdicts;
  private readonly actions;
  private readonly reviews;

  constructor(ctx: StoreContext) {
    const { db } = ctx;
    type P = { since: string; server: string | null };
    this.verdicts = db.prepare<P, { n: number; exempted: number | null; log_only: number | null }>(
      `SELECT COUNT(*) AS n,
              SUM(json_extract(decision_json, '$.exemption') IS NOT NULL) AS exempted,
              SUM(COALESCE(json_extract(decision_json, '$.logOnly'), 0) = 1) AS log_only
         FROM verdicts v WHERE v.created_at >= @since AND (@server IS NULL OR v.server_id = @server)`,
    );
    this.byLabel = db.prepare<P, { label: string; n: number }>(`SELECT json_extract(t.value, '$.label') AS label, COUNT(DISTINCT v.id) AS n ${FLAGGED} GROUP BY 1`);
    this.flaggedVerdicts = db.prepare<P, { n: number }>(`SELECT COUNT(DISTINCT v.id) AS n ${FLAGGED}`);
    this.actions = db.prepare<P, { kind: ActionKind; status: ActionStatus; n: number }>(
      `SELECT a.kind, a.status, COUNT(*) AS n FROM actions a JOIN verdicts v ON v.id = a.verdict_id
        WHERE a.created_at >= @since AND (@server IS NULL OR v.server_id = @server) GROUP BY 1, 2`,
    );
    this.reviews = db.prepare<P, { status: ReviewStatus; n: number }>(
      `SELECT status, COUNT(*) AS n FROM review_items r
        WHERE r.created_at >= @since AND (@server IS NULL OR r.server_id = @server) GROUP BY 1`,
    );
  }

  /** Counts since `since` for one server, or all servers when serverId is undefined. */
  get(serverId: string | undefined, since: TimeInput): Stats {
    const p = { since: toIso(since), server: serverId ?? null };
    const v = this.verdicts.get(p);
    const flaggedByLabel = Object.fromEntries(LABELS.map((l) => [l, 0])) as Record<Label, number>;
    for (const r of this.byLabel.all(p)) if (isLabel(r.label)) flaggedByLabel[r.label] = r.n;
    const actions = Object.fromEntries(
      ACTION_KINDS.map((k) => [k, Object.fromEntries(ACTION_STATUSES.map((s) => [s, 0])) as Record<ActionStatus, number>]),
    ) as Record<ActionKind, Record<ActionStatus, number>>;
    for (const r of this.actions.all(p)) actions[r.kind][r.status] = r.n;
    const reviews = Object.fromEntries(REVIEW_STATUSES.map((s) => [s, 0])) as Record<ReviewStatus, number>;
    for (const r of this.reviews.all(p)) reviews[r.status] = r.n;
    return {
      since: p.since,
      serverId: p.server,
      verdicts: v?.n ?? 0,
      flaggedVerdicts: this.flaggedVerdicts.get(p)?.n ?? 0,
      flaggedByLabel,
      exempted: v?.exempted ?? 0,
      logOnly: v?.log_only ?? 0,
      actions,
      reviews,
    };
  }
}
