// The actions outbox. Actions are written in the same transaction as their verdict and carried out
// later by a worker, so a crash between "decided" and "done" loses nothing and a replay doubles
// nothing: claim -> (complete | fail) with a lease that lets another worker take over a crashed claim.
import { messageRefOf, parseJson, toJson, type MessageRefRow, type StoreContext } from './context.js';
import { parseActionPayload } from './action-payloads.js';
import { StoreError } from './errors.js';
import { addMs, toIso, type TimeInput } from './time.js';
import type { Label } from '../classifier/labels.js';
import type { ActionKind, ActionRecord, ActionStatus, ClaimedAction, PlannedAction } from './types.js';
import { ACTION_KINDS } from './types.js';

interface ActionRow {
  id: number;
  verdict_id: number;
  kind: ActionKind;
  dedupe_key: string;
  payload_json: string;
  status: ActionStatus;
  attempts: number;
  next_attempt_at: string;
  lease_until: string | null;
  last_error: string | null;
  result_json: string | null;
  created_at: string;
  updated_at: string;
}

type ClaimRow = ActionRow & MessageRefRow;

function toRecord(r: ActionRow): ActionRecord {
  return {
    id: r.id,
    verdictId: r.verdict_id,
    kind: r.kind,
    key: r.dedupe_key,
    payload: parseJson(r.payload_json),
    status: r.status,
    attempts: r.attempts,
    nextAttemptAt: r.next_attempt_at,
    leaseUntil: r.lease_until,
    lastError: r.last_error,
    result: parseJson(r.result_json),
    createdAt: r.created_at,
    updatedAt: r.updated_at,
  };
}

export type FailOutcome = { retryAt: TimeInput } | { dead: true };

export class ActionsRepo {
  private readonly insert;
  private readonly byVerdict;
  private readonly byId;
  private readonly due;
  private readonly markRunning;
  private readonly markSuperseded;
  private readonly markDone;
  private readonly markFailed;
  private readonly heldBackStmt;

  constructor(private readonly ctx: StoreContext) {
    const { db } = ctx;
    this.insert = db.prepare<[number, string, string, string, string, string, string], void>(
      `INSERT INTO actions (verdict_id, kind, dedupe_key, payload_json, next_attempt_at, created_at, updated_at)
       VALUES (?, ?, ?, ?, ?, ?, ?)`,
    );
    this.byVerdict = db.prepare<[number], ActionRow>('SELECT * FROM actions WHERE verdict_id = ? ORDER BY id');
    this.byId = db.prepare<[number], ActionRow>('SELECT * FROM actions WHERE id = ?');
    // 'failed' rows are failures with a retry scheduled; 'running' rows past their lease are crashed claims.
    this.due = db.prepare<{ now: string; limit: number }, ClaimRow>(
      `SELECT a.*, v.message_key, v.platform, v.server_id, v.channel_id, v.thread_id, v.message_id, v.author_id
         FROM actions a JOIN verdicts v ON v.id = a.verdict_id
        WHERE (a.status IN ('pending', 'failed') AND a.next_attempt_at <= @now)
           OR (a.status = 'running' AND a.lease_until <= @now)
        ORDER BY a.next_attempt_at, a.id
        LIMIT @limit`,
    );
    this.markRunning = db.prepare<{ id: number; now: string; lease: string }, void>(
      `UPDATE actions SET status = 'running', attempts = attempts + 1, lease_until = @lease, updated_at = @now WHERE id = @id`,
    );
    this.markSuperseded = db.prepare<[string, string, number], void>(
      `UPDATE actions SET status = 'dead', last_error = ?, lease_until = NULL, updated_at = ? WHERE id = ?`,
    );
    // Only live actions move: a done action is never reopened, a dead one never revived.
    this.markDone = db.prepare<[string, string, number], void>(
      `UPDATE actions SET status = 'done', result_json = ?, lease_until = NULL, last_error = NULL, updated_at = ?
        WHERE id = ? AND status IN ('running', 'pending', 'failed')`,
    );
    this.heldBackStmt = db.prepare<[string, string], { verdict_id: number; channel_id: string; decision_json: string }>(
      `SELECT a.verdict_id, v.channel_id, v.decision_json FROM actions a JOIN verdicts v ON v.id = a.verdict_id
        WHERE v.server_id = ? AND a.kind = 'alert' AND a.status = 'done' AND json_extract(a.result_json, '$.batchedIn') = ?
        ORDER BY a.id`,
    );
    this.markFailed = db.prepare<[string, string, string | null, string, number], void>(
      `UPDATE actions SET status = ?, last_error = ?, next_attempt_at = COALESCE(?, next_attempt_at), lease_until = NULL, updated_at = ?
        WHERE id = ? AND status IN ('running', 'pending', 'failed')`,
    );
  }

  /**
   * Enqueues the planned actions whose key has no live or done action yet for this verdict
   * (pending/running/failed/done all count; only 'dead' ones may be tried again). Returns new ids.
   * Must run inside the caller's transaction.
   */
  enqueue(verdictId: number, planned: readonly PlannedAction[], now: string, notBefore = now): number[] {
    if (planned.length === 0) return [];
    const existing = new Set(
      this.byVerdict
        .all(verdictId)
        .filter((a) => a.status !== 'dead')
        .map((a) => a.dedupe_key),
    );
    const ids: number[] = [];
    for (const p of planned) {
      if (!(ACTION_KINDS as readonly string[]).includes(p.kind)) throw new StoreError(`unknown action kind: ${String(p.kind)}`, 'invalid');
      const payload = parseActionPayload(p.kind, p.payload);
      const key = p.key ?? p.kind;
      if (existing.has(key)) continue;
      existing.add(key);
      const info = this.insert.run(verdictId, p.kind, key, toJson(payload), notBefore, now, now);
      ids.push(Number(info.lastInsertRowid));
    }
    return ids;
  }

  /**
   * An edit changed the verdict: actions not yet started whose key the new plan no longer contains
   * are cancelled (a pending delete of a message edited into something harmless must not run).
   */
  supersede(verdictId: number, planned: readonly PlannedAction[], revision: number, now: string): number[] {
    const keep = new Set(planned.map((p) => p.key ?? p.kind));
    const ids: number[] = [];
    for (const a of this.byVerdict.all(verdictId)) {
      if ((a.status === 'pending' || a.status === 'failed') && !keep.has(a.dedupe_key)) {
        this.markSuperseded.run(`superseded: message edited (revision ${revision}) and no longer planned`, now, a.id);
        ids.push(a.id);
      }
    }
    return ids;
  }

  /**
   * The alerts of a server held back in the batch that started at `batchStart` (their result says
   * `batchedIn`), oldest first: where each came from and the labels that triggered it.
   */
  heldBack(serverId: string, batchStart: string): { verdictId: number; channelId: string; labels: Label[] }[] {
    return this.heldBackStmt.all(serverId, batchStart).map((r) => ({
      verdictId: r.verdict_id,
      channelId: r.channel_id,
      labels: [...new Set((parseJson<{ triggered?: { label: Label }[] }>(r.decision_json).triggered ?? []).map((t) => t.label))],
    }));
  }

  listForVerdict(verdictId: number): ActionRecord[] {
    return this.byVerdict.all(verdictId).map(toRecord);
  }

  get(id: number): ActionRecord | undefined {
    const row = this.byId.get(id);
    return row ? toRecord(row) : undefined;
  }

  /**
   * Atomically takes up to `limit` due actions and marks them running with a lease. Each claim counts
   * as an attempt (so a message that crashes the worker every time still runs out of attempts).
   */
  claim(limit: number, now: TimeInput, leaseMs = this.ctx.leaseMs): ClaimedAction[] {
    const at = toIso(now);
    const lease = addMs(at, leaseMs);
    return this.ctx.db
      .transaction(() => {
        const rows = this.due.all({ now: at, limit: Math.max(0, Math.floor(limit)) });
        return rows.map((r): ClaimedAction => {
          this.markRunning.run({ id: r.id, now: at, lease });
          const record = toRecord({ ...r, status: 'running', attempts: r.attempts + 1, lease_until: lease, updated_at: at });
          return { ...record, target: messageRefOf(r) };
        });
      })
      .immediate();
  }

  /**
   * Marks an action done. A late completion after the lease expired still counts (the action did
   * happen). Returns false if it was already done or dead; throws for an unknown id.
   */
  complete(id: number, result: unknown, now: string): boolean {
    const info = this.markDone.run(toJson(result), now, id);
    if (info.changes === 0 && !this.byId.get(id)) throw new StoreError(`no action with id ${id}`, 'not-found');
    return info.changes > 0;
  }

  /**
   * Records a failure: retry at `retryAt` (status 'failed') or give up (status 'dead'). A done action
   * is never moved back. Returns false if it was already done or dead; throws for an unknown id.
   */
  fail(id: number, error: unknown, outcome: FailOutcome, now: string): boolean {
    const message = error instanceof Error ? error.message : String(error);
    const dead = 'dead' in outcome && outcome.dead;
    const next = dead ? null : toIso((outcome as { retryAt: TimeInput }).retryAt);
    const info = this.markFailed.run(dead ? 'dead' : 'failed', message, next, now, id);
    if (info.changes === 0 && !this.byId.get(id)) throw new StoreError(`no action with id ${id}`, 'not-found');
    return info.changes > 0;
  }
}
