// Scoring whole validation sets with any Scorer, plain and obfuscated.
import type { Example } from './corpora/index.js';
import { LABELS } from './labels.js';
import type { Scorer } from './scorer.js';
import { evaluatePredictions, type EvalReport } from './evaluate.js';
import { makeRng, obfuscateText, describeTrick, type Trick } from './evasion/obfuscate.js';
import { progressBar } from '../util/progress.js';

export async function scoreAll(scorer: Scorer, texts: readonly string[], options: { quiet?: boolean; title?: string } = {}): Promise<number[][]> {
  const bar = progressBar(options.title ?? 'scoring', texts.length, options);
  const out: number[][] = [];
  for (let i = 0; i < texts.length; i += 512) {
    const predictions = await scorer.scoreBatch(texts.slice(i, i + 512));
    for (const p of predictions) out.push(LABELS.map((l) => p.scores[l]));
    bar.update(out.length);
  }
  bar.stop();
  return out;
}

export async function evaluateScorer(scorer: Scorer, examples: readonly Example[], options: { quiet?: boolean } = {}): Promise<EvalReport> {
  const probs = await scoreAll(scorer, examples.map((e) => e.text), options);
  return evaluatePredictions(examples, probs, LABELS.map((l) => scorer.thresholds[l]));
}

export interface ObfuscationResult {
  trick: Trick;
  description: string;
  rocAuc: number;
  /** Change of the mean ROC-AUC against the clean texts (negative = worse). */
  delta: number;
}

/** Scores copies of the texts with half of their words disguised by each trick. */
export async function evaluateObfuscation(
  scorer: Scorer,
  examples: readonly Example[],
  tricks: readonly Trick[],
  clean: EvalReport,
  options: { quiet?: boolean; seed?: number } = {},
): Promise<ObfuscationResult[]> {
  const out: ObfuscationResult[] = [];
  for (const trick of tricks) {
    const rng = makeRng(options.seed ?? 7);
    const disguised = examples.map((e) => ({ ...e, text: obfuscateText(e.text, trick, { rng }) }));
    const report = await evaluateScorer(scorer, disguised, { quiet: options.quiet });
    out.push({ trick, description: describeTrick(trick), rocAuc: report.macro.rocAuc, delta: report.macro.rocAuc - clean.macro.rocAuc });
  }
  return out;
}

export function formatObfuscation(results: readonly ObfuscationResult[]): string {
  const lines = ['obfuscation     mean ROC-AUC   change vs clean'];
  for (const r of results) lines.push(`${r.trick.padEnd(15)} ${r.rocAuc.toFixed(4)}         ${r.delta >= 0 ? '+' : ''}${r.delta.toFixed(4)}`);
  return lines.join('\n');
}
