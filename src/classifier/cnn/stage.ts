// The second stage: the linear model scores every message; when it is not confident that a message
// is clean (some label's probability at least `gate`), the CNN reads it too, and the label's
// probability becomes a Platt calibration of (linear logit + weight x CNN logit), fitted on the
// validation texts that pass the gate. Clean chat, most of the traffic, never pays for the CNN.
import { NUM_LABELS } from '../labels.js';
import type { Calibration } from '../linear/model.js';
import { WordCnn, type CnnShape, type QuantizedCnn } from './model.js';
import { tokenIds } from './tokens.js';

/** The part of model.json that describes the second stage. */
export interface CnnStageJson {
  kind: 'cnn';
  shape: CnnShape;
  /** Linear probability (any label) from which a message goes to the CNN. */
  gate: number;
  /** How much of the CNN's logit is added to the linear logit. */
  weight: number;
  /** Per label, Platt scaling of the combined logit. */
  calibration: Calibration[];
  /** Where training started embedding rows from pretrained vectors (a record; scoring does not use it). */
  wordVectors?: WordVectorRecord;
}

export interface WordVectorRecord {
  /** npm package and version the vectors came from. */
  source: string;
  /** Embedding rows that started from a vector. */
  rows: number;
  /** Share of the vectors' variance kept by the PCA to the embedding size. */
  explainedVariance: number;
}

/** The logit the stage calibrates: linear logit + weight x CNN logit (training and scoring alike). */
export function stackedLogit(linear: number, cnn: number, weight: number): number {
  return linear + weight * cnn;
}

export class CnnStage {
  private readonly cnn: WordCnn;
  private readonly cnnLogits = new Float64Array(NUM_LABELS);

  constructor(
    readonly params: QuantizedCnn,
    readonly json: CnnStageJson,
  ) {
    if (json.calibration.length !== NUM_LABELS) throw new Error('the CNN stage needs one calibration per label');
    this.cnn = new WordCnn(params);
  }

  /** Whether linear probabilities this uncertain go to the CNN. */
  wants(probs: Float64Array): boolean {
    for (let l = 0; l < NUM_LABELS; l++) if ((probs[l] as number) >= this.json.gate) return true;
    return false;
  }

  /** The CNN's raw logits of a normalised text. */
  logits(normalized: string, out: Float64Array = this.cnnLogits): Float64Array {
    const { bits, maxTokens } = this.params;
    this.cnn.logits(tokenIds(normalized, bits, maxTokens), out);
    return out;
  }

  /** Combined probabilities from the linear logits and the CNN logits, written into `out`. */
  combine(linear: Float64Array, cnn: Float64Array, out: Float64Array): void {
    const { weight, calibration } = this.json;
    for (let l = 0; l < NUM_LABELS; l++) {
      const c = calibration[l] as Calibration;
      out[l] = 1 / (1 + Math.exp(-(c.a * stackedLogit(linear[l] as number, cnn[l] as number, weight) + c.b)));
    }
  }

  /** Rescores `probs` in place when the linear model was not sure; returns whether the CNN ran. */
  rescore(normalized: string, linear: Float64Array, probs: Float64Array): boolean {
    if (!this.wants(probs)) return false;
    this.combine(linear, this.logits(normalized), probs);
    return true;
  }
}
