import type { Command } from 'commander';
import { join, resolve } from 'node:path';
import { DEFAULT_TRAIN_OPTIONS, train } from '../../classifier/train/trainer.js';
import { formatReport } from '../../classifier/evaluate.js';
import { saveModel } from '../../classifier/registry.js';
import { LABELS, scoresFromArray } from '../../classifier/labels.js';
import { newRunId, saveRun } from '../../classifier/runs.js';
import { runsDir } from '../../paths.js';

interface TrainCliOptions {
  data: string;
  out?: string;
  name: string;
  version: string;
  seed: number;
  iterations: number;
  bits: number;
  l2: number;
  only?: string;
  augment: boolean;
  quiet?: boolean;
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
    .option('--l2 <x>', 'L2 penalty (1/C in scikit-learn terms)', parseFloat, DEFAULT_TRAIN_OPTIONS.l2)
    .option('--only <corpora>', 'comma-separated corpus names to use')
    .option('--no-augment', 'leave out the counterfactual template examples')
    .option('-q, --quiet', 'no progress bars')
    .action(async (opts: TrainCliOptions) => {
      const id = newRunId();
      const log = (m: string): void => void process.stderr.write(`${m}\n`);
      const options = {
        ...DEFAULT_TRAIN_OPTIONS,
        dataDir: resolve(opts.data),
        seed: opts.seed,
        maxIterations: opts.iterations,
        l2: opts.l2,
        features: { ...DEFAULT_TRAIN_OPTIONS.features, bits: opts.bits },
        augment: opts.augment,
        only: opts.only?.split(',').map((s) => s.trim()),
        quiet: opts.quiet,
        log,
      };
      const result = await train(options);
      const out = resolve(opts.out ?? join(runsDir(), id, 'model'));
      saveModel(
        out,
        {
          name: opts.name,
          version: opts.version,
          description: 'Hashed word 1-2 + char 2-5 gram TF-IDF, six logistic heads, Platt-calibrated.',
          thresholds: scoresFromArray(result.thresholds),
          createdAt: new Date().toISOString(),
          run: id,
          dataFingerprint: result.dataFingerprint,
          metrics: { validation: result.report, spans: result.spans, iterations: result.iterations },
        },
        result.params,
      );
      const { log: _log, ...recorded } = options;
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
