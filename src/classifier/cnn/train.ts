// Trains the word CNN on the same rows, labels, weights and per-corpus intercepts as the linear
// model, by mini-batch Adam (lazy on the embedding rows a batch touches). Written here because no
// npm library trains it on this machine: @tensorflow/tfjs's CPU backend needed over a minute for
// 5,000 rows of this network and its WASM backend has no gradient for the convolution.
import { NUM_LABELS } from '../labels.js';
import { makeRng, shuffle } from '../../util/rng.js';
import { progressBar } from '../../util/progress.js';
import { convMaxPool, emptyCnnParams, gatherFloat, outputLogits, type CnnParams, type CnnShape } from './model.js';

export interface CnnTrainOptions {
  shape: CnnShape;
  epochs: number;
  learningRate: number;
  /** Share of pooled features dropped at each training step. */
  dropout: number;
  batchSize: number;
  seed: number;
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

/** Uniform(-limit, limit) initialisation. */
function fill(a: Float32Array, limit: number, rng: () => number): void {
  for (let i = 0; i < a.length; i++) a[i] = (rng() * 2 - 1) * limit;
}

export function trainCnn(data: CnnTrainData, options: CnnTrainOptions): CnnParams {
  const { shape } = options;
  const { dim, filters, width } = shape;
  const rng = makeRng(options.seed);
  const p = emptyCnnParams(shape);
  fill(p.embeddings, 0.1, rng);
  fill(p.conv, Math.sqrt(6 / (width * dim + filters)), rng);
  fill(p.out, Math.sqrt(6 / (filters + NUM_LABELS)), rng);
  const intercepts = new Float32Array(data.groups * NUM_LABELS);

  const grads = {
    embeddings: new Float32Array(p.embeddings.length),
    conv: new Float32Array(p.conv.length),
    convBias: new Float32Array(filters),
    out: new Float32Array(p.out.length),
    outBias: new Float32Array(NUM_LABELS),
    intercepts: new Float32Array(intercepts.length),
  };
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
  // Rows that some training text reaches; the others are zeroed at the end (an unseen word then
  // contributes nothing instead of its random initial vector).
  const seen = new Uint8Array(1 << shape.bits);
  const touched = new Uint8Array(1 << shape.bits);
  let touchedList: number[] = [];

  const x = new Float32Array(shape.maxTokens * dim);
  const pooled = new Float32Array(filters);
  const argmax = new Int32Array(filters);
  const keep = new Float32Array(filters);
  const logits = new Float64Array(NUM_LABELS);
  const dPooled = new Float32Array(filters);

  const rows = data.ids.length;
  const order = Int32Array.from({ length: rows }, (_, i) => i);
  let step = 0;
  for (let epoch = 0; epoch < options.epochs; epoch++) {
    shuffle(order, rng);
    const bar = progressBar(`CNN epoch ${epoch + 1}/${options.epochs}`, rows, { quiet: options.quiet });
    const started = Date.now();
    let loss = 0;
    for (let start = 0; start < rows; start += options.batchSize) {
      const end = Math.min(rows, start + options.batchSize);
      for (let b = start; b < end; b++) {
        const r = order[b] as number;
        const ids = data.ids[r] as Int32Array;
        gatherFloat(p, ids, x);
        convMaxPool(p, x, ids.length, pooled, argmax);
        for (let f = 0; f < filters; f++) {
          keep[f] = rng() < options.dropout ? 0 : 1 / (1 - options.dropout);
          pooled[f] = (pooled[f] as number) * (keep[f] as number);
        }
        outputLogits(p, pooled, logits);
        const group = data.rowGroup[r] as number;
        dPooled.fill(0);
        for (let l = 0; l < NUM_LABELS; l++) {
          const y = data.gold[r * NUM_LABELS + l] as number;
          if (y < 0) continue;
          const z = (logits[l] as number) + (group >= 0 ? (intercepts[group * NUM_LABELS + l] as number) : 0);
          const prob = 1 / (1 + Math.exp(-z));
          const w = (data.rowWeight[r] as number) * (data.classWeight[l * 2 + y] as number);
          loss -= w * Math.log(Math.max(y === 1 ? prob : 1 - prob, 1e-12));
          const g = w * (prob - y);
          grads.outBias[l] = (grads.outBias[l] as number) + g;
          if (group >= 0) grads.intercepts[group * NUM_LABELS + l] = (grads.intercepts[group * NUM_LABELS + l] as number) + g;
          const row = l * filters;
          for (let f = 0; f < filters; f++) {
            grads.out[row + f] = (grads.out[row + f] as number) + g * (pooled[f] as number);
            dPooled[f] = (dPooled[f] as number) + g * (p.out[row + f] as number) * (keep[f] as number);
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
            if (!touched[t]) {
              touched[t] = 1;
              touchedList.push(t);
            }
            const e = t * dim;
            const w = wf + k * dim;
            for (let d = 0; d < dim; d++) {
              grads.conv[w + d] = (grads.conv[w + d] as number) + g * (x[j * dim + d] as number);
              grads.embeddings[e + d] = (grads.embeddings[e + d] as number) + g * (p.conv[w + d] as number);
            }
          }
        }
        for (const t of ids) seen[t] = 1;
      }
      step += 1;
      const c1 = 1 - BETA1 ** step;
      const c2 = 1 - BETA2 ** step;
      const scale = 1 / (end - start);
      for (const a of adam.dense) a.update(options.learningRate, scale, c1, c2);
      for (const t of touchedList) {
        adam.embeddings.update(options.learningRate, scale, c1, c2, t * dim, (t + 1) * dim);
        touched[t] = 0;
      }
      touchedList = [];
      if ((step & 255) === 0) bar.update(end);
    }
    bar.stop();
    options.log(`CNN epoch ${epoch + 1}/${options.epochs}: training loss ${(loss / rows).toFixed(4)} (${((Date.now() - started) / 1000).toFixed(0)} s)`);
  }
  for (let t = 0; t < seen.length; t++) if (!seen[t]) p.embeddings.fill(0, t * dim, (t + 1) * dim);
  return p;
}
