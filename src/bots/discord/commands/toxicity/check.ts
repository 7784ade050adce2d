// `/toxicity check text:<text>`: scores and the words behind them, only for the moderator asking.
import { MessageFlags } from 'discord.js';
import { MAX_TEXT_CHARS } from '../../../../core/pipeline.js';
import { scoreEmbed } from '../score-view.js';
import type { Subcommand } from '../types.js';

export const check: Subcommand = {
  data: (s) =>
    s
      .setName('check')
      .setDescription('Score a text with the toxicity model (only you see the answer)')
      .addStringOption((o) => o.setName('text').setDescription('The text to score').setRequired(true).setMaxLength(4000)),
  async execute({ ctx }, interaction) {
    const text = interaction.options.getString('text', true).slice(0, MAX_TEXT_CHARS);
    const [prediction] = await ctx.scorer.scoreBatch([text], { explain: true });
    if (!prediction) throw new Error('the scorer returned nothing');
    const embed = scoreEmbed('Toxicity check', text, prediction.scores, prediction.spans ?? [], ctx.scorer.thresholds);
    await interaction.reply({ embeds: [embed], flags: MessageFlags.Ephemeral });
  },
};
