import type { Label, Scores, Span } from './labels.js';

/** What a scorer says about one text. */
export interface Prediction {
  scores: Scores;
  /** Character ranges of the original text that drove the flagged labels (only when asked for). */
  spans?: Span[];
  /** Per flagged label, the words that drove it, strongest first (only when asked for). */
  reasons?: Partial<Record<Label, { text: string; start: number; end: number; weight: number }[]>>;
}

export interface ScoreOptions {
  explain?: boolean;
}

/**
 * Anything that turns texts into the six label probabilities: the built-in linear model,
 * a Hugging Face ONNX model, or an average of several.
 */
export interface Scorer {
  /** Stable name for logs and verdict records, e.g. `builtin@1.0.0` or `hf:/models/toxic-bert`. */
  readonly name: string;
  readonly version: string;
  /** Per-label decision thresholds (calibrated); a label is "flagged" at or above its threshold. */
  readonly thresholds: Scores;
  scoreBatch(texts: readonly string[], options?: ScoreOptions): Promise<Prediction[]>;
  close?(): Promise<void>;
}
