// Posts the alert embed to the server's mod-log channel, through the AlertLimiter: beyond
// `alerts.maxPerMinute` alerts are held back and posted as one summary (a raid cannot flood it).
import { Routes, type REST } from 'discord.js';
import { LABELS } from '../../../classifier/labels.js';
import { heldBatch, holdBackFirst, postedAlert } from '../../../core/actions/index.js';
import type { AlertSummary } from '../../../policy/alert-limiter.js';
import type { Store, VerdictRecord } from '../../../store/index.js';
import { renderAlert, type AlertView, type FailedAction } from '../alert-embed.js';
import { jumpLink } from '../links.js';
import { idempotencyNonce, type ActionHandler } from './context.js';

export const alert: ActionHandler<'alert'> = async (ax, action, verdict) => {
  const channelId = action.payload?.channelId ?? (await ax.ctx.policies.get(verdict.serverId)).alerts.channelId;
  if (!channelId) return { skipped: 'no alert channel set (/toxicity config set alerts.channelId)' };
  const held = await holdBackFirst({ limiter: ax.limiter, store: ax.ctx.store, now: Date.now }, action, verdict, channelId);
  if (held) return held;
  const view = await alertView(ax.ctx.store, verdict);
  // The action's idempotency key as Discord's nonce: a repeat after a crash (between the post and
  // marking the action done) within Discord's nonce window returns the first message instead of a second.
  const posted = (await ax.rest.post(Routes.channelMessages(channelId), { body: { ...view, ...idempotencyNonce(action.idempotencyKey) } })) as { id: string };
  return { channelId, messageId: posted.id };
};

function summaryText(s: AlertSummary): string {
  const labels = LABELS.filter((l) => s.labels[l] > 0).map((l) => `${l} ${s.labels[l]}`).join(', ');
  const where = s.channelIds.map((c) => `<#${c}>`).join(', ');
  return `**${s.count} more alert${s.count === 1 ? '' : 's'}** held back (more than the alert limit a minute): ${labels || 'no labels'}, in ${where}. See \`/toxicity review\`.`;
}

/** `alert-summary`: one message for the alerts held back in a batch, built from the store. */
export const alertSummary: ActionHandler<'alert-summary'> = async (ax, action, verdict) => {
  const batch = await heldBatch(ax.ctx.store, verdict.serverId, action.payload);
  if ('skip' in batch) return batch.skip;
  const { channelId } = action.payload;
  const body = { content: summaryText(batch.summary), ...idempotencyNonce(action.idempotencyKey) };
  const posted = (await ax.rest.post(Routes.channelMessages(channelId), { body })) as { id: string };
  return { channelId, messageId: posted.id, count: batch.count };
};

/** The alert as it should look now: the review's state, and the actions that failed for good. */
export async function alertView(store: Store, verdict: VerdictRecord, failing?: FailedAction): Promise<AlertView> {
  const failed: FailedAction[] = (await store.listActions(verdict.id))
    .filter((a) => a.status === 'dead' && a.kind !== 'alert' && a.lastError && !a.lastError.startsWith('superseded'))
    .map((a) => ({ kind: a.kind, error: a.lastError ?? '' }));
  if (failing && !failed.some((f) => f.kind === failing.kind)) failed.push(failing);
  return renderAlert(verdict, await store.reviewForVerdict(verdict.id), jumpLink(verdict), failed);
}

/**
 * Re-renders a verdict's posted alert (after a decision made elsewhere, or an action that failed), so
 * the mod-log shows the current state. Returns false when no alert was posted for it.
 */
export async function refreshAlertMessage(rest: REST, store: Store, verdict: VerdictRecord, failing?: FailedAction): Promise<boolean> {
  const posted = (await store.listActions(verdict.id)).find((a) => a.kind === 'alert' && a.status === 'done')?.result as { channelId?: string; messageId?: string } | null | undefined;
  if (!posted?.channelId || !posted.messageId) return false;
  await rest.patch(Routes.channelMessage(posted.channelId, posted.messageId), { body: await alertView(store, verdict, failing) });
  return true;
}

/**
 * `refresh-alert` (enqueued with every review decision): the posted alert is re-rendered with the
 * review's current state. Waits (retries) while the alert itself is still to be posted.
 */
export const refreshAlert: ActionHandler<'refresh-alert'> = async (ax, _action, verdict) => {
  const alert = await postedAlert(ax.ctx.store, verdict);
  if ('skip' in alert) return alert.skip;
  const refreshed = await refreshAlertMessage(ax.rest, ax.ctx.store, verdict);
  return refreshed ? { refreshed: true } : { skipped: 'the alert was held back and summarised' };
};
