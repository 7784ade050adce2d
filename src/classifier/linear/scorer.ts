import { LABELS, NUM_LABELS, scoresFromArray, type Scores } from '../labels.js';
import type { Prediction, ScoreOptions, Scorer } from '../scorer.js';
import { LinearModel } from './model.js';

/** The built-in model behind the common Scorer interface. */
export class LinearScorer implements Scorer {
  readonly thresholds: Scores;
  private readonly thresholdList: number[];

  constructor(
    readonly model: LinearModel,
    readonly name: string,
    readonly version: string,
    thresholds: Scores,
  ) {
    this.thresholds = thresholds;
    this.thresholdList = LABELS.map((l) => thresholds[l]);
  }

  /** Synchronous scoring of one text, for hot loops (benchmarks, batch classification). */
  scoreSync(text: string, options: ScoreOptions = {}): Prediction {
    const probs = this.model.predict(text, new Float64Array(NUM_LABELS));
    const prediction: Prediction = { scores: scoresFromArray(probs) };
    if (options.explain) {
      const { spans, reasons } = this.model.explain(text, probs, this.thresholdList);
      prediction.spans = spans;
      prediction.reasons = reasons;
    }
    return prediction;
  }

  async scoreBatch(texts: readonly string[], options: ScoreOptions = {}): Promise<Prediction[]> {
    return texts.map((t) => this.scoreSync(t, options));
  }
}
