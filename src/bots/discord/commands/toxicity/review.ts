// `/toxicity review [page]`: the pending queue (appeals first by recency), a few items a page, each
// with confirm/overturn buttons; the buttons carry the page so the list is shown again after a decision.
import { ActionRowBuilder, ButtonBuilder, ButtonStyle, EmbedBuilder, MessageFlags, type APIActionRowComponent, type APIComponentInMessageActionRow, type APIEmbed } from 'discord.js';
import type { Decision, Store } from '../../../../store/index.js';
import { highlight } from '../../alert-embed.js';
import { customId } from '../../custom-ids.js';
import { jumpLink } from '../../links.js';
import type { Subcommand } from '../types.js';

/** Four items and a navigation row: Discord allows five rows of buttons. */
export const PAGE_SIZE = 4;

export interface ReviewPage {
  embeds: APIEmbed[];
  components: APIActionRowComponent<APIComponentInMessageActionRow>[];
}

export async function reviewPage(store: Store, guildId: string, page: number): Promise<ReviewPage> {
  const items = await store.listReviews(guildId, { status: 'pending', limit: PAGE_SIZE + 1, offset: page * PAGE_SIZE });
  const shown = items.slice(0, PAGE_SIZE);
  const embed = new EmbedBuilder().setTitle(`Review queue, page ${page + 1}`);
  if (shown.length === 0) embed.setDescription(page === 0 ? 'Nothing to review.' : 'No more items.');
  const rows: ActionRowBuilder<ButtonBuilder>[] = [];
  for (const item of shown) {
    const v = item.verdict;
    const top = v.decision.triggered.map((t) => `${t.label} ${t.score.toFixed(2)}`).join(', ') || 'appeal';
    const text = v.text ?? v.excerpt;
    const lines = [
      `<@${v.authorId}> in <#${v.channelId}> · [jump](${jumpLink(v)}) · ${top}`,
      text ? `> ${highlight(text, v.spans, 300).replaceAll('\n', ' ')}` : '',
      item.appealNote ? `Appeal: ${item.appealNote.slice(0, 200)}` : '',
    ].filter(Boolean);
    embed.addFields({ name: `#${item.id}${actedLabel(v.decision)}`, value: lines.join('\n').slice(0, 1024) });
    rows.push(
      new ActionRowBuilder<ButtonBuilder>().addComponents(
        new ButtonBuilder().setCustomId(customId('confirm', item.id, page)).setLabel(`Confirm #${item.id}`).setStyle(ButtonStyle.Danger),
        new ButtonBuilder().setCustomId(customId('overturn', item.id, page)).setLabel(`Overturn #${item.id}`).setStyle(ButtonStyle.Secondary),
      ),
    );
  }
  if (page > 0 || items.length > PAGE_SIZE) {
    rows.push(
      new ActionRowBuilder<ButtonBuilder>().addComponents(
        new ButtonBuilder().setCustomId(customId('page', Math.max(0, page - 1))).setLabel('Previous').setStyle(ButtonStyle.Secondary).setDisabled(page === 0),
        new ButtonBuilder().setCustomId(customId('page', page + 1)).setLabel('Next').setStyle(ButtonStyle.Secondary).setDisabled(items.length <= PAGE_SIZE),
      ),
    );
  }
  return { embeds: [embed.toJSON()], components: rows.map((r) => r.toJSON()) };
}

/** What was done, or in log-only mode what would have been done (the item is queued all the same). */
export function actedLabel(decision: Decision): string {
  if (decision.logOnly) return decision.wouldAct?.length ? ` (would have acted: ${decision.wouldAct.join(', ')})` : ' (log-only)';
  return decision.actions.length ? ` (${decision.actions.join(', ')})` : '';
}

export const review: Subcommand = {
  data: (s) =>
    s
      .setName('review')
      .setDescription('The pending review queue, with confirm and overturn buttons')
      .addIntegerOption((o) => o.setName('page').setDescription('Page number (default 1)').setMinValue(1)),
  async execute({ ctx }, interaction) {
    const guildId = interaction.guildId;
    if (!guildId) return;
    const page = (interaction.options.getInteger('page') ?? 1) - 1;
    await interaction.reply({ ...await reviewPage(ctx.store, guildId, page), flags: MessageFlags.Ephemeral });
  },
};
