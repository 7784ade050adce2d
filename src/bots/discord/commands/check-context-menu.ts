// Message context menu "Check toxicity": scores a message (and the text in its images, when an OCR
// engine is running) for the moderator only, without recording a verdict.
import { ApplicationCommandType, ContextMenuCommandBuilder, InteractionContextType, MessageFlags, type MessageContextMenuCommandInteraction } from 'discord.js';
import { LABELS, type Scores } from '../../../classifier/labels.js';
import { isImage } from '../../../core/ocr.js';
import type { DiscordDeps } from '../deps.js';
import { MODERATOR_PERMISSION, requirePermission } from '../permissions.js';
import { attachmentsOf } from '../to-message.js';
import { scoreEmbed } from './score-view.js';

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
  const images = ctx.ocr ? attachmentsOf(message).filter(isImage).slice(0, 4) : [];
  const ocrTexts: string[] = [];
  for (const image of images) {
    const r = await ctx.ocr?.read(image, AbortSignal.timeout(15_000));
    if (r?.ok && r.text.trim()) ocrTexts.push(r.text.trim());
  }
  const predictions = await ctx.scorer.scoreBatch([message.content, ...ocrTexts], { explain: true });
  const [first] = predictions;
  if (!first) throw new Error('the scorer returned nothing');
  // The strongest source decides each label, as in the pipeline.
  const scores = Object.fromEntries(LABELS.map((l) => [l, Math.max(...predictions.map((p) => p.scores[l]))])) as Scores;
  const extra = ocrTexts.map((t, i) => ({ name: `Text in image ${i + 1}`, value: t.slice(0, 500) }));
  await interaction.editReply({ embeds: [scoreEmbed('Check toxicity', message.content, scores, first.spans ?? [], ctx.scorer.thresholds, extra)] });
}
