// Alert: a Block Kit message in the moderators' channel. The AlertLimiter lets a few alerts a
// minute through per workspace (policy `alerts.maxPerMinute`); the rest are held back and posted
// as one summary, so a raid cannot flood the channel.
import { PermanentActionError } from '../../../core/outbox.js';
import type { AlertSummary } from '../../../policy/alert-limiter.js';
import type { ClaimedAction, VerdictRecord } from '../../../store/index.js';
import { alertBlocks, alertText, summaryText, type DeleteStatus } from '../blocks.js';
import { slackAction } from '../errors.js';
import { permalink } from '../to-message.js';
import { alertChannel, type ActionDeps } from './context.js';

export async function postAlert(deps: ActionDeps, action: ClaimedAction, verdict: VerdictRecord): Promise<unknown> {
  const { serverId, channelId, messageId, threadId } = action.target;
  const planned = (action.payload as { channelId?: string } | null)?.channelId;
  const channel = alertChannel(deps, serverId, planned);
  if (!channel) {
    throw new PermanentActionError(
      `no moderators' channel for Slack workspace ${serverId}: set one with "/toxicity config alerts.channelId C…" or the slack.alertChannelId config key`,
    );
  }
  // A retried alert was already counted by the limiter; count each alert once.
  if (action.attempts <= 1) {
    const labels = verdict.decision.triggered.map((t) => t.label);
    if (deps.limiter.offer(serverId, { channelId, labels }, deps.now()) === 'batched') return { batched: true };
  }
  let deletion: DeleteStatus | undefined;
  let reviewId = deps.store.reviewForVerdict(verdict.id)?.id;
  if (verdict.decision.actions.includes('delete')) {
    deletion = deps.workspaces.adminToken(serverId) ? 'deleting' : 'no-admin-token';
    // The delete will fall back to a flag: give moderators the review buttons now.
    if (deletion === 'no-admin-token' && reviewId === undefined) reviewId = deps.store.ensureReview(verdict.id).id;
  }
  const link = permalink(deps.workspaces.team(serverId)?.url, channelId, messageId, threadId ?? undefined);
  const client = deps.clients.for(await deps.workspaces.botToken(serverId));
  const res = await slackAction('chat.postMessage', () =>
    client.chat.postMessage({ channel, text: alertText(verdict), blocks: alertBlocks({ verdict, reviewId, link, deletion }), unfurl_links: false }),
  );
  if ('skipped' in res) return res;
  return { channel: res.channel, ts: res.ts };
}

/** Posts the summaries of held-back alerts whose minute is over. */
export async function postSummaries(deps: ActionDeps, summaries: readonly AlertSummary[]): Promise<void> {
  for (const summary of summaries) {
    const channel = alertChannel(deps, summary.serverId);
    if (!channel) continue;
    try {
      const client = deps.clients.for(await deps.workspaces.botToken(summary.serverId));
      await client.chat.postMessage({ channel, text: summaryText(summary) });
    } catch (err) {
      deps.logger.warn({ team: summary.serverId, held: summary.count, error: (err as Error).message }, 'Slack: alert summary not posted');
    }
  }
}
