// Alert: a Block Kit message in the moderators' channel. The AlertLimiter lets a few alerts a
// minute through per workspace (policy `alerts.maxPerMinute`); the rest are held back and posted
// as one summary, so a raid cannot flood the channel.
import type { webApi } from '@slack/bolt';
import { PermanentActionError } from '../../../core/outbox.js';
import { holdBack } from '../../../core/held-alerts.js';
import { summaryOf } from '../../../policy/alert-limiter.js';
import { parseActionPayload, type ClaimedAction, type VerdictRecord } from '../../../store/index.js';
import { alertBlocks, alertText, decidedBlocks, decidedBy, summaryText, type DeleteStatus } from '../blocks.js';
import { RetryableSlackError, slackAction } from '../errors.js';
import { permalink } from '../to-message.js';
import { alertChannel, type ActionDeps } from './context.js';

export async function postAlert(deps: ActionDeps, action: ClaimedAction, verdict: VerdictRecord): Promise<unknown> {
  const { serverId } = action.target;
  const planned = (action.payload as { channelId?: string } | null)?.channelId;
  const channel = await alertChannel(deps, serverId, planned);
  if (!channel) {
    throw new PermanentActionError(
      `no moderators' channel for Slack workspace ${serverId}: set one with "/toxicity config alerts.channelId C…" or the slack.alertChannelId config key`,
    );
  }
  // A retried alert was already counted by the limiter; count each alert once.
  if (action.attempts <= 1) {
    const held = await holdBack(deps.limiter, deps.store, verdict, channel, deps.now());
    if (held) return held;
  }
  // The delete will fall back to a flag without an admin token: give moderators the review buttons now.
  if (deletionOf(deps, verdict) === 'no-admin-token' && !await deps.store.reviewForVerdict(verdict.id)) await deps.store.ensureReview(verdict.id);
  const client = deps.clients.for(await deps.workspaces.botToken(serverId));
  // A retry may follow a crash after the post: look for the alert carrying this action's id first.
  if (action.attempts > 1) {
    // Best effort: without the history scope for this channel, the alert is posted (at least once).
    const earlier = await postedEarlier(client, channel, action).catch((err: unknown) => {
      deps.logger.warn({ action: action.id, error: (err as Error).message }, 'Slack: could not look for an earlier post of this alert');
      return undefined;
    });
    if (earlier) return { channel, ts: earlier, recovered: true };
  }
  const metadata = { event_type: ALERT_EVENT, event_payload: { action_id: action.id } };
  const res = await slackAction('chat.postMessage', async () => client.chat.postMessage({ channel, text: alertText(verdict), blocks: await currentBlocks(deps, verdict), unfurl_links: false, metadata }));
  if ('skipped' in res) return res;
  return { channel: res.channel, ts: res.ts };
}

/** Message metadata type of toxguard's alerts; the payload names the outbox action (its idempotency key). */
const ALERT_EVENT = 'toxguard_alert';

/** The ts of an alert this action already posted (found by its metadata since the action was created), if any. */
async function postedEarlier(client: webApi.WebClient, channel: string, action: ClaimedAction): Promise<string | undefined> {
  const oldest = String(Math.floor(Date.parse(action.createdAt) / 1000) - 1);
  const res = await slackAction('conversations.history', () => client.conversations.history({ channel, oldest, include_all_metadata: true, limit: 200 }));
  if ('skipped' in res) return undefined;
  const mine = res.messages?.find((m) => m.metadata?.event_type === ALERT_EVENT && Number((m.metadata.event_payload as { action_id?: unknown } | undefined)?.action_id) === action.id);
  return mine?.ts;
}

function deletionOf(deps: ActionDeps, verdict: VerdictRecord): DeleteStatus | undefined {
  if (!verdict.decision.actions.includes('delete')) return undefined;
  return deps.workspaces.adminToken(verdict.serverId) ? 'deleting' : 'no-admin-token';
}

/** The alert as it should look now: with review buttons while pending, with who decided once decided. */
async function currentBlocks(deps: ActionDeps, verdict: VerdictRecord): Promise<ReturnType<typeof alertBlocks>> {
  const review = await deps.store.reviewForVerdict(verdict.id);
  const link = permalink(deps.workspaces.team(verdict.serverId)?.url, verdict.channelId, verdict.messageId, verdict.threadId ?? undefined);
  const blocks = alertBlocks({ verdict, reviewId: review?.id, link, deletion: deletionOf(deps, verdict) });
  const decided = review && review.status !== 'pending' ? review.lastDecision : null;
  return decided ? decidedBlocks(blocks, decided.decision, decidedBy(decided)) : blocks;
}

/**
 * `refresh-alert` (enqueued with every review decision, from Slack's buttons, the dashboard or the
 * CLI): the posted alert is re-rendered with the review's current state. Waits (retries) while the
 * alert itself is still to be posted.
 */
export async function refreshAlert(deps: ActionDeps, verdict: VerdictRecord): Promise<unknown> {
  const alert = (await deps.store.listActions(verdict.id)).find((a) => a.kind === 'alert' && a.status !== 'dead');
  if (!alert) return { skipped: 'no alert for this message' };
  if (alert.status !== 'done') throw new RetryableSlackError('the alert is not posted yet');
  const posted = alert.result as { channel?: string; ts?: string } | null;
  if (!posted?.channel || !posted.ts) return { skipped: 'the alert was held back and summarised' };
  const { channel, ts } = posted;
  const client = deps.clients.for(await deps.workspaces.botToken(verdict.serverId));
  const res = await slackAction('chat.update', async () => client.chat.update({ channel, ts, text: alertText(verdict), blocks: await currentBlocks(deps, verdict) }), ['message_not_found', 'channel_not_found']);
  return 'skipped' in res ? res : { refreshed: true };
}

/** `alert-summary`: one message for the alerts held back in a batch, built from the store. */
export async function postSummary(deps: ActionDeps, action: ClaimedAction, verdict: VerdictRecord): Promise<unknown> {
  const { batchStart, channelId } = parseActionPayload('alert-summary', action.payload);
  const held = await deps.store.heldBackAlerts(verdict.serverId, batchStart);
  if (held.length === 0) return { skipped: 'no alert was held back' };
  const client = deps.clients.for(await deps.workspaces.botToken(verdict.serverId));
  const res = await slackAction('chat.postMessage', () => client.chat.postMessage({ channel: channelId, text: summaryText(summaryOf(verdict.serverId, held)) }));
  if ('skipped' in res) return res;
  return { channel: res.channel, ts: res.ts, count: held.length };
}
