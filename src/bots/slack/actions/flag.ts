// Flag: a reaction on the message (the review item was written with the verdict).
import type { CatalogueAction } from '../../../core/actions/index.js';
import { slackAction } from '../errors.js';
import type { ActionDeps } from './context.js';

export async function addFlagReaction(deps: ActionDeps, action: Pick<CatalogueAction<'flag' | 'delete'>, 'target'>): Promise<unknown> {
  const { channelId, messageId, serverId } = action.target;
  const client = deps.clients.for(await deps.workspaces.botToken(serverId));
  // Already reacted (a retry after a lost answer) or the message is gone: nothing left to do.
  const res = await slackAction(
    'reactions.add',
    () => client.reactions.add({ channel: channelId, timestamp: messageId, name: deps.config.flagReaction }),
    ['already_reacted', 'message_not_found'],
  );
  return 'skipped' in res ? { reaction: deps.config.flagReaction, skipped: res.skipped } : { reaction: deps.config.flagReaction };
}
