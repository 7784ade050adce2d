// The optional notice to the author (policy `dmAuthor`): an ephemeral message only they see, in
// the channel. Best effort: a failed notice is logged and never makes the action retry.
import type { ClaimedAction } from '../../../store/index.js';
import type { ActionDeps } from './context.js';

export async function noticeToAuthor(deps: ActionDeps, action: ClaimedAction, what: 'deleted' | 'flagged'): Promise<boolean> {
  const { serverId, channelId, authorId, threadId } = action.target;
  if (!deps.policies.get(serverId).dmAuthor) return false;
  const text =
    what === 'deleted'
      ? 'toxguard removed a message of yours in this channel: the moderation model scored it as toxic. If that is wrong, ask a moderator to review it.'
      : 'toxguard flagged a message of yours in this channel for review by the moderators: the moderation model scored it as toxic.';
  try {
    const client = deps.clients.for(await deps.workspaces.botToken(serverId));
    await client.chat.postEphemeral({ channel: channelId, user: authorId, text, ...(threadId ? { thread_ts: threadId } : {}) });
    return true;
  } catch (err) {
    deps.logger.warn({ action: action.id, error: (err as Error).message }, 'Slack: notice to the author failed');
    return false;
  }
}
