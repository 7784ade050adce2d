// The action catalogue: every kind of outbox action, one module each (./<kind>.ts), with its payload
// schema, de-duplication key and idempotency key. The store validates payloads through it when an
// action is enqueued (src/store/action-payloads.ts re-exports from here), and the executor
// (./executor.ts) again when one is claimed. Each platform implements every kind (./blueprint.ts).
import type { z } from 'zod';
import { StoreError } from '../../store/errors.js';
import type { ActionKind } from '../../store/types.js';
import { alertSummaryAction } from './alert-summary.js';
import { alertAction } from './alert.js';
import type { ActionDefinition } from './define.js';
import { deleteAction } from './delete.js';
import { dmAction } from './dm.js';
import { flagAction } from './flag.js';
import { noticeAction } from './notice.js';
import { refreshAlertAction } from './refresh-alert.js';
import { timeoutAction } from './timeout.js';

export const ACTION_CATALOGUE = {
  delete: deleteAction,
  flag: flagAction,
  alert: alertAction,
  timeout: timeoutAction,
  dm: dmAction,
  'refresh-alert': refreshAlertAction,
  'alert-summary': alertSummaryAction,
  notice: noticeAction,
} as const satisfies { [K in ActionKind]: ActionDefinition<K> };

type Catalogue = typeof ACTION_CATALOGUE;

/** Each kind's payload schema. */
export const ACTION_PAYLOADS = Object.fromEntries(Object.entries(ACTION_CATALOGUE).map(([kind, def]) => [kind, def.payload])) as {
  [K in ActionKind]: Catalogue[K]['payload'];
};

export type ActionPayload<K extends ActionKind> = z.output<Catalogue[K]['payload']>;

export function actionDefinition(kind: string): ActionDefinition | undefined {
  return Object.hasOwn(ACTION_CATALOGUE, kind) ? (ACTION_CATALOGUE as Record<string, ActionDefinition>)[kind] : undefined;
}

/** The payload, validated for its kind (absent = null). Throws a StoreError naming the kind and what is wrong. */
export function parseActionPayload<K extends ActionKind>(kind: K, payload: unknown): ActionPayload<K> {
  const def = actionDefinition(kind);
  if (!def) throw new StoreError(`unknown action kind: ${String(kind)}`, 'invalid');
  const parsed = def.payload.safeParse(payload === undefined ? null : payload);
  if (!parsed.success) {
    const issues = parsed.error.issues.map((i) => (i.path.length ? `${i.path.join('.')}: ${i.message}` : i.message)).join('; ');
    throw new StoreError(`invalid payload for ${kind === 'alert' ? 'an' : 'a'} ${kind} action: ${issues}`, 'invalid');
  }
  return parsed.data as ActionPayload<K>;
}
