import { describe, expect, it } from 'vitest';
import { averagePrecision, bestF1Threshold, expectedCalibrationError, f1At, fitPlatt, rocAuc } from '../../src/classifier/metrics.js';
import { spanF1 } from '../../src/classifier/evaluate.js';
import { makeRng } from '../../src/util/rng.js';

describe('metrics', () => {
  it('ROC-AUC matches hand-computed values, with ties', () => {
    expect(rocAuc([0.1, 0.4, 0.35, 0.8], [0, 0, 1, 1])).toBeCloseTo(0.75, 10);
    expect(rocAuc([1, 2, 3, 4], [0, 0, 1, 1])).toBe(1);
    expect(rocAuc([0.5, 0.5, 0.5, 0.5], [0, 1, 0, 1])).toBe(0.5);
    expect(rocAuc([1, 2], [1, 1])).toBeNaN();
  });

  it('average precision matches scikit-learn on a known case', () => {
    // sklearn.metrics.average_precision_score([0, 0, 1, 1], [0.1, 0.4, 0.35, 0.8]) == 0.8333...
    expect(averagePrecision([0.1, 0.4, 0.35, 0.8], [0, 0, 1, 1])).toBeCloseTo(0.8333333, 6);
  });

  it('F1 at a threshold and the best threshold', () => {
    expect(f1At([0.2, 0.6, 0.7, 0.9], [0, 0, 1, 1], 0.65)).toBe(1);
    expect(f1At([0.2, 0.6, 0.7, 0.9], [0, 0, 1, 1], 0.5)).toBeCloseTo(0.8, 10);
    expect(bestF1Threshold([0.2, 0.6, 0.7, 0.9], [0, 0, 1, 1])).toEqual({ threshold: 0.7, f1: 1 });
  });

  it('Platt scaling recovers a known logistic relation, and ECE drops after it', () => {
    const rng = makeRng(1);
    const x: number[] = [];
    const y: number[] = [];
    for (let i = 0; i < 20000; i++) {
      const v = rng() * 8 - 4;
      x.push(v);
      y.push(rng() < 1 / (1 + Math.exp(-(2 * v - 1))) ? 1 : 0);
    }
    const { a, b } = fitPlatt(x, y);
    expect(a).toBeGreaterThan(1.8);
    expect(a).toBeLessThan(2.2);
    expect(b).toBeGreaterThan(-1.2);
    expect(b).toBeLessThan(-0.8);
    const raw = x.map((v) => 1 / (1 + Math.exp(-v)));
    const calibrated = x.map((v) => 1 / (1 + Math.exp(-(a * v + b))));
    expect(expectedCalibrationError(calibrated, y)).toBeLessThan(0.02);
    expect(expectedCalibrationError(raw, y)).toBeGreaterThan(expectedCalibrationError(calibrated, y));
  });

  it('Platt scaling copes with scores far from zero (an arbitrary intercept)', () => {
    const rng = makeRng(2);
    const x: number[] = [];
    const y: number[] = [];
    for (let i = 0; i < 5000; i++) {
      const v = rng() * 4 - 2;
      x.push(v - 50);
      y.push(rng() < 1 / (1 + Math.exp(-3 * v)) ? 1 : 0);
    }
    const { a, b } = fitPlatt(x, y);
    expect(a).toBeGreaterThan(2.5);
    expect(a).toBeLessThan(3.5);
    expect(a * -50 + b).toBeCloseTo(0, 0);
  });

  it('span F1 follows SemEval-2021 task 5', () => {
    expect(spanF1([], [])).toBe(1);
    expect(spanF1([[0, 4]], [])).toBe(0);
    expect(spanF1([], [[0, 4]])).toBe(0);
    expect(spanF1([[0, 4]], [[2, 6]])).toBeCloseTo(0.5, 10);
  });
});
