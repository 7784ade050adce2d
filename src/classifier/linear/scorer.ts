import { LABELS, NUM_LABELS, scoresFromArray, type Scores } from '../labels.js';
import type { Prediction, ScoreOptions, Scorer } from '../scorer.js';
import { LinearModel } from './model.js';
import type { CnnStage } from '../cnn/stage.js';

/** The built-in model behind the common Scorer interface: the linear model, and its CNN stage if it has one. */
export class LinearScorer implements Scorer {
  readonly thresholds: Scores;
  private readonly thresholdList: number[];
  private readonly logits = new Float64Array(NUM_LABELS);

  constructor(
    readonly model: LinearModel,
    readonly name: string,
    readonly version: string,
    thresholds: Scores,
    readonly stage?: CnnStage,
  ) {
    this.thresholds = thresholds;
    this.thresholdList = LABELS.map((l) => thresholds[l]);
  }

  /** Synchronous scoring of one text, for hot loops (benchmarks, batch classification). */
  scoreSync(text: string, options: ScoreOptions = {}): Prediction {
    const probs = this.probabilities(text);
    const prediction: Prediction = { scores: scoresFromArray(probs) };
    if (options.explain) {
      const { spans, reasons } = this.model.explain(text, probs, this.thresholdList);
      prediction.spans = spans;
      prediction.reasons = reasons;
    }
    return prediction;
  }

  /** Probabilities in LABELS order: the linear model's, rescored by the CNN stage where the linear model is unsure. */
  probabilities(text: string, out = new Float64Array(NUM_LABELS)): Float64Array {
    if (!this.stage) return this.model.predict(text, out);
    const normalized = this.model.normalizeForScoring(text);
    this.model.logitsNormalized(normalized, this.logits);
    this.model.calibrate(this.logits, out);
    this.stage.rescore(normalized, this.logits, out);
    return out;
  }

  async scoreBatch(texts: readonly string[], options: ScoreOptions = {}): Promise<Prediction[]> {
    return texts.map((t) => this.scoreSync(t, options));
  }
}
