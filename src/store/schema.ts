// The tables as Kysely sees them: one typed description shared by the SQLite and PostgreSQL backends
// (the DDL itself, which differs, is in migrations.ts). Timestamps are UTC ISO strings and JSON
// columns are text on both engines, so every query compares and returns the same values.
import type { Generated, Kysely } from 'kysely';
import type { ActionKind, ActionStatus, DecisionSource, ReviewDecision, ReviewStatus, TextMode } from './types.js';
import type { Platform } from '../core/message.js';

export interface VerdictsTable {
  id: Generated<number>;
  message_key: string;
  platform: Platform;
  server_id: string;
  channel_id: string;
  thread_id: string | null;
  message_id: string;
  author_id: string;
  kind: 'new' | 'edit';
  content_hash: string;
  text: string | null;
  excerpt: string;
  text_stored: TextMode;
  scores_json: string;
  label_sources_json: string;
  spans_json: string;
  model_name: string;
  model_version: string;
  decision_json: string;
  latency_ms: number;
  revision: Generated<number>;
  message_at: string;
  created_at: string;
  updated_at: string;
}

export interface VerdictSourcesTable {
  verdict_id: number;
  attachment: number;
  name: string | null;
  url: string | null;
  scanned: 0 | 1;
  text: string | null;
  confidence: number | null;
  reason: string | null;
  scores_json: string | null;
}

export interface ActionsTable {
  id: Generated<number>;
  /** null: a server's action (a notice), with platform and server_id set instead. */
  verdict_id: number | null;
  kind: ActionKind;
  dedupe_key: string;
  payload_json: string;
  status: Generated<ActionStatus>;
  attempts: Generated<number>;
  next_attempt_at: string;
  lease_until: string | null;
  last_error: string | null;
  result_json: string | null;
  created_at: string;
  updated_at: string;
  platform: Platform | null;
  server_id: string | null;
}

export interface ReviewItemsTable {
  id: Generated<number>;
  verdict_id: number;
  server_id: string;
  status: Generated<ReviewStatus>;
  appeal_note: string | null;
  appeal_author_id: string | null;
  appealed_at: string | null;
  queued_at: string;
  created_at: string;
  updated_at: string;
}

export interface ReviewDecisionsTable {
  id: Generated<number>;
  review_id: number;
  decision: ReviewDecision;
  moderator_id: string;
  source: DecisionSource;
  note: string | null;
  decided_at: string;
}

export interface StrikesTable {
  id: Generated<number>;
  server_id: string;
  user_id: string;
  verdict_id: number | null;
  at: string;
}

export interface PoliciesTable {
  server_id: string;
  policy_json: string;
  updated_by: string;
  updated_at: string;
}

export interface PolicyAuditTable {
  id: Generated<number>;
  server_id: string;
  actor: string;
  source: string;
  before_json: string | null;
  after_json: string | null;
  at: string;
}

export interface ScanCheckpointsTable {
  scan_id: string;
  file: string;
  line: number;
  updated_at: string;
}

export interface InstallationsTable {
  platform: string;
  install_key: string;
  team_id: string | null;
  enterprise_id: string | null;
  is_enterprise: 0 | 1;
  installation_json: string;
  installed_by: string | null;
  created_at: string;
  updated_at: string;
}

export interface DriftTable {
  id: Generated<number>;
  day: string;
  server_id: Generated<string>;
  metric: string;
  label: Generated<string>;
  value: number;
  bound: number;
  over: 0 | 1;
  n: number;
  reference: number | null;
  model: string;
  alerted_at: string | null;
  computed_at: string;
}

export interface DriftDaysTable {
  day: string;
  messages: number;
  model: string;
  computed_at: string;
}

export interface CursorsTable {
  source: string;
  value_json: string;
  updated_at: string;
}

export interface SchemaVersionTable {
  version: number;
  description: string;
  applied_at: string;
}

export interface DB {
  verdicts: VerdictsTable;
  verdict_sources: VerdictSourcesTable;
  actions: ActionsTable;
  review_items: ReviewItemsTable;
  review_decisions: ReviewDecisionsTable;
  strikes: StrikesTable;
  policies: PoliciesTable;
  policy_audit: PolicyAuditTable;
  scan_checkpoints: ScanCheckpointsTable;
  installations: InstallationsTable;
  drift: DriftTable;
  drift_days: DriftDaysTable;
  cursors: CursorsTable;
  schema_version: SchemaVersionTable;
}

/** A connection or a transaction: repositories run their queries on whichever they are given. */
export type Q = Kysely<DB>;

/** Every table, parents before children (the order `db copy` fills a database in). */
export const TABLES = [
  'verdicts',
  'verdict_sources',
  'actions',
  'review_items',
  'review_decisions',
  'strikes',
  'policies',
  'policy_audit',
  'scan_checkpoints',
  'installations',
  'drift',
  'drift_days',
  'cursors',
] as const satisfies readonly (keyof DB)[];
