// The actions outbox. Actions are written in the same transaction as their verdict and carried out
// later by a worker, so a crash between "decided" and "done" loses nothing and a replay doubles
// nothing: claim -> (complete | fail) with a lease that lets another worker take over a crashed claim.
// Several processes may claim at once: on PostgreSQL the due rows are locked with FOR UPDATE SKIP
// LOCKED (each process takes rows no other holds), on SQLite the claim is one IMMEDIATE transaction.
import { affected, messageRefOf, parseJson, toJson, type Q, type StoreContext } from './context.js';
import { parseActionPayload } from './action-payloads.js';
import { noticeAction } from '../core/actions/notice.js';
import { jsonText } from './dialect.js';
import { StoreError } from './errors.js';
import { addMs, toIso, type TimeInput } from './time.js';
import type { Label } from '../classifier/labels.js';
import type { Platform } from '../core/message.js';
import type { ActionRecord, ClaimedAction, NoticeInput, PlannedAction } from './types.js';
import { ACTION_KINDS, isServerActionKind } from './types.js';
import type { ActionsTable } from './schema.js';
import type { Selectable } from 'kysely';

type ActionRow = Selectable<ActionsTable>;

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

/** A claimed row joined (LEFT) to its verdict's message columns, renamed where they clash with the action's own. */
interface ClaimRow extends ActionRow {
  message_key: string | null;
  v_platform: Platform | null;
  v_server_id: string | null;
  channel_id: string | null;
  thread_id: string | null;
  message_id: string | null;
  author_id: string | null;
}

/** The action with what it acts on: its verdict's message, or a notice's server (the table's CHECK ensures one). */
function withTarget(record: ActionRecord, r: ClaimRow): ClaimedAction {
  if (r.verdict_id === null) {
    if (r.platform === null || r.server_id === null) throw new StoreError(`action ${r.id} has neither a verdict nor a server`, 'invalid');
    return { ...record, verdictId: null, target: { platform: r.platform, serverId: r.server_id } };
  }
  if (r.message_key === null || r.v_platform === null || r.v_server_id === null || r.channel_id === null || r.message_id === null || r.author_id === null) {
    throw new StoreError(`action ${r.id}: verdict ${r.verdict_id} is missing`, 'not-found');
  }
  const ref = { message_key: r.message_key, platform: r.v_platform, server_id: r.v_server_id, channel_id: r.channel_id, thread_id: r.thread_id, message_id: r.message_id, author_id: r.author_id };
  return { ...record, verdictId: r.verdict_id, target: messageRefOf(ref) };
}

export type FailOutcome = { retryAt: TimeInput } | { dead: true };

const LIVE = ['running', 'pending', 'failed'] as const;

export class ActionsRepo {
  constructor(private readonly ctx: StoreContext) {}

  private byVerdict(q: Q, verdictId: number): Promise<ActionRow[]> {
    return q.selectFrom('actions').selectAll().where('verdict_id', '=', verdictId).orderBy('id').execute();
  }

  private byId(q: Q, id: number): Promise<ActionRow | undefined> {
    return q.selectFrom('actions').selectAll().where('id', '=', id).executeTakeFirst();
  }

  /**
   * Enqueues the planned actions whose key has no live or done action yet for this verdict
   * (pending/running/failed/done all count; only 'dead' ones may be tried again). Returns new ids.
   * Must run inside the caller's transaction (which holds the verdict).
   */
  async enqueue(q: Q, verdictId: number, planned: readonly PlannedAction[], now: string, notBefore = now): Promise<number[]> {
    if (planned.length === 0) return [];
    const existing = new Set((await this.byVerdict(q, verdictId)).filter((a) => a.status !== 'dead').map((a) => a.dedupe_key));
    const ids: number[] = [];
    for (const p of planned) {
      if (!(ACTION_KINDS as readonly string[]).includes(p.kind)) throw new StoreError(`unknown action kind: ${String(p.kind)}`, 'invalid');
      if (isServerActionKind(p.kind)) throw new StoreError(`a ${p.kind} action is for a server, not a message: use enqueueNotice`, 'invalid');
      const payload = parseActionPayload(p.kind, p.payload);
      const key = p.key ?? p.kind;
      if (existing.has(key)) continue;
      existing.add(key);
      const row = await q
        .insertInto('actions')
        .values({ verdict_id: verdictId, kind: p.kind, dedupe_key: key, payload_json: toJson(payload), next_attempt_at: notBefore, created_at: now, updated_at: now })
        .returning('id')
        .executeTakeFirstOrThrow();
      ids.push(row.id);
    }
    return ids;
  }

  /**
   * Enqueues a server's notice unless one with its key is already live or done for that server
   * (the unique index actions_server_once decides, so two processes cannot both enqueue it).
   * Returns the new id, or undefined when it already exists.
   */
  async enqueueNotice(q: Q, notice: NoticeInput, now: string, notBefore = now): Promise<number | undefined> {
    const payload = parseActionPayload('notice', { key: notice.key, text: notice.text, ...(notice.channelId ? { channelId: notice.channelId } : {}) });
    const row = await q
      .insertInto('actions')
      .values({
        verdict_id: null,
        platform: notice.platform,
        server_id: notice.serverId,
        kind: 'notice',
        dedupe_key: noticeAction.dedupeKey(payload),
        payload_json: toJson(payload),
        next_attempt_at: notBefore,
        created_at: now,
        updated_at: now,
      })
      .onConflict((oc) => oc.doNothing())
      .returning('id')
      .executeTakeFirst();
    return row?.id;
  }

  /** A server's own actions (notices), oldest first. */
  async listForServer(q: Q, platform: Platform, serverId: string): Promise<ActionRecord[]> {
    const rows = await q.selectFrom('actions').selectAll().where('verdict_id', 'is', null).where('platform', '=', platform).where('server_id', '=', serverId).orderBy('id').execute();
    return rows.map(toRecord);
  }

  /**
   * An edit changed the verdict: actions not yet started whose key the new plan no longer contains
   * are cancelled (a pending delete of a message edited into something harmless must not run).
   */
  async supersede(q: Q, verdictId: number, planned: readonly PlannedAction[], revision: number, now: string): Promise<number[]> {
    const keep = new Set(planned.map((p) => p.key ?? p.kind));
    const ids: number[] = [];
    for (const a of await this.byVerdict(q, verdictId)) {
      if ((a.status === 'pending' || a.status === 'failed') && !keep.has(a.dedupe_key)) {
        await q
          .updateTable('actions')
          .set({ status: 'dead', last_error: `superseded: message edited (revision ${revision}) and no longer planned`, lease_until: null, updated_at: now })
          .where('id', '=', a.id)
          .execute();
        ids.push(a.id);
      }
    }
    return ids;
  }

  /**
   * The alerts of a server held back in the batch that started at `batchStart` (their result says
   * `batchedIn`), oldest first: where each came from and the labels that triggered it.
   */
  async heldBack(q: Q, serverId: string, batchStart: string): Promise<{ verdictId: number; channelId: string; labels: Label[] }[]> {
    const rows = await q
      .selectFrom('actions as a')
      .innerJoin('verdicts as v', 'v.id', 'a.verdict_id')
      .select(['a.verdict_id', 'v.channel_id', 'v.decision_json'])
      .$narrowType<{ verdict_id: number }>() // an inner join on it: never null here
      .where('v.server_id', '=', serverId)
      .where('a.kind', '=', 'alert')
      .where('a.status', '=', 'done')
      .where(jsonText(this.ctx.backend, 'a.result_json', 'batchedIn'), '=', batchStart)
      .orderBy('a.id')
      .execute();
    return rows.map((r) => ({
      verdictId: r.verdict_id,
      channelId: r.channel_id,
      labels: [...new Set((parseJson<{ triggered?: { label: Label }[] }>(r.decision_json).triggered ?? []).map((t) => t.label))],
    }));
  }

  async listForVerdict(q: Q, verdictId: number): Promise<ActionRecord[]> {
    return (await this.byVerdict(q, verdictId)).map(toRecord);
  }

  async get(q: Q, id: number): Promise<ActionRecord | undefined> {
    const row = await this.byId(q, id);
    return row ? toRecord(row) : undefined;
  }

  /**
   * Takes up to `limit` due actions and marks them running with a lease, inside the caller's write
   * transaction. Due: pending or failed with next_attempt_at reached, or running with an expired lease
   * (a crashed claim). Each claim counts as an attempt (so a message that crashes the worker every time
   * still runs out of attempts). On PostgreSQL rows another process is claiming are skipped, not waited for.
   */
  async claim(q: Q, limit: number, now: TimeInput, leaseMs = this.ctx.leaseMs): Promise<ClaimedAction[]> {
    const at = toIso(now);
    const lease = addMs(at, leaseMs);
    const n = Math.max(0, Math.floor(limit));
    if (n === 0) return [];
    // A LEFT JOIN: a notice has no verdict, its target is its own platform and server_id.
    const due = await q
      .selectFrom('actions as a')
      .leftJoin('verdicts as v', 'v.id', 'a.verdict_id')
      .selectAll('a')
      .select(['v.message_key', 'v.platform as v_platform', 'v.server_id as v_server_id', 'v.channel_id', 'v.thread_id', 'v.message_id', 'v.author_id'])
      .where((eb) =>
        eb.or([
          eb.and([eb('a.status', 'in', ['pending', 'failed']), eb('a.next_attempt_at', '<=', at)]),
          eb.and([eb('a.status', '=', 'running'), eb('a.lease_until', '<=', at)]),
        ]),
      )
      .orderBy('a.next_attempt_at')
      .orderBy('a.id')
      .limit(n)
      .$if(this.ctx.backend === 'postgres', (qb) => qb.forUpdate('a').skipLocked())
      .execute();
    if (due.length === 0) return [];
    await q
      .updateTable('actions')
      .set((eb) => ({ status: 'running', attempts: eb('attempts', '+', 1), lease_until: lease, updated_at: at }))
      .where(
        'id',
        'in',
        due.map((r) => r.id),
      )
      .execute();
    return due.map((r): ClaimedAction => {
      const record = toRecord({ ...r, status: 'running', attempts: r.attempts + 1, lease_until: lease, updated_at: at });
      return withTarget(record, r);
    });
  }

  /**
   * Marks an action done. A late completion after the lease expired still counts (the action did
   * happen). Returns false if it was already done or dead; throws for an unknown id.
   */
  async complete(q: Q, id: number, result: unknown, now: string): Promise<boolean> {
    const info = await q
      .updateTable('actions')
      .set({ status: 'done', result_json: toJson(result), lease_until: null, last_error: null, updated_at: now })
      .where('id', '=', id)
      .where('status', 'in', LIVE)
      .executeTakeFirst();
    return this.changedOrMissing(q, id, affected(info));
  }

  /**
   * Records a failure: retry at `retryAt` (status 'failed') or give up (status 'dead'). A done action
   * is never moved back. Returns false if it was already done or dead; throws for an unknown id.
   */
  async fail(q: Q, id: number, error: unknown, outcome: FailOutcome, now: string): Promise<boolean> {
    const message = error instanceof Error ? error.message : String(error);
    const dead = 'dead' in outcome && outcome.dead;
    const next = dead ? null : toIso((outcome as { retryAt: TimeInput }).retryAt);
    const info = await q
      .updateTable('actions')
      .set((eb) => ({
        status: dead ? 'dead' : 'failed',
        last_error: message,
        next_attempt_at: next === null ? eb.ref('next_attempt_at') : next,
        lease_until: null,
        updated_at: now,
      }))
      .where('id', '=', id)
      .where('status', 'in', LIVE)
      .executeTakeFirst();
    return this.changedOrMissing(q, id, affected(info));
  }

  /** Whether the update changed the action; an id that matched nothing because it does not exist throws. */
  private async changedOrMissing(q: Q, id: number, changed: number): Promise<boolean> {
    if (changed === 0 && !(await this.byId(q, id))) throw new StoreError(`no action with id ${id}`, 'not-found');
    return changed > 0;
  }
}
