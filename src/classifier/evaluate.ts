// Metrics per (corpus, label) pair, the unit every report in the project uses.
import { LABELS, type Label } from './labels.js';
import type { Example } from './corpora/index.js';
import { averagePrecision, expectedCalibrationError, f1At, mean, rocAuc } from './metrics.js';

export interface PairMetric {
  corpus: string;
  label: Label;
  n: number;
  positives: number;
  rocAuc: number;
  averagePrecision: number;
  f1: number;
}

export interface EvalReport {
  pairs: PairMetric[];
  macro: { rocAuc: number; averagePrecision: number; f1: number };
  /** Per label over all corpora pooled: expected calibration error of the probabilities. */
  calibration: Record<string, { ece: number; n: number }>;
}

/** For label l: the scores and gold values of the rows (optionally only `rows`) where the label is known. */
export function labelled(
  examples: readonly Example[],
  scores: readonly ArrayLike<number>[],
  l: number,
  rows?: readonly number[],
): { scores: number[]; gold: number[] } {
  const out = { scores: [] as number[], gold: [] as number[] };
  for (const r of rows ?? examples.keys()) {
    const y = examples[r]?.labels[l];
    if (y === null || y === undefined) continue;
    out.scores.push(scores[r]?.[l] ?? 0);
    out.gold.push(y);
  }
  return out;
}

/** A pair is scored when it has at least 20 labelled rows and 5 of each class. */
export const MIN_ROWS = 20;
export const MIN_PER_CLASS = 5;

export function evaluatePredictions(examples: readonly Example[], probs: readonly ArrayLike<number>[], thresholds: readonly number[]): EvalReport {
  const groups = new Map<string, number[]>();
  examples.forEach((e, i) => {
    const list = groups.get(e.corpus) ?? [];
    list.push(i);
    groups.set(e.corpus, list);
  });
  const pairs: PairMetric[] = [];
  for (const [corpus, rows] of [...groups].sort((a, b) => (a[0] < b[0] ? -1 : 1))) {
    LABELS.forEach((label, l) => {
      const { scores, gold } = labelled(examples, probs, l, rows);
      const positives = gold.filter((y) => y === 1).length;
      if (gold.length < MIN_ROWS || positives < MIN_PER_CLASS || gold.length - positives < MIN_PER_CLASS) return;
      pairs.push({
        corpus,
        label,
        n: gold.length,
        positives,
        rocAuc: rocAuc(scores, gold),
        averagePrecision: averagePrecision(scores, gold),
        f1: f1At(scores, gold, thresholds[l] ?? 0.5),
      });
    });
  }
  const calibration: EvalReport['calibration'] = {};
  LABELS.forEach((label, l) => {
    const { scores, gold } = labelled(examples, probs, l);
    if (gold.length) calibration[label] = { ece: expectedCalibrationError(scores, gold), n: gold.length };
  });
  return {
    pairs,
    macro: {
      rocAuc: mean(pairs.map((p) => p.rocAuc)),
      averagePrecision: mean(pairs.map((p) => p.averagePrecision)),
      f1: mean(pairs.map((p) => p.f1)),
    },
    calibration,
  };
}

export function formatReport(report: EvalReport): string {
  const lines = ['corpus                label           n    pos   ROC-AUC  AvgPrec  F1@thr'];
  for (const p of report.pairs) {
    lines.push(
      `${p.corpus.padEnd(21)} ${p.label.padEnd(14)} ${String(p.n).padStart(6)} ${String(p.positives).padStart(6)}   ` +
        `${p.rocAuc.toFixed(4)}   ${p.averagePrecision.toFixed(4)}   ${p.f1.toFixed(4)}`,
    );
  }
  const m = report.macro;
  lines.push(`${'macro'.padEnd(21)} ${`(${report.pairs.length} pairs)`.padEnd(28)}   ${m.rocAuc.toFixed(4)}   ${m.averagePrecision.toFixed(4)}   ${m.f1.toFixed(4)}`);
  const ece = Object.entries(report.calibration).map(([l, c]) => `${l} ${c.ece.toFixed(3)}`);
  lines.push(`calibration error (ECE, pooled): ${ece.join(', ')}`);
  return lines.join('\n');
}

/** SemEval-2021 toxic spans F1: per text, F1 of predicted vs gold characters (both empty = 1); averaged. */
export function spanF1(predicted: readonly [number, number][], gold: readonly [number, number][]): number {
  const toSet = (spans: readonly [number, number][]): Set<number> => {
    const s = new Set<number>();
    for (const [a, b] of spans) for (let i = a; i < b; i++) s.add(i);
    return s;
  };
  const p = toSet(predicted);
  const g = toSet(gold);
  if (g.size === 0) return p.size === 0 ? 1 : 0;
  if (p.size === 0) return 0;
  let tp = 0;
  for (const i of p) if (g.has(i)) tp++;
  return (2 * tp) / (p.size + g.size);
}
