// The optional notice to the author (policy `dmAuthor`, the planned `dm` action): an ephemeral
// message only they see, in the channel, saying whether the message was deleted or flagged. Best
// effort: a failed notice is logged and not retried.
import { finishedActions, type CatalogueAction } from '../../../core/actions/index.js';
import type { ActionDeps } from './context.js';

export async function noticeToAuthor(deps: ActionDeps, action: CatalogueAction<'dm'>, what: 'deleted' | 'flagged'): Promise<boolean> {
  const { serverId, channelId, authorId, threadId } = action.target;
  if (!(await deps.policies.get(serverId)).dmAuthor) return false;
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

/**
 * The planned `dm` action: once the message's delete (or flag) has run, tell the author what was
 * actually done. A delete that fell back to a flag (no admin token) is reported as a flag.
 */
export async function tellAuthor(deps: ActionDeps, action: CatalogueAction<'dm'>): Promise<unknown> {
  const acted = await finishedActions(deps.store, action.verdictId, ['delete', 'flag']);
  const deleted = acted.some((a) => a.kind === 'delete' && a.status === 'done' && (a.result as { deleted?: boolean } | null)?.deleted === true);
  const flagged = acted.some((a) => a.status === 'done');
  if (!deleted && !flagged) return { notified: false, skipped: 'nothing was done to the message' };
  return { notified: await noticeToAuthor(deps, action, deleted ? 'deleted' : 'flagged') };
}
