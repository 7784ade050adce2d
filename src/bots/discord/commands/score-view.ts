// Scores and spans as an ephemeral embed (used by /toxicity check and "Check toxicity").
import { EmbedBuilder, type APIEmbed } from 'discord.js';
import { LABELS, type Scores, type Span } from '../../../classifier/labels.js';
import { highlight, spanWords } from '../alert-embed.js';

export function scoreEmbed(title: string, text: string, scores: Scores, spans: readonly Span[], thresholds: Scores, extra: { name: string; value: string }[] = []): APIEmbed {
  const flagged = LABELS.filter((l) => scores[l] >= thresholds[l]);
  const lines = LABELS.map((l) => {
    const line = `${l} ${scores[l].toFixed(2)} (threshold ${thresholds[l].toFixed(2)})`;
    return flagged.includes(l) ? `**${line}**` : line;
  });
  const words = spanWords(text, spans);
  const embed = new EmbedBuilder()
    .setTitle(title)
    .setColor(flagged.length ? 0xd83c3e : 0x3ba55c)
    .setDescription(text.trim() ? highlight(text, spans, 1500) : '*(no text)*')
    .addFields(
      { name: flagged.length ? `Toxic: ${flagged.join(', ')}` : 'Not toxic', value: lines.join('\n') },
      ...(words.length ? [{ name: 'Words behind the score', value: words.map((w) => `\`${w.replaceAll('`', "'")}\``).join(', ').slice(0, 1024) }] : []),
      ...extra,
    );
  return embed.toJSON();
}
