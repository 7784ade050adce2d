// `/toxicity stats [days]`: verdicts, flagged labels, actions and review outcomes over a period.
import { EmbedBuilder, MessageFlags } from 'discord.js';
import { LABELS } from '../../../../classifier/labels.js';
import { MODERATION_ACTION_KINDS } from '../../../../store/index.js';
import type { Subcommand } from '../types.js';

export const stats: Subcommand = {
  data: (s) =>
    s
      .setName('stats')
      .setDescription('Counts by label and action over a period')
      .addIntegerOption((o) => o.setName('days').setDescription('How many days back (default 7)').setMinValue(1).setMaxValue(365)),
  async execute({ ctx }, interaction) {
    const guildId = interaction.guildId;
    if (!guildId) return;
    const days = interaction.options.getInteger('days') ?? 7;
    const s = await ctx.store.stats(guildId, new Date(Date.now() - days * 86_400_000));
    const labels = LABELS.map((l) => `${l}: ${s.flaggedByLabel[l]}`).join('\n');
    const actions = MODERATION_ACTION_KINDS.map((k) => `${k}: ${s.actions[k].done} done${s.actions[k].dead ? `, ${s.actions[k].dead} failed` : ''}`).join('\n');
    const decided = s.reviews.confirmed + s.reviews.overturned;
    const agreement = decided ? `${Math.round((100 * s.reviews.confirmed) / decided)}% of decided reviews confirmed` : 'no decided reviews yet';
    const embed = new EmbedBuilder()
      .setTitle(`Moderation over the last ${days} day${days === 1 ? '' : 's'}`)
      .setDescription(`${s.verdicts} messages checked, ${s.flaggedVerdicts} over a threshold, ${s.exempted} exempt, ${s.logOnly} in log-only mode.`)
      .addFields(
        { name: 'Flagged by label', value: labels, inline: true },
        { name: 'Actions', value: actions, inline: true },
        { name: 'Reviews', value: `pending ${s.reviews.pending}, confirmed ${s.reviews.confirmed}, overturned ${s.reviews.overturned}, dismissed ${s.reviews.dismissed}\n${agreement}` },
      );
    await interaction.reply({ embeds: [embed.toJSON()], flags: MessageFlags.Ephemeral });
  },
};
