// Alerts held back by the per-minute limiter (src/policy/alert-limiter.ts), the same for every
// platform: the held-back alert's result names its batch, and the batch's first alert schedules the
// batch's summary as an outbox action (alert-summary) due at the end of its minute, so a restart
// does not lose it. The summary is built from the store when it runs (Store.heldBackAlerts).
import type { AlertLimiter } from '../policy/alert-limiter.js';
import type { Store, VerdictRecord } from '../store/index.js';

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
    await store.enqueueActions(verdict.id, [{ kind: 'alert-summary', key: `alert-summary:${batchedIn}`, payload: { batchStart: batchedIn, channelId } }], new Date(limiter.summaryAt(offer.batchStart) + SUMMARY_GRACE_MS));
  }
  return { batched: true, batchedIn };
}

/** Time after a batch's minute for its last held-back alerts to be marked done before the summary counts them. */
export const SUMMARY_GRACE_MS = 2_000;

