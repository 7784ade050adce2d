// `refresh-alert`: enqueued with every review decision (Discord, Slack, the dashboard, the CLI): the
// posted alert is re-rendered with the review's current state. An edit is idempotent: no key.
import { z } from 'zod';
import type { Store } from '../../store/index.js';
import type { VerdictRecord } from '../../store/types.js';
import { defineAction } from './define.js';

export const refreshAlertAction = defineAction({
  kind: 'refresh-alert',
  payload: z.null(),
  dedupeKey: () => 'refresh-alert',
  idempotencyKey: () => null,
});

/** Thrown while the alert itself is still to be posted: the outbox retries the refresh later. */
export class AlertNotPostedYet extends Error {
  constructor() {
    super('the alert is not posted yet');
  }
}

/**
 * The stored result of the verdict's posted alert (what the platform's apply edits), or a skip result
 * when there is nothing to edit. Throws AlertNotPostedYet while the alert is still to be posted.
 */
export async function postedAlert(store: Store, verdict: VerdictRecord): Promise<{ posted: Record<string, unknown> } | { skip: { skipped: string } }> {
  const alert = (await store.listActions(verdict.id)).find((a) => a.kind === 'alert' && a.status !== 'dead');
  if (!alert) return { skip: { skipped: 'no alert for this message' } };
  if (alert.status !== 'done') throw new AlertNotPostedYet();
  const posted = alert.result as Record<string, unknown> | null;
  if (!posted || 'batched' in posted) return { skip: { skipped: 'the alert was held back and summarised' } };
  return { posted };
}
