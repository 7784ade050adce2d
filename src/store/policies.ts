// Per-server policy documents and their audit trail. The store keeps the JSON as given; validating it
// is the policy module's job. Every change (who, from where, before, after) is appended to policy_audit
// in the same transaction, so the trail cannot miss a change.
import { parseJson, toJson, type StoreContext } from './context.js';
import type { PolicyAuditEntry } from './types.js';

interface AuditRow {
  id: number;
  server_id: string;
  actor: string;
  source: string;
  before_json: string | null;
  after_json: string | null;
  at: string;
}

export class PoliciesRepo {
  private readonly select;
  private readonly upsert;
  private readonly remove;
  private readonly audit;
  private readonly auditList;

  constructor(private readonly ctx: StoreContext) {
    const { db } = ctx;
    this.select = db.prepare<[string], { policy_json: string }>('SELECT policy_json FROM policies WHERE server_id = ?');
    this.upsert = db.prepare<[string, string, string, string], void>(
      `INSERT INTO policies (server_id, policy_json, updated_by, updated_at) VALUES (?, ?, ?, ?)
       ON CONFLICT (server_id) DO UPDATE SET policy_json = excluded.policy_json, updated_by = excluded.updated_by, updated_at = excluded.updated_at`,
    );
    this.remove = db.prepare<[string], void>('DELETE FROM policies WHERE server_id = ?');
    this.audit = db.prepare<[string, string, string, string | null, string | null, string], void>(
      'INSERT INTO policy_audit (server_id, actor, source, before_json, after_json, at) VALUES (?, ?, ?, ?, ?, ?)',
    );
    this.auditList = db.prepare<[string, number], AuditRow>('SELECT * FROM policy_audit WHERE server_id = ? ORDER BY id DESC LIMIT ?');
  }

  get(serverId: string): unknown {
    const row = this.select.get(serverId);
    return row ? parseJson<unknown>(row.policy_json) : undefined;
  }

  /** Stores the policy (undefined removes it, back to defaults) and appends the change to the audit log. */
  set(serverId: string, policy: unknown, actor: string, source: string): void {
    const now = this.ctx.now();
    const after = policy === undefined ? null : toJson(policy);
    this.ctx.db
      .transaction(() => {
        const before = this.select.get(serverId)?.policy_json ?? null;
        if (after === null) this.remove.run(serverId);
        else this.upsert.run(serverId, after, actor, now);
        this.audit.run(serverId, actor, source, before, after, now);
      })
      .immediate();
  }

  /**
   * Read-modify-write in ONE immediate transaction: `update` gets the stored policy (undefined: none)
   * and returns the new one (it may throw: nothing is written). Another process cannot change the
   * policy between the read and the write, so no edit is lost. Returns what was stored.
   */
  update<T>(serverId: string, update: (stored: unknown) => T, actor: string, source: string): T {
    return this.ctx.db
      .transaction(() => {
        const now = this.ctx.now();
        const before = this.select.get(serverId)?.policy_json ?? null;
        const next = update(before === null ? undefined : parseJson<unknown>(before));
        const after = toJson(next);
        this.upsert.run(serverId, after, actor, now);
        this.audit.run(serverId, actor, source, before, after, now);
        return next;
      })
      .immediate();
  }

  /** Newest first. `before`/`after` are undefined where there was no policy. */
  listAudit(serverId: string, limit = 50): PolicyAuditEntry[] {
    return this.auditList.all(serverId, Math.max(0, Math.floor(limit))).map((r) => ({
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
