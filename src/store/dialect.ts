// Everything that must differ between SQLite and PostgreSQL, in one place: how a write transaction
// starts, how a JSON text column is read (fields, arrays as rows, array lengths), the per-key lock of a
// read-modify-write, and the notification that a policy changed. Every other query is the same Kysely code on both engines.
import { sql, type RawBuilder } from 'kysely';
import type { Backend } from './connection.js';
import type { Q } from './schema.js';

/** The channel policy changes are announced on (PostgreSQL LISTEN/NOTIFY; payload: the server id). */
export const POLICY_CHANNEL = 'toxguard_policy';

/**
 * Runs `fn` in one write transaction. SQLite: BEGIN IMMEDIATE, so the write lock is taken (waiting up
 * to busy_timeout) before the first read, and a read-then-write never fails on an upgrade when another
 * process writes the same file. PostgreSQL: READ COMMITTED, with row locks taken by the queries.
 */
export async function writeTransaction<T>(db: Q, backend: Backend, fn: (q: Q) => Promise<T>): Promise<T> {
  if (backend === 'postgres') return db.transaction().execute(fn);
  return db.connection().execute(async (conn) => {
    await sql`BEGIN IMMEDIATE`.execute(conn);
    try {
      const result = await fn(conn);
      await sql`COMMIT`.execute(conn);
      return result;
    } catch (err) {
      await sql`ROLLBACK`.execute(conn).catch(() => undefined);
      throw err;
    }
  });
}

/** The text at `$.key` of a JSON text column (null when absent). */
export function jsonText(backend: Backend, column: RawBuilder<unknown> | string, key: string): RawBuilder<string | null> {
  const col = typeof column === 'string' ? sql.ref(column) : column;
  return backend === 'postgres' ? sql<string | null>`(${col}::jsonb ->> ${sql.lit(key)})` : sql<string | null>`json_extract(${col}, ${sql.lit(`$.${key}`)})`;
}

/**
 * Serialises read-modify-writes of one key (a server's policy) inside the current transaction, even when
 * no row exists yet to lock. SQLite needs nothing: BEGIN IMMEDIATE already holds the only write lock.
 */
export async function lockKey(q: Q, backend: Backend, key: string): Promise<void> {
  if (backend === 'postgres') await sql`SELECT pg_advisory_xact_lock(hashtext(${key}))`.execute(q);
}

/** Tells every process listening that a server's policy changed; delivered when the transaction commits. */
export async function notifyPolicyChange(q: Q, backend: Backend, serverId: string): Promise<void> {
  if (backend === 'postgres') await sql`SELECT pg_notify(${POLICY_CHANNEL}, ${serverId})`.execute(q);
}

/** A condition: the JSON boolean at `$.key` of a text column is true. */
export function jsonTrue(backend: Backend, column: string, key: string): RawBuilder<boolean> {
  return backend === 'postgres'
    ? sql<boolean>`COALESCE((${sql.ref(column)}::jsonb ->> ${sql.lit(key)}) = 'true', false)`
    : sql<boolean>`(COALESCE(json_extract(${sql.ref(column)}, ${sql.lit(`$.${key}`)}), 0) = 1)`;
}

/**
 * The triggered labels of each verdict as rows (`t`), with the label, the score stored for it and the
 * threshold recorded with it: `FROM verdicts v, <this>`.
 */
export function triggeredRows(backend: Backend): { from: RawBuilder<unknown>; label: RawBuilder<string>; score: RawBuilder<number>; threshold: RawBuilder<number> } {
  if (backend === 'postgres') {
    return {
      from: sql`jsonb_array_elements(COALESCE(v.decision_json::jsonb -> 'triggered', '[]'::jsonb)) AS t(value)`,
      label: sql<string>`(t.value ->> 'label')`,
      score: sql<number>`(v.scores_json::jsonb ->> (t.value ->> 'label'))::float8`,
      threshold: sql<number>`(t.value ->> 'threshold')::float8`,
    };
  }
  return {
    from: sql`json_each(v.decision_json, '$.triggered') t`,
    label: sql<string>`json_extract(t.value, '$.label')`,
    score: sql<number>`json_extract(v.scores_json, '$.' || json_extract(t.value, '$.label'))`,
    threshold: sql<number>`json_extract(t.value, '$.threshold')`,
  };
}

/**
 * The strings of the JSON array at `$.key` of `v`'s text column, as rows (alias `alias`, column
 * `value`): `FROM verdicts v, <from>`. A missing array gives no rows on both engines.
 */
export function jsonArrayTexts(backend: Backend, column: string, key: string, alias: string): { from: RawBuilder<unknown>; value: RawBuilder<string> } {
  const col = sql.ref(column);
  const value = sql<string>`${sql.ref(`${alias}.value`)}`;
  if (backend === 'postgres') {
    return { from: sql`jsonb_array_elements_text(COALESCE(${col}::jsonb -> ${sql.lit(key)}, '[]'::jsonb)) AS ${sql.id(alias)}(value)`, value };
  }
  return { from: sql`json_each(${col}, ${sql.lit(`$.${key}`)}) ${sql.id(alias)}`, value };
}

/** The length of the JSON array at `$.key` of a text column (0 when absent). */
export function jsonArrayLength(backend: Backend, column: string, key: string): RawBuilder<number> {
  return backend === 'postgres'
    ? sql<number>`jsonb_array_length(COALESCE(${sql.ref(column)}::jsonb -> ${sql.lit(key)}, '[]'::jsonb))`
    : sql<number>`COALESCE(json_array_length(${sql.ref(column)}, ${sql.lit(`$.${key}`)}), 0)`;
}
