// Block Kit for everything the app posts: moderator alerts (excerpt with the spans marked, OCR
// text, scores, what was done, confirm/overturn buttons), check results, the review queue, stats,
// the policy summary. Pure functions of their inputs.
import type { types } from '@slack/bolt';
import { LABELS, type Label, type Scores, type Span } from '../../classifier/labels.js';
import type { AlertSummary } from '../../policy/alert-limiter.js';
import type { ReviewDecision, ReviewDecisionRecord, ReviewWithVerdict, Stats, VerdictRecord } from '../../store/index.js';

type Block = types.KnownBlock;

export const ACTION_CONFIRM = 'toxguard_review_confirm';
export const ACTION_OVERTURN = 'toxguard_review_overturn';
export const SHORTCUT_CHECK = 'toxguard_check_toxicity';

/** Slack section text is capped at 3000 characters; keep well inside it. */
const MAX_TEXT = 1500;

/** mrkdwn control characters. */
export function escape(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

function cut(text: string, max = MAX_TEXT): string {
  return text.length > max ? `${text.slice(0, max - 1)}…` : text;
}

/** The text with the spans that drove the score in bold (escaped, one line per quote line). */
export function markSpans(text: string, spans: readonly Span[]): string {
  const valid = [...spans].filter(([s, e]) => s >= 0 && e <= text.length && s < e).sort((a, b) => a[0] - b[0]);
  let out = '';
  let at = 0;
  for (const [s, e] of valid) {
    if (s < at) continue;
    out += escape(text.slice(at, s)) + `*${escape(text.slice(s, e))}*`;
    at = e;
  }
  return out + escape(text.slice(at));
}

function quote(text: string): string {
  return text
    .split('\n')
    .map((l) => `>${l}`)
    .join('\n');
}

function scoreLine(label: Label, score: number, threshold: number | undefined): string {
  const over = threshold !== undefined && score >= threshold;
  return `${over ? ':red_circle:' : ':white_circle:'} \`${label}\` ${score.toFixed(2)}${threshold !== undefined ? ` (threshold ${threshold.toFixed(2)})` : ''}`;
}

function scoreFields(scores: Scores, thresholds: Partial<Record<Label, number>>): types.MrkdwnElement[] {
  return LABELS.map((l) => ({ type: 'mrkdwn', text: scoreLine(l, scores[l], thresholds[l]) }));
}

export type DeleteStatus = 'deleting' | 'no-admin-token';

export interface AlertInput {
  verdict: VerdictRecord;
  reviewId: number | undefined;
  link?: string | undefined;
  /** Set when the policy deletes this message. */
  deletion?: DeleteStatus | undefined;
}

export function alertText(verdict: VerdictRecord): string {
  const labels = verdict.decision.triggered.map((t) => t.label).join(', ') || 'toxicity';
  return `toxguard: a message by <@${verdict.authorId}> in <#${verdict.channelId}> scored high for ${labels}`;
}

/** The moderators' alert for one verdict. */
export function alertBlocks({ verdict, reviewId, link, deletion }: AlertInput): Block[] {
  const triggered = Object.fromEntries(verdict.decision.triggered.map((t) => [t.label, t.threshold])) as Partial<Record<Label, number>>;
  const text = verdict.text ?? verdict.excerpt;
  const where = `<@${verdict.authorId}> in <#${verdict.channelId}>${link ? ` · <${link}|open message>` : ''}`;
  const blocks: Block[] = [
    { type: 'header', text: { type: 'plain_text', text: verdict.kind === 'edit' ? 'Toxic message (edited)' : 'Toxic message' } },
    { type: 'section', text: { type: 'mrkdwn', text: where } },
  ];
  if (text.trim()) blocks.push({ type: 'section', text: { type: 'mrkdwn', text: cut(quote(markSpans(text, verdict.spans))) } });
  for (const s of verdict.sources) {
    const label = `Image ${escape(s.name ?? String(s.attachment + 1))}`;
    const body = s.scanned ? (s.text?.trim() ? quote(escape(cut(s.text.trim(), 600))) : '_no text found_') : `_not scanned: ${escape(s.reason ?? 'unknown')}_`;
    blocks.push({ type: 'section', text: { type: 'mrkdwn', text: `*${label}* (OCR text):\n${body}` } });
  }
  blocks.push({ type: 'section', fields: scoreFields(verdict.scores, triggered).slice(0, 10) });
  const done: string[] = [];
  const actions = verdict.decision.actions;
  if (actions.includes('flag')) done.push('flagged for review');
  if (deletion === 'deleting') done.push('being deleted (admin token)');
  if (deletion === 'no-admin-token') done.push('*not deleted*: no admin token is configured, so it was flagged instead');
  if (actions.includes('timeout')) done.push('timeout requested (Slack has no timeouts: nothing was done)');
  const sources = Object.entries(verdict.labelSources)
    .filter(([l]) => triggered[l as Label] !== undefined)
    .map(([l, src]) => `${l} from ${src === 'text' ? 'the text' : `image ${Number(String(src).split(':')[1]) + 1}`}`);
  blocks.push({
    type: 'context',
    elements: [{ type: 'mrkdwn', text: cut(`${done.length ? `Action: ${done.join('; ')}.` : 'Alert only.'}${sources.length ? ` Scores: ${sources.join(', ')}.` : ''} Model ${verdict.model.name}@${verdict.model.version}.`, 2000) }],
  });
  if (reviewId !== undefined) blocks.push(reviewButtons(reviewId));
  return blocks;
}

export function reviewButtons(reviewId: number): types.ActionsBlock {
  return {
    type: 'actions',
    block_id: `toxguard_review_${reviewId}`,
    elements: [
      { type: 'button', action_id: ACTION_CONFIRM, style: 'danger', value: String(reviewId), text: { type: 'plain_text', text: 'Confirm: toxic' } },
      { type: 'button', action_id: ACTION_OVERTURN, style: 'primary', value: String(reviewId), text: { type: 'plain_text', text: 'Overturn: not toxic' } },
    ],
  };
}

const DECIDED: Record<ReviewDecision, string> = {
  confirmed: ':white_check_mark: Confirmed as toxic',
  overturned: ':leftwards_arrow_with_hook: Overturned (not toxic)',
  dismissed: ':heavy_minus_sign: Dismissed',
};

/** Who decided: a Slack moderator as a mention; a decision from the dashboard or the CLI by name and place. */
export function decidedBy(d: Pick<ReviewDecisionRecord, 'moderatorId' | 'source'>): string {
  return d.source === 'slack' ? `<@${d.moderatorId}>` : `${escape(d.moderatorId)} (${d.source})`;
}

/** The alert after a moderator decided: buttons replaced by who (already rendered) decided what. */
export function decidedBlocks(original: readonly Block[], decision: ReviewDecision, who: string): Block[] {
  const kept = original.filter((b) => b.type !== 'actions' && !(b.type === 'context' && b.block_id === DECIDED_BLOCK));
  return [...kept, { type: 'context', block_id: DECIDED_BLOCK, elements: [{ type: 'mrkdwn', text: `${DECIDED[decision]} by ${who}` }] }];
}

const DECIDED_BLOCK = 'toxguard_decided';

export function summaryText(summary: AlertSummary): string {
  const labels = LABELS.filter((l) => summary.labels[l] > 0).map((l) => `${l} ${summary.labels[l]}`);
  const channels = summary.channelIds.map((c) => `<#${c}>`).join(', ');
  return `toxguard held back ${summary.count} more alert${summary.count === 1 ? '' : 's'} (too many in a minute): ${labels.join(', ') || 'no labels'}, in ${channels}. Use \`/toxicity review\` to see them.`;
}

export interface CheckResult {
  text: string;
  scores: Scores;
  spans: Span[];
  thresholds: Scores;
  model: string;
  ocr?: { name: string; text?: string; reason?: string }[];
}

export function checkBlocks(r: CheckResult): Block[] {
  const flagged = LABELS.filter((l) => r.scores[l] >= r.thresholds[l]);
  const blocks: Block[] = [
    {
      type: 'section',
      text: {
        type: 'mrkdwn',
        text: flagged.length ? `*Toxic* by the model's thresholds: ${flagged.join(', ')}` : '*Not toxic* by the model\'s thresholds',
      },
    },
  ];
  if (r.text.trim()) blocks.push({ type: 'section', text: { type: 'mrkdwn', text: cut(quote(markSpans(r.text, r.spans))) } });
  for (const o of r.ocr ?? []) {
    blocks.push({ type: 'section', text: { type: 'mrkdwn', text: `*Image ${escape(o.name)}* (OCR text):\n${o.text !== undefined ? (o.text.trim() ? quote(escape(cut(o.text, 600))) : '_no text found_') : `_not read: ${escape(o.reason ?? '')}_`}` } });
  }
  blocks.push({ type: 'section', fields: scoreFields(r.scores, r.thresholds) });
  blocks.push({ type: 'context', elements: [{ type: 'mrkdwn', text: `Model ${escape(r.model)}. A label counts at or above its threshold. Nothing was recorded.` }] });
  return blocks;
}

/** What was done, or in log-only mode what would have been done (the item is queued all the same). */
function actedText(decision: VerdictRecord['decision']): string {
  if (decision.logOnly) return decision.wouldAct?.length ? ` · _would have acted: ${decision.wouldAct.join(', ')}_` : ' · _log-only_';
  return decision.actions.length ? ` · ${decision.actions.join(', ')}` : '';
}

export function reviewListBlocks(items: readonly ReviewWithVerdict[], total: number): Block[] {
  if (items.length === 0) return [{ type: 'section', text: { type: 'mrkdwn', text: 'The review queue is empty.' } }];
  const blocks: Block[] = [{ type: 'section', text: { type: 'mrkdwn', text: `*Review queue*: ${total} pending, newest first.` } }];
  for (const item of items) {
    const v = item.verdict;
    const top = LABELS.reduce((a, b) => (v.scores[b] > v.scores[a] ? b : a));
    const appeal = item.appealNote ? `\n_Appeal by <@${item.appealAuthorId}>: ${escape(cut(item.appealNote, 300))}_` : '';
    blocks.push({ type: 'divider' });
    blocks.push({
      type: 'section',
      text: { type: 'mrkdwn', text: cut(`<@${v.authorId}> in <#${v.channelId}> · ${top} ${v.scores[top].toFixed(2)}${actedText(v.decision)}\n${quote(markSpans(v.text ?? v.excerpt, v.spans))}${appeal}`, 2000) },
    });
    blocks.push(reviewButtons(item.id));
  }
  return blocks;
}

export function statsBlocks(stats: Stats, days: number): Block[] {
  const flagged = LABELS.filter((l) => stats.flaggedByLabel[l] > 0).map((l) => `${l} ${stats.flaggedByLabel[l]}`);
  const done = (k: keyof Stats['actions']): number => stats.actions[k].done;
  const lines = [
    `*Last ${days} day${days === 1 ? '' : 's'}*`,
    `Messages checked: ${stats.verdicts}; over a threshold: ${stats.flaggedVerdicts}${flagged.length ? ` (${flagged.join(', ')})` : ''}`,
    `Exempt (moderators, bots, exemptions): ${stats.exempted}; log-only: ${stats.logOnly}`,
    `Done: ${done('flag')} flagged, ${done('alert')} alerts, ${done('delete')} deleted`,
    `Reviews: ${stats.reviews.pending} pending, ${stats.reviews.confirmed} confirmed, ${stats.reviews.overturned} overturned`,
  ];
  return [{ type: 'section', text: { type: 'mrkdwn', text: lines.join('\n') } }];
}

export function textBlocks(text: string): Block[] {
  return [{ type: 'section', text: { type: 'mrkdwn', text: cut(text, 2900) } }];
}
