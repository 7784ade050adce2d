// `alert`: tell the moderators (an embed in the mod-log, a Block Kit message, a modmail). Alerts go
// through the per-minute limiter first (alert-summary.ts). A repeat after a crash carries the
// action's idempotency key: Discord's nonce with enforce_nonce, Slack's message metadata (looked
// for before a retry posts again).
import { z } from 'zod';
import type { AlertLimiter } from '../../policy/alert-limiter.js';
import type { Store } from '../../store/index.js';
import type { ClaimedAction, VerdictRecord } from '../../store/types.js';
import { holdBack } from './alert-summary.js';
import { defineAction, postKey } from './define.js';

export const alertAction = defineAction({
  kind: 'alert',
  /** The moderators' channel when the verdict was recorded; none: the policy's at execution. */
  payload: z.strictObject({ channelId: z.string().min(1).optional() }).nullable(),
  dedupeKey: () => 'alert',
  idempotencyKey: (id) => postKey('a', id),
});

/**
 * The limiter's say on an alert, on its first attempt only (a retried alert was already counted):
 * the result to store when it is held back, else undefined (post it).
 */
export async function holdBackFirst(
  env: { limiter: AlertLimiter; store: Store; now: () => number },
  action: Pick<ClaimedAction, 'attempts'>,
  verdict: VerdictRecord,
  summaryChannel: string,
): Promise<{ batched: true; batchedIn: string } | undefined> {
  if (action.attempts > 1) return undefined;
  return await holdBack(env.limiter, env.store, verdict, summaryChannel, env.now());
}
