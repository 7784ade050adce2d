// `/toxicity check text:<text>`: scores and the words behind them, only for the moderator asking.
// The pipeline's dry run: the same limits as a recorded message, nothing recorded.
import { MessageFlags } from 'discord.js';
import { dryRunMessage } from '../../../../core/message.js';
import { scoreEmbed } from '../score-view.js';
import type { Subcommand } from '../types.js';

export const check: Subcommand = {
  data: (s) =>
    s
      .setName('check')
      .setDescription('Score a text with the toxicity model (only you see the answer)')
      .addStringOption((o) => o.setName('text').setDescription('The text to score').setRequired(true).setMaxLength(4000)),
  async execute({ ctx }, interaction) {
    const text = interaction.options.getString('text', true);
    const e = await ctx.pipeline.evaluate(dryRunMessage({ platform: 'discord', serverId: interaction.guildId ?? 'dm', channelId: interaction.channelId, text }), { record: false });
    const embed = scoreEmbed('Toxicity check', e.text, e.scores, e.spans, ctx.scorer.thresholds);
    await interaction.reply({ embeds: [embed], flags: MessageFlags.Ephemeral });
  },
};
