// The built-in model: six logistic heads over hashed TF-IDF features, Platt-calibrated.
// Scoring is allocation-free on the hot path: hashes go into reused buffers and are summed
// straight into the six logits.
import { LABELS, NUM_LABELS, type Label, type Span } from '../labels.js';
import { Lexicon, normalize, normalizeText, originalRange, type Normalized } from '../normalize/index.js';
import { HashBuffer, charHashes, wordHashes, type FeatureConfig } from './features.js';

export interface Calibration {
  /** calibrated p = sigmoid(a * logit + b) */
  a: number;
  b: number;
}

export interface LinearModelParams {
  features: FeatureConfig;
  idf: Float32Array;
  /** weights[feature * 6 + label] */
  weights: Float32Array;
  bias: Float64Array;
  calibration: Calibration[];
  lexicon: Lexicon;
  /** Minimum share of the logit a word must carry to be part of an explanation span. */
  spanThreshold: number;
  /** Spans are given only when the toxic probability reaches this. */
  spanGate: number;
}

export interface WordReason {
  text: string;
  start: number;
  end: number;
  weight: number;
}

const sigmoid = (x: number): number => 1 / (1 + Math.exp(-x));

export class LinearModel {
  private readonly words = new HashBuffer();
  private readonly chars = new HashBuffer();
  private readonly acc = new Float64Array(NUM_LABELS);
  private readonly logits = new Float64Array(NUM_LABELS);

  constructor(readonly params: LinearModelParams) {}

  normalize(text: string): Normalized {
    return normalize(text, this.params.lexicon);
  }

  /** Raw (uncalibrated) logits of an already normalised text, written into `out`. */
  logitsNormalized(text: string, out: Float64Array): void {
    const { features, bias } = this.params;
    this.words.clear();
    this.chars.clear();
    wordHashes(text, this.words);
    charHashes(text, features, this.chars);
    for (let l = 0; l < NUM_LABELS; l++) out[l] = bias[l] as number;
    this.addBlock(this.words, out);
    this.addBlock(this.chars, out);
  }

  /**
   * The same arithmetic as features.ts `appendBlock` (which training uses), fused with the dot
   * product so that scoring allocates nothing; test/classifier/train.test.ts keeps the two in step.
   */
  private addBlock(hashes: HashBuffer, out: Float64Array): void {
    const { idf, weights, features } = this.params;
    const sorted = hashes.data.subarray(0, hashes.length).sort();
    const shift = 32 - features.bits;
    const acc = this.acc;
    acc.fill(0);
    let norm = 0;
    let i = 0;
    while (i < sorted.length) {
      const h = sorted[i] as number;
      let j = i + 1;
      while (j < sorted.length && sorted[j] === h) j++;
      const idx = h >>> shift;
      const w = idf[idx] as number;
      if (w > 0) {
        const v = (j - i === 1 ? 1 : 1 + Math.log(j - i)) * w * (h & 1 ? -1 : 1);
        norm += v * v;
        const base = idx * NUM_LABELS;
        for (let l = 0; l < NUM_LABELS; l++) acc[l] = (acc[l] as number) + v * (weights[base + l] as number);
      }
      i = j;
    }
    if (norm > 0) {
      const inv = 1 / Math.sqrt(norm);
      for (let l = 0; l < NUM_LABELS; l++) out[l] = (out[l] as number) + (acc[l] as number) * inv;
    }
  }

  calibrate(logits: Float64Array, out: Float64Array): void {
    const cal = this.params.calibration;
    for (let l = 0; l < NUM_LABELS; l++) {
      const c = cal[l] as Calibration;
      out[l] = sigmoid(c.a * (logits[l] as number) + c.b);
    }
  }

  /** Calibrated probabilities of a raw text, in LABELS order. */
  predict(text: string, out = new Float64Array(NUM_LABELS)): Float64Array {
    const logits = this.logits;
    this.logitsNormalized(normalizeText(text, this.params.lexicon), logits);
    this.calibrate(logits, out);
    return out;
  }

  /**
   * Per word of the original text, how much it pushed each label's logit (calibration slope
   * applied, so weights are in calibrated log-odds). Char n-grams share their weight evenly among
   * their characters; a word's weight is the sum over its characters.
   */
  attributions(text: string): { norm: Normalized; words: { start: number; end: number; weights: Float64Array }[] } {
    const norm = this.normalize(text);
    const t = norm.text;
    const perChar = Array.from({ length: NUM_LABELS }, () => new Float64Array(t.length + 1));
    const { features } = this.params;
    const wordPos: number[] = [];
    const charPos: number[] = [];
    const words = new HashBuffer();
    const chars = new HashBuffer();
    wordHashes(t, words, wordPos);
    charHashes(t, features, chars, charPos);
    this.attributeBlock(words, (k) => [wordPos[2 * k] as number, wordPos[2 * k + 1] as number], perChar, t.length);
    this.attributeBlock(chars, (k) => {
      const s = charPos[2 * k] as number;
      return [s, s + (charPos[2 * k + 1] as number)];
    }, perChar, t.length);

    const out: { start: number; end: number; weights: Float64Array }[] = [];
    const re = /[^\s]+/g;
    for (const m of t.matchAll(re)) {
      // Trim punctuation off the word's edges so spans cover the word itself.
      const inner = /[\p{L}\p{N}][\s\S]*[\p{L}\p{N}]|[\p{L}\p{N}]/u.exec(m[0]);
      const s = m.index + (inner ? inner.index : 0);
      const e = inner ? s + inner[0].length : m.index + m[0].length;
      const weights = new Float64Array(NUM_LABELS);
      for (let l = 0; l < NUM_LABELS; l++) {
        let sum = 0;
        for (let k = m.index; k < m.index + m[0].length; k++) sum += perChar[l]?.[k] ?? 0;
        weights[l] = sum * (this.params.calibration[l]?.a ?? 1);
      }
      const [os, oe] = originalRange(norm, s, e);
      out.push({ start: os, end: oe, weights });
    }
    return { norm, words: out };
  }

  private attributeBlock(
    hashes: HashBuffer,
    range: (k: number) => [number, number],
    perChar: Float64Array[],
    length: number,
  ): void {
    const { idf, weights, features } = this.params;
    const shift = 32 - features.bits;
    const counts = new Map<number, number>();
    for (let k = 0; k < hashes.length; k++) {
      const h = hashes.data[k] as number;
      counts.set(h, (counts.get(h) ?? 0) + 1);
    }
    let norm = 0;
    for (const [h, tf] of counts) {
      const v = (1 + Math.log(tf)) * (idf[h >>> shift] as number);
      norm += v * v;
    }
    if (norm === 0) return;
    const inv = 1 / Math.sqrt(norm);
    for (let k = 0; k < hashes.length; k++) {
      const h = hashes.data[k] as number;
      const idx = h >>> shift;
      const tf = counts.get(h) ?? 1;
      const v = ((1 + Math.log(tf)) * (idf[idx] as number) * (h & 1 ? -1 : 1) * inv) / tf;
      if (v === 0) continue;
      let [s, e] = range(k);
      s = Math.max(0, s);
      e = Math.min(length, e);
      if (e <= s) continue;
      for (let l = 0; l < NUM_LABELS; l++) {
        const share = (v * (weights[idx * NUM_LABELS + l] as number)) / (e - s);
        const row = perChar[l] as Float64Array;
        for (let c = s; c < e; c++) row[c] = (row[c] as number) + share;
      }
    }
  }

  /**
   * The words that drove each flagged label, and the merged character spans of the original text
   * covering the words that drove any flagged label.
   */
  explain(text: string, probabilities: Float64Array, thresholds: readonly number[]): { spans: Span[]; reasons: Partial<Record<Label, WordReason[]>> } {
    const { words } = this.attributions(text);
    const reasons: Partial<Record<Label, WordReason[]>> = {};
    const chosen: Span[] = [];
    const gated = (probabilities[0] as number) >= this.params.spanGate;
    LABELS.forEach((label, l) => {
      const p = probabilities[l] as number;
      const flagged = p >= (thresholds[l] ?? 0.5);
      const list = words
        .map((w) => ({ text: text.slice(w.start, w.end), start: w.start, end: w.end, weight: w.weights[l] as number }))
        .filter((w) => w.weight > 0)
        .sort((a, b) => b.weight - a.weight);
      if (flagged) reasons[label] = list.slice(0, 5);
      // Spans come from the umbrella label `toxic` (what span annotators mark) plus any flagged label.
      if (gated && (label === 'toxic' || flagged)) {
        for (const w of list) if (w.weight >= this.params.spanThreshold) chosen.push([w.start, w.end]);
      }
    });
    return { spans: mergeSpans(chosen, text), reasons };
  }
}

/** Sorts and merges overlapping spans, joining neighbours separated only by spaces. */
export function mergeSpans(spans: Span[], text: string): Span[] {
  const sorted = [...spans].sort((a, b) => a[0] - b[0]);
  const out: Span[] = [];
  for (const [s, e] of sorted) {
    const last = out[out.length - 1];
    if (last && (s <= last[1] || /^\s*$/.test(text.slice(last[1], s)))) last[1] = Math.max(last[1], e);
    else out.push([s, e]);
  }
  return out;
}
