// Deletes the message, with the verdict in the server's audit log.
import { Routes } from 'discord.js';
import { auditReason, type ActionHandler } from './context.js';

export const deleteMessage: ActionHandler<'delete'> = async (ax, action, verdict) => {
  await ax.rest.delete(Routes.channelMessage(action.target.channelId, action.target.messageId), { reason: auditReason(verdict) });
  return { deleted: true };
};
