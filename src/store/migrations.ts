// Versioned schema migrations, kept in code so the schema always matches the code that reads it.
// Append new migrations; never edit one that has shipped (databases in the field already ran it).
import type BetterSqlite3 from 'better-sqlite3';
import { StoreError } from './errors.js';

export interface Migration {
  version: number;
  description: string;
  sql: string;
}

export const MIGRATIONS: readonly Migration[] = [
  {
    version: 1,
    description: 'verdicts, sources, actions outbox, reviews, strikes, policies, scans',
    sql: `
      CREATE TABLE verdicts (
        id              INTEGER PRIMARY KEY,
        message_key     TEXT NOT NULL UNIQUE,
        platform        TEXT NOT NULL,
        server_id       TEXT NOT NULL,
        channel_id      TEXT NOT NULL,
        thread_id       TEXT,
        message_id      TEXT NOT NULL,
        author_id       TEXT NOT NULL,
        kind            TEXT NOT NULL CHECK (kind IN ('new', 'edit')),
        content_hash    TEXT NOT NULL,
        text            TEXT,
        excerpt         TEXT NOT NULL,
        text_stored     TEXT NOT NULL CHECK (text_stored IN ('full', 'excerpt')),
        scores_json     TEXT NOT NULL,
        label_sources_json TEXT NOT NULL,
        spans_json      TEXT NOT NULL,
        model_name      TEXT NOT NULL,
        model_version   TEXT NOT NULL,
        decision_json   TEXT NOT NULL,
        latency_ms      REAL NOT NULL,
        revision        INTEGER NOT NULL DEFAULT 1,
        message_at      TEXT NOT NULL,
        created_at      TEXT NOT NULL,
        updated_at      TEXT NOT NULL,
        -- excerpt mode must never keep the full text
        CHECK (text_stored = 'full' OR text IS NULL)
      );
      CREATE INDEX verdicts_server_created ON verdicts (server_id, created_at);
      CREATE INDEX verdicts_created ON verdicts (created_at);
      CREATE INDEX verdicts_updated ON verdicts (updated_at);

      CREATE TABLE verdict_sources (
        verdict_id  INTEGER NOT NULL REFERENCES verdicts (id) ON DELETE CASCADE,
        attachment  INTEGER NOT NULL,
        name        TEXT,
        url         TEXT,
        scanned     INTEGER NOT NULL CHECK (scanned IN (0, 1)),
        text        TEXT,
        confidence  REAL,
        reason      TEXT,
        scores_json TEXT,
        PRIMARY KEY (verdict_id, attachment)
      );

      CREATE TABLE actions (
        id              INTEGER PRIMARY KEY,
        verdict_id      INTEGER NOT NULL REFERENCES verdicts (id) ON DELETE CASCADE,
        kind            TEXT NOT NULL CHECK (kind IN ('delete', 'flag', 'alert', 'timeout', 'dm')),
        dedupe_key      TEXT NOT NULL,
        payload_json    TEXT NOT NULL,
        status          TEXT NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'running', 'done', 'failed', 'dead')),
        attempts        INTEGER NOT NULL DEFAULT 0,
        next_attempt_at TEXT NOT NULL,
        lease_until     TEXT,
        last_error      TEXT,
        result_json     TEXT,
        created_at      TEXT NOT NULL,
        updated_at      TEXT NOT NULL
      );
      -- the database itself refuses a second live-or-done action with the same key for a message
      CREATE UNIQUE INDEX actions_once ON actions (verdict_id, dedupe_key) WHERE status <> 'dead';
      CREATE INDEX actions_due ON actions (status, next_attempt_at);
      CREATE INDEX actions_lease ON actions (status, lease_until);

      CREATE TABLE review_items (
        id                INTEGER PRIMARY KEY,
        verdict_id        INTEGER NOT NULL UNIQUE REFERENCES verdicts (id) ON DELETE CASCADE,
        server_id         TEXT NOT NULL,
        status            TEXT NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'confirmed', 'overturned', 'dismissed')),
        appeal_note       TEXT,
        appeal_author_id  TEXT,
        appealed_at       TEXT,
        queued_at         TEXT NOT NULL,
        created_at        TEXT NOT NULL,
        updated_at        TEXT NOT NULL
      );
      CREATE INDEX review_items_queue ON review_items (server_id, status, queued_at);

      CREATE TABLE review_decisions (
        id            INTEGER PRIMARY KEY,
        review_id     INTEGER NOT NULL REFERENCES review_items (id) ON DELETE CASCADE,
        decision      TEXT NOT NULL CHECK (decision IN ('confirmed', 'overturned', 'dismissed')),
        moderator_id  TEXT NOT NULL,
        source        TEXT NOT NULL CHECK (source IN ('discord', 'slack', 'dashboard', 'cli')),
        note          TEXT,
        decided_at    TEXT NOT NULL
      );
      CREATE INDEX review_decisions_review ON review_decisions (review_id, id);

      -- verdict_id is SET NULL on prune so escalation counts outlive verdict retention
      CREATE TABLE strikes (
        id          INTEGER PRIMARY KEY,
        server_id   TEXT NOT NULL,
        user_id     TEXT NOT NULL,
        verdict_id  INTEGER UNIQUE REFERENCES verdicts (id) ON DELETE SET NULL,
        at          TEXT NOT NULL
      );
      CREATE INDEX strikes_user ON strikes (server_id, user_id, at);

      CREATE TABLE policies (
        server_id   TEXT PRIMARY KEY,
        policy_json TEXT NOT NULL,
        updated_by  TEXT NOT NULL,
        updated_at  TEXT NOT NULL
      );

      CREATE TABLE policy_audit (
        id          INTEGER PRIMARY KEY,
        server_id   TEXT NOT NULL,
        actor       TEXT NOT NULL,
        source      TEXT NOT NULL,
        before_json TEXT,
        after_json  TEXT,
        at          TEXT NOT NULL
      );
      CREATE INDEX policy_audit_server ON policy_audit (server_id, id);

      CREATE TABLE scan_checkpoints (
        scan_id     TEXT PRIMARY KEY,
        file        TEXT NOT NULL,
        line        INTEGER NOT NULL,
        updated_at  TEXT NOT NULL
      );
    `,
  },
  {
    version: 2,
    description: 'index actions by verdict (the partial unique index cannot serve lookups of all statuses)',
    sql: `CREATE INDEX actions_verdict ON actions (verdict_id);`,
  },
  {
    version: 3,
    description: 'platform app installations (Slack OAuth installs, one per workspace or enterprise)',
    sql: `
      -- install_key: 'enterprise:<id>' for an org-wide install, else 'team:<id>'
      CREATE TABLE installations (
        platform          TEXT NOT NULL,
        install_key       TEXT NOT NULL,
        team_id           TEXT,
        enterprise_id     TEXT,
        is_enterprise     INTEGER NOT NULL CHECK (is_enterprise IN (0, 1)),
        installation_json TEXT NOT NULL,
        installed_by      TEXT,
        created_at        TEXT NOT NULL,
        updated_at        TEXT NOT NULL,
        PRIMARY KEY (platform, install_key)
      );
    `,
  },
  {
    version: 4,
    description: 'daily model drift metrics (traffic against the model\'s training reference) and the days computed',
    sql: `
      -- server_id '' = all servers together; label '' = a metric without a label
      CREATE TABLE drift (
        id          INTEGER PRIMARY KEY,
        day         TEXT NOT NULL,
        server_id   TEXT NOT NULL DEFAULT '',
        metric      TEXT NOT NULL,
        label       TEXT NOT NULL DEFAULT '',
        value       REAL NOT NULL,
        bound       REAL NOT NULL,
        over        INTEGER NOT NULL CHECK (over IN (0, 1)),
        n           INTEGER NOT NULL,
        reference   REAL,
        model       TEXT NOT NULL,
        alerted_at  TEXT,
        computed_at TEXT NOT NULL,
        UNIQUE (day, server_id, metric, label)
      );
      CREATE INDEX drift_server_day ON drift (server_id, day);

      -- a day is computed once (even when it had too few messages for any metric)
      CREATE TABLE drift_days (
        day         TEXT PRIMARY KEY,
        messages    INTEGER NOT NULL,
        model       TEXT NOT NULL,
        computed_at TEXT NOT NULL
      );
    `,
  },
  {
    version: 5,
    description: "action kinds 'refresh-alert' (re-render a posted alert after a review decision) and 'alert-summary' (held-back alerts)",
    sql: `
      -- SQLite cannot change a CHECK constraint in place: rebuild the table with the new kind list
      CREATE TABLE actions_v5 (
        id              INTEGER PRIMARY KEY,
        verdict_id      INTEGER NOT NULL REFERENCES verdicts (id) ON DELETE CASCADE,
        kind            TEXT NOT NULL CHECK (kind IN ('delete', 'flag', 'alert', 'timeout', 'dm', 'refresh-alert', 'alert-summary')),
        dedupe_key      TEXT NOT NULL,
        payload_json    TEXT NOT NULL,
        status          TEXT NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'running', 'done', 'failed', 'dead')),
        attempts        INTEGER NOT NULL DEFAULT 0,
        next_attempt_at TEXT NOT NULL,
        lease_until     TEXT,
        last_error      TEXT,
        result_json     TEXT,
        created_at      TEXT NOT NULL,
        updated_at      TEXT NOT NULL
      );
      INSERT INTO actions_v5 SELECT id, verdict_id, kind, dedupe_key, payload_json, status, attempts, next_attempt_at, lease_until,
                                    last_error, result_json, created_at, updated_at FROM actions;
      DROP TABLE actions;
      ALTER TABLE actions_v5 RENAME TO actions;
      CREATE UNIQUE INDEX actions_once ON actions (verdict_id, dedupe_key) WHERE status <> 'dead';
      CREATE INDEX actions_due ON actions (status, next_attempt_at);
      CREATE INDEX actions_lease ON actions (status, lease_until);
      CREATE INDEX actions_verdict ON actions (verdict_id);
    `,
  },
  {
    version: 6,
    description: 'cursors of polled sources (a subreddit\'s listings), saved after their verdicts are recorded',
    sql: `
      -- source: e.g. 'reddit:askscience:comments'; value_json: the poller's own position
      CREATE TABLE cursors (
        source      TEXT PRIMARY KEY,
        value_json  TEXT NOT NULL,
        updated_at  TEXT NOT NULL
      );
    `,
  },
];

export const LATEST_VERSION = MIGRATIONS.reduce((max, m) => Math.max(max, m.version), 0);

const CREATE_VERSION_TABLE = `
  CREATE TABLE IF NOT EXISTS schema_version (
    version     INTEGER PRIMARY KEY,
    description TEXT NOT NULL,
    applied_at  TEXT NOT NULL
  )`;

function currentVersion(db: BetterSqlite3.Database): number {
  const exists = db.prepare(`SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'schema_version'`).get();
  if (!exists) return 0;
  const row = db.prepare<[], { v: number | null }>('SELECT MAX(version) AS v FROM schema_version').get();
  return row?.v ?? 0;
}

/**
 * Brings the schema up to LATEST_VERSION. The version check is repeated inside an IMMEDIATE
 * transaction so two processes opening a fresh file at once cannot both migrate; an up-to-date
 * database takes no write lock at all (opening must work while another process is writing).
 * Returns the versions applied.
 */
export function migrate(db: BetterSqlite3.Database, now: string, migrations: readonly Migration[] = MIGRATIONS): number[] {
  const latest = migrations.reduce((max, m) => Math.max(max, m.version), 0);
  const before = currentVersion(db);
  if (before > latest) {
    throw new StoreError(`database schema version ${before} is newer than this toxguard understands (${latest}); upgrade toxguard`, 'schema-too-new');
  }
  if (before === latest) return [];
  const applied: number[] = [];
  db.transaction(() => {
    db.exec(CREATE_VERSION_TABLE);
    const from = currentVersion(db);
    const record = db.prepare('INSERT INTO schema_version (version, description, applied_at) VALUES (?, ?, ?)');
    for (const m of [...migrations].sort((a, b) => a.version - b.version)) {
      if (m.version <= from) continue;
      db.exec(m.sql);
      record.run(m.version, m.description, now);
      applied.push(m.version);
    }
  }).immediate();
  return applied;
}

export function schemaVersion(db: BetterSqlite3.Database): number {
  return currentVersion(db);
}
