// Hashed TF-IDF features: word 1-2 grams and character 2-5 grams of the normalised text, each
// block L2-normalised (sublinear tf). Hashing keeps the model small and the hot path free of
// string allocation: n-grams are hashed straight from char codes.
import { GROUP_INDICATOR, contextHashes } from './context.js';
import { fmix } from './hash.js';

export interface FeatureConfig {
  /** log2 of the hashed feature space. */
  bits: number;
  charMin: number;
  charMax: number;
  /** A third block of context features (negation scope, group context, quotation): context.ts. */
  context?: boolean;
  /** With `context`: one more feature, of its own, for "the text names a group" (context.ts GROUP_INDICATOR). */
  groupIndicator?: boolean;
}

export const DEFAULT_FEATURES: FeatureConfig = { bits: 20, charMin: 2, charMax: 5, context: true };

const SEED_CHAR = 0x9747b28c;
const SEED_WORD = 0x5bd1e995;
const SEED_BIGRAM = 0x1b873593;

const step = (h: number, c: number): number => Math.imul(h ^ c, 0x01000193);

function isWordChar(c: number): boolean {
  // a-z, 0-9, apostrophe, and every non-ASCII character except spaces (so other scripts form words).
  return (c >= 97 && c <= 122) || (c >= 48 && c <= 57) || c === 39 || (c > 127 && c !== 0xa0 && c !== 0x3000);
}

/** A reusable buffer of hashes, grown on demand. */
export class HashBuffer {
  data = new Uint32Array(4096);
  length = 0;
  push(h: number): void {
    if (this.length === this.data.length) {
      const bigger = new Uint32Array(this.data.length * 2);
      bigger.set(this.data);
      this.data = bigger;
    }
    this.data[this.length++] = h;
  }
  clear(): void {
    this.length = 0;
  }
  /** Makes room for `size` hashes in total. */
  reserve(size: number): void {
    if (size <= this.data.length) return;
    const bigger = new Uint32Array(Math.max(size, this.data.length * 2));
    bigger.set(this.data.subarray(0, this.length));
    this.data = bigger;
  }
}

/**
 * Hashes every char n-gram of " text " (length charMin..charMax). When `positions` is given,
 * records the start offset (in `text`) and length of each n-gram, for explanations.
 */
export function charHashes(text: string, cfg: FeatureConfig, out: HashBuffer, positions?: number[]): void {
  if (!positions) return charHashesFast(text, cfg, out);
  const n = text.length + 2;
  for (let i = 0; i < n; i++) {
    let h = SEED_CHAR;
    for (let len = 1; len <= cfg.charMax && i + len <= n; len++) {
      const k = i + len - 1;
      const c = k === 0 || k === n - 1 ? 32 : text.charCodeAt(k - 1);
      h = step(h, c);
      if (len >= cfg.charMin) {
        out.push(fmix(h ^ len));
        positions.push(i - 1, len);
      }
    }
  }
}

let padded = new Uint16Array(1024);

/** The same hashes as charHashes, for scoring: char codes read once, the buffer sized once. */
function charHashesFast(text: string, cfg: FeatureConfig, out: HashBuffer): void {
  const n = text.length + 2;
  if (padded.length < n) padded = new Uint16Array(n * 2);
  const codes = padded;
  codes[0] = 32;
  for (let k = 0; k < text.length; k++) codes[k + 1] = text.charCodeAt(k);
  codes[n - 1] = 32;
  const { charMin, charMax } = cfg;
  out.reserve(out.length + n * (charMax - charMin + 1));
  const data = out.data;
  let m = out.length;
  for (let i = 0; i < n; i++) {
    let h = SEED_CHAR;
    const end = Math.min(charMax, n - i);
    for (let len = 1; len <= end; len++) {
      h = Math.imul(h ^ (codes[i + len - 1] as number), 0x01000193);
      if (len >= charMin) data[m++] = fmix(h ^ len);
    }
  }
  out.length = m;
}

/** Hashes word unigrams and bigrams; `positions` gets [start, end) pairs in `text` (bigrams span both words). */
export function wordHashes(text: string, out: HashBuffer, positions?: number[]): void {
  let prev = 0;
  let prevStart = -1;
  let i = 0;
  const n = text.length;
  while (i < n) {
    while (i < n && !isWordChar(text.charCodeAt(i))) i++;
    if (i >= n) break;
    const start = i;
    let h = SEED_WORD;
    while (i < n && isWordChar(text.charCodeAt(i))) h = step(h, text.charCodeAt(i++));
    const word = fmix(h);
    out.push(word);
    if (positions) positions.push(start, i);
    if (prevStart >= 0) {
      out.push(fmix(Math.imul(prev, 31) ^ word ^ SEED_BIGRAM));
      if (positions) positions.push(prevStart, i);
    }
    prev = word;
    prevStart = start;
  }
}

/** A sparse vector: feature indices with signed TF-IDF values. */
export interface SparseVector {
  index: Int32Array;
  value: Float32Array;
  length: number;
}

/**
 * Turns a block of hashes into sublinear-tf x idf values, L2-normalised, appended to `target`.
 * Hash bits: the top `bits` pick the feature, the lowest bit the sign (signed hashing halves the
 * bias that collisions add).
 */
export function appendBlock(
  hashes: HashBuffer,
  bits: number,
  idf: Float32Array | null,
  target: { index: number[]; value: number[] },
): void {
  const sorted = hashes.data.subarray(0, hashes.length).sort();
  const shift = 32 - bits;
  const from = target.index.length;
  let norm = 0;
  let i = 0;
  while (i < sorted.length) {
    const h = sorted[i] as number;
    let j = i + 1;
    while (j < sorted.length && sorted[j] === h) j++;
    const idx = h >>> shift;
    const weight = idf ? (idf[idx] ?? 0) : 1;
    if (weight > 0) {
      const v = (1 + Math.log(j - i)) * weight * (h & 1 ? -1 : 1);
      target.index.push(idx);
      target.value.push(v);
      norm += v * v;
    }
    i = j;
  }
  if (norm > 0) {
    const inv = 1 / Math.sqrt(norm);
    for (let k = from; k < target.value.length; k++) target.value[k] = (target.value[k] as number) * inv;
  }
}

/** The featuriser used by training and inference alike. Not re-entrant: one per thread. */
export class Featurizer {
  private readonly words = new HashBuffer();
  private readonly chars = new HashBuffer();
  private readonly context = new HashBuffer();
  private readonly indicator = new HashBuffer();

  constructor(
    readonly cfg: FeatureConfig,
    public idf: Float32Array | null,
  ) {}

  /** Features of an already normalised text. Duplicate indices (collisions across blocks) may occur. */
  vector(text: string): SparseVector {
    this.words.clear();
    this.chars.clear();
    wordHashes(text, this.words);
    charHashes(text, this.cfg, this.chars);
    const target = { index: [] as number[], value: [] as number[] };
    appendBlock(this.words, this.cfg.bits, this.idf, target);
    appendBlock(this.chars, this.cfg.bits, this.idf, target);
    if (this.cfg.context) {
      this.context.clear();
      const namesGroup = contextHashes(text, this.context);
      appendBlock(this.context, this.cfg.bits, this.idf, target);
      if (namesGroup && this.cfg.groupIndicator) {
        this.indicator.clear();
        this.indicator.push(GROUP_INDICATOR);
        appendBlock(this.indicator, this.cfg.bits, this.idf, target);
      }
    }
    return { index: Int32Array.from(target.index), value: Float32Array.from(target.value), length: target.index.length };
  }

  /** The distinct feature indices of a text (for document frequencies). */
  distinct(text: string): Int32Array {
    const saved = this.idf;
    this.idf = null;
    const v = this.vector(text);
    this.idf = saved;
    return Int32Array.from(new Set(v.index));
  }
}
