// Ranking and calibration metrics, written out so the CLI needs no Python.

/** ROC-AUC by the rank-sum formula (ties get average ranks). NaN when one class is missing. */
export function rocAuc(scores: ArrayLike<number>, labels: ArrayLike<number>): number {
  const n = scores.length;
  const order = Array.from({ length: n }, (_, i) => i).sort((a, b) => (scores[a] as number) - (scores[b] as number));
  let pos = 0;
  let rankSum = 0;
  let i = 0;
  while (i < n) {
    let j = i + 1;
    while (j < n && scores[order[j] as number] === scores[order[i] as number]) j++;
    const avgRank = (i + 1 + j) / 2;
    for (let k = i; k < j; k++) {
      if (labels[order[k] as number] === 1) {
        pos++;
        rankSum += avgRank;
      }
    }
    i = j;
  }
  const neg = n - pos;
  if (pos === 0 || neg === 0) return NaN;
  return (rankSum - (pos * (pos + 1)) / 2) / (pos * neg);
}

/** Average precision (area under the precision-recall curve, step-wise as scikit-learn computes it). */
export function averagePrecision(scores: ArrayLike<number>, labels: ArrayLike<number>): number {
  const order = Array.from({ length: scores.length }, (_, i) => i).sort((a, b) => (scores[b] as number) - (scores[a] as number));
  let totalPos = 0;
  for (let i = 0; i < labels.length; i++) if (labels[i] === 1) totalPos++;
  if (totalPos === 0) return NaN;
  let tp = 0;
  let fp = 0;
  let ap = 0;
  let prevRecall = 0;
  let i = 0;
  while (i < order.length) {
    let j = i;
    const s = scores[order[i] as number];
    while (j < order.length && scores[order[j] as number] === s) {
      if (labels[order[j] as number] === 1) tp++;
      else fp++;
      j++;
    }
    const recall = tp / totalPos;
    ap += (recall - prevRecall) * (tp / (tp + fp));
    prevRecall = recall;
    i = j;
  }
  return ap;
}

export function f1At(scores: ArrayLike<number>, labels: ArrayLike<number>, threshold: number): number {
  let tp = 0;
  let fp = 0;
  let fn = 0;
  for (let i = 0; i < scores.length; i++) {
    const predicted = (scores[i] as number) >= threshold;
    if (predicted && labels[i] === 1) tp++;
    else if (predicted) fp++;
    else if (labels[i] === 1) fn++;
  }
  return tp === 0 ? 0 : (2 * tp) / (2 * tp + fp + fn);
}

/** The threshold that maximises F1 (searched over the observed scores). */
export function bestF1Threshold(scores: ArrayLike<number>, labels: ArrayLike<number>): { threshold: number; f1: number } {
  const order = Array.from({ length: scores.length }, (_, i) => i).sort((a, b) => (scores[b] as number) - (scores[a] as number));
  let totalPos = 0;
  for (let i = 0; i < labels.length; i++) if (labels[i] === 1) totalPos++;
  let tp = 0;
  let fp = 0;
  let best = { threshold: 0.5, f1: 0 };
  for (let k = 0; k < order.length; k++) {
    if (labels[order[k] as number] === 1) tp++;
    else fp++;
    const s = scores[order[k] as number] as number;
    const next = k + 1 < order.length ? (scores[order[k + 1] as number] as number) : -Infinity;
    if (next === s) continue;
    const f1 = (2 * tp) / (tp + fp + totalPos);
    if (f1 > best.f1) best = { threshold: s, f1 };
  }
  return best;
}

/** Expected calibration error over equal-width bins. */
export function expectedCalibrationError(probs: ArrayLike<number>, labels: ArrayLike<number>, bins = 10): number {
  const count = new Float64Array(bins);
  const conf = new Float64Array(bins);
  const hit = new Float64Array(bins);
  for (let i = 0; i < probs.length; i++) {
    const p = probs[i] as number;
    const b = Math.min(bins - 1, Math.floor(p * bins));
    count[b] = (count[b] as number) + 1;
    conf[b] = (conf[b] as number) + p;
    hit[b] = (hit[b] as number) + (labels[i] as number);
  }
  let ece = 0;
  for (let b = 0; b < bins; b++) {
    const c = count[b] as number;
    if (c > 0) ece += (c / probs.length) * Math.abs((conf[b] as number) / c - (hit[b] as number) / c);
  }
  return ece;
}

/** Platt scaling: fits p = sigmoid(a * x + b) by Newton's method on the log loss (with Platt's label smoothing). */
export function fitPlatt(logits: ArrayLike<number>, labels: ArrayLike<number>, weights?: ArrayLike<number>): { a: number; b: number } {
  let pos = 0;
  let neg = 0;
  for (let i = 0; i < labels.length; i++) {
    const w = weights ? (weights[i] as number) : 1;
    if (labels[i] === 1) pos += w;
    else neg += w;
  }
  if (pos === 0 || neg === 0) return { a: 1, b: 0 };
  // Newton's method is fitted on standardised scores (well conditioned whatever their scale), and
  // the result mapped back: a = a'/sd, b = b' - a' * mean / sd.
  let mu = 0;
  for (let i = 0; i < logits.length; i++) mu += logits[i] as number;
  mu /= logits.length;
  let sd = 0;
  for (let i = 0; i < logits.length; i++) sd += ((logits[i] as number) - mu) ** 2;
  sd = Math.sqrt(sd / logits.length) || 1;
  const std = Array.from(logits, (v) => (v - mu) / sd);
  const fit = fitPlattStandardised(std, labels, weights, pos, neg);
  return { a: fit.a / sd, b: fit.b - (fit.a * mu) / sd };
}

function fitPlattStandardised(logits: number[], labels: ArrayLike<number>, weights: ArrayLike<number> | undefined, pos: number, neg: number): { a: number; b: number } {
  const hi = (pos + 1) / (pos + 2);
  const lo = 1 / (neg + 2);
  let a = 1;
  let b = 0;
  for (let iter = 0; iter < 100; iter++) {
    let ga = 0, gb = 0, haa = 0, hab = 0, hbb = 0;
    for (let i = 0; i < logits.length; i++) {
      const x = logits[i] as number;
      const t = labels[i] === 1 ? hi : lo;
      const w = weights ? (weights[i] as number) : 1;
      const p = 1 / (1 + Math.exp(-(a * x + b)));
      const d = (p - t) * w;
      const h = Math.max(p * (1 - p), 1e-12) * w;
      ga += d * x;
      gb += d;
      haa += h * x * x;
      hab += h * x;
      hbb += h;
    }
    haa += 1e-9;
    hbb += 1e-9;
    const det = haa * hbb - hab * hab;
    if (Math.abs(det) < 1e-18) break;
    const da = (hbb * ga - hab * gb) / det;
    const db = (haa * gb - hab * ga) / det;
    a -= da;
    b -= db;
    if (Math.abs(da) < 1e-9 && Math.abs(db) < 1e-9) break;
  }
  return { a, b };
}

export function mean(values: number[]): number {
  const finite = values.filter((v) => Number.isFinite(v));
  return finite.length ? finite.reduce((s, v) => s + v, 0) / finite.length : NaN;
}
