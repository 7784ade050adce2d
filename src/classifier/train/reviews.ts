// The feedback loop: moderator decisions from the SQLite store become weighted training rows.
// A confirmed flag makes its text a positive for the labels that triggered, an overturned one a
// negative for them; other labels stay unknown (null) because the moderator said nothing about
// them, and dismissed items are left out (a dismissal says the item did not need a decision).
import { LABELS, type Label } from '../labels.js';
import type { Example, Gold } from '../corpora/index.js';
import { EXCERPT_CHARS, Store, type DecidedReview } from '../../store/index.js';

/** Corpus name of review rows (runs and reports show it like any corpus). */
export const REVIEWS_CORPUS = 'reviews';
export const DEFAULT_REVIEW_WEIGHT = 3;

export interface ReviewExamples {
  examples: Example[];
  confirmed: number;
  overturned: number;
  dismissed: number;
  /** Decided items whose scored text is not stored (excerpt mode cut it, or nothing triggered). */
  skipped: number;
}

/** The text a label was scored on: the message text, or the OCR text of the attachment that drove it. */
function sourceText(review: DecidedReview, source: string): string | undefined {
  if (source === 'text') {
    if (review.text !== null) return review.text;
    // Excerpt mode: a short message's excerpt is the whole text; a cut one is not what was scored.
    return Array.from(review.excerpt).length < EXCERPT_CHARS ? review.excerpt : undefined;
  }
  const attachment = Number(source.slice('attachment:'.length));
  return review.ocrTexts.find((o) => o.attachment === attachment)?.text;
}

export function reviewExamples(reviews: readonly DecidedReview[], weight = DEFAULT_REVIEW_WEIGHT): ReviewExamples {
  if (!(weight > 0)) throw new RangeError(`review weight must be positive, got ${weight}`);
  const out: ReviewExamples = { examples: [], confirmed: 0, overturned: 0, dismissed: 0, skipped: 0 };
  for (const review of reviews) {
    if (review.decision === 'dismissed') {
      out.dismissed++;
      continue;
    }
    // Labels grouped by the text that drove them: an image's caption is its own example.
    const bySource = new Map<string, Set<Label>>();
    for (const t of review.triggered) {
      const source = review.labelSources[t.label] ?? 'text';
      const set = bySource.get(source) ?? new Set<Label>();
      set.add(t.label);
      bySource.set(source, set);
    }
    let made = 0;
    for (const [source, labels] of bySource) {
      const text = sourceText(review, source);
      if (!text || text.trim() === '') continue;
      const gold: Gold = review.decision === 'confirmed' ? 1 : 0;
      out.examples.push({
        id: `review:${review.reviewId}:${source}`,
        corpus: REVIEWS_CORPUS,
        text,
        labels: LABELS.map((l): Gold => (labels.has(l) ? gold : null)),
        split: 'train',
        weight,
      });
      made++;
    }
    if (made === 0) out.skipped++;
    else if (review.decision === 'confirmed') out.confirmed++;
    else out.overturned++;
  }
  return out;
}

/** Reads every decided review from a toxguard database. */
export async function loadReviewExamples(dbPath: string, weight = DEFAULT_REVIEW_WEIGHT): Promise<ReviewExamples> {
  const store = await Store.open(dbPath);
  try {
    return reviewExamples(await store.decidedReviews(), weight);
  } finally {
    await store.close();
  }
}
