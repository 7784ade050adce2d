// Moving an installation between databases (SQLite -> PostgreSQL, or back): every table, parents
// first, in batches read in primary-key order, then the row counts compared per table. A copy that
// stopped half-way resumes: rows already in the target are skipped by their primary key (ON CONFLICT
// DO NOTHING) and each table's reading starts after the highest key already copied. A target that
// already holds data refuses unless `resume` says that data is an earlier run of this copy.
import { sql, type Kysely } from 'kysely';
import { StoreError } from './errors.js';
import type { Q } from './schema.js';
import { TABLES } from './schema.js';
import type { Store } from './store.js';

type Table = (typeof TABLES)[number];
/** Any table, any column: what a table-generic copy sees. */
type AnyDB = Record<string, Record<string, unknown>>;

/** Each table's primary key (what reading pages by and what a resumed copy skips on). */
const KEYS: Record<Table, string[]> = {
  verdicts: ['id'],
  verdict_sources: ['verdict_id', 'attachment'],
  actions: ['id'],
  review_items: ['id'],
  review_decisions: ['id'],
  strikes: ['id'],
  policies: ['server_id'],
  policy_audit: ['id'],
  scan_checkpoints: ['scan_id'],
  installations: ['platform', 'install_key'],
  drift: ['id'],
  drift_days: ['day'],
  cursors: ['source'],
};

/** Tables whose id is an identity column: PostgreSQL's sequence is moved past the copied ids. */
const IDENTITY: readonly Table[] = ['verdicts', 'actions', 'review_items', 'review_decisions', 'strikes', 'policy_audit', 'drift'];

export interface CopyCount {
  table: Table;
  source: number;
  target: number;
}

export interface CopyOptions {
  /** Rows per read and per insert. Default 1000. */
  batch?: number;
  /** The target holds an earlier, interrupted run of this copy: continue it. */
  resume?: boolean;
  /** Called with the rows copied so far and the total to copy (for a progress bar). */
  onProgress?: (done: number, total: number, table: Table) => void;
}

export interface CopyResult {
  counts: CopyCount[];
  copied: number;
  ms: number;
}

async function count(q: Q, table: Table): Promise<number> {
  const row = await q
    .selectFrom(table)
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .executeTakeFirst();
  return Number(row?.n ?? 0);
}

export async function countRows(store: Store): Promise<Record<Table, number>> {
  const out = {} as Record<Table, number>;
  for (const t of TABLES) out[t] = await count(store.kysely, t);
  return out;
}

/** Copies every table of `from` into `to` (both already migrated to the same version). */
export async function copyDatabase(from: Store, to: Store, options: CopyOptions = {}): Promise<CopyResult> {
  const started = Date.now();
  const batch = Math.max(1, Math.floor(options.batch ?? 1000));
  const [fromVersion, toVersion] = [await from.schemaVersion(), await to.schemaVersion()];
  if (fromVersion !== toVersion) throw new StoreError(`schema versions differ: ${from.file} is at ${fromVersion}, ${to.file} at ${toVersion}`, 'invalid');
  const sourceCounts = await countRows(from);
  const targetCounts = await countRows(to);
  const nonEmpty = TABLES.filter((t) => targetCounts[t] > 0);
  if (nonEmpty.length > 0 && !options.resume) {
    throw new StoreError(
      `the target database ${to.file} is not empty (${nonEmpty.map((t) => `${t}: ${targetCounts[t]}`).join(', ')}); ` +
        'db copy fills an empty database. Give --resume to continue an interrupted copy into it, or point --to at a new database.',
      'invalid',
    );
  }
  const total = TABLES.reduce((n, t) => n + sourceCounts[t], 0);
  let done = TABLES.reduce((n, t) => n + Math.min(targetCounts[t], sourceCounts[t]), 0);
  options.onProgress?.(done, total, 'verdicts');
  let copied = 0;
  // Table by table with the same code for every table: an untyped view of both databases.
  const src = from.kysely as unknown as Kysely<AnyDB>;
  const dst = to.kysely as unknown as Kysely<AnyDB>;
  for (const table of TABLES) {
    const keys = KEYS[table];
    let after: unknown[] | undefined;
    // Resuming: start after the highest key already in the target (rows are read in key order).
    if (options.resume && targetCounts[table] > 0) {
      let last = dst.selectFrom(table).select(keys);
      for (const k of keys) last = last.orderBy(k, 'desc');
      const row = await last.limit(1).executeTakeFirst();
      if (row) after = keys.map((k) => row[k]);
    }
    for (;;) {
      const cursor = after;
      let page = src
        .selectFrom(table)
        .selectAll()
        .$if(cursor !== undefined, (qb) => qb.where(sql<boolean>`(${sql.join(keys.map((k) => sql.ref(k)))}) > (${sql.join(cursor ?? [])})`));
      for (const k of keys) page = page.orderBy(k);
      const rows = await page.limit(batch).execute();
      if (rows.length === 0) break;
      const result = await dst
        .insertInto(table)
        .values(rows)
        .onConflict((oc) => oc.columns(keys).doNothing())
        .executeTakeFirst();
      copied += Number(result.numInsertedOrUpdatedRows ?? 0n);
      done += rows.length;
      options.onProgress?.(Math.min(done, total), total, table);
      const last = rows[rows.length - 1] as Record<string, unknown>;
      after = keys.map((k) => last[k]);
      if (rows.length < batch) break;
    }
  }
  if (to.backend === 'postgres') {
    for (const table of IDENTITY) {
      await sql`SELECT setval(pg_get_serial_sequence(${table}, 'id'), GREATEST(COALESCE((SELECT MAX(id) FROM ${sql.table(table)}), 0), 1), (SELECT MAX(id) FROM ${sql.table(table)}) IS NOT NULL)`.execute(dst);
    }
  }
  const after = await countRows(to);
  const counts = TABLES.map((table) => ({ table, source: sourceCounts[table], target: after[table] }));
  return { counts, copied, ms: Date.now() - started };
}
