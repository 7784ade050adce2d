import { LABELS, type Scores } from './labels.js';
import type { Prediction, ScoreOptions, Scorer } from './scorer.js';

/**
 * Combines scorers by a per-label weighted average of their probabilities (and of their
 * thresholds, so a label flags where the members' calibrated cut-offs agree on average).
 * Spans and reasons come from the first member that gives them: averaging character ranges
 * has no meaning. Weights default to equal and are normalized to sum to 1.
 */
export function averageScorers(scorers: Scorer[], weights?: number[]): Scorer {
  if (scorers.length === 0) throw new Error('averageScorers needs at least one scorer');
  const raw = weights ?? scorers.map(() => 1);
  if (raw.length !== scorers.length) {
    throw new Error(`averageScorers got ${scorers.length} scorers but ${raw.length} weights`);
  }
  if (raw.some((w) => !Number.isFinite(w) || w < 0)) throw new Error('averageScorers weights must be finite and >= 0');
  const total = raw.reduce((a, b) => a + b, 0);
  if (total <= 0) throw new Error('averageScorers weights must not all be 0');
  const w = raw.map((x) => x / total);

  const average = (all: Scores[]): Scores => {
    const out = {} as Scores;
    for (const label of LABELS) out[label] = all.reduce((acc, s, i) => acc + (w[i] ?? 0) * s[label], 0);
    return out;
  };

  return {
    name: `avg(${scorers.map((s) => s.name).join(',')})`,
    // Weights are part of what produced a verdict, so they belong in the version.
    version: `${scorers.map((s) => s.version).join(',')}${weights ? `;w=${w.map((x) => +x.toFixed(4)).join(',')}` : ''}`,
    thresholds: average(scorers.map((s) => s.thresholds)),
    async scoreBatch(texts: readonly string[], options?: ScoreOptions): Promise<Prediction[]> {
      const results = await Promise.all(scorers.map((s) => s.scoreBatch(texts, options)));
      results.forEach((r, i) => {
        if (r.length !== texts.length) {
          throw new Error(`scorer ${scorers[i]?.name} returned ${r.length} predictions for ${texts.length} texts`);
        }
      });
      return texts.map((_, t) => {
        const preds = results.map((r) => r[t] as Prediction);
        const spans = preds.find((p) => p.spans !== undefined)?.spans;
        const reasons = preds.find((p) => p.reasons !== undefined)?.reasons;
        return {
          scores: average(preds.map((p) => p.scores)),
          ...(spans !== undefined ? { spans } : {}),
          ...(reasons !== undefined ? { reasons } : {}),
        };
      });
    },
    async close(): Promise<void> {
      // Close every member even if one fails, then report the first failure.
      const settled = await Promise.allSettled(scorers.map((s) => s.close?.()));
      const failed = settled.find((r): r is PromiseRejectedResult => r.status === 'rejected');
      if (failed) throw failed.reason;
    },
  };
}
