// Public surface of the SQLite store.
export { Store, DEFAULT_LEASE_MS, type StoreOptions } from './store.js';
export { StoreError, StoreLockedError, NotADatabaseError } from './errors.js';
export { contentHash, excerpt, EXCERPT_CHARS } from './content.js';
export { MIGRATIONS, LATEST_VERSION } from './migrations.js';
export { ACTION_PAYLOADS, parseActionPayload, type ActionPayload } from './action-payloads.js';
export type { FailOutcome } from './actions.js';
export type { ListReviewsOptions } from './reviews.js';
export type { TimeInput } from './time.js';
export type { InstallationKey, InstallationRow } from './installations.js';
export type { CursorRecord } from './cursors.js';
export * from './types.js';
export { DRIFT_METRICS, dayOf } from './drift.js';
export type { DriftMetric, DriftInput, DriftRecord, ListDriftOptions, DriftMessageSample, DriftImageSample } from './drift.js';
export type { DecidedReview, DecidedReviewsOptions } from './feedback.js';
