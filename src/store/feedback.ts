// Moderator decisions as the feedback loop reads them: each decided review item with the texts the
// model scored (message text and OCR texts) and which labels triggered, from which source.
import type { Label } from '../classifier/labels.js';
import { parseJson, type StoreContext } from './context.js';
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

interface Row {
  review_id: number;
  verdict_id: number;
  server_id: string;
  status: ReviewDecision;
  decided_at: string | null;
  text: string | null;
  excerpt: string;
  text_stored: TextMode;
  decision_json: string;
  label_sources_json: string;
}

export class FeedbackRepo {
  private readonly decided;
  private readonly ocr;

  constructor(ctx: StoreContext) {
    const { db } = ctx;
    this.decided = db.prepare<{ since: string; server: string | null }, Row>(
      `SELECT r.id AS review_id, r.verdict_id, r.server_id, r.status,
              (SELECT MAX(d.decided_at) FROM review_decisions d WHERE d.review_id = r.id) AS decided_at,
              v.text, v.excerpt, v.text_stored, v.decision_json, v.label_sources_json
         FROM review_items r JOIN verdicts v ON v.id = r.verdict_id
        WHERE r.status IN ('confirmed', 'overturned', 'dismissed')
          AND r.updated_at >= @since AND (@server IS NULL OR r.server_id = @server)
        ORDER BY r.id`,
    );
    this.ocr = db.prepare<[number], { attachment: number; text: string }>(
      'SELECT attachment, text FROM verdict_sources WHERE verdict_id = ? AND scanned = 1 AND text IS NOT NULL ORDER BY attachment',
    );
  }

  list(options: DecidedReviewsOptions = {}): DecidedReview[] {
    const since = options.since === undefined ? '' : toIso(options.since);
    return this.decided.all({ since, server: options.serverId ?? null }).map(
      (r): DecidedReview => ({
        reviewId: r.review_id,
        verdictId: r.verdict_id,
        serverId: r.server_id,
        decision: r.status,
        decidedAt: r.decided_at ?? '',
        text: r.text,
        excerpt: r.excerpt,
        textStored: r.text_stored,
        triggered: parseJson<Decision>(r.decision_json).triggered ?? [],
        labelSources: parseJson<Partial<Record<Label, LabelSource>>>(r.label_sources_json),
        ocrTexts: this.ocr.all(r.verdict_id),
      }),
    );
  }
}
