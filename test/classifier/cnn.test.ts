import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { beforeAll, describe, expect, it } from 'vitest';
import { NUM_LABELS } from '../../src/classifier/labels.js';
import { tokenIds } from '../../src/classifier/cnn/tokens.js';
import { WordCnn, convMaxPool, gatherFloat, outputLogits, quantize, type CnnParams, type CnnShape } from '../../src/classifier/cnn/model.js';
import { trainCnn } from '../../src/classifier/cnn/train.js';
import { loadCnn, saveCnn, CNN_FILE } from '../../src/classifier/cnn/io.js';
import { CnnStage } from '../../src/classifier/cnn/stage.js';
import { makeRng } from '../../src/util/rng.js';
import { toxicOnlyRows } from '../helpers/cnn-data.js';

const SHAPE: CnnShape = { bits: 12, dim: 16, filters: 24, width: 3, maxTokens: 32 };
const FILLER = ['the', 'game', 'was', 'long', 'today', 'and', 'we', 'played', 'again', 'after', 'lunch', 'with', 'friends'];

/**
 * Texts whose label depends only on word order: every text holds "bad" and "you" once, label 1
 * when "bad" comes right before "you", 0 when "you" comes right before "bad". Both classes have
 * the same words, so no bag of words can tell them apart.
 */
function orderTask(count: number, seed: number): { texts: string[]; y: number[] } {
  const rng = makeRng(seed);
  const texts: string[] = [];
  const y: number[] = [];
  for (let i = 0; i < count; i += 2) {
    // A pair: the same words around "bad you" (1) and around "you bad" (0).
    const words = Array.from({ length: 4 + Math.floor(rng() * 6) }, () => FILLER[Math.floor(rng() * FILLER.length)] as string);
    const at = Math.floor(rng() * (words.length + 1));
    for (const label of [1, 0]) {
      const text = [...words];
      text.splice(at, 0, ...(label ? ['bad', 'you'] : ['you', 'bad']));
      texts.push(text.join(' '));
      y.push(label);
    }
  }
  return { texts, y };
}

function trainOnOrderTask(epochs: number, threads = 1) {
  const { texts, y } = orderTask(1600, 1);
  const options = { shape: SHAPE, epochs, learningRate: 0.01, dropout: 0.1, batchSize: 16, seed: 5, threads, quiet: true, log: () => {} };
  return trainCnn(toxicOnlyRows(texts, y, SHAPE), options);
}

/** Logits of the float (unquantised) parameters. */
function floatLogits(p: CnnParams, ids: Int32Array, out: Float64Array): void {
  const x = new Float32Array(ids.length * p.dim);
  gatherFloat(p, ids, x);
  const pooled = new Float32Array(p.filters);
  convMaxPool(p, x, ids.length, pooled, new Int32Array(p.filters));
  outputLogits(p, pooled, out);
}

function accuracy(cnn: WordCnn): number {
  const { texts, y } = orderTask(400, 2);
  const out = new Float64Array(NUM_LABELS);
  let right = 0;
  texts.forEach((t, i) => {
    cnn.logits(tokenIds(t, SHAPE.bits, SHAPE.maxTokens), out);
    if (((out[0] as number) > 0 ? 1 : 0) === y[i]) right++;
  });
  return right / texts.length;
}

describe('CNN tokens', () => {
  it('marks the start and end, keeps contractions and punctuation, and stops at maxTokens', () => {
    const ids = tokenIds("I don't hate them!", 16, 32);
    expect(ids.length).toBe(2 + 5); // <s> i don't hate them ! </s>
    expect(ids[2]).not.toBe(tokenIds('dont', 16, 32)[1]);
    expect(tokenIds('"X are rats" is racist', 16, 32)[1]).toBe(tokenIds('"', 16, 32)[1]);
    expect(tokenIds('word '.repeat(500), 16, 32).length).toBe(32);
    expect(tokenIds('', 16, 32).length).toBe(2);
    expect(Math.max(...tokenIds('every id fits the table', 10, 32))).toBeLessThan(1 << 10);
  });

  it('reads Chinese and Japanese characters and Korean syllables one by one, since those scripts do not space their words', () => {
    const row = (token: string): number => tokenIds(token, 16, 32)[1] as number;
    // <s> 黑 人 都 是 垃 圾 </s>: a character repeated in another text gets the same row.
    const zh = tokenIds('黑人都是垃圾', 16, 32);
    expect(zh.length).toBe(2 + 6);
    expect(zh[1]).toBe(row('黑'));
    expect(tokenIds('这些黑人', 16, 32)[3]).toBe(row('黑'));
    expect(tokenIds('씨발 진짜', 16, 32).length).toBe(2 + 4);
    expect(tokenIds('ひらがなカタカナ', 16, 32).length).toBe(2 + 8);
    // Latin words stay whole, also when glued to a Chinese character.
    expect(Array.from(tokenIds('abc中文 x', 16, 32).subarray(1, 5))).toEqual([row('abc'), row('中'), row('文'), row('x')]);
  });
});

describe('CNN training', { timeout: 120_000 }, () => {
  it('learns a rule that depends on word order only, which a bag of words cannot', async () => {
    const { texts, y } = orderTask(50, 3);
    const bag = (t: string) => t.split(' ').sort().join(' ');
    // Each positive has a negative twin with the same bag of words.
    for (let i = 0; i < texts.length; i += 2) {
      expect([y[i], y[i + 1]]).toEqual([1, 0]);
      expect(bag(texts[i] as string)).toBe(bag(texts[i + 1] as string));
    }

    const untrained = accuracy(new WordCnn(quantize(await trainOnOrderTask(0))));
    const trained = accuracy(new WordCnn(quantize(await trainOnOrderTask(4))));
    expect(untrained).toBeLessThan(0.7);
    expect(trained).toBeGreaterThan(0.95);
  });

  it('is deterministic for a seed, and zeroes the embedding rows no training text reached', async () => {
    const a = await trainOnOrderTask(1);
    const b = await trainOnOrderTask(1);
    expect(Buffer.from(a.conv.buffer).equals(Buffer.from(b.conv.buffer))).toBe(true);
    const used = new Set(orderTask(1600, 1).texts.flatMap((t) => [...tokenIds(t, SHAPE.bits, SHAPE.maxTokens)]));
    const unused = [...Array(1 << SHAPE.bits).keys()].find((r) => !used.has(r)) as number;
    expect(a.embeddings.subarray(unused * SHAPE.dim, (unused + 1) * SHAPE.dim).every((v) => v === 0)).toBe(true);
  });
});

describe('CNN training across threads', { timeout: 120_000 }, () => {
  it('splits each mini-batch across worker threads: deterministic, and the same steps as one thread up to rounding', async () => {
    const one = await trainOnOrderTask(2, 1);
    const two = await trainOnOrderTask(2, 2);
    const twoAgain = await trainOnOrderTask(2, 2);
    expect(Buffer.from(two.conv.buffer).equals(Buffer.from(twoAgain.conv.buffer))).toBe(true);
    expect(Buffer.from(two.embeddings.buffer).equals(Buffer.from(twoAgain.embeddings.buffer))).toBe(true);
    // Only the order of float additions differs from one thread (the dropout masks are the same draws).
    let largest = 0;
    one.conv.forEach((v, i) => (largest = Math.max(largest, Math.abs(v - (two.conv[i] as number)))));
    expect(largest).toBeLessThan(1e-3);
    // Shared memory was only for training: the result is ordinary arrays.
    expect(two.embeddings.buffer).toBeInstanceOf(ArrayBuffer);
    expect(accuracy(new WordCnn(quantize(await trainOnOrderTask(4, 2))))).toBeGreaterThan(0.95);
  });
});

describe('CNN files and stage', { timeout: 120_000 }, () => {
  let params: CnnParams;
  beforeAll(async () => {
    params = await trainOnOrderTask(2);
  });

  it('saves and loads int8 embeddings that score like the float model', () => {
    const dir = mkdtempSync(join(tmpdir(), 'toxguard-cnn-'));
    saveCnn(dir, quantize(params));
    const loaded = new WordCnn(loadCnn(dir, SHAPE));
    const a = new Float64Array(NUM_LABELS);
    const b = new Float64Array(NUM_LABELS);
    for (const t of orderTask(40, 4).texts) {
      const ids = tokenIds(t, SHAPE.bits, SHAPE.maxTokens);
      floatLogits(params, ids, a);
      loaded.logits(ids, b);
      expect(Math.abs((a[0] as number) - (b[0] as number))).toBeLessThan(0.05 * Math.max(1, Math.abs(a[0] as number)));
    }
  });

  it('scores the same with and without its cache of word projections', () => {
    const q = quantize(params);
    const cached = new WordCnn(q);
    const uncached = new WordCnn(q, 0);
    const a = new Float64Array(NUM_LABELS);
    const b = new Float64Array(NUM_LABELS);
    for (const t of [...orderTask(20, 6).texts, ...orderTask(20, 6).texts]) {
      const ids = tokenIds(t, SHAPE.bits, SHAPE.maxTokens);
      cached.logits(ids, a);
      uncached.logits(ids, b);
      expect([...a]).toEqual([...b]);
    }
    expect(() => cached.logits(new Int32Array(SHAPE.maxTokens + 1), a)).toThrow(/at most 32 tokens/);
  });

  it('empties a full cache and fills it again, so words seen later are cached too, with the same scores', () => {
    const q = quantize(params);
    const small = new WordCnn(q, 5);
    const uncached = new WordCnn(q, 0);
    const a = new Float64Array(NUM_LABELS);
    const b = new Float64Array(NUM_LABELS);
    const sizes: number[] = [];
    for (const t of orderTask(40, 7).texts) {
      const ids = tokenIds(t, SHAPE.bits, SHAPE.maxTokens);
      small.logits(ids, a);
      uncached.logits(ids, b);
      expect([...a]).toEqual([...b]);
      sizes.push(small.cachedWords);
    }
    expect(Math.max(...sizes)).toBe(5);
    expect(Math.min(...sizes)).toBeGreaterThan(0);
    // It was full, then filled again: not stuck with the first five words for good.
    expect(sizes.slice(sizes.indexOf(5)).some((n) => n < 5)).toBe(true);
    expect(uncached.cachedWords).toBe(0);
  });

  it('refuses a file that does not match the shape in model.json, or has bytes left over', () => {
    const dir = mkdtempSync(join(tmpdir(), 'toxguard-cnn-'));
    expect(() => loadCnn(dir, SHAPE)).toThrow(/missing cnn\.bin\.gz/);
    saveCnn(dir, quantize(params));
    expect(() => loadCnn(dir, { ...SHAPE, filters: 8 })).toThrow(/does not match the CNN shape/);
    writeFileSync(join(dir, CNN_FILE), gzipSync(Buffer.alloc(8)));
    expect(() => loadCnn(dir, SHAPE)).toThrow(/does not match the CNN shape/);
    const good = quantize(params);
    saveCnn(dir, { ...good, outBias: new Float32Array(NUM_LABELS + 1) });
    expect(() => loadCnn(dir, SHAPE)).toThrow(/bytes where its shape needs/);
  });

  it('reads only what the linear model is unsure of, and then combines the two logits', () => {
    const calibration = Array.from({ length: NUM_LABELS }, () => ({ a: 2, b: -1 }));
    const stage = new CnnStage(quantize(params), { kind: 'cnn', shape: SHAPE, gate: 0.2, weight: 0.5, calibration });
    const linear = new Float64Array(NUM_LABELS).fill(-3);
    const sure = new Float64Array(NUM_LABELS).fill(0.05);
    expect(stage.rescore('we played bad you', linear, sure)).toBe(false);
    expect([...sure]).toEqual(new Array(NUM_LABELS).fill(0.05));

    const unsure = Float64Array.from(sure);
    unsure[3] = 0.3;
    expect(stage.rescore('we played bad you', linear, unsure)).toBe(true);
    const cnn = stage.logits('we played bad you', new Float64Array(NUM_LABELS));
    const want = 1 / (1 + Math.exp(-(2 * (-3 + 0.5 * (cnn[0] as number)) - 1)));
    expect(unsure[0]).toBeCloseTo(want, 10);
  });
});
