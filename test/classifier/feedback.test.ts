// The feedback loop end to end: moderator decisions recorded in a real SQLite file become training
// rows; a retrain with them moves the reviewed texts' scores the way the moderators decided; and
// `toxguard models promote` refuses a worse model unless forced and accepts a better one.
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { LABELS, scoresFromArray, type Label, type Scores } from '../../src/classifier/labels.js';
import { LinearModel } from '../../src/classifier/linear/model.js';
import { saveModel } from '../../src/classifier/registry.js';
import { DEFAULT_TRAIN_OPTIONS, train, type TrainResult } from '../../src/classifier/train/trainer.js';
import { DEFAULT_CNN_STAGE } from '../../src/classifier/cnn/fit-stage.js';
import { loadReviewExamples, reviewExamples, REVIEWS_CORPUS } from '../../src/classifier/train/reviews.js';
import { saveReference } from '../../src/monitoring/reference.js';
import { Store, type DecidedReview } from '../../src/store/index.js';
import { runCli } from '../helpers/cli.js';
import { message } from '../helpers/messages.js';
import { makeSyntheticCorpus } from '../helpers/synthetic-corpus.js';

const options = (dataDir: string) => ({
  ...DEFAULT_TRAIN_OPTIONS,
  dataDir,
  features: { ...DEFAULT_TRAIN_OPTIONS.features, bits: 16 },
  maxIterations: 50,
  augment: false,
  cnn: { ...DEFAULT_CNN_STAGE, shape: { ...DEFAULT_CNN_STAGE.shape, bits: 14 }, wordVectors: { words: 5_000 } },
  quiet: true,
  log: () => {},
});

// The community's norms: "scrub" and "noob" are insults here (the corpora never saw them), and
// "clown" is banter about the team mascot, not an insult (the corpora say it is one).
const CONFIRMED = ['what a scrub', 'you scrub noob', 'such a noob move scrub', 'go away noob', 'total scrub play', 'noob team noob players', 'you are a scrub', 'scrub scrub scrub'];
const OVERTURNED = ['the clown mascot is back', 'clown show at the match lol', 'our clown won the game', 'clown nose day for the team', 'love the clown today', 'clown hats tonight', 'who is the clown this match', 'clown mascot dance'];

function allScores(v: number): Scores {
  return Object.fromEntries(LABELS.map((l) => [l, v])) as Scores;
}

/** Records a flagged verdict with its review item and the moderator's decision. */
async function review(store: Store, text: string, decision: 'confirmed' | 'overturned' | 'dismissed', labels: Label[] = ['toxic', 'insult']): Promise<void> {
  const rec = await store.recordVerdict(
    {
      message: message({ text }),
      scores: allScores(0.6),
      labelSources: Object.fromEntries(labels.map((l) => [l, 'text'])),
      spans: [],
      sources: [],
      model: { name: 'tiny', version: '1' },
      decision: { actions: ['flag'], triggered: labels.map((label) => ({ label, score: 0.6, threshold: 0.5 })), logOnly: false },
      latencyMs: 1,
    },
    [{ kind: 'flag' }],
  );
  const id = rec.reviewId;
  if (id === undefined) throw new Error('flagged verdict without review item');
  await store.decideReview(id, decision, 'mod-1', 'dashboard');
}

function mean(xs: number[]): number {
  return xs.reduce((a, b) => a + b, 0) / xs.length;
}

describe('moderator decisions as training rows', () => {
  it('confirmed -> positive, overturned -> negative for the triggered labels only; dismissed ignored; OCR text when an image drove the label', () => {
    const base: Omit<DecidedReview, 'reviewId' | 'decision' | 'text' | 'triggered' | 'labelSources'> = {
      verdictId: 1,
      serverId: 'g1',
      decidedAt: '2026-01-01T00:00:00.000Z',
      excerpt: '',
      textStored: 'full',
      ocrTexts: [{ attachment: 0, text: 'meme caption idiot' }],
    };
    const t = (label: Label) => ({ label, score: 0.9, threshold: 0.5 });
    const out = reviewExamples(
      [
        { ...base, reviewId: 1, decision: 'confirmed', text: 'hello', triggered: [t('toxic'), t('insult')], labelSources: { toxic: 'text', insult: 'attachment:0' } },
        { ...base, reviewId: 2, decision: 'overturned', text: 'clown', triggered: [t('toxic')], labelSources: { toxic: 'text' } },
        { ...base, reviewId: 3, decision: 'dismissed', text: 'x', triggered: [t('toxic')], labelSources: { toxic: 'text' } },
        // excerpt mode cut the text: not what the model scored, left out
        { ...base, reviewId: 4, decision: 'confirmed', text: null, excerpt: 'a'.repeat(120), textStored: 'excerpt', triggered: [t('toxic')], labelSources: { toxic: 'text' } },
      ],
      4,
    );
    expect(out).toMatchObject({ confirmed: 1, overturned: 1, dismissed: 1, skipped: 1 });
    expect(out.examples.map((e) => [e.id, e.text, e.labels, e.weight, e.split, e.corpus])).toEqual([
      ['review:1:text', 'hello', [1, null, null, null, null, null], 4, 'train', REVIEWS_CORPUS],
      ['review:1:attachment:0', 'meme caption idiot', [null, null, null, null, 1, null], 4, 'train', REVIEWS_CORPUS],
      ['review:2:text', 'clown', [0, null, null, null, null, null], 4, 'train', REVIEWS_CORPUS],
    ]);
  });
});

describe('retrain with reviews, then promote (synthetic corpus, real SQLite file)', () => {
  const root = mkdtempSync(join(tmpdir(), 'toxguard-feedback-'));
  const dataDir = join(root, 'data');
  const dbFile = join(root, 'toxguard.sqlite');
  let base: TrainResult;
  let withReviews: TrainResult;

  beforeAll(async () => {
    makeSyntheticCorpus(dataDir);
    const store = await Store.open(dbFile);
    for (const text of CONFIRMED) await review(store, text, 'confirmed');
    for (const text of OVERTURNED) await review(store, text, 'overturned');
    await review(store, 'thanks friend', 'dismissed');
    await store.close();
    const extra = await loadReviewExamples(dbFile, 3);
    expect(extra).toMatchObject({ confirmed: 8, overturned: 8, dismissed: 1, skipped: 0 });
    base = await train(options(dataDir));
    withReviews = await train({ ...options(dataDir), extra: extra.examples });
  }, 180_000);

  it('moves the reviewed texts: overturned ones score lower, confirmed ones higher than without reviews', () => {
    const a = new LinearModel(base.params);
    const b = new LinearModel(withReviews.params);
    const toxic = (m: LinearModel, t: string) => m.predict(t)[0] as number;
    const before = { confirmed: CONFIRMED.map((t) => toxic(a, t)), overturned: OVERTURNED.map((t) => toxic(a, t)) };
    const after = { confirmed: CONFIRMED.map((t) => toxic(b, t)), overturned: OVERTURNED.map((t) => toxic(b, t)) };
    console.log(
      `toxic score, mean over the reviewed texts: confirmed ${mean(before.confirmed).toFixed(3)} -> ${mean(after.confirmed).toFixed(3)}, ` +
        `overturned ${mean(before.overturned).toFixed(3)} -> ${mean(after.overturned).toFixed(3)}; ` +
        `validation mean ROC-AUC ${base.report.macro.rocAuc.toFixed(4)} -> ${withReviews.report.macro.rocAuc.toFixed(4)}`,
    );
    CONFIRMED.forEach((t, i) => expect(after.confirmed[i], t).toBeGreaterThan(before.confirmed[i] as number));
    OVERTURNED.forEach((t, i) => expect(after.overturned[i], t).toBeLessThan(before.overturned[i] as number));
    expect(mean(after.confirmed)).toBeGreaterThan(mean(before.confirmed) + 0.1);
    expect(mean(after.overturned)).toBeLessThan(mean(before.overturned) - 0.1);
    // The reviews are training rows only: the validation texts (what promote compares on) are the corpus's.
    expect(withReviews.counts[REVIEWS_CORPUS]).toEqual({ train: 16, val: 0 });
    expect(withReviews.reference.texts).toBe(base.reference.texts);
  });

  it('toxguard train --with-reviews reads the decisions, writes reference.json and records where the reviews came from', async () => {
    const out = join(root, 'cli-model');
    const runs = join(root, 'runs');
    const res = await runCli(
      ['train', '--data', dataDir, '--out', out, '--with-reviews', '--db', dbFile, '--review-weight', '2.5', '--bits', '16', '--iterations', '30', '--no-augment', '-q'],
      { env: { TOXGUARD_RUNS_DIR: runs, TOXGUARD_CONFIG: '' } },
    );
    expect(res.code, res.stderr).toBe(0);
    expect(res.stderr).toMatch(/8 confirmed, 8 overturned -> 16 training rows of weight 2\.5; 1 dismissed \(ignored\)/);
    const reference = JSON.parse(readFileSync(join(out, 'reference.json'), 'utf8')) as { model: unknown; texts: number; source: string };
    expect(reference.model).toEqual({ name: 'builtin', version: '1.0.0' });
    expect(reference.source).toMatch(/^validation split of olid, trac2 \(\d+ texts\), at training$/);
    const runId = /run (\S+): model written/.exec(res.stdout)?.[1] ?? '';
    const run = JSON.parse(readFileSync(join(runs, runId, 'run.json'), 'utf8')) as { options: Record<string, unknown>; counts: Record<string, unknown> };
    expect(run.options.reviews).toMatchObject({ db: dbFile, weight: 2.5, confirmed: 8, overturned: 8, rows: 16 });
    expect(run.options).not.toHaveProperty('extra');
    expect(run.counts[REVIEWS_CORPUS]).toEqual({ train: 16, val: 0 });
  }, 120_000);

  it('promote refuses a worse model without --force, accepts it with --force, and accepts a better one', async () => {
    // A worse model: the same texts with every label inverted (calibration on its own, equally
    // inverted, validation rows turns most of it back, but it still ranks worse).
    const badData = join(root, 'bad');
    makeSyntheticCorpus(badData);
    for (const [file, from, to] of [
      ['olid/olid-training-v1.0.tsv', /\t(OFF|NOT)\t/g, (m: string) => (m.includes('OFF') ? '\tNOT\t' : '\tOFF\t')],
      ['trac2/trac2_eng_train.csv', /,(OAG|NAG),/g, (m: string) => (m.includes('OAG') ? ',NAG,' : ',OAG,')],
    ] as const) {
      const path = join(badData, file);
      writeFileSync(path, readFileSync(path, 'utf8').replace(from, to));
    }
    const bad = await train(options(badData));
    const save = (name: string, r: TrainResult): string => {
      const dir = join(root, 'models', name);
      saveModel(dir, { name, version: '1', description: 'test', thresholds: scoresFromArray(r.thresholds), createdAt: new Date().toISOString() }, r.params);
      saveReference(dir, { ...r.reference, model: { name, version: '1' } });
      return dir;
    };
    const goodDir = save('good', withReviews);
    const badDir = save('bad', bad);
    expect(existsSync(join(goodDir, 'reference.json'))).toBe(true);
    const config = join(root, 'toxguard.config.json');
    writeFileSync(config, JSON.stringify({ server: { port: 9999 }, model: goodDir }, null, 2));
    const env = { TOXGUARD_MODEL: '', TOXGUARD_CONFIG: '' };

    const refused = await runCli(['models', 'promote', badDir, '--data', dataDir, '--config', config, '-q'], { env });
    console.log(refused.stdout);
    expect(refused.code).toBe(1);
    expect(refused.stdout).toMatch(/^mean\s+\d\.\d{4}\s+\d\.\d{4}\s+-0\.\d{4}/m);
    expect(refused.stdout).toMatch(/^toxic\s+/m);
    expect(refused.stdout).toMatch(/not promoted \(use --force/);
    expect(JSON.parse(readFileSync(config, 'utf8'))).toEqual({ server: { port: 9999 }, model: goodDir });

    const forced = await runCli(['models', 'promote', badDir, '--data', dataDir, '--config', config, '--force', '-q'], { env });
    expect(forced.code).toBe(0);
    expect(forced.stdout).toMatch(/promoted anyway \(--force\)/);
    expect(JSON.parse(readFileSync(config, 'utf8'))).toEqual({ server: { port: 9999 }, model: badDir });

    // Now the bad model is active: the good one is better and is promoted without --force.
    const accepted = await runCli(['models', 'promote', goodDir, '--data', dataDir, '--config', config, '-q'], { env });
    console.log(accepted.stdout);
    expect(accepted.code).toBe(0);
    expect(accepted.stdout).toMatch(/mean ROC-AUC improves by \+0\.\d{4}/);
    expect(JSON.parse(readFileSync(config, 'utf8'))).toEqual({ server: { port: 9999 }, model: goodDir });

    // A config file that does not exist yet is created with just the key.
    const fresh = join(root, 'new', 'toxguard.config.json');
    const created = await runCli(['models', 'promote', goodDir, '--data', dataDir, '--config', fresh, '-q'], { env });
    expect(created.code).toBe(0);
    expect(JSON.parse(readFileSync(fresh, 'utf8'))).toEqual({ model: goodDir });
  }, 120_000);
});
