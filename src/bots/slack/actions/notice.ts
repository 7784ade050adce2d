// `notice`: a post to the workspace's moderators' channel about no one message (deletes falling back
// to flags without an admin token, model drift). Posted like an alert, with the action in its
// metadata, so a retry after a crash finds the first post instead of posting again.
import type { CatalogueAction } from '../../../core/actions/index.js';
import { postOnce } from './alert.js';
import { alertChannel, type ActionDeps } from './context.js';

const NOTICE_EVENT = 'toxguard_notice';

export async function postNotice(deps: ActionDeps, action: CatalogueAction<'notice'>): Promise<unknown> {
  const { serverId } = action.target;
  const channel = await alertChannel(deps, serverId, action.payload.channelId);
  if (!channel) return { skipped: "no moderators' channel for this workspace" };
  const client = deps.clients.for(await deps.workspaces.botToken(serverId));
  return postOnce(deps, client, action, NOTICE_EVENT, { channel, text: action.payload.text });
}
