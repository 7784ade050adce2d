// `alert-summary`: the one message that sums up the alerts a server's per-minute limiter
// (src/policy/alert-limiter.ts) held back in a batch. The held-back alert's result names its batch,
// and the batch's first alert schedules the summary as this action, due at the end of its minute, so
// a restart does not lose it. The summary is built from the store when it runs (Store.heldBackAlerts).
import { z } from 'zod';
import { summaryOf, type AlertLimiter, type AlertSummary } from '../../policy/alert-limiter.js';
import type { Store } from '../../store/index.js';
import type { VerdictRecord } from '../../store/types.js';
import { defineAction, postKey } from './define.js';

export const alertSummaryAction = defineAction({
  kind: 'alert-summary',
  /** The batch of held-back alerts it sums up (when its first alert was held back), and where to post. */
  payload: z.strictObject({ batchStart: z.iso.datetime(), channelId: z.string().min(1) }),
  dedupeKey: (p) => `alert-summary:${p.batchStart}`,
  idempotencyKey: (id) => postKey('s', id),
});

/** Time after a batch's minute for its last held-back alerts to be marked done before the summary counts them. */
export const SUMMARY_GRACE_MS = 2_000;

/**
 * Offers the alert to the per-minute limiter. Held back: its result names the batch, and the batch's
 * first alert schedules the batch's summary as an outbox action due at the end of its minute (plus a
 * moment, for the batch's last alerts to be marked done), so a restart does not lose it.
 */
export async function holdBack(limiter: AlertLimiter, store: Store, verdict: VerdictRecord, channelId: string, now = Date.now()): Promise<{ batched: true; batchedIn: string } | undefined> {
  const offer = await limiter.offer(verdict.serverId, now);
  if (offer.send) return undefined;
  const batchedIn = new Date(offer.batchStart).toISOString();
  if (offer.first) {
    const payload = { batchStart: batchedIn, channelId };
    await store.enqueueActions(verdict.id, [{ kind: 'alert-summary', key: alertSummaryAction.dedupeKey(payload), payload }], new Date(limiter.summaryAt(offer.batchStart) + SUMMARY_GRACE_MS));
  }
  return { batched: true, batchedIn };
}

/** The batch to sum up, read from the store when the summary runs; a skip result when nothing was held back. */
export async function heldBatch(store: Store, serverId: string, payload: z.output<typeof alertSummaryAction.payload>): Promise<{ summary: AlertSummary; count: number } | { skip: { skipped: string } }> {
  const held = await store.heldBackAlerts(serverId, payload.batchStart);
  if (held.length === 0) return { skip: { skipped: 'no alert was held back' } };
  return { summary: summaryOf(serverId, held), count: held.length };
}
