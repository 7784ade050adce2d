// The action catalogue: one module per kind, the blueprint every platform implements, one executor.
export { ACTION_CATALOGUE, ACTION_PAYLOADS, actionDefinition, parseActionPayload, type ActionPayload } from './catalogue.js';
export type { ApplyAction, CatalogueAction, PlatformBlueprint } from './blueprint.js';
export { CatalogueExecutor, toCatalogueAction } from './executor.js';
export { alertAction, holdBackFirst } from './alert.js';
export { alertSummaryAction, heldBatch, holdBack, SUMMARY_GRACE_MS } from './alert-summary.js';
export { deleteAction } from './delete.js';
export { dmAction, finishedActions, WaitingForActions } from './dm.js';
export { flagAction } from './flag.js';
export { noticeAction } from './notice.js';
export { AlertNotPostedYet, postedAlert, refreshAlertAction } from './refresh-alert.js';
export { timeoutAction } from './timeout.js';
