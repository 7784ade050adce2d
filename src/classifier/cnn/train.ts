// Trains the word CNN on the same rows, labels, weights and per-corpus intercepts as the linear
// model, by mini-batch Adam (lazy on the embedding rows a batch touches). Written here because no
// npm library trains it on this machine: @tensorflow/tfjs's CPU backend needed over a minute for
// 5,000 rows of this network and its WASM backend has no gradient for the convolution.
// Each mini-batch is split across threads (./train-worker.ts): every thread adds its rows'
// gradients into its own buffers, and this thread sums them in a fixed order and takes the step.
// Dropout masks are drawn here, in row order, so a run depends on the seed and the thread count only.
import { availableParallelism } from 'node:os';
import type { Worker } from 'node:worker_threads';
import { NUM_LABELS } from '../labels.js';
import { makeRng, shuffle } from '../../util/rng.js';
import { progressBar } from '../../util/progress.js';
import { ask, shared, startWorker } from '../../util/workers.js';
import { emptyCnnParams, type CnnParams, type CnnShape } from './model.js';
import { emptyGrads, RowBackprop, type CnnGrads, type CnnRows } from './backprop.js';

export interface CnnTrainOptions {
  shape: CnnShape;
  /** Pretrained starts for some embedding rows (./word-vectors.ts); the others start random. */
  init?: { rows: Int32Array; vectors: Float32Array };
  epochs: number;
  learningRate: number;
  /** Share of pooled features dropped at each training step. */
  dropout: number;
  batchSize: number;
  seed: number;
  /** Threads a mini-batch is split across (default: one per core, at most 4). */
  threads?: number;
  quiet?: boolean;
  log: (message: string) => void;
}

export interface CnnTrainData {
  /** Token ids per training row (./tokens.ts). */
  ids: Int32Array[];
  /** rows x labels: 1, 0, or -1 when the corpus says nothing. */
  gold: Int8Array;
  rowWeight: Float32Array;
  /** Per label: weight of a negative, weight of a positive. */
  classWeight: Float64Array;
  /** Per row, the corpus whose intercept it uses during training (dropped afterwards). */
  rowGroup: Int32Array;
  groups: number;
}

const BETA1 = 0.9;
const BETA2 = 0.999;
const EPS = 1e-8;

/** Adam state for one parameter array; `update` applies the step to entries [from, to) and clears their gradient. */
class Adam {
  private readonly m: Float32Array;
  private readonly v: Float32Array;
  constructor(readonly param: Float32Array, readonly grad: Float32Array) {
    this.m = new Float32Array(param.length);
    this.v = new Float32Array(param.length);
  }

  update(lr: number, scale: number, c1: number, c2: number, from = 0, to = this.param.length): void {
    const { param, grad, m, v } = this;
    for (let i = from; i < to; i++) {
      const g = (grad[i] as number) * scale;
      const mi = BETA1 * (m[i] as number) + (1 - BETA1) * g;
      const vi = BETA2 * (v[i] as number) + (1 - BETA2) * g * g;
      m[i] = mi;
      v[i] = vi;
      param[i] = (param[i] as number) - (lr * (mi / c1)) / (Math.sqrt(vi / c2) + EPS);
      grad[i] = 0;
    }
  }
}

/** Random embedding rows start uniform in (-EMBEDDING_INIT, EMBEDDING_INIT). */
export const EMBEDDING_INIT = 0.1;

/** Uniform(-limit, limit) initialisation. */
function fill(a: Float32Array, limit: number, rng: () => number): void {
  for (let i = 0; i < a.length; i++) a[i] = (rng() * 2 - 1) * limit;
}

/** What a training worker is given once (all in shared memory). */
export interface CnnWorkerData {
  params: CnnParams;
  intercepts: Float32Array;
  rows: CnnRows;
  grads: CnnGrads;
  /** Dropout masks of the current mini-batch, `filters` per row. */
  keep: Float32Array;
  /** The current epoch's row order. */
  order: Int32Array;
  /** Where the worker lists the embedding rows it touched. */
  touched: Int32Array;
}

/** One worker's share of a mini-batch: positions [from, to) of the order; masks counted from `batchStart`. */
export interface CnnWorkerTask {
  from: number;
  to: number;
  batchStart: number;
}

export interface CnnWorkerAnswer {
  loss: number;
  touched: number;
}

/** Runs positions [from, to) of `order` through `backprop`; returns the summed loss. */
export function runShare(backprop: RowBackprop, order: Int32Array, keep: Float32Array, task: CnnWorkerTask): number {
  const filters = backprop.p.filters;
  let loss = 0;
  for (let b = task.from; b < task.to; b++) loss += backprop.run(order[b] as number, keep, (b - task.batchStart) * filters);
  return loss;
}

/** The rows flat, in shared memory when other threads read them (the per-row id arrays are copied once). */
function flatRows(data: CnnTrainData, share: boolean): CnnRows {
  const offsets = new Int32Array(data.ids.length + 1);
  data.ids.forEach((ids, r) => (offsets[r + 1] = (offsets[r] as number) + ids.length));
  const total = offsets[data.ids.length] as number;
  const ids = share ? new Int32Array(new SharedArrayBuffer(total * 4)) : new Int32Array(total);
  data.ids.forEach((row, r) => ids.set(row, offsets[r] as number));
  const copy = <T extends Int8Array | Int32Array | Float32Array | Float64Array>(a: T): T => (share ? shared(a) : a);
  return { ids, offsets: copy(offsets), gold: copy(data.gold), rowWeight: copy(data.rowWeight), classWeight: copy(data.classWeight), rowGroup: copy(data.rowGroup) };
}

/** Adds `from` into `into` over [start, end) and clears `from` there. */
function drain(into: Float32Array, from: Float32Array, start = 0, end = from.length): void {
  for (let i = start; i < end; i++) {
    into[i] = (into[i] as number) + (from[i] as number);
    from[i] = 0;
  }
}

export async function trainCnn(data: CnnTrainData, options: CnnTrainOptions): Promise<CnnParams> {
  const { shape } = options;
  const { dim, filters, width } = shape;
  const threads = Math.max(1, Math.min(options.threads ?? availableParallelism(), 4, options.batchSize));
  const rng = makeRng(options.seed);
  const initial = emptyCnnParams(shape);
  fill(initial.embeddings, EMBEDDING_INIT, rng);
  fill(initial.conv, Math.sqrt(6 / (width * dim + filters)), rng);
  fill(initial.out, Math.sqrt(6 / (filters + NUM_LABELS)), rng);
  const share = threads > 1;
  const p: CnnParams = share
    ? { ...initial, embeddings: shared(initial.embeddings), conv: shared(initial.conv), convBias: shared(initial.convBias), out: shared(initial.out), outBias: shared(initial.outBias) }
    : initial;
  const intercepts = share ? new Float32Array(new SharedArrayBuffer(data.groups * NUM_LABELS * 4)) : new Float32Array(data.groups * NUM_LABELS);

  // Rows that some training text reaches, or that start from a pretrained vector; the others are
  // zeroed at the end (an unseen word then contributes nothing instead of its random initial vector).
  const seen = new Uint8Array(1 << shape.bits);
  if (options.init) {
    const { rows: initRows, vectors } = options.init;
    initRows.forEach((t, i) => {
      p.embeddings.set(vectors.subarray(i * dim, (i + 1) * dim), t * dim);
      seen[t] = 1;
    });
  }
  for (const ids of data.ids) for (const t of ids) seen[t] = 1;

  const rows = flatRows(data, share);
  const grads = emptyGrads(p, intercepts.length);
  const backprop = new RowBackprop(p, intercepts, rows, grads);
  const adam = {
    embeddings: new Adam(p.embeddings, grads.embeddings),
    dense: [
      new Adam(p.conv, grads.conv),
      new Adam(p.convBias, grads.convBias),
      new Adam(p.out, grads.out),
      new Adam(p.outBias, grads.outBias),
      new Adam(intercepts, grads.intercepts),
    ],
  };

  const rowCount = data.ids.length;
  const order = share ? new Int32Array(new SharedArrayBuffer(rowCount * 4)) : new Int32Array(rowCount);
  order.forEach((_, i) => (order[i] = i));
  const keep = share ? new Float32Array(new SharedArrayBuffer(options.batchSize * filters * 4)) : new Float32Array(options.batchSize * filters);
  const helpers: { worker: Worker; grads: CnnGrads; touched: Int32Array }[] = [];
  for (let t = 1; t < threads; t++) {
    const workerGrads = emptyGrads(p, intercepts.length, (bytes) => new SharedArrayBuffer(bytes));
    const touched = new Int32Array(new SharedArrayBuffer(options.batchSize * shape.maxTokens * 4));
    const workerData: CnnWorkerData = { params: p, intercepts, rows, grads: workerGrads, keep, order, touched };
    helpers.push({ worker: startWorker(new URL('./train-worker', import.meta.url), workerData), grads: workerGrads, touched });
  }
  try {
    let step = 0;
    for (let epoch = 0; epoch < options.epochs; epoch++) {
      shuffle(order, rng);
      const bar = progressBar(`CNN epoch ${epoch + 1}/${options.epochs}`, rowCount, { quiet: options.quiet });
      const started = Date.now();
      let loss = 0;
      for (let start = 0; start < rowCount; start += options.batchSize) {
        const end = Math.min(rowCount, start + options.batchSize);
        for (let i = 0; i < (end - start) * filters; i++) keep[i] = rng() < options.dropout ? 0 : 1 / (1 - options.dropout);
        // This thread takes the first share; helper t the (t + 1)-th.
        const per = Math.ceil((end - start) / threads);
        const answers = helpers.map((h, t) => {
          const from = Math.min(end, start + (t + 1) * per);
          return ask<CnnWorkerAnswer>(h.worker, { from, to: Math.min(end, from + per), batchStart: start } satisfies CnnWorkerTask);
        });
        loss += runShare(backprop, order, keep, { from: start, to: Math.min(end, start + per), batchStart: start });
        const done = await Promise.all(answers);
        done.forEach((answer, t) => {
          const h = helpers[t] as (typeof helpers)[number];
          loss += answer.loss;
          for (const key of ['conv', 'convBias', 'out', 'outBias', 'intercepts'] as const) drain(grads[key], h.grads[key]);
          for (let i = 0; i < answer.touched; i++) {
            const row = h.touched[i] as number;
            backprop.touch(row);
            drain(grads.embeddings, h.grads.embeddings, row * dim, (row + 1) * dim);
          }
        });
        step += 1;
        const c1 = 1 - BETA1 ** step;
        const c2 = 1 - BETA2 ** step;
        const scale = 1 / (end - start);
        for (const a of adam.dense) a.update(options.learningRate, scale, c1, c2);
        for (const t of backprop.touchedList) adam.embeddings.update(options.learningRate, scale, c1, c2, t * dim, (t + 1) * dim);
        backprop.clearTouched();
        if ((step & 255) === 0) bar.update(end);
      }
      bar.stop();
      options.log(`CNN epoch ${epoch + 1}/${options.epochs}: training loss ${(loss / rowCount).toFixed(4)} (${((Date.now() - started) / 1000).toFixed(0)} s, ${threads} thread${threads > 1 ? 's' : ''})`);
    }
  } finally {
    await Promise.all(helpers.map((h) => h.worker.terminate()));
  }
  for (let t = 0; t < seen.length; t++) if (!seen[t]) p.embeddings.fill(0, t * dim, (t + 1) * dim);
  // Hand back ordinary arrays: the shared ones were only for the threads.
  return share
    ? { ...p, embeddings: p.embeddings.slice(), conv: p.conv.slice(), convBias: p.convBias.slice(), out: p.out.slice(), outBias: p.outBias.slice() }
    : p;
}
