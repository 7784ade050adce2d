// The inner loop of training: loss and gradient of the six logistic heads over a range of rows.
// It runs in worker threads (one per core) over shared memory, so it takes plain typed arrays.
import { NUM_LABELS } from '../labels.js';

export interface KernelData {
  rowPtr: Int32Array;
  index: Int32Array;
  value: Float32Array;
  /** gold[r*6+l]: 1, 0 or -1 (unknown) */
  gold: Int8Array;
  rowWeight: Float32Array;
  /** classWeight[l*2+y] */
  classWeight: Float64Array;
  rowGroup: Int32Array;
  /** Number of weight rows (features); parameters are [weights dim*6 | corpus intercepts groups*6]. */
  dim: number;
}

/**
 * Adds the loss gradient of rows [from, to) into `grad` (which the caller zeroed) and returns the
 * loss. The six labels are unrolled by hand: this runs over every non-zero twice per evaluation.
 */
export function lossAndGradient(data: KernelData, x: Float64Array, grad: Float64Array, from: number, to: number): number {
  const { rowPtr, index, value, gold, rowWeight, classWeight, rowGroup } = data;
  const wLen = data.dim * NUM_LABELS;
  const z = new Float64Array(NUM_LABELS);
  const d = new Float64Array(NUM_LABELS);
  let loss = 0;
  for (let r = from; r < to; r++) {
    const gBase = wLen + (rowGroup[r] as number) * NUM_LABELS;
    const start = rowPtr[r] as number;
    const end = rowPtr[r + 1] as number;
    let z0 = 0, z1 = 0, z2 = 0, z3 = 0, z4 = 0, z5 = 0;
    for (let k = start; k < end; k++) {
      const b = (index[k] as number) * 6;
      const v = value[k] as number;
      z0 += v * (x[b] as number);
      z1 += v * (x[b + 1] as number);
      z2 += v * (x[b + 2] as number);
      z3 += v * (x[b + 3] as number);
      z4 += v * (x[b + 4] as number);
      z5 += v * (x[b + 5] as number);
    }
    z[0] = z0; z[1] = z1; z[2] = z2; z[3] = z3; z[4] = z4; z[5] = z5;
    let any = false;
    for (let l = 0; l < NUM_LABELS; l++) {
      const y = gold[r * NUM_LABELS + l] as number;
      if (y < 0) {
        d[l] = 0;
        continue;
      }
      const zl = (z[l] as number) + (x[gBase + l] as number);
      const c = (classWeight[l * 2 + y] as number) * (rowWeight[r] as number);
      // log(1 + e^-z) for y=1, log(1 + e^z) for y=0, computed stably.
      const m = y ? -zl : zl;
      loss += c * (m > 0 ? m + Math.log1p(Math.exp(-m)) : Math.log1p(Math.exp(m)));
      const dl = c * (1 / (1 + Math.exp(-zl)) - y);
      d[l] = dl;
      grad[gBase + l] = (grad[gBase + l] as number) + dl;
      any = true;
    }
    if (!any) continue;
    const d0 = d[0] as number, d1 = d[1] as number, d2 = d[2] as number;
    const d3 = d[3] as number, d4 = d[4] as number, d5 = d[5] as number;
    for (let k = start; k < end; k++) {
      const b = (index[k] as number) * 6;
      const v = value[k] as number;
      grad[b] = (grad[b] as number) + v * d0;
      grad[b + 1] = (grad[b + 1] as number) + v * d1;
      grad[b + 2] = (grad[b + 2] as number) + v * d2;
      grad[b + 3] = (grad[b + 3] as number) + v * d3;
      grad[b + 4] = (grad[b + 4] as number) + v * d4;
      grad[b + 5] = (grad[b + 5] as number) + v * d5;
    }
  }
  return loss;
}
