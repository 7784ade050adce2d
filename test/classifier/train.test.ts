import { mkdtempSync, existsSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { DEFAULT_TRAIN_OPTIONS, train } from '../../src/classifier/train/trainer.js';
import { loadLinearScorer, saveModel } from '../../src/classifier/registry.js';
import { scoresFromArray } from '../../src/classifier/labels.js';
import { LinearModel } from '../../src/classifier/linear/model.js';
import { Featurizer } from '../../src/classifier/linear/features.js';
import { GROUP_INDICATOR } from '../../src/classifier/linear/context.js';
import { makeSyntheticCorpus } from '../helpers/synthetic-corpus.js';
import { gold } from '../../src/classifier/corpora/io.js';
import { DEFAULT_CNN_STAGE } from '../../src/classifier/cnn/fit-stage.js';
import { CnnStage } from '../../src/classifier/cnn/stage.js';

const options = (dataDir: string) => ({
  ...DEFAULT_TRAIN_OPTIONS,
  dataDir,
  features: { ...DEFAULT_TRAIN_OPTIONS.features, bits: 16 },
  maxIterations: 60,
  augment: false,
  cnn: { ...DEFAULT_CNN_STAGE, shape: { ...DEFAULT_CNN_STAGE.shape, bits: 14 }, wordVectors: { words: 5_000 } },
  quiet: true,
  log: () => {},
});

// Each training run takes seconds when idle but can take a minute on a loaded 2-core machine (the
// first test trains twice), so these tests get room rather than the suite's 60 s default.
describe('training on a small corpus made by the test', { timeout: 300_000 }, () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'toxguard-data-'));
  makeSyntheticCorpus(dataDir);

  it('learns, calibrates, records per-corpus metrics, and is deterministic for a seed', async () => {
    const a = await train(options(dataDir));
    const b = await train(options(dataDir));
    expect(a.counts.olid?.train).toBeGreaterThan(400);
    expect(a.counts.trac2?.val).toBe(150);
    const olidToxic = a.report.pairs.find((p) => p.corpus === 'olid' && p.label === 'toxic');
    expect(olidToxic?.rocAuc).toBeGreaterThan(0.95);
    // OLID's "insult" (targeted, individual) is present; threat never is, so it has no pair.
    expect(a.report.pairs.some((p) => p.label === 'threat')).toBe(false);
    // Calibrated: probabilities mean what they say on validation data, with sane Platt slopes.
    expect(a.report.calibration.toxic?.ece).toBeLessThan(0.1);
    for (const c of a.params.calibration) expect(Math.abs(c.a)).toBeLessThan(50);
    expect(Buffer.from(a.params.weights.buffer).equals(Buffer.from(b.params.weights.buffer))).toBe(true);
    expect(a.dataFingerprint).toBe(b.dataFingerprint);
  });

  it('saves a model folder that loads and scores insults above friendly text', async () => {
    const result = await train(options(dataDir));
    const dir = mkdtempSync(join(tmpdir(), 'toxguard-model-'));
    saveModel(dir, { name: 'tiny', version: '0.0.1', description: 'test', thresholds: scoresFromArray(result.thresholds), createdAt: new Date().toISOString() }, result.params, result.stage);
    expect(existsSync(join(dir, 'weights.bin.gz'))).toBe(true);
    expect(existsSync(join(dir, 'cnn.bin.gz'))).toBe(true);
    const manifest = JSON.parse(readFileSync(join(dir, 'model.json'), 'utf8')) as { labels: string[] };
    expect(manifest.labels).toEqual(['toxic', 'severe_toxic', 'obscene', 'threat', 'insult', 'identity_hate']);
    const scorer = loadLinearScorer(dir);
    const [bad, good] = await scorer.scoreBatch(['you are a pathetic idiot', 'thanks friend, lovely game'], { explain: true });
    expect(bad!.scores.toxic).toBeGreaterThan(0.5);
    expect(good!.scores.toxic).toBeLessThan(0.5);
    // The saved (int16-quantised) model scores like the in-memory one.
    const inMemory = new LinearModel(result.params);
    for (const t of ['you are a pathetic idiot', 'thanks friend, lovely game']) {
      const a = inMemory.predict(t);
      const b = scorer.model.predict(t);
      a.forEach((p, l) => expect(b[l]).toBeCloseTo(p, 3));
    }
    // The saved CNN stage (int8 embeddings) rescores like the trained one, and only unsure texts.
    expect(scorer.stage).toBeDefined();
    const trained = result.stage as CnnStage;
    for (const t of ['you are a pathetic idiot', 'thanks friend, lovely game', 'you idiot, thanks']) {
      const lin = new Float64Array(6);
      const n = inMemory.normalizeForScoring(t);
      inMemory.logitsNormalized(n, lin);
      const want = inMemory.predict(t);
      trained.rescore(n, lin, want);
      const got = scorer.probabilities(t);
      want.forEach((p, l) => expect(Math.abs((got[l] as number) - p)).toBeLessThan(0.01));
      expect(trained.wants(inMemory.predict(t))).toBe(inMemory.predict(t).some((p) => p >= trained.json.gate));
    }
    // Inference's fused scoring path gives the logits training computed from feature vectors.
    const featurizer = new Featurizer(result.params.features, result.params.idf);
    for (const t of ['you are a pathetic idiot', 'thanks friend, lovely game', 'ｆｕｃｋ y o u']) {
      const n = inMemory.normalize(t).text;
      const v = featurizer.vector(n);
      const fused = new Float64Array(6);
      inMemory.logitsNormalized(n, fused);
      for (let l = 0; l < 6; l++) {
        let z = result.params.bias[l] as number;
        for (let k = 0; k < v.length; k++) z += (v.value[k] as number) * (result.params.weights[(v.index[k] as number) * 6 + l] as number);
        expect(fused[l]).toBeCloseTo(z, 5);
      }
    }
    // Explanations point at the insult words in the original text.
    const spanTexts = (bad!.spans ?? []).map(([s, e]) => 'you are a pathetic idiot'.slice(s, e));
    expect(spanTexts.join(' ')).toMatch(/idiot|pathetic/);
  });

  it('with the group indicator: scoring adds it like training does, and naming a group raises nothing but identity hate', async () => {
    const base = options(dataDir);
    // Rows that name groups (the synthetic corpus names none), abusive and friendly alike.
    const extra = ['muslims', 'women', 'immigrants', 'jews'].flatMap((g, i) =>
      Array.from({ length: 6 }, (_, k) => ({
        id: `g${i}-${k}`,
        corpus: 'olid',
        text: k % 2 ? `${g} are vermin and idiots ${k}` : `my ${g} friends are lovely ${k}`,
        labels: gold({ toxic: (k % 2) as 0 | 1, insult: (k % 2) as 0 | 1, identity_hate: (k % 2) as 0 | 1 }),
        split: 'train' as const,
        weight: 1,
      })),
    );
    const result = await train({ ...base, extra, features: { ...base.features, groupIndicator: true } });
    const model = new LinearModel(result.params);
    const featurizer = new Featurizer(result.params.features, result.params.idf);
    const bucket = GROUP_INDICATOR >>> (32 - result.params.features.bits);
    const sign = GROUP_INDICATOR & 1 ? -1 : 1;
    for (const t of ['muslims are lovely people', 'you are a pathetic idiot', 'i dont hate women']) {
      const n = model.normalize(t).text;
      const v = featurizer.vector(n);
      expect(Array.from(v.index.subarray(0, v.length)).includes(bucket)).toBe(/muslims|women/.test(t));
      const fused = new Float64Array(6);
      model.logitsNormalized(n, fused);
      for (let l = 0; l < 6; l++) {
        let z = result.params.bias[l] as number;
        for (let k = 0; k < v.length; k++) z += (v.value[k] as number) * (result.params.weights[(v.index[k] as number) * 6 + l] as number);
        expect(fused[l]).toBeCloseTo(z, 5);
      }
    }
    // Cleared where it would count against the text (toxic, severe_toxic, threat, insult).
    for (const l of [0, 1, 3, 4]) expect(sign * (result.params.weights[bucket * 6 + l] as number)).toBeLessThanOrEqual(0);
  });

  it('fails clearly on a folder without corpora', async () => {
    const empty = mkdtempSync(join(tmpdir(), 'toxguard-empty-'));
    await expect(train(options(empty))).rejects.toThrow(/no corpus found/);
  });
});
