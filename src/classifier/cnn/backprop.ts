// One training row of the word CNN, forward and backward: its weighted loss, and its gradient added
// to a thread's own gradient buffers. The main thread and the training workers (./train-worker.ts)
// both run rows through this, each on its share of a mini-batch.
import { NUM_LABELS } from '../labels.js';
import { convMaxPool, gatherFloat, outputLogits, type CnnParams } from './model.js';

/** The training rows, flat so that worker threads can share them. */
export interface CnnRows {
  /** Token ids of every row, one after another; row r is ids[offsets[r], offsets[r + 1]). */
  ids: Int32Array;
  offsets: Int32Array;
  /** rows x labels: 1, 0, or -1 when the corpus says nothing. */
  gold: Int8Array;
  rowWeight: Float32Array;
  /** Per label: weight of a negative, weight of a positive. */
  classWeight: Float64Array;
  /** Per row, the corpus whose intercept it uses during training (dropped afterwards). */
  rowGroup: Int32Array;
}

/** Gradient buffers, shaped like the parameters (plus the per-corpus intercepts). */
export interface CnnGrads {
  embeddings: Float32Array;
  conv: Float32Array;
  convBias: Float32Array;
  out: Float32Array;
  outBias: Float32Array;
  intercepts: Float32Array;
}

export function emptyGrads(p: CnnParams, intercepts: number, alloc: (bytes: number) => ArrayBufferLike = (b) => new ArrayBuffer(b)): CnnGrads {
  const f32 = (n: number): Float32Array => new Float32Array(alloc(n * 4));
  return {
    embeddings: f32(p.embeddings.length),
    conv: f32(p.conv.length),
    convBias: f32(p.convBias.length),
    out: f32(p.out.length),
    outBias: f32(p.outBias.length),
    intercepts: f32(intercepts),
  };
}

export class RowBackprop {
  /** Embedding rows with a gradient since the last `clearTouched`, in first-touched order. */
  readonly touchedList: number[] = [];
  private readonly touched: Uint8Array;
  private readonly x: Float32Array;
  private readonly pooled: Float32Array;
  private readonly argmax: Int32Array;
  private readonly logits = new Float64Array(NUM_LABELS);
  private readonly dPooled: Float32Array;

  constructor(
    readonly p: CnnParams,
    readonly intercepts: Float32Array,
    readonly rows: CnnRows,
    readonly grads: CnnGrads,
  ) {
    this.touched = new Uint8Array(1 << p.bits);
    this.x = new Float32Array(p.maxTokens * p.dim);
    this.pooled = new Float32Array(p.filters);
    this.argmax = new Int32Array(p.filters);
    this.dPooled = new Float32Array(p.filters);
  }

  /** Marks embedding row `t` as having a gradient (rows another thread touched, once merged). */
  touch(t: number): void {
    if (this.touched[t]) return;
    this.touched[t] = 1;
    this.touchedList.push(t);
  }

  clearTouched(): void {
    for (const t of this.touchedList) this.touched[t] = 0;
    this.touchedList.length = 0;
  }

  /**
   * Row `r` with dropout mask `keep` (per filter: 0, or 1 / (1 - dropout)) starting at
   * `keep[keepAt]`: adds its gradient to `grads` and returns its weighted loss.
   */
  run(r: number, keep: Float32Array, keepAt: number): number {
    const { p, rows, grads, intercepts, x, pooled, argmax, logits, dPooled } = this;
    const { dim, filters, width } = p;
    const ids = rows.ids.subarray(rows.offsets[r] as number, rows.offsets[r + 1] as number);
    gatherFloat(p, ids, x);
    convMaxPool(p, x, ids.length, pooled, argmax);
    for (let f = 0; f < filters; f++) pooled[f] = (pooled[f] as number) * (keep[keepAt + f] as number);
    outputLogits(p, pooled, logits);
    const group = rows.rowGroup[r] as number;
    let loss = 0;
    dPooled.fill(0);
    for (let l = 0; l < NUM_LABELS; l++) {
      const y = rows.gold[r * NUM_LABELS + l] as number;
      if (y < 0) continue;
      const z = (logits[l] as number) + (group >= 0 ? (intercepts[group * NUM_LABELS + l] as number) : 0);
      const prob = 1 / (1 + Math.exp(-z));
      const w = (rows.rowWeight[r] as number) * (rows.classWeight[l * 2 + y] as number);
      loss -= w * Math.log(Math.max(y === 1 ? prob : 1 - prob, 1e-12));
      const g = w * (prob - y);
      grads.outBias[l] = (grads.outBias[l] as number) + g;
      if (group >= 0) grads.intercepts[group * NUM_LABELS + l] = (grads.intercepts[group * NUM_LABELS + l] as number) + g;
      const row = l * filters;
      for (let f = 0; f < filters; f++) {
        grads.out[row + f] = (grads.out[row + f] as number) + g * (pooled[f] as number);
        dPooled[f] = (dPooled[f] as number) + g * (p.out[row + f] as number) * (keep[keepAt + f] as number);
      }
    }
    // Max-pooling passes the gradient to one window per filter, and only where ReLU was on.
    const n = ids.length;
    const half = width >> 1;
    for (let f = 0; f < filters; f++) {
      const i = argmax[f] as number;
      const g = dPooled[f] as number;
      if (i < 0 || g === 0) continue;
      grads.convBias[f] = (grads.convBias[f] as number) + g;
      const wf = f * width * dim;
      for (let k = 0; k < width; k++) {
        const j = i + k - half;
        if (j < 0 || j >= n) continue;
        const t = ids[j] as number;
        this.touch(t);
        const e = t * dim;
        const w = wf + k * dim;
        for (let d = 0; d < dim; d++) {
          grads.conv[w + d] = (grads.conv[w + d] as number) + g * (x[j * dim + d] as number);
          grads.embeddings[e + d] = (grads.embeddings[e + d] as number) + g * (p.conv[w + d] as number);
        }
      }
    }
    return loss;
  }
}
