// Moderator decisions as the feedback loop reads them: each decided review item with the texts the
// model scored (message text and OCR texts) and which labels triggered, from which source.
import type { Label } from '../classifier/labels.js';
import { parseJson, type Q } from './context.js';
import { toIso, type TimeInput } from './time.js';
import type { Decision, LabelSource, ReviewDecision, TextMode } from './types.js';

export interface DecidedReview {
  reviewId: number;
  verdictId: number;
  serverId: string;
  /** The latest decision (the item's status). */
  decision: ReviewDecision;
  decidedAt: string;
  /** null when the store kept only an excerpt. */
  text: string | null;
  excerpt: string;
  textStored: TextMode;
  triggered: Decision['triggered'];
  labelSources: Partial<Record<Label, LabelSource>>;
  /** OCR texts of scanned attachments, by attachment index. */
  ocrTexts: { attachment: number; text: string }[];
}

export interface DecidedReviewsOptions {
  /** Only decisions made at or after this time. */
  since?: TimeInput;
  serverId?: string;
}

export class FeedbackRepo {
  async list(q: Q, options: DecidedReviewsOptions = {}): Promise<DecidedReview[]> {
    const since = options.since === undefined ? '' : toIso(options.since);
    const server = options.serverId;
    const rows = await q
      .selectFrom('review_items as r')
      .innerJoin('verdicts as v', 'v.id', 'r.verdict_id')
      .select((eb) => [
        'r.id as review_id',
        'r.verdict_id',
        'r.server_id',
        'r.status',
        eb.selectFrom('review_decisions as d').select((e) => e.fn.max('d.decided_at').as('m')).whereRef('d.review_id', '=', 'r.id').as('decided_at'),
        'v.text',
        'v.excerpt',
        'v.text_stored',
        'v.decision_json',
        'v.label_sources_json',
      ])
      .where('r.status', 'in', ['confirmed', 'overturned', 'dismissed'])
      .where('r.updated_at', '>=', since)
      .$if(server !== undefined, (qb) => qb.where('r.server_id', '=', server as string))
      .orderBy('r.id')
      .execute();
    const out: DecidedReview[] = [];
    for (const r of rows) {
      const ocrTexts = await q
        .selectFrom('verdict_sources')
        .select(['attachment', 'text'])
        .where('verdict_id', '=', r.verdict_id)
        .where('scanned', '=', 1)
        .where('text', 'is not', null)
        .orderBy('attachment')
        .execute();
      out.push({
        reviewId: r.review_id,
        verdictId: r.verdict_id,
        serverId: r.server_id,
        decision: r.status as ReviewDecision,
        decidedAt: r.decided_at ?? '',
        text: r.text,
        excerpt: r.excerpt,
        textStored: r.text_stored,
        triggered: parseJson<Decision>(r.decision_json).triggered ?? [],
        labelSources: parseJson<Partial<Record<Label, LabelSource>>>(r.label_sources_json),
        ocrTexts: ocrTexts.map((o) => ({ attachment: o.attachment, text: o.text ?? '' })),
      });
    }
    return out;
  }
}
