import { describe, expect, it } from 'vitest';
import { fitLogistic } from '../../src/classifier/train/logistic.js';
import { MatrixBuilder } from '../../src/classifier/train/matrix.js';
import { minimize } from '../../src/classifier/train/lbfgs.js';
import { makeRng } from '../../src/util/rng.js';

describe('L-BFGS', () => {
  it('finds the minimum of a convex quadratic', async () => {
    // f(x) = sum_i (i+1) * (x_i - i)^2
    const x = new Float64Array(20);
    await minimize(async (v, g) => {
      let f = 0;
      for (let i = 0; i < v.length; i++) {
        const d = (v[i] as number) - i;
        f += (i + 1) * d * d;
        g[i] = 2 * (i + 1) * d;
      }
      return f;
    }, x, { maxIterations: 200, gradientTolerance: 1e-8 });
    x.forEach((v, i) => expect(v).toBeCloseTo(i, 5));
  });
});

describe('logistic heads', () => {
  // Two features: feature 0 means label 0, feature 1 means label 1; label 2 is unknown everywhere.
  const rng = makeRng(3);
  const builder = new MatrixBuilder();
  const rows = 400;
  const gold = new Int8Array(rows * 6).fill(-1);
  for (let r = 0; r < rows; r++) {
    const a = rng() < 0.5 ? 1 : 0;
    const b = rng() < 0.3 ? 1 : 0;
    const index = [2 + (r % 5)];
    const value = [0.5];
    if (a) {
      index.push(0);
      value.push(1);
    }
    if (b) {
      index.push(1);
      value.push(1);
    }
    builder.add({ index: Int32Array.from(index), value: Float32Array.from(value), length: index.length });
    gold[r * 6] = a;
    gold[r * 6 + 1] = b;
  }
  const data = {
    X: builder.build(),
    gold,
    rowWeight: new Float32Array(rows).fill(1),
    classWeight: new Float64Array(12).fill(1),
    rowGroup: new Int32Array(rows),
    groups: 1,
  };

  it('learns each head from its own evidence and leaves an unlabelled head at zero', async () => {
    const fit = await fitLogistic(data, { dim: 8, l2: 0.1, maxIterations: 100, threads: 1 });
    expect(fit.weights[0 * 6 + 0]).toBeGreaterThan(2); // feature 0 -> label 0
    expect(Math.abs(fit.weights[0 * 6 + 1] as number)).toBeLessThan(0.5); // feature 0 says nothing of label 1
    expect(fit.weights[1 * 6 + 1]).toBeGreaterThan(2);
    for (let f = 0; f < 8; f++) expect(fit.weights[f * 6 + 2]).toBe(0);
  });

  it('gives the same weights with worker threads as in one thread', async () => {
    const one = await fitLogistic(data, { dim: 8, l2: 0.1, maxIterations: 100, threads: 1 });
    const two = await fitLogistic(data, { dim: 8, l2: 0.1, maxIterations: 100, threads: 2 });
    one.weights.forEach((w, i) => expect(two.weights[i]).toBeCloseTo(w, 4));
  });
});
