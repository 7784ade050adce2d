// Counts for dashboards and `toxguard stats`: verdicts, labels flagged, actions, review outcomes
// (confirmed vs overturned is how often moderators agree with the model). The scope and the
// "flagged" condition are exported so the dashboard's charts (charts.ts) count exactly the same way.
import { sql, type RawBuilder } from 'kysely';
import { LABELS, isLabel, type Label } from '../classifier/labels.js';
import type { Backend } from './connection.js';
import type { Q, StoreContext } from './context.js';
import { jsonText, jsonTrue, triggeredRows } from './dialect.js';
import { toIso, type TimeInput } from './time.js';
import { ACTION_KINDS, ACTION_STATUSES, REVIEW_STATUSES, type ActionKind, type ActionStatus, type ReviewStatus, type Stats } from './types.js';

/** Rows of `alias` created since `since`, of one server or (serverId undefined) all servers. */
export function inScope(alias: string, since: string, serverId: string | undefined): RawBuilder<boolean> {
  return sql<boolean>`${sql.ref(`${alias}.created_at`)} >= ${since}${serverId === undefined ? sql`` : sql` AND ${sql.ref(`${alias}.server_id`)} = ${serverId}`}`;
}

/**
 * A triggered label (a row of triggeredRows) counts as flagged when the stored score is at or over the
 * threshold recorded with it (what the policy saw, not today's policy).
 */
export function labelFlagged(t: ReturnType<typeof triggeredRows>): RawBuilder<boolean> {
  return sql<boolean>`${t.score} >= ${t.threshold}`;
}

/** A condition on verdicts `v`: at least one of its labels counts as flagged. */
export function verdictFlagged(backend: Backend): RawBuilder<boolean> {
  const t = triggeredRows(backend);
  return sql<boolean>`EXISTS (SELECT 1 FROM ${t.from} WHERE ${labelFlagged(t)})`;
}

export class StatsRepo {
  constructor(private readonly ctx: StoreContext) {}

  /** Counts since `since` for one server, or all servers when serverId is undefined. */
  async get(q: Q, serverId: string | undefined, sinceInput: TimeInput): Promise<Stats> {
    const since = toIso(sinceInput);
    const { backend } = this.ctx;
    const v = (
      await sql<{ n: number; exempted: number | null; log_only: number | null }>`
        SELECT COUNT(*) AS n,
               SUM(CASE WHEN ${jsonText(backend, 'v.decision_json', 'exemption')} IS NOT NULL THEN 1 ELSE 0 END) AS exempted,
               SUM(CASE WHEN ${jsonTrue(backend, 'v.decision_json', 'logOnly')} THEN 1 ELSE 0 END) AS log_only
          FROM verdicts v WHERE ${inScope('v', since, serverId)}`.execute(q)
    ).rows[0];
    const t = triggeredRows(backend);
    const flagged = sql`FROM verdicts v, ${t.from} WHERE ${inScope('v', since, serverId)} AND ${labelFlagged(t)}`;
    const byLabel = (await sql<{ label: string; n: number }>`SELECT ${t.label} AS label, COUNT(DISTINCT v.id) AS n ${flagged} GROUP BY 1`.execute(q)).rows;
    const flaggedVerdicts = (await sql<{ n: number }>`SELECT COUNT(DISTINCT v.id) AS n ${flagged}`.execute(q)).rows[0]?.n ?? 0;
    const actionRows = (
      await sql<{ kind: ActionKind; status: ActionStatus; n: number }>`
        SELECT a.kind, a.status, COUNT(*) AS n FROM actions a JOIN verdicts v ON v.id = a.verdict_id
         WHERE a.created_at >= ${since}${serverId === undefined ? sql`` : sql` AND v.server_id = ${serverId}`} GROUP BY 1, 2`.execute(q)
    ).rows;
    const reviewRows = (await sql<{ status: ReviewStatus; n: number }>`SELECT r.status, COUNT(*) AS n FROM review_items r WHERE ${inScope('r', since, serverId)} GROUP BY 1`.execute(q)).rows;

    const flaggedByLabel = Object.fromEntries(LABELS.map((l) => [l, 0])) as Record<Label, number>;
    for (const r of byLabel) if (isLabel(r.label)) flaggedByLabel[r.label] = Number(r.n);
    const actions = Object.fromEntries(
      ACTION_KINDS.map((k) => [k, Object.fromEntries(ACTION_STATUSES.map((s) => [s, 0])) as Record<ActionStatus, number>]),
    ) as Record<ActionKind, Record<ActionStatus, number>>;
    for (const r of actionRows) actions[r.kind][r.status] = Number(r.n);
    const reviews = Object.fromEntries(REVIEW_STATUSES.map((s) => [s, 0])) as Record<ReviewStatus, number>;
    for (const r of reviewRows) reviews[r.status] = Number(r.n);
    return {
      since,
      serverId: serverId ?? null,
      verdicts: Number(v?.n ?? 0),
      flaggedVerdicts: Number(flaggedVerdicts),
      flaggedByLabel,
      exempted: Number(v?.exempted ?? 0),
      logOnly: Number(v?.log_only ?? 0),
      actions,
      reviews,
    };
  }
}
