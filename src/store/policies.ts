// Per-server policy documents and their audit trail. The store keeps the JSON as given; validating it
// is the policy module's job. Every change (who, from where, before, after) is appended to policy_audit
// in the same transaction, so the trail cannot miss a change; on PostgreSQL the transaction also
// announces the change (NOTIFY) so every process drops its cached copy when it commits.
import { lockKey, notifyPolicyChange } from './dialect.js';
import { parseJson, toJson, type Q, type StoreContext } from './context.js';
import type { PolicyAuditEntry } from './types.js';

export class PoliciesRepo {
  constructor(private readonly ctx: StoreContext) {}

  private async stored(q: Q, serverId: string): Promise<string | null> {
    const row = await q.selectFrom('policies').select('policy_json').where('server_id', '=', serverId).executeTakeFirst();
    return row?.policy_json ?? null;
  }

  private async write(q: Q, serverId: string, before: string | null, after: string | null, actor: string, source: string, now: string): Promise<void> {
    if (after === null) await q.deleteFrom('policies').where('server_id', '=', serverId).execute();
    else
      await q
        .insertInto('policies')
        .values({ server_id: serverId, policy_json: after, updated_by: actor, updated_at: now })
        .onConflict((oc) => oc.column('server_id').doUpdateSet((eb) => ({ policy_json: eb.ref('excluded.policy_json'), updated_by: eb.ref('excluded.updated_by'), updated_at: eb.ref('excluded.updated_at') })))
        .execute();
    await q.insertInto('policy_audit').values({ server_id: serverId, actor, source, before_json: before, after_json: after, at: now }).execute();
    await notifyPolicyChange(q, this.ctx.backend, serverId);
  }

  async get(q: Q, serverId: string): Promise<unknown> {
    const json = await this.stored(q, serverId);
    return json === null ? undefined : parseJson<unknown>(json);
  }

  /** Inside the caller's write transaction: stores the policy (undefined removes it, back to defaults) and appends the change to the audit log. */
  async set(q: Q, serverId: string, policy: unknown, actor: string, source: string): Promise<void> {
    const now = this.ctx.now();
    const after = policy === undefined ? null : toJson(policy);
    await lockKey(q, this.ctx.backend, `policy:${serverId}`);
    const before = await this.stored(q, serverId);
    await this.write(q, serverId, before, after, actor, source, now);
  }

  /**
   * Read-modify-write inside the caller's write transaction, the server's policy locked (SQLite: the
   * IMMEDIATE transaction; PostgreSQL: an advisory lock on the server, held even when no row exists yet):
   * `update` gets the stored policy (undefined: none) and returns the new one (it may throw: nothing is
   * written). Another process cannot change the policy between the read and the write, so no edit is
   * lost. Returns what was stored.
   */
  async update<T>(q: Q, serverId: string, update: (stored: unknown) => T, actor: string, source: string): Promise<T> {
    await lockKey(q, this.ctx.backend, `policy:${serverId}`);
    const now = this.ctx.now();
    const before = await this.stored(q, serverId);
    const next = update(before === null ? undefined : parseJson<unknown>(before));
    const after = toJson(next);
    await this.write(q, serverId, before, after, actor, source, now);
    return next;
  }

  /** Newest first. `before`/`after` are undefined where there was no policy. */
  async listAudit(q: Q, serverId: string, limit = 50): Promise<PolicyAuditEntry[]> {
    const rows = await q
      .selectFrom('policy_audit')
      .selectAll()
      .where('server_id', '=', serverId)
      .orderBy('id', 'desc')
      .limit(Math.max(0, Math.floor(limit)))
      .execute();
    return rows.map((r) => ({
      id: r.id,
      serverId: r.server_id,
      actor: r.actor,
      source: r.source,
      before: r.before_json === null ? undefined : parseJson<unknown>(r.before_json),
      after: r.after_json === null ? undefined : parseJson<unknown>(r.after_json),
      at: r.at,
    }));
  }
}
