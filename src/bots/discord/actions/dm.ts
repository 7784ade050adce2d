// Tells the author what happened and how to appeal (policy `dmAuthor`). The appeal button opens a
// form; the appeal lands in the server's review queue. Members may have DMs closed: that is normal.
import { ActionRowBuilder, ButtonBuilder, ButtonStyle, Routes, type APIChannel } from 'discord.js';
import type { VerdictRecord } from '../../../store/index.js';
import { customId } from '../custom-ids.js';
import { jumpLink } from '../links.js';
import { finishedActions } from '../../../core/actions/index.js';
import { idempotencyNonce, triggeredSummary, type ActionContext, type ActionHandler } from './context.js';

function dmText(verdict: VerdictRecord): string {
  const a = verdict.decision.actions;
  const what = a.includes('delete') ? 'was removed' : a.includes('timeout') ? 'led to a timeout' : 'was flagged for the moderators';
  return [
    `Your message in <#${verdict.channelId}> ${what} by toxguard, the server's moderation bot (${triggeredSummary(verdict)}).`,
    'If you think this is a mistake, press **Appeal** and tell the moderators why.',
  ].join('\n');
}

/** Sends the DM; `key` (the idempotency key of the outbox action it belongs to) makes a repeat after a crash a no-op at Discord. */
export async function sendAuthorDm(ax: ActionContext, verdict: VerdictRecord, key: string | null): Promise<{ channelId: string; messageId: string }> {
  const channel = (await ax.rest.post(Routes.userChannels(), { body: { recipient_id: verdict.authorId } })) as APIChannel;
  const row = new ActionRowBuilder<ButtonBuilder>().addComponents(
    new ButtonBuilder().setCustomId(customId('appeal', verdict.id)).setLabel('Appeal').setStyle(ButtonStyle.Primary),
  );
  if (!verdict.decision.actions.includes('delete')) {
    row.addComponents(new ButtonBuilder().setURL(jumpLink(verdict)).setLabel('Open message').setStyle(ButtonStyle.Link));
  }
  const posted = (await ax.rest.post(Routes.channelMessages(channel.id), { body: { content: dmText(verdict), components: [row.toJSON()], ...idempotencyNonce(key) } })) as { id: string };
  return { channelId: channel.id, messageId: posted.id };
}

/**
 * The planned `dm` action (policy `dmAuthor`): on Discord the author is told about a delete or a
 * timeout, once it has happened (a flag alone is not DMed). While the delete or timeout is still
 * running, the action is retried; when it failed for good, there is nothing to tell.
 */
export const dm: ActionHandler<'dm'> = async (ax, action, verdict) => {
  const hard = await finishedActions(ax.ctx.store, verdict.id, ['delete', 'timeout']);
  if (hard.length === 0) return { skipped: 'on Discord the author is told only about a delete or a timeout' };
  if (!hard.some((a) => a.status === 'done')) return { skipped: 'the delete or timeout failed: nothing to tell the author' };
  return { sent: true, ...(await sendAuthorDm(ax, verdict, action.idempotencyKey)) };
};
