// Message context menu "Check toxicity": scores a message (and the text in its images, when an OCR
// engine is running) for the moderator only. The pipeline's dry run: the same OCR, limits and
// per-label maximum over sources as a recorded message, and nothing is recorded.
import { ApplicationCommandType, ContextMenuCommandBuilder, InteractionContextType, MessageFlags, type MessageContextMenuCommandInteraction } from 'discord.js';
import { dryRunMessage } from '../../../core/message.js';
import type { DiscordDeps } from '../deps.js';
import { MODERATOR_PERMISSION, requirePermission } from '../permissions.js';
import { attachmentsOf } from '../to-message.js';
import { imageFields, scoreEmbed } from './score-view.js';

export const data = new ContextMenuCommandBuilder()
  .setName('Check toxicity')
  .setType(ApplicationCommandType.Message)
  .setDefaultMemberPermissions(MODERATOR_PERMISSION)
  .setContexts(InteractionContextType.Guild);

export async function execute({ ctx }: DiscordDeps, interaction: MessageContextMenuCommandInteraction): Promise<void> {
  if (!(await requirePermission(interaction))) return;
  // OCR can take seconds; Discord wants an answer within 3.
  await interaction.deferReply({ flags: MessageFlags.Ephemeral });
  const message = interaction.targetMessage;
  const e = await ctx.pipeline.evaluate(
    dryRunMessage({ platform: 'discord', serverId: interaction.guildId ?? 'dm', channelId: message.channelId, messageId: message.id, text: message.content, attachments: attachmentsOf(message) }),
    { record: false },
  );
  await interaction.editReply({ embeds: [scoreEmbed('Check toxicity', e.text, e.scores, e.spans, ctx.scorer.thresholds, imageFields(e.images))] });
}
