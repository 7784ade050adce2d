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

/** Rows whose projections a scorer keeps (each filters x width floats: 16,384 x 480 x 4 B = 31 MB at most). */
export const PROJECTION_CACHE_ROWS = 16_384;

/**
 * Scoring-time wrapper with its own scratch buffers (one per scorer; not shared across threads).
 * A window's activation is the sum over its words of (that word's embedding times the filter's
 * slice for the word's place in the window). Those per-word projections are what costs
 * (filters x width x dim multiplications a word), so they are cached, up to PROJECTION_CACHE_ROWS:
 * chat vocabulary is so skewed that most words of a message are then already projected, and a
 * window costs filters x width additions. A full cache is emptied and fills again, so the words a
 * long-running server sees later (new slang, a new game) get cached too; the frequent words are
 * back within a few messages, and a hit costs nothing extra (an LRU would reorder on every hit).
 */
export class WordCnn {
  private readonly row: Float32Array;
  private readonly pooled: Float32Array;
  private readonly cache = new Map<number, Float32Array>();
  private projections: Float32Array[] = [];

  constructor(
    readonly params: QuantizedCnn,
    readonly cacheRows = PROJECTION_CACHE_ROWS,
  ) {
    this.row = new Float32Array(params.dim);
    this.pooled = new Float32Array(params.filters);
  }

  /** Per place k in the window and filter f: the word's contribution, at [k * filters + f]. */
  private project(id: number): Float32Array {
    const cached = this.cache.get(id);
    if (cached) return cached;
    const { dim, filters, width, conv, codes, scales } = this.params;
    const scale = scales[id] as number;
    const e = this.row;
    for (let d = 0; d < dim; d++) e[d] = (codes[id * dim + d] as number) * scale;
    const out = new Float32Array(width * filters);
    for (let f = 0; f < filters; f++) {
      for (let k = 0; k < width; k++) {
        const w = (f * width + k) * dim;
        // Four running sums: independent additions the CPU can overlap.
        let s0 = 0;
        let s1 = 0;
        let s2 = 0;
        let s3 = 0;
        let d = 0;
        for (; d + 3 < dim; d += 4) {
          s0 += (conv[w + d] as number) * (e[d] as number);
          s1 += (conv[w + d + 1] as number) * (e[d + 1] as number);
          s2 += (conv[w + d + 2] as number) * (e[d + 2] as number);
          s3 += (conv[w + d + 3] as number) * (e[d + 3] as number);
        }
        for (; d < dim; d++) s0 += (conv[w + d] as number) * (e[d] as number);
        out[k * filters + f] = s0 + s1 + s2 + s3;
      }
    }
    if (this.cacheRows > 0) {
      if (this.cache.size >= this.cacheRows) this.cache.clear();
      this.cache.set(id, out);
    }
    return out;
  }

  /** Words whose projections are cached now (at most `cacheRows`). */
  get cachedWords(): number {
    return this.cache.size;
  }

  logits(ids: Int32Array, out: Float64Array): void {
    const { filters, width, maxTokens, convBias } = this.params;
    const n = ids.length;
    if (n > maxTokens) throw new Error(`the CNN reads at most ${maxTokens} tokens (got ${n})`);
    const half = width >> 1;
    const proj = this.projections;
    for (let i = 0; i < n; i++) proj[i] = this.project(ids[i] as number);
    const pooled = this.pooled;
    pooled.fill(0);
    for (let i = 0; i < n; i++) {
      for (let f = 0; f < filters; f++) {
        let s = convBias[f] as number;
        for (let k = 0; k < width; k++) {
          const j = i + k - half;
          if (j >= 0 && j < n) s += ((proj[j] as Float32Array)[k * filters + f] as number);
        }
        if (s > (pooled[f] as number)) pooled[f] = s;
      }
    }
    outputLogits(this.params, pooled, out);
  }
}
