// Alert: a Block Kit message in the moderators' channel. The AlertLimiter lets a few alerts a
// minute through per workspace (policy `alerts.maxPerMinute`); the rest are held back and posted
// as one summary, so a raid cannot flood the channel.
import type { webApi } from '@slack/bolt';
import { heldBatch, holdBackFirst, postedAlert, type CatalogueAction } from '../../../core/actions/index.js';
import { PermanentActionError } from '../../../core/outbox.js';
import type { VerdictRecord } from '../../../store/index.js';
import { alertBlocks, alertText, decidedBlocks, decidedBy, summaryText, type DeleteStatus } from '../blocks.js';
import { slackAction } from '../errors.js';
import { permalink } from '../to-message.js';
import { alertChannel, type ActionDeps } from './context.js';

export async function postAlert(deps: ActionDeps, action: CatalogueAction<'alert'>, verdict: VerdictRecord): Promise<unknown> {
  const { serverId } = action.target;
  const channel = await alertChannel(deps, serverId, action.payload?.channelId);
  if (!channel) {
    throw new PermanentActionError(
      `no moderators' channel for Slack workspace ${serverId}: set one with "/toxicity config alerts.channelId C…" or the slack.alertChannelId config key`,
    );
  }
  const held = await holdBackFirst(deps, action, verdict, channel);
  if (held) return held;
  // The delete will fall back to a flag without an admin token: give moderators the review buttons now.
  if (deletionOf(deps, verdict) === 'no-admin-token' && !(await deps.store.reviewForVerdict(verdict.id))) await deps.store.ensureReview(verdict.id);
  const client = deps.clients.for(await deps.workspaces.botToken(serverId));
  return postOnce(deps, client, action, ALERT_EVENT, { channel, text: alertText(verdict), blocks: await currentBlocks(deps, verdict), unfurl_links: false });
}

/** Message metadata types of toxguard's posts; the payload names the outbox action and its idempotency key. */
const ALERT_EVENT = 'toxguard_alert';
const SUMMARY_EVENT = 'toxguard_alert_summary';

/**
 * Posts a message for an outbox action, carrying the action in its metadata. Slack has no
 * idempotency key, so a retry (which may follow a crash after the post) first looks for a message
 * carrying this action in the channel's history, and returns it instead of posting again.
 */
export async function postOnce(
  deps: ActionDeps,
  client: webApi.WebClient,
  action: CatalogueAction,
  eventType: string,
  message: { channel: string; text: string; blocks?: ReturnType<typeof alertBlocks>; unfurl_links?: boolean },
): Promise<unknown> {
  const { channel } = message;
  if (action.attempts > 1) {
    // Best effort: without the history scope for this channel, the message is posted (at least once).
    const earlier = await postedEarlier(client, channel, action, eventType).catch((err: unknown) => {
      deps.logger.warn({ action: action.id, error: (err as Error).message }, 'Slack: could not look for an earlier post of this action');
      return undefined;
    });
    if (earlier) return { channel, ts: earlier, recovered: true };
  }
  const metadata = { event_type: eventType, event_payload: { action_id: action.id, key: action.idempotencyKey ?? '' } };
  const res = await slackAction('chat.postMessage', () => client.chat.postMessage({ ...message, metadata }));
  if ('skipped' in res) return res;
  return { channel: res.channel, ts: res.ts };
}

/** The ts of a message this action already posted (found by its metadata since the action was created), if any. */
async function postedEarlier(client: webApi.WebClient, channel: string, action: CatalogueAction, eventType: string): Promise<string | undefined> {
  const oldest = String(Math.floor(Date.parse(action.createdAt) / 1000) - 1);
  const res = await slackAction('conversations.history', () => client.conversations.history({ channel, oldest, include_all_metadata: true, limit: 200 }));
  if ('skipped' in res) return undefined;
  const mine = res.messages?.find((m) => m.metadata?.event_type === eventType && Number((m.metadata.event_payload as { action_id?: unknown } | undefined)?.action_id) === action.id);
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
  const alert = await postedAlert(deps.store, verdict);
  if ('skip' in alert) return alert.skip;
  const { channel, ts } = alert.posted;
  if (typeof channel !== 'string' || typeof ts !== 'string') return { skipped: 'the alert was not posted' };
  const client = deps.clients.for(await deps.workspaces.botToken(verdict.serverId));
  const res = await slackAction('chat.update', async () => client.chat.update({ channel, ts, text: alertText(verdict), blocks: await currentBlocks(deps, verdict) }), ['message_not_found', 'channel_not_found']);
  return 'skipped' in res ? res : { refreshed: true };
}

/** `alert-summary`: one message for the alerts held back in a batch, built from the store. */
export async function postSummary(deps: ActionDeps, action: CatalogueAction<'alert-summary'>, verdict: VerdictRecord): Promise<unknown> {
  const batch = await heldBatch(deps.store, verdict.serverId, action.payload);
  if ('skip' in batch) return batch.skip;
  const client = deps.clients.for(await deps.workspaces.botToken(verdict.serverId));
  const posted = await postOnce(deps, client, action, SUMMARY_EVENT, { channel: action.payload.channelId, text: summaryText(batch.summary) });
  return 'skipped' in (posted as object) ? posted : { ...(posted as object), count: batch.count };
}
