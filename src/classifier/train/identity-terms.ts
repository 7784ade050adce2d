// Identity debiasing: words that name a group of people are not evidence of abuse by themselves.
// After fitting, the features made of these words alone (the word, and character n-grams of at
// least three of its letters) lose any positive weight on the abuse labels, so a text is flagged
// for what it says about a group, not for naming it. Obscenity is left alone.
import { NUM_LABELS, LABELS } from '../labels.js';
import { HashBuffer, charHashes, wordHashes, type FeatureConfig } from '../linear/features.js';
import { GROUP_INDICATOR, IDENTITY_TERMS } from '../linear/context.js';

export { IDENTITY_TERMS };

/** Labels whose weights are debiased: everything but obscene. */
const DEBIASED = LABELS.map((l) => l !== 'obscene');

/** The hashed buckets (by `bits`) of an identity word's own features. */
export function identityBuckets(terms: readonly string[], cfg: FeatureConfig): Set<number> {
  const shift = 32 - cfg.bits;
  const out = new Set<number>();
  const words = new HashBuffer();
  const chars = new HashBuffer();
  for (const term of terms) {
    words.clear();
    wordHashes(term, words);
    for (let k = 0; k < words.length; k++) out.add((words.data[k] as number) >>> shift);
    chars.clear();
    const positions: number[] = [];
    charHashes(term, cfg, chars, positions);
    for (let k = 0; k < chars.length; k++) {
      const start = positions[2 * k] as number;
      const len = positions[2 * k + 1] as number;
      // Letters of the term inside this n-gram (the padding spaces sit at -1 and term.length).
      const letters = Math.min(start + len, term.length) - Math.max(start, 0);
      if (letters >= 3) out.add((chars.data[k] as number) >>> shift);
    }
  }
  return out;
}

/**
 * The buckets of the word pairs of `texts` (normalised) that include a group's name: "jewish friends",
 * "the lesbian". A pair says which group a text is about, not what it says about it.
 */
export function identityPairBuckets(texts: Iterable<string>, cfg: FeatureConfig, terms: readonly string[] = IDENTITY_TERMS): Set<number> {
  const shift = 32 - cfg.bits;
  const identity = new Set(terms);
  const mentions = new RegExp(`\\b(${terms.join('|')})\\b`);
  const out = new Set<number>();
  const hashes = new HashBuffer();
  for (const text of texts) {
    if (!mentions.test(text)) continue;
    hashes.clear();
    const positions: number[] = [];
    wordHashes(text, hashes, positions);
    for (let k = 0; k < hashes.length; k++) {
      const words = text.slice(positions[2 * k], positions[2 * k + 1]).split(/[^a-z0-9'\u0080-\uffff]+/).filter(Boolean);
      if (words.length > 1 && words.some((w) => identity.has(w))) out.add((hashes.data[k] as number) >>> shift);
    }
  }
  return out;
}

/**
 * Clamps positive weights of identity features (the terms' own features, plus `extra` buckets such
 * as identityPairBuckets) to zero on the debiased labels; returns how many changed.
 */
export function neutralizeIdentityTerms(
  weights: Float32Array,
  cfg: FeatureConfig,
  terms: readonly string[] = IDENTITY_TERMS,
  extra: Iterable<number> = [],
): number {
  let changed = 0;
  for (const bucket of new Set([...identityBuckets(terms, cfg), ...extra])) {
    for (let l = 0; l < NUM_LABELS; l++) {
      const i = bucket * NUM_LABELS + l;
      if (DEBIASED[l] && (weights[i] as number) > 0) {
        weights[i] = 0;
        changed++;
      }
    }
  }
  return changed;
}

/**
 * Clears what naming a group adds by itself (FeatureConfig.groupIndicator) on every label but
 * obscene and identity_hate: naming a group is no evidence of a toxic, threatening or insulting
 * text, but identity hate needs a group to be about. Returns how many weights changed.
 */
export function neutralizeGroupIndicator(weights: Float32Array, cfg: FeatureConfig): number {
  if (!cfg.context || !cfg.groupIndicator) return 0;
  const bucket = GROUP_INDICATOR >>> (32 - cfg.bits);
  const sign = GROUP_INDICATOR & 1 ? -1 : 1;
  let changed = 0;
  LABELS.forEach((label, l) => {
    if (label === 'obscene' || label === 'identity_hate') return;
    const i = bucket * NUM_LABELS + l;
    // The feature's value is `sign`: a weight that raises the logit has the same sign.
    if (sign * (weights[i] as number) > 0) {
      weights[i] = 0;
      changed++;
    }
  });
  return changed;
}
