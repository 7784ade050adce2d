// Flags the message with a reaction; the review item itself was written with the verdict.
import { Routes } from 'discord.js';
import type { ActionHandler } from './context.js';

export const flag: ActionHandler<'flag'> = async (ax, action, verdict) => {
  const emoji = encodeURIComponent(ax.config.flagEmoji);
  await ax.rest.put(Routes.channelMessageOwnReaction(action.target.channelId, action.target.messageId, emoji));
  return { reacted: ax.config.flagEmoji, reviewId: (await ax.ctx.store.reviewForVerdict(verdict.id))?.id ?? null };
};
