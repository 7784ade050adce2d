// The built-in model: six logistic heads over hashed TF-IDF features, Platt-calibrated.
// Scoring is allocation-free on the hot path: hashes go into reused buffers and are summed
// straight into the six logits.
import { LABELS, NUM_LABELS, type Label, type Span } from '../labels.js';
import { Lexicon, normalize, normalizeText, originalRange, type Normalized } from '../normalize/index.js';
import { HashBuffer, charHashes, wordHashes, type FeatureConfig } from './features.js';
import { GROUP_INDICATOR, contextHashes } from './context.js';

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

/** Slots per bucket in the scoring table: six weights, the idf, one spare (32 bytes, cache-aligned). */
const TABLE_STRIDE = 8;

export class LinearModel {
  private readonly words = new HashBuffer();
  private readonly chars = new HashBuffer();
  private readonly context = new HashBuffer();
  private readonly logits = new Float64Array(NUM_LABELS);
  private slotKeys = new Uint32Array(0);
  private slotCounts = new Uint32Array(0);
  private order = new Uint32Array(0);
  /**
   * The scoring table: per bucket its six weights and its idf, side by side in 8 slots, so that
   * each n-gram costs one cache line instead of two scattered reads (weights and idf).
   */
  private readonly table: Float32Array;
  /** What naming a group adds to each logit (features.groupIndicator: a block of one feature, so ±its weight). */
  private readonly groupOffset: Float64Array | null;

  constructor(readonly params: LinearModelParams) {
    const size = 1 << params.features.bits;
    this.table = new Float32Array(size * TABLE_STRIDE);
    for (let b = 0; b < size; b++) {
      const idf = params.idf[b] as number;
      if (!(idf > 0)) continue;
      for (let l = 0; l < NUM_LABELS; l++) this.table[b * TABLE_STRIDE + l] = params.weights[b * NUM_LABELS + l] as number;
      this.table[b * TABLE_STRIDE + NUM_LABELS] = idf;
    }
    const bucket = GROUP_INDICATOR >>> (32 - params.features.bits);
    const sign = GROUP_INDICATOR & 1 ? -1 : 1;
    this.groupOffset =
      params.features.context && params.features.groupIndicator && (params.idf[bucket] as number) > 0
        ? Float64Array.from({ length: NUM_LABELS }, (_, l) => sign * (params.weights[bucket * NUM_LABELS + l] as number))
        : null;
  }

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
    if (features.context) {
      this.context.clear();
      const namesGroup = contextHashes(text, this.context);
      if (this.context.length > 0) this.addBlock(this.context, out);
      const offset = this.groupOffset;
      if (namesGroup && offset) for (let l = 0; l < NUM_LABELS; l++) out[l] = (out[l] as number) + (offset[l] as number);
    }
  }

  /**
   * The same arithmetic as features.ts `appendBlock` (which training uses), fused with the dot
   * product so that scoring allocates nothing; test/classifier/train.test.ts keeps the two in step.
   * Training sorts the hashes to count them; here a hash table counts them, which is three times
   * faster on a typical message (only the order of the floating-point sums differs).
   */
  private addBlock(hashes: HashBuffer, out: Float64Array): void {
    const { features } = this.params;
    const table = this.table;
    const shift = 32 - features.bits;
    // Count each distinct hash with a small open-addressing table (cheaper than sorting ~1,000 hashes).
    const n = hashes.length;
    const data = hashes.data;
    let size = this.slotKeys.length;
    if (size < n * 2) {
      size = 1 << Math.ceil(Math.log2(n * 2));
      this.slotKeys = new Uint32Array(size);
      this.slotCounts = new Uint32Array(size);
      this.order = new Uint32Array(size);
    }
    const keys = this.slotKeys;
    const cnt = this.slotCounts;
    const order = this.order;
    const mask = size - 1;
    let distinct = 0;
    for (let i = 0; i < n; i++) {
      const h = data[i] as number;
      let s = Math.imul(h, 0x9e3779b1) >>> 0 & mask;
      while (cnt[s] !== 0 && keys[s] !== h) s = (s + 1) & mask;
      if (cnt[s] === 0) {
        keys[s] = h;
        order[distinct++] = s;
      }
      cnt[s] = (cnt[s] as number) + 1;
    }
    // Six accumulators in locals (NUM_LABELS is 6).
    let a0 = 0;
    let a1 = 0;
    let a2 = 0;
    let a3 = 0;
    let a4 = 0;
    let a5 = 0;
    let norm = 0;
    for (let k = 0; k < distinct; k++) {
      const s = order[k] as number;
      const h = keys[s] as number;
      const c = cnt[s] as number;
      cnt[s] = 0;
      const base = (h >>> shift) * TABLE_STRIDE;
      // No branch on the bucket being known: an unknown bucket has idf 0 and weights 0, so it adds
      // nothing. A branch there is a coin toss the CPU mispredicts, and each miss stalls the table
      // reads it had already started for the next n-grams (the table is far bigger than the caches).
      const v = (c === 1 ? 1 : 1 + Math.log(c)) * (table[base + 6] as number) * (1 - ((h & 1) << 1));
      norm += v * v;
      a0 += v * (table[base] as number);
      a1 += v * (table[base + 1] as number);
      a2 += v * (table[base + 2] as number);
      a3 += v * (table[base + 3] as number);
      a4 += v * (table[base + 4] as number);
      a5 += v * (table[base + 5] as number);
    }
    if (norm > 0) {
      const inv = 1 / Math.sqrt(norm);
      out[0] = (out[0] as number) + a0 * inv;
      out[1] = (out[1] as number) + a1 * inv;
      out[2] = (out[2] as number) + a2 * inv;
      out[3] = (out[3] as number) + a3 * inv;
      out[4] = (out[4] as number) + a4 * inv;
      out[5] = (out[5] as number) + a5 * inv;
    }
  }

  calibrate(logits: Float64Array, out: Float64Array): void {
    const cal = this.params.calibration;
    for (let l = 0; l < NUM_LABELS; l++) {
      const c = cal[l] as Calibration;
      out[l] = sigmoid(c.a * (logits[l] as number) + c.b);
    }
  }

  /** The normalised text that scoring reads (no character map, unlike `normalize`). */
  normalizeForScoring(text: string): string {
    return normalizeText(text, this.params.lexicon);
  }

  /** Calibrated probabilities of a raw text, in LABELS order. */
  predict(text: string, out = new Float64Array(NUM_LABELS)): Float64Array {
    const logits = this.logits;
    this.logitsNormalized(this.normalizeForScoring(text), logits);
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
    if (features.context) {
      const contextPos: number[] = [];
      const context = new HashBuffer();
      contextHashes(t, context, contextPos);
      this.attributeBlock(context, (k) => [contextPos[2 * k] as number, contextPos[2 * k + 1] as number], perChar, t.length);
    }

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
      // Spans come from the umbrella label `toxic` (what span annotators mark), once its probability
      // reaches the gate tuned on them, and from every flagged label: a moderator shown a flag is
      // shown the words behind it.
      if ((label === 'toxic' && gated) || flagged) {
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
