// Buttons and the appeal form. Custom ids carry only ids (see custom-ids.ts); the permission is
// re-checked on every click, and every decision is recorded with source 'discord'.
import {
  ActionRowBuilder,
  DiscordAPIError,
  MessageFlags,
  ModalBuilder,
  PermissionFlagsBits,
  RESTJSONErrorCodes,
  TextInputBuilder,
  TextInputStyle,
  type ButtonInteraction,
  type ModalSubmitInteraction,
} from 'discord.js';
import { StoreError, type ReviewDecision } from '../../store/index.js';
import { alertView } from './actions/alert.js';
import { timeoutMember } from './actions/timeout.js';
import { reviewPage } from './commands/toxicity/review.js';
import { customId, parseCustomId } from './custom-ids.js';
import type { DiscordDeps } from './deps.js';
import { requirePermission } from './permissions.js';

const APPEAL_FIELD = 'reason';

async function ephemeral(interaction: ButtonInteraction | ModalSubmitInteraction, content: string): Promise<void> {
  await interaction.reply({ content, flags: MessageFlags.Ephemeral });
}

async function decide(deps: DiscordDeps, interaction: ButtonInteraction, reviewId: number, decision: ReviewDecision, page: number | undefined): Promise<void> {
  if (!(await requirePermission(interaction))) return;
  const { store } = deps.ctx;
  const review = await store.getReview(reviewId);
  if (!review || review.serverId !== interaction.guildId) return ephemeral(interaction, `Review #${reviewId} does not exist in this server.`);
  await store.decideReview(reviewId, decision, interaction.user.id, 'discord');
  deps.log.info({ guild: review.serverId, review: reviewId, decision, moderator: interaction.user.id }, 'review decided');
  const verdict = await store.getVerdict(review.verdictId);
  // The alert in the mod-log is re-rendered by the refresh-alert action decideReview enqueued.
  if (page !== undefined) return void (await interaction.update(await reviewPage(store, review.serverId, page)));
  if (!verdict) return ephemeral(interaction, `Recorded: ${decision}. (The verdict is no longer stored.)`);
  await interaction.update(await alertView(store, verdict));
}

async function timeoutAuthor(deps: DiscordDeps, interaction: ButtonInteraction, verdictId: number): Promise<void> {
  if (!(await requirePermission(interaction, PermissionFlagsBits.ModerateMembers, 'Timeout Members'))) return;
  const { store, policies } = deps.ctx;
  const verdict = await store.getVerdict(verdictId);
  if (!verdict || verdict.serverId !== interaction.guildId) return ephemeral(interaction, `Verdict ${verdictId} does not exist in this server.`);
  const minutes = (await policies.get(verdict.serverId)).escalation.timeoutMinutes;
  try {
    await timeoutMember(interaction.client.rest, verdict.serverId, verdict.authorId, minutes, `toxguard: timed out by ${interaction.user.username} from the alert on verdict ${verdict.id}`);
  } catch (err) {
    if (err instanceof DiscordAPIError && err.code === RESTJSONErrorCodes.MissingPermissions) {
      return ephemeral(interaction, 'I cannot time this member out: I need **Timeout Members** and a role above theirs.');
    }
    throw err;
  }
  const review = await store.reviewForVerdict(verdict.id);
  if (review) await store.decideReview(review.id, 'confirmed', interaction.user.id, 'discord', `timed out the author for ${minutes} min`);
  deps.log.info({ guild: verdict.serverId, verdict: verdict.id, user: verdict.authorId, moderator: interaction.user.id, minutes }, 'author timed out from an alert');
  await interaction.update(await alertView(store, verdict));
  await interaction.followUp({ content: `<@${verdict.authorId}> is timed out for ${minutes} minutes.`, flags: MessageFlags.Ephemeral });
}

async function openAppeal(deps: DiscordDeps, interaction: ButtonInteraction, verdictId: number): Promise<void> {
  const verdict = await deps.ctx.store.getVerdict(verdictId);
  if (!verdict || verdict.authorId !== interaction.user.id) return ephemeral(interaction, 'Only the author of the message can appeal.');
  const modal = new ModalBuilder()
    .setCustomId(customId('appeal-modal', verdictId))
    .setTitle('Appeal a moderation decision')
    .addComponents(
      new ActionRowBuilder<TextInputBuilder>().addComponents(
        new TextInputBuilder().setCustomId(APPEAL_FIELD).setLabel('Why was this a mistake?').setStyle(TextInputStyle.Paragraph).setMaxLength(1000).setRequired(true),
      ),
    );
  await interaction.showModal(modal);
}

export async function handleButton(deps: DiscordDeps, interaction: ButtonInteraction): Promise<void> {
  const parsed = parseCustomId(interaction.customId);
  if (!parsed) return;
  switch (parsed.kind) {
    case 'confirm':
      return decide(deps, interaction, parsed.id, 'confirmed', parsed.page);
    case 'overturn':
      return decide(deps, interaction, parsed.id, 'overturned', parsed.page);
    case 'timeout':
      return timeoutAuthor(deps, interaction, parsed.id);
    case 'appeal':
      return openAppeal(deps, interaction, parsed.id);
    case 'page':
      if (!(await requirePermission(interaction)) || !interaction.guildId) return;
      await interaction.update(await reviewPage(deps.ctx.store, interaction.guildId, parsed.id));
      return;
    case 'appeal-modal':
      return;
  }
}

export async function handleModal(deps: DiscordDeps, interaction: ModalSubmitInteraction): Promise<void> {
  const parsed = parseCustomId(interaction.customId);
  if (parsed?.kind !== 'appeal-modal') return;
  const text = interaction.fields.getTextInputValue(APPEAL_FIELD);
  try {
    const review = await deps.ctx.store.appeal(parsed.id, interaction.user.id, text);
    deps.log.info({ guild: review.serverId, review: review.id, verdict: parsed.id }, 'appeal received');
  } catch (err) {
    if (err instanceof StoreError) return ephemeral(interaction, `Your appeal could not be sent: ${err.message}`);
    throw err;
  }
  await ephemeral(interaction, 'Thank you: your appeal is in the moderators’ review queue.');
}
