// A deterministic scorer for adapter tests: scores come from a fixed word list, not from a trained
// model, so retraining the model never changes what these tests see. Each listed word sets the scores
// of its labels (the maximum over the words of a text); every other label scores 0.01. Thresholds are
// 0.5 for every label, and the spans (when asked for) are the listed words of a flagged text.
import { LABELS, type Label, type Scores, type Span } from '../../src/classifier/labels.js';
import type { Prediction, Scorer } from '../../src/classifier/scorer.js';

export const WORDS: Readonly<Record<string, Partial<Scores>>> = {
  idiot: { toxic: 0.95, insult: 0.9 },
  moron: { toxic: 0.9, insult: 0.88 },
  stupid: { toxic: 0.8, insult: 0.7 },
  worthless: { toxic: 0.85, insult: 0.8 },
  loser: { toxic: 0.75, insult: 0.7 },
  fucking: { toxic: 0.97, obscene: 0.95, severe_toxic: 0.6 },
  shit: { toxic: 0.9, obscene: 0.9 },
  kill: { toxic: 0.92, threat: 0.9 },
};

const FLOOR = 0.01;
const THRESHOLDS: Scores = { toxic: 0.5, severe_toxic: 0.5, obscene: 0.5, threat: 0.5, insult: 0.5, identity_hate: 0.5 };

function predict(text: string, explain: boolean): Prediction {
  const scores = Object.fromEntries(LABELS.map((l) => [l, FLOOR])) as Scores;
  const spans: Span[] = [];
  const reasons: NonNullable<Prediction['reasons']> = {};
  for (const m of text.matchAll(/[a-z]+/gi)) {
    const word = m[0].toLowerCase();
    const hit = WORDS[word];
    if (!hit) continue;
    const start = m.index;
    const end = start + m[0].length;
    spans.push([start, end]);
    for (const [label, score] of Object.entries(hit) as [Label, number][]) {
      scores[label] = Math.max(scores[label], score);
      (reasons[label] ??= []).push({ text: m[0], start, end, weight: score });
    }
  }
  const flagged = LABELS.some((l) => scores[l] >= THRESHOLDS[l]);
  return explain && flagged ? { scores, spans, reasons } : explain ? { scores, spans: [] } : { scores };
}

/** The word-list scorer (name `word-test`, version 1). `calls` counts scoreBatch calls. */
export function wordScorer(): Scorer & { calls: number } {
  const scorer = {
    name: 'word-test',
    version: '1',
    thresholds: THRESHOLDS,
    calls: 0,
    async scoreBatch(texts: readonly string[], options?: { explain?: boolean }): Promise<Prediction[]> {
      scorer.calls++;
      return texts.map((t) => predict(t, options?.explain === true));
    },
  };
  return scorer;
}
