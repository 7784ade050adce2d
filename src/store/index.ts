// Public surface of the store (SQLite by default, PostgreSQL for a postgres:// URL).
export { Store, DEFAULT_LEASE_MS, type StoreOptions, type PolicyChangeListener } from './store.js';
export { isPostgresUrl, redactUrl, type Backend } from './connection.js';
export { TABLES, type DB } from './schema.js';
export { StoreError, StoreLockedError, NotADatabaseError, DatabaseUnavailableError } from './errors.js';
export { contentHash, excerpt, EXCERPT_CHARS } from './content.js';
export { MIGRATIONS, LATEST_VERSION } from './migrations.js';
export { ACTION_PAYLOADS, parseActionPayload, type ActionPayload } from './action-payloads.js';
export type { FailOutcome } from './actions.js';
export type { ListReviewsOptions } from './reviews.js';
export { BUCKET_PREFIX_LENGTH } from './charts.js';
export type { AgreementRow, BucketCount, BucketUnit, ChannelCount, FlaggedSpans, ServerSummary, TimelineCounts } from './charts.js';
export type { TimeInput } from './time.js';
export type { InstallationKey, InstallationRow } from './installations.js';
export type { CursorRecord } from './cursors.js';
export * from './types.js';
export { DRIFT_METRICS, dayOf } from './drift.js';
export type { DriftMetric, DriftInput, DriftRecord, ListDriftOptions, DriftMessageSample, DriftImageSample } from './drift.js';
export type { DecidedReview, DecidedReviewsOptions } from './feedback.js';
