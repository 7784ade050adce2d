// The alert moderators see in the mod-log channel: who, where, a jump link, the excerpt with the
// words that drove the verdict in bold, text read from images, the scores, and buttons to confirm,
// overturn or time the author out. Re-rendered with the decision when a moderator clicks.
import { ActionRowBuilder, ButtonBuilder, ButtonStyle, EmbedBuilder, escapeMarkdown, type APIEmbed, type APIActionRowComponent, type APIComponentInMessageActionRow } from 'discord.js';
import { LABELS, type Span } from '../../classifier/labels.js';
import type { ActionKind, ReviewItem, VerdictRecord } from '../../store/index.js';
import { customId } from './custom-ids.js';

const COLORS = { deleted: 0xd83c3e, alert: 0xf0a020, decided: 0x808080 } as const;
const MAX_EXCERPT = 1000;
const MAX_OCR = 500;

export interface AlertView {
  embeds: APIEmbed[];
  components: APIActionRowComponent<APIComponentInMessageActionRow>[];
}

function clip(text: string, max: number): string {
  return text.length > max ? `${text.slice(0, max - 1)}…` : text;
}

/** The text with the spans in bold, markdown in the text itself escaped. */
export function highlight(text: string, spans: readonly Span[], max = MAX_EXCERPT): string {
  const sorted = [...spans].filter(([s, e]) => s < e && s < text.length).sort((a, b) => a[0] - b[0]);
  let out = '';
  let at = 0;
  for (const [start, end] of sorted) {
    if (start < at) continue;
    out += escapeMarkdown(text.slice(at, start)) + `**${escapeMarkdown(text.slice(start, Math.min(end, text.length)))}**`;
    at = Math.min(end, text.length);
  }
  out += escapeMarkdown(text.slice(at));
  return clip(out, max);
}

export function spanWords(text: string, spans: readonly Span[]): string[] {
  return [...new Set(spans.map(([s, e]) => text.slice(s, e)).filter((w) => w.trim()))];
}

/** An action that failed for good (e.g. missing permissions): the alert must not claim it happened. */
export interface FailedAction {
  kind: ActionKind;
  error: string;
}

function title(verdict: VerdictRecord, failed: readonly FailedAction[]): string {
  const a = verdict.decision.actions;
  const did = (kind: ActionKind): boolean => a.includes(kind) && !failed.some((f) => f.kind === kind);
  const what = did('delete') ? 'Message deleted' : a.includes('delete') ? 'Message NOT deleted' : a.includes('flag') ? 'Message flagged for review' : 'Toxic message';
  return did('timeout') ? `${what}, author timed out` : what;
}

export function renderAlert(verdict: VerdictRecord, review: ReviewItem | undefined, link: string, failed: readonly FailedAction[] = []): AlertView {
  const text = verdict.text ?? verdict.excerpt;
  const triggered = new Map(verdict.decision.triggered.map((t) => [t.label, t]));
  const scores = LABELS.map((l) => {
    const t = triggered.get(l);
    const line = `${l} ${verdict.scores[l].toFixed(2)}`;
    return t ? `**${line}** (threshold ${t.threshold.toFixed(2)})` : line;
  }).join('\n');
  const decided = review?.lastDecision && review.status !== 'pending' ? review.lastDecision : undefined;
  const embed = new EmbedBuilder()
    .setTitle(title(verdict, failed))
    .setColor(decided ? COLORS.decided : verdict.decision.actions.includes('delete') ? COLORS.deleted : COLORS.alert)
    .setDescription(text ? highlight(text, verdict.spans) : '*(no text)*')
    .addFields(
      { name: 'Author', value: `<@${verdict.authorId}> (${verdict.authorId})`, inline: true },
      { name: 'Channel', value: `<#${verdict.channelId}>`, inline: true },
      { name: 'Message', value: `[Jump to message](${link})`, inline: true },
      { name: 'Scores', value: scores, inline: true },
    )
    .setFooter({ text: `verdict ${verdict.id}${review ? ` · review ${review.id}` : ''} · ${verdict.model.name}@${verdict.model.version}` })
    .setTimestamp(new Date(verdict.messageAt));
  const words = text ? spanWords(text, verdict.spans) : [];
  if (words.length) embed.addFields({ name: 'Why', value: clip(words.map((w) => `\`${w.replaceAll('`', "'")}\``).join(', '), 1024), inline: true });
  for (const s of verdict.sources) {
    if (s.scanned && s.text?.trim()) {
      embed.addFields({ name: `Text in image ${s.attachment + 1}${s.name ? ` (${clip(s.name, 60)})` : ''}`, value: clip(escapeMarkdown(s.text.trim()), MAX_OCR) });
    }
  }
  for (const f of failed) embed.addFields({ name: `Could not ${f.kind}`, value: clip(f.error, 1024) });
  if (verdict.kind === 'edit') embed.addFields({ name: 'Edited', value: `revision ${verdict.revision}`, inline: true });
  if (review?.appealNote) embed.addFields({ name: 'Appeal', value: clip(escapeMarkdown(review.appealNote), 1024) });
  if (decided) {
    // A Discord moderator is a mention; a decision from the dashboard or the CLI names who and where.
    const who = decided.source === 'discord' ? `<@${decided.moderatorId}>` : `${escapeMarkdown(decided.moderatorId)} (${decided.source})`;
    embed.addFields({ name: 'Decision', value: `${decided.decision} by ${who} <t:${Math.floor(Date.parse(decided.decidedAt) / 1000)}:R>` });
  }

  const row = new ActionRowBuilder<ButtonBuilder>();
  if (review) {
    row.addComponents(
      new ButtonBuilder().setCustomId(customId('confirm', review.id)).setLabel('Confirm').setStyle(ButtonStyle.Danger).setDisabled(review.status === 'confirmed'),
      new ButtonBuilder().setCustomId(customId('overturn', review.id)).setLabel('Overturn').setStyle(ButtonStyle.Secondary).setDisabled(review.status === 'overturned'),
    );
  }
  row.addComponents(new ButtonBuilder().setCustomId(customId('timeout', verdict.id)).setLabel('Time out author').setStyle(ButtonStyle.Secondary));
  return { embeds: [embed.toJSON()], components: [row.toJSON()] };
}
