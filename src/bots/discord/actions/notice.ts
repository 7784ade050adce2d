// `notice`: a post to the server's mod-log channel about no one message (a missing permission, model
// drift). The action's idempotency key is the nonce (with enforce_nonce), as for an alert, so a repeat
// after a crash between the post and marking it done returns the first message.
import { Routes } from 'discord.js';
import { idempotencyNonce, type ActionHandler } from './context.js';

export const notice: ActionHandler<'notice'> = async (ax, action) => {
  const channelId = action.payload.channelId ?? (await ax.ctx.policies.get(action.target.serverId)).alerts.channelId;
  if (!channelId) return { skipped: 'no alert channel set (/toxicity config set alerts.channelId)' };
  const body = { content: action.payload.text.slice(0, 2000), ...idempotencyNonce(action.idempotencyKey) };
  const posted = (await ax.rest.post(Routes.channelMessages(channelId), { body })) as { id: string };
  return { channelId, messageId: posted.id };
};
