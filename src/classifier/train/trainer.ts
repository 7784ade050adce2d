// The training run: corpora -> lexicon -> normalised texts -> hashed TF-IDF -> six logistic heads
// (L2-regularised, fitted by L-BFGS) -> Platt calibration, F1 thresholds and the span
// threshold, all on validation data; then the CNN second stage (../cnn/fit-stage.ts) on the same
// rows, combined with the linear logits where the linear model is unsure.
import { createHash } from 'node:crypto';
import { LABELS, NUM_LABELS } from '../labels.js';
import { loadCorpora, type Example } from '../corpora/index.js';
import { Lexicon, normalize } from '../normalize/index.js';
import { Featurizer, type FeatureConfig, DEFAULT_FEATURES } from '../linear/features.js';
import { LinearModel, mergeSpans, type LinearModelParams } from '../linear/model.js';
import { evaluatePredictions, labelled, spanF1, type EvalReport } from '../evaluate.js';
import { bestF1Threshold, fitPlatt } from '../metrics.js';
import { makeRng, type Rng } from '../../util/rng.js';
import { progressBar } from '../../util/progress.js';
import { augmentationExamples } from './augment.js';
import { groupThreatExamples } from './group-threats.js';
import { negatedHostilityExamples } from './negated-hostility.js';
import { feelingExamples } from './feelings.js';
import { counterSpeechExamples, slurVocabulary } from './counter-speech.js';
import { insultWords, personInsultExamples, roleAbuseExamples } from './person-insults.js';
import { rebuttalExamples } from './rebuttals.js';
import { hedgedSentenceExamples, restatementExamples } from './restatements.js';
import { personThreatExamples } from './person-threats.js';
import { identitySwaps } from './identity-swaps.js';
import { MatrixBuilder, type SparseMatrix } from './matrix.js';
import { fitLogistic, pooledIntercept, rowLogits } from './logistic.js';
import { IDENTITY_TERMS, identityPairBuckets, neutralizeGroupIndicator, neutralizeIdentityTerms } from './identity-terms.js';
import { REVIEWS_CORPUS } from './reviews.js';
import { computeReference, type ReferenceHistograms } from '../../monitoring/reference.js';
import type { ThresholdBasis } from '../registry.js';
import { DEFAULT_CNN_STAGE, fitCnnStage, type CnnStageOptions } from '../cnn/fit-stage.js';
import { assertWordVectorsInstalled } from '../cnn/word-vectors.js';
import type { CnnStage } from '../cnn/stage.js';

export interface TrainOptions {
  dataDir: string;
  seed: number;
  /** L-BFGS iterations at most. */
  maxIterations: number;
  /** L2 penalty (scikit-learn's 1/C). */
  l2: number;
  features: FeatureConfig;
  /** Buckets seen in fewer training texts than this get no weight (like min_df). */
  minDf: number;
  augment: boolean;
  /** The CNN second stage; null trains the linear model alone. */
  cnn: CnnStageOptions | null;
  only?: string[];
  /** Extra labelled rows (moderator reviews), added to training. */
  extra?: Example[];
  quiet?: boolean;
  log: (message: string) => void;
}

/**
 * Rows without an intercept of their own: template rows (made up, not collected) and moderator
 * reviews (a few hundred rows, all flagged: their own intercept would learn "flagged" instead of the words).
 */
const SYNTHETIC = new Set(['augment', REVIEWS_CORPUS]);

/**
 * Template rows (augment.ts). The hate corpora name groups mostly to attack them; this many
 * everyday identity mentions (and the other templates) keep naming a group innocent.
 */
const AUGMENT_ROWS = 16_000;
/** Person-directed insult rows built from toxic_spans' insult words (plus half as many compliments). */
const PERSON_INSULT_ROWS = 3_000;
/** Contempt for someone in a role, without insult words ("the worst mod ever"), and as many praise and self-mockery twins. */
const ROLE_ABUSE_ROWS = 2_000;
/** The same stereotypes phrased as a question or an opinion (hate, half weight), and clean rows in those frames. */
const RESTATEMENT_ROWS = 3_000;
/** Threats against a group (the person-aimed threat templates are labelled not hate), and clean twins in the same frames. */
const GROUP_THREAT_ROWS = 2_500;
const GROUP_THREAT_TWINS = 2_000;
/** Threats against a person, many of them courteous or without a violent word, and clean twins in the same frames. */
const PERSON_THREAT_ROWS = 3_000;
const PERSON_THREAT_TWINS = 2_500;
/** Short corpus sentences naming a group, hedged as a question or an opinion: this many hateful and as many clean (half weight). */
const HEDGED_SENTENCE_ROWS = 2_000;
/** Hatred stated outright about a group ("i hate X"), the same frames at "you", chosen groups and things, and praise of groups ("X are great"). */
const FEELING_ROWS = 2_000;
/** Hostility phrased with a negation ("i don't like X at all"), and as many negations that say nothing hostile. */
const NEGATED_HOSTILITY_ROWS = 2_000;
/** Counter-speech quoting slurs and the hateful template rows (clean, half weight). */
const COUNTER_SPEECH_ROWS = 3_000;
/** Denials and denouncements of the training split's implied stereotypes (half weight each). */
const REBUTTAL_ROWS = 5_000;

/** Corpora whose texts are not English (identity swaps are English words). */
const MULTILINGUAL = new Set(['germeval2018', 'offenseval2020_tr', 'cold_zh', 'korean_hate_speech', 'hasoc2019_hi']);

/** Fewer validation positives than this give a max-F1 threshold too noisy to trust: 0.5 is used. */
export const MIN_THRESHOLD_POSITIVES = 100;

export const DEFAULT_TRAIN_OPTIONS: Omit<TrainOptions, 'dataDir' | 'log'> = {
  seed: 13,
  maxIterations: 110,
  l2: 1,
  features: { ...DEFAULT_FEATURES, bits: 21 },
  minDf: 2,
  augment: true,
  cnn: DEFAULT_CNN_STAGE,
};

/**
 * Every row a run trains and validates on: the corpora, then (with `augment`) the template rows and
 * the counterfactual identity swaps of English training rows, then the extra rows (reviews).
 * scripts/export-splits.ts writes the same rows for the scikit-learn reference.
 */
export function assembleExamples(loaded: readonly Example[], rng: Rng, options: Pick<TrainOptions, 'augment' | 'extra'>): Example[] {
  return [...loaded, ...(options.augment ? templateRows(loaded, rng) : []), ...(options.extra ?? [])];
}

/** The template rows and identity swaps, drawn from `rng` in this order (a run is reproducible from its seed). */
function templateRows(loaded: readonly Example[], rng: Rng): Example[] {
  const english = new Set(loaded.map((e) => e.corpus).filter((c) => !MULTILINGUAL.has(c)));
  const vocabulary = insultWords(loaded);
  const rows = [
    ...augmentationExamples(rng, AUGMENT_ROWS),
    ...identitySwaps(loaded, rng, { corpora: english }),
    ...personInsultExamples(vocabulary, rng, PERSON_INSULT_ROWS),
    ...roleAbuseExamples(vocabulary, rng, ROLE_ABUSE_ROWS),
    ...rebuttalExamples(loaded, rng, REBUTTAL_ROWS),
  ];
  const threats = groupThreatExamples(rng, GROUP_THREAT_ROWS, GROUP_THREAT_TWINS);
  rows.push(...threats, ...restatementExamples(loaded, rng, RESTATEMENT_ROWS));
  rows.push(...personThreatExamples(rng, PERSON_THREAT_ROWS, PERSON_THREAT_TWINS));
  rows.push(...hedgedSentenceExamples(loaded, english, rng, HEDGED_SENTENCE_ROWS));
  const hostility = negatedHostilityExamples(rng, NEGATED_HOSTILITY_ROWS);
  rows.push(...hostility, ...feelingExamples(rng, FEELING_ROWS));
  // Counter-speech quotes the hateful ones of these, and slurs.
  const hate = LABELS.indexOf('identity_hate');
  const hateful = [...threats, ...hostility].filter((r) => r.labels[hate] === 1).map((r) => r.text);
  return [...rows, ...counterSpeechExamples(slurVocabulary(loaded), hateful, rng, COUNTER_SPEECH_ROWS)];
}

export interface TrainResult {
  params: LinearModelParams;
  /** The second stage, when the run trained one. */
  stage?: CnnStage;
  thresholds: number[];
  thresholdBasis: Record<string, ThresholdBasis>;
  report: EvalReport;
  /** The objective after each L-BFGS iteration. */
  history: { iteration: number; loss: number; seconds: number; valRocAuc?: number }[];
  iterations: number;
  spans: { threshold: number; gate: number; f1: number; texts: number };
  counts: Record<string, { train: number; val: number }>;
  dataFingerprint: string;
  /** Drift reference on the validation texts (saved as reference.json next to the model). */
  reference: ReferenceHistograms;
  seconds: number;
}

function fingerprint(examples: readonly Example[]): string {
  const hash = createHash('sha256');
  for (const e of examples) hash.update(`${e.corpus}\t${e.id}\t${e.split}\t${e.labels.join(',')}\t${e.text}\n`);
  return hash.digest('hex').slice(0, 16);
}

function goldMatrix(examples: readonly Example[]): Int8Array {
  const gold = new Int8Array(examples.length * NUM_LABELS);
  examples.forEach((e, r) => e.labels.forEach((y, l) => (gold[r * NUM_LABELS + l] = y === null ? -1 : y)));
  return gold;
}

/** Positives weigh sqrt(neg/pos) (capped at 10): enough to keep rare labels from collapsing. */
function classWeights(gold: Int8Array, rowWeight: Float32Array): Float64Array {
  const cw = new Float64Array(NUM_LABELS * 2);
  for (let l = 0; l < NUM_LABELS; l++) {
    let pos = 0;
    let neg = 0;
    for (let r = 0; r < rowWeight.length; r++) {
      const y = gold[r * NUM_LABELS + l];
      if (y === 1) pos += rowWeight[r] as number;
      else if (y === 0) neg += rowWeight[r] as number;
    }
    cw[l * 2] = 1;
    cw[l * 2 + 1] = pos > 0 ? Math.min(10, Math.sqrt(neg / pos)) : 1;
  }
  return cw;
}

function vectorize(texts: readonly string[], featurizer: Featurizer, title: string, quiet?: boolean): SparseMatrix {
  const bar = progressBar(title, texts.length, { quiet });
  const builder = new MatrixBuilder();
  texts.forEach((t, i) => {
    builder.add(featurizer.vector(t));
    if ((i & 1023) === 0) bar.update(i);
  });
  bar.stop();
  return builder.build();
}

/** Bucket -> rank by training document frequency (most frequent first); unseen buckets get -1. */
function rankBuckets(texts: readonly string[], featurizer: Featurizer): { rank: Int32Array; active: number } {
  const size = 1 << featurizer.cfg.bits;
  const df = new Uint32Array(size);
  for (const t of texts) {
    const v = featurizer.vector(t);
    for (let k = 0; k < v.length; k++) df[v.index[k] as number] = (df[v.index[k] as number] as number) + 1;
  }
  const buckets = Array.from({ length: size }, (_, i) => i).filter((i) => (df[i] as number) > 0);
  buckets.sort((a, b) => (df[b] as number) - (df[a] as number) || a - b);
  const rank = new Int32Array(size).fill(-1);
  buckets.forEach((b, r) => (rank[b] = r));
  return { rank, active: buckets.length };
}

/** Rewrites a matrix's bucket indices as ranks (validation rows may hold buckets training never saw: dropped). */
function renumber(m: SparseMatrix, rank: Int32Array): SparseMatrix {
  const builder = new MatrixBuilder();
  for (let r = 0; r < m.rows; r++) {
    const index: number[] = [];
    const value: number[] = [];
    for (let k = m.rowPtr[r] as number; k < (m.rowPtr[r + 1] as number); k++) {
      const to = rank[m.index[k] as number] as number;
      if (to >= 0) {
        index.push(to);
        value.push(m.value[k] as number);
      }
    }
    builder.add({ index: Int32Array.from(index), value: Float32Array.from(value), length: index.length });
  }
  return builder.build();
}

/** Weights by bucket to weights by rank (the inverse of unrank). */
function rerank(byBucket: Float32Array, rank: Int32Array, active: number): Float32Array {
  const out = new Float32Array(active * NUM_LABELS);
  for (let b = 0; b < rank.length; b++) {
    const r = rank[b] as number;
    if (r >= 0) for (let l = 0; l < NUM_LABELS; l++) out[r * NUM_LABELS + l] = byBucket[b * NUM_LABELS + l] as number;
  }
  return out;
}

/** Weights by rank back to weights by bucket. */
function unrank(ranked: Float32Array, rank: Int32Array, size: number): Float32Array {
  const out = new Float32Array(size * NUM_LABELS);
  for (let b = 0; b < size; b++) {
    const r = rank[b] as number;
    if (r >= 0) for (let l = 0; l < NUM_LABELS; l++) out[b * NUM_LABELS + l] = ranked[r * NUM_LABELS + l] as number;
  }
  return out;
}

function computeIdf(texts: readonly string[], cfg: FeatureConfig, minDf: number): Float32Array {
  const featurizer = new Featurizer(cfg, null);
  const df = new Uint32Array(1 << cfg.bits);
  for (const t of texts) for (const idx of featurizer.distinct(t)) df[idx] = (df[idx] as number) + 1;
  const idf = new Float32Array(df.length);
  const n = texts.length;
  for (let i = 0; i < df.length; i++) {
    const d = df[i] as number;
    idf[i] = d >= minDf ? Math.log((1 + n) / (1 + d)) + 1 : 0;
  }
  return idf;
}

export async function train(options: TrainOptions): Promise<TrainResult> {
  const started = Date.now();
  const { log } = options;
  if (options.cnn?.wordVectors) assertWordVectorsInstalled();
  const { examples: loaded, missing } = loadCorpora(options.dataDir, {
    only: options.only,
    onCorpus: (name, count) => log(`loaded ${name}: ${count} texts`),
  });
  if (missing.length) log(`not found (skipped): ${missing.join(', ')}`);
  if (loaded.length === 0) throw new Error(`no corpus found under ${options.dataDir}`);
  const rng = makeRng(options.seed);
  const examples = assembleExamples(loaded, rng, options);
  const trainSet = examples.filter((e) => e.split === 'train');
  const valSet = examples.filter((e) => e.split === 'val');
  const counts: TrainResult['counts'] = {};
  for (const e of examples) {
    const c = (counts[e.corpus] ??= { train: 0, val: 0 });
    c[e.split]++;
  }

  // The lexicon is built from lightly folded text (no dictionary yet), then every text is
  // normalised with it, exactly as at inference time.
  const lexicon = Lexicon.fromTexts(trainSet.map((e) => e.text), (t) => normalize(t).text);
  log(`lexicon: ${lexicon.size} words`);
  const norm = (set: Example[], title: string): string[] => {
    const bar = progressBar(title, set.length, { quiet: options.quiet });
    const out = set.map((e, i) => {
      if ((i & 1023) === 0) bar.update(i);
      return normalize(e.text, lexicon).text;
    });
    bar.stop();
    return out;
  };
  const trainTexts = norm(trainSet, 'normalise train');
  const valTexts = norm(valSet, 'normalise val');

  const idf = computeIdf(trainTexts, options.features, options.minDf);
  const featurizer = new Featurizer(options.features, idf);
  // Hashed buckets are scattered over the whole table; renumbering them by document frequency puts
  // the frequent n-grams (most of every row) next to each other, which keeps the solver's
  // weight reads in cache. The order is undone when the weights are handed back.
  const order = rankBuckets(trainTexts, featurizer);
  const Xtrain = renumber(vectorize(trainTexts, featurizer, 'features train', options.quiet), order.rank);
  const Xval = renumber(vectorize(valTexts, featurizer, 'features val', options.quiet), order.rank);
  log(`features: ${Xtrain.rows} train rows, ${Xtrain.index.length} non-zeros, ${order.active} active buckets; ${Xval.rows} validation rows`);

  const gold = goldMatrix(trainSet);
  const rowWeight = Float32Array.from(trainSet.map((e) => e.weight));
  const cw = classWeights(gold, rowWeight);
  // Template rows get the intercept of a real corpus drawn at random: with an intercept of their
  // own, "everything here is clean" would be learnt by that intercept instead of by the words.
  const corpora = [...new Set(trainSet.filter((e) => !SYNTHETIC.has(e.corpus)).map((e) => e.corpus))];
  const realRows = trainSet.filter((e) => !SYNTHETIC.has(e.corpus));
  const rowGroup = Int32Array.from(
    trainSet.map((e) => corpora.indexOf(SYNTHETIC.has(e.corpus) ? (realRows[Math.floor(rng() * realRows.length)]?.corpus ?? '') : e.corpus)),
  );
  const history: TrainResult['history'] = [];
  const fitStart = Date.now();
  const bar = progressBar('fit (L-BFGS)', options.maxIterations, { quiet: options.quiet });
  const fitted = await fitLogistic(
    { X: Xtrain, gold, rowWeight, classWeight: cw, rowGroup, groups: corpora.length },
    {
      dim: order.active,
      l2: options.l2,
      maxIterations: options.maxIterations,
      onIteration: (iteration, loss, _gradMax, _evaluations, x) => {
        const seconds = (Date.now() - fitStart) / 1000;
        const entry: TrainResult['history'][number] = { iteration, loss, seconds };
        // Every 10 iterations, how the validation ranking is doing (for the run record).
        if (iteration % 10 === 0) {
          const dim = order.active * NUM_LABELS;
          const w = Float32Array.from(x.subarray(0, dim));
          const b = pooledIntercept(x, dim, { gold, rowGroup, groups: corpora.length });
          const z = Array.from({ length: Xval.rows }, (_, r) => {
            const out = new Float64Array(NUM_LABELS);
            rowLogits(Xval, r, w, b, out);
            return out;
          });
          entry.valRocAuc = evaluatePredictions(valSet, z, LABELS.map(() => 0)).macro.rocAuc;
          if (options.quiet) log(`iteration ${iteration}: objective ${loss.toFixed(1)}, validation mean ROC-AUC ${entry.valRocAuc.toFixed(4)} (${seconds.toFixed(0)} s)`);
        }
        history.push(entry);
        bar.update(iteration);
      },
    },
  );
  bar.stop();
  const weights = unrank(fitted.weights, order.rank, 1 << options.features.bits);
  const neutralized =
    neutralizeIdentityTerms(weights, options.features, IDENTITY_TERMS, identityPairBuckets(trainTexts, options.features)) +
    neutralizeGroupIndicator(weights, options.features);
  // Validation logits below must use the debiased weights too.
  const rankedWeights = rerank(weights, order.rank, order.active);
  log(`fitted in ${fitted.iterations} L-BFGS iterations (${((Date.now() - fitStart) / 1000).toFixed(0)} s); identity debiasing cleared ${neutralized} weights`);

  // Calibrate on validation: one Platt scaling per label, pooled over corpora.
  const logits = Array.from({ length: Xval.rows }, (_, r) => {
    const out = new Float64Array(NUM_LABELS);
    rowLogits(Xval, r, rankedWeights, fitted.bias, out);
    return out;
  });
  const calibration = LABELS.map((_, l) => {
    const { scores, gold } = labelled(valSet, logits, l);
    return fitPlatt(scores, gold);
  });
  const params: LinearModelParams = {
    features: options.features,
    idf,
    weights,
    bias: fitted.bias,
    calibration,
    lexicon,
    spanThreshold: 0.5,
    spanGate: 0.5,
  };
  const model = new LinearModel(params);
  let probs: Float64Array[] = logits.map((z) => {
    const p = new Float64Array(NUM_LABELS);
    model.calibrate(z, p);
    return p;
  });
  let stage: CnnStage | undefined;
  if (options.cnn) {
    const data = { gold, rowWeight, classWeight: cw, rowGroup, groups: corpora.length };
    const fitted = await fitCnnStage({ trainTexts, data, valSet, valTexts, valLogits: logits, valProbs: probs }, options.cnn, {
      seed: options.seed,
      quiet: options.quiet,
      log,
    });
    stage = fitted.stage;
    probs = fitted.valProbs;
  }
  const thresholdBasis: TrainResult['thresholdBasis'] = {};
  const thresholds = LABELS.map((label, l) => {
    const { scores, gold } = labelled(valSet, probs, l);
    const positives = gold.filter((v) => v === 1).length;
    // A label with too little validation evidence keeps the even-odds threshold, and says so.
    const enough = positives >= MIN_THRESHOLD_POSITIVES;
    thresholdBasis[label] = { method: enough ? 'max-f1' : 'fallback', positives };
    return enough ? Math.round(bestF1Threshold(scores, gold).threshold * 1000) / 1000 : 0.5;
  });
  const report = evaluatePredictions(valSet, probs, thresholds);
  // What drift monitoring compares live traffic with: the scores of real (collected) validation texts.
  const refRows = valSet.map((e, i) => ({ e, p: probs[i] as Float64Array })).filter((r) => !SYNTHETIC.has(r.e.corpus));
  const refCorpora = [...new Set(refRows.map((r) => r.e.corpus))].sort();
  const reference = computeReference(
    refRows.map((r) => r.e.text),
    refRows.map((r) => r.p),
    { source: `validation split of ${refCorpora.join(', ')} (${refRows.length} texts), at training` },
  );
  const spans = tuneSpans(model, valSet, probs);
  params.spanThreshold = spans.threshold;
  params.spanGate = spans.gate;
  log(`explanation spans: threshold ${spans.threshold}, gate ${spans.gate}, validation span F1 ${spans.f1.toFixed(4)} on ${spans.texts} texts`);

  return {
    params,
    stage,
    thresholds,
    thresholdBasis,
    report,
    history,
    iterations: fitted.iterations,
    spans,
    counts,
    dataFingerprint: fingerprint(examples),
    reference,
    seconds: (Date.now() - started) / 1000,
  };
}

/** Picks the word-weight threshold and toxic-probability gate that maximise span F1 on validation. */
function tuneSpans(model: LinearModel, valSet: Example[], probs: Float64Array[]): TrainResult['spans'] {
  const rows = valSet.map((e, i) => ({ e, p: probs[i]?.[0] ?? 0 })).filter((r) => r.e.spans !== undefined && r.e.corpus === 'toxic_spans');
  if (rows.length === 0) return { threshold: 0.5, gate: 0.5, f1: NaN, texts: 0 };
  const words = rows.map((r) => model.attributions(r.e.text).words);
  let best = { threshold: 0.5, gate: 0.5, f1: -1, texts: rows.length };
  for (const gate of [0, 0.2, 0.35, 0.5]) {
    for (const threshold of [0.05, 0.1, 0.15, 0.2, 0.3, 0.4, 0.5, 0.65, 0.8, 1, 1.25, 1.5]) {
      let sum = 0;
      rows.forEach((r, i) => {
        const predicted: [number, number][] =
          r.p >= gate ? (words[i] ?? []).filter((w) => (w.weights[0] as number) >= threshold).map((w) => [w.start, w.end]) : [];
        sum += spanF1(mergeSpans(predicted, r.e.text), r.e.spans ?? []);
      });
      const f1 = sum / rows.length;
      if (f1 > best.f1) best = { threshold, gate, f1, texts: rows.length };
    }
  }
  return best;
}
