// A small word CNN: hashed word embeddings, one convolution over windows of `width` words (ReLU),
// max-pooled over the text, and one logistic output per label. It reads word order ("don't hate
// X" is not "hate X"), which the linear model's bag of n-grams cannot; see ./stage.ts for how the
// two are combined.
import { NUM_LABELS } from '../labels.js';

export interface CnnShape {
  /** log2 of the number of embedding rows (words are hashed). */
  bits: number;
  /** Embedding size. */
  dim: number;
  filters: number;
  /** Words per convolution window (odd: the window is centred on a word). */
  width: number;
  /** Longest token sequence read (start and end marks included). */
  maxTokens: number;
}

/** The layers after the embeddings. */
export interface CnnLayers extends CnnShape {
  /** filters x width x dim */
  conv: Float32Array;
  convBias: Float32Array;
  /** labels x filters */
  out: Float32Array;
  outBias: Float32Array;
}

/** What training works on: float embeddings, (2^bits) x dim. */
export interface CnnParams extends CnnLayers {
  embeddings: Float32Array;
}

/** What is shipped and scored with: int8 embedding rows with a scale each (a quarter of the memory). */
export interface QuantizedCnn extends CnnLayers {
  codes: Int8Array;
  scales: Float32Array;
}

export function emptyCnnParams(shape: CnnShape): CnnParams {
  return {
    ...shape,
    embeddings: new Float32Array((1 << shape.bits) * shape.dim),
    conv: new Float32Array(shape.filters * shape.width * shape.dim),
    convBias: new Float32Array(shape.filters),
    out: new Float32Array(NUM_LABELS * shape.filters),
    outBias: new Float32Array(NUM_LABELS),
  };
}

export function quantize(p: CnnParams): QuantizedCnn {
  const { embeddings, ...layers } = p;
  const rows = 1 << p.bits;
  const scales = new Float32Array(rows);
  const codes = new Int8Array(rows * p.dim);
  for (let r = 0; r < rows; r++) {
    let max = 0;
    for (let d = 0; d < p.dim; d++) max = Math.max(max, Math.abs(embeddings[r * p.dim + d] as number));
    const scale = max / 127;
    scales[r] = scale;
    if (scale > 0) for (let d = 0; d < p.dim; d++) codes[r * p.dim + d] = Math.round((embeddings[r * p.dim + d] as number) / scale);
  }
  return { ...layers, codes, scales };
}

/** The embedding rows of a text, one after another, from float parameters. */
export function gatherFloat(p: CnnParams, ids: Int32Array, x: Float32Array): void {
  const { dim } = p;
  for (let i = 0; i < ids.length; i++) x.set(p.embeddings.subarray((ids[i] as number) * dim, ((ids[i] as number) + 1) * dim), i * dim);
}

/** The same from int8 rows. */
export function gatherQuantized(q: QuantizedCnn, ids: Int32Array, x: Float32Array): void {
  const { dim, codes, scales } = q;
  for (let i = 0; i < ids.length; i++) {
    const row = ids[i] as number;
    const scale = scales[row] as number;
    for (let d = 0; d < dim; d++) x[i * dim + d] = (codes[row * dim + d] as number) * scale;
  }
}

/**
 * Convolution over the first `n` gathered rows of `x`, ReLU and max-pooling: `pooled[f]` is filter
 * f's largest activation (0 if none is positive) and `argmax[f]` the word it was centred on (-1
 * then). Training and scoring share this function.
 */
export function convMaxPool(p: CnnLayers, x: Float32Array, n: number, pooled: Float32Array, argmax: Int32Array): void {
  const { dim, filters, width, conv, convBias } = p;
  const half = width >> 1;
  pooled.fill(0);
  argmax.fill(-1);
  for (let i = 0; i < n; i++) {
    for (let f = 0; f < filters; f++) {
      let s = convBias[f] as number;
      const wf = f * width * dim;
      for (let k = 0; k < width; k++) {
        const j = i + k - half;
        if (j < 0 || j >= n) continue;
        const e = j * dim;
        const w = wf + k * dim;
        for (let d = 0; d < dim; d++) s += (conv[w + d] as number) * (x[e + d] as number);
      }
      if (s > (pooled[f] as number)) {
        pooled[f] = s;
        argmax[f] = i;
      }
    }
  }
}

/** Output logits from the pooled features. */
export function outputLogits(p: CnnLayers, pooled: Float32Array, out: Float64Array): void {
  const { filters } = p;
  for (let l = 0; l < NUM_LABELS; l++) {
    let s = p.outBias[l] as number;
    const row = l * filters;
    for (let f = 0; f < filters; f++) s += (p.out[row + f] as number) * (pooled[f] as number);
    out[l] = s;
  }
}

/** Scoring-time wrapper with its own scratch buffers (one per scorer; not shared across threads). */
export class WordCnn {
  private readonly x: Float32Array;
  private readonly pooled: Float32Array;
  private readonly argmax: Int32Array;

  constructor(readonly params: QuantizedCnn) {
    this.x = new Float32Array(params.maxTokens * params.dim);
    this.pooled = new Float32Array(params.filters);
    this.argmax = new Int32Array(params.filters);
  }

  logits(ids: Int32Array, out: Float64Array): void {
    if (ids.length > this.params.maxTokens) throw new Error(`the CNN reads at most ${this.params.maxTokens} tokens (got ${ids.length})`);
    gatherQuantized(this.params, ids, this.x);
    convMaxPool(this.params, this.x, ids.length, this.pooled, this.argmax);
    outputLogits(this.params, this.pooled, out);
  }
}
