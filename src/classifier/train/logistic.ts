// Six L2-regularised logistic heads over sparse rows, fitted jointly by L-BFGS (the objective of
// scikit-learn's LogisticRegression with C = 1/l2). A head learns only from the rows where its label
// has evidence (gold -1 = unknown), with class weights against imbalance and per-row weights for
// noisier corpora. Each corpus also gets its own unregularised intercept: corpora differ wildly in
// how much of them is toxic (Davidson 84%, OLID 33%), and without these the shared weights would
// learn "sounds like Davidson" instead of "is toxic". There is no shared intercept (it would not be
// identifiable next to the corpus ones); inference uses the corpus intercepts' average, weighted by
// each corpus's labelled rows, and calibration then sets the final one. The loss over the rows is
// split across worker threads.
import type { Worker } from 'node:worker_threads';
import { availableParallelism } from 'node:os';
import { NUM_LABELS } from '../labels.js';
import type { SparseMatrix } from './matrix.js';
import { minimize } from './lbfgs.js';
import { lossAndGradient, type KernelData } from './logistic-kernel.js';
import { ask, shared, startWorker } from '../../util/workers.js';

export interface LogisticData {
  X: SparseMatrix;
  /** gold[r*6+l]: 1, 0 or -1 (unknown) */
  gold: Int8Array;
  rowWeight: Float32Array;
  /** classWeight[l*2+y] */
  classWeight: Float64Array;
  rowGroup: Int32Array;
  groups: number;
}

export interface FitOptions {
  dim: number;
  l2: number;
  maxIterations: number;
  /** Worker threads for the loss (default: one per core, at most 4; 1 = in this thread). */
  threads?: number;
  onIteration?: (iteration: number, value: number, gradMax: number, evaluations: number, x: Float64Array) => void;
}

export interface FittedHeads {
  weights: Float32Array;
  /** The intercept used without a corpus: the corpus intercepts averaged per label. */
  bias: Float64Array;
  /** intercepts[group*6 + label] */
  intercepts: Float64Array;
  iterations: number;
}

/** Per label, the corpus intercepts averaged with weights = the corpus's rows that know the label. */
export function pooledIntercept(x: Float64Array, wLen: number, data: Pick<LogisticData, 'gold' | 'rowGroup' | 'groups'>): Float64Array {
  const count = new Float64Array(data.groups * NUM_LABELS);
  for (let r = 0; r < data.rowGroup.length; r++) {
    const g = data.rowGroup[r] as number;
    for (let l = 0; l < NUM_LABELS; l++) if ((data.gold[r * NUM_LABELS + l] as number) >= 0) count[g * NUM_LABELS + l] = (count[g * NUM_LABELS + l] as number) + 1;
  }
  const bias = new Float64Array(NUM_LABELS);
  for (let l = 0; l < NUM_LABELS; l++) {
    let sum = 0;
    let n = 0;
    for (let g = 0; g < data.groups; g++) {
      const c = count[g * NUM_LABELS + l] as number;
      sum += c * (x[wLen + g * NUM_LABELS + l] as number);
      n += c;
    }
    bias[l] = n > 0 ? sum / n : 0;
  }
  return bias;
}

/** Splits rows into `parts` ranges of about equal non-zeros. */
function splitRows(rowPtr: Int32Array, rows: number, parts: number): [number, number][] {
  const total = rowPtr[rows] as number;
  const ranges: [number, number][] = [];
  let from = 0;
  for (let p = 1; p <= parts; p++) {
    let to = from;
    const target = (total * p) / parts;
    while (to < rows && (rowPtr[to] as number) < target) to++;
    if (p === parts) to = rows;
    ranges.push([from, to]);
    from = to;
  }
  return ranges;
}

export async function fitLogistic(data: LogisticData, options: FitOptions): Promise<FittedHeads> {
  const wLen = options.dim * NUM_LABELS;
  const n = wLen + data.groups * NUM_LABELS;
  const threads = Math.max(1, Math.min(options.threads ?? availableParallelism(), 4, data.X.rows));
  const kernel: KernelData = {
    rowPtr: data.X.rowPtr,
    index: data.X.index,
    value: data.X.value,
    gold: data.gold,
    rowWeight: data.rowWeight,
    classWeight: data.classWeight,
    rowGroup: data.rowGroup,
    dim: options.dim,
  };
  const addPenalty = (x: Float64Array, grad: Float64Array): number => {
    let reg = 0;
    for (let i = 0; i < wLen; i++) {
      const w = x[i] as number;
      reg += w * w;
      grad[i] = (grad[i] as number) + options.l2 * w;
    }
    return 0.5 * options.l2 * reg;
  };

  let objective: (x: Float64Array, grad: Float64Array) => Promise<number>;
  let workers: Worker[] = [];
  if (threads === 1) {
    objective = async (x, grad) => {
      grad.fill(0);
      return lossAndGradient(kernel, x, grad, 0, data.X.rows) + addPenalty(x, grad);
    };
  } else {
    const sharedKernel: KernelData = {
      ...kernel,
      rowPtr: shared(kernel.rowPtr),
      index: shared(kernel.index),
      value: shared(kernel.value),
      gold: shared(kernel.gold),
      rowWeight: shared(kernel.rowWeight),
      classWeight: shared(kernel.classWeight),
      rowGroup: shared(kernel.rowGroup),
    };
    const xShared = new Float64Array(new SharedArrayBuffer(n * 8));
    const ranges = splitRows(kernel.rowPtr, data.X.rows, threads);
    const grads = ranges.map(() => new Float64Array(new SharedArrayBuffer(n * 8)));
    workers = ranges.map(([from, to], i) =>
      startWorker(new URL('./logistic-worker', import.meta.url), { data: sharedKernel, x: xShared, grad: grads[i], from, to }),
    );
    objective = async (x, grad) => {
      xShared.set(x);
      const losses = await Promise.all(workers.map((w) => ask<number>(w, null)));
      grad.set(grads[0] as Float64Array);
      for (let t = 1; t < grads.length; t++) {
        const g = grads[t] as Float64Array;
        for (let i = 0; i < n; i++) grad[i] = (grad[i] as number) + (g[i] as number);
      }
      return losses.reduce((a, b) => a + b, 0) + addPenalty(x, grad);
    };
  }

  const x = new Float64Array(n);
  try {
    const { iterations } = await minimize(objective, x, {
      maxIterations: options.maxIterations,
      gradientTolerance: 1e-4,
      relativeTolerance: 1e-8,
      onIteration: options.onIteration,
    });
    return {
      weights: Float32Array.from(x.subarray(0, wLen)),
      bias: pooledIntercept(x, wLen, data),
      intercepts: Float64Array.from(x.subarray(wLen)),
      iterations,
    };
  } finally {
    await Promise.all(workers.map((w) => w.terminate()));
  }
}

/** Raw logits of row r (no corpus intercept). */
export function rowLogits(X: SparseMatrix, r: number, weights: Float32Array, bias: Float64Array, out: Float64Array): void {
  for (let l = 0; l < NUM_LABELS; l++) out[l] = bias[l] as number;
  for (let k = X.rowPtr[r] as number, end = X.rowPtr[r + 1] as number; k < end; k++) {
    const base = (X.index[k] as number) * NUM_LABELS;
    const v = X.value[k] as number;
    for (let l = 0; l < NUM_LABELS; l++) out[l] = (out[l] as number) + v * (weights[base + l] as number);
  }
}
