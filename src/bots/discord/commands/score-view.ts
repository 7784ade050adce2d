// Scores and spans as an ephemeral embed (used by /toxicity check and "Check toxicity").
import { EmbedBuilder, type APIEmbed } from 'discord.js';
import { LABELS, type Scores, type Span } from '../../../classifier/labels.js';
import type { ImageReading } from '../../../core/pipeline.js';
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

/** The text read from each image of a checked message (attachments that are not images are left out). */
export function imageFields(images: readonly ImageReading[]): { name: string; value: string }[] {
  const fields: { name: string; value: string }[] = [];
  const shown = images.filter((img) => img.scanned || img.reason !== 'not an image');
  shown.forEach((img, i) => {
    if (img.scanned) {
      if (img.text.trim()) fields.push({ name: `Text in image ${i + 1}`, value: img.text.trim().slice(0, 500) });
    } else fields.push({ name: `Image ${i + 1} not read`, value: img.reason.slice(0, 500) });
  });
  return fields.slice(0, 20);
}
