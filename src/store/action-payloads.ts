// The payload each kind of outbox action carries lives in the action catalogue (src/core/actions/,
// one module per kind): checked when an action is enqueued (an invalid plan is refused inside the
// verdict's transaction) and again when it is claimed. Re-exported here for the store.
export { ACTION_PAYLOADS, parseActionPayload, type ActionPayload } from '../core/actions/catalogue.js';
