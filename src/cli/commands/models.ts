import type { Command } from 'commander';
import { listModels, loadScorer, readManifest, resolveModelDir } from '../../classifier/registry.js';
import { loadConfig } from '../../config/config.js';
import { formatReport, type EvalReport } from '../../classifier/evaluate.js';
import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { loadCorpora } from '../../classifier/corpora/index.js';
import { LABELS } from '../../classifier/labels.js';
import { scoreAll } from '../../classifier/evaluation-runs.js';
import { compareModels, configFilePath, decidePromotion, formatComparison, modelSpecFor, writeConfigModel } from '../../classifier/train/promote.js';
import { runsDir } from '../../paths.js';
import { computeReference, saveReference } from '../../monitoring/reference.js';

/** The validation split of the corpora under `data` (the same texts for every model compared). */
function validation(data: string, only?: string): ReturnType<typeof loadCorpora>['examples'] {
  const { examples, missing } = loadCorpora(resolve(data), { only: only?.split(',').map((x) => x.trim()) });
  if (missing.length && !only) process.stderr.write(`not found (skipped): ${missing.join(', ')}\n`);
  return examples.filter((e) => e.split === 'val');
}

/** A candidate's training data folder, from its run record, when --data is not given. */
function runDataDir(dir: string): string | undefined {
  const run = readManifest(dir).run;
  if (!run) return undefined;
  const file = join(runsDir(), run, 'run.json');
  if (!existsSync(file)) return undefined;
  const options = (JSON.parse(readFileSync(file, 'utf8')) as { options?: { dataDir?: unknown } }).options;
  return typeof options?.dataDir === 'string' && existsSync(options.dataDir) ? options.dataDir : undefined;
}

export function register(program: Command): void {
  const models = program.command('models').description('the model registry (models/<name>/model.json)');
  models
    .command('list', { isDefault: true })
    .description('the registered models; * marks the default (config `model`, env TOXGUARD_MODEL, else "builtin")')
    .action(() => {
      const def = loadConfig().model;
      for (const m of listModels()) {
        const auc = (m.metrics as { validation?: EvalReport } | undefined)?.validation?.macro.rocAuc;
        process.stdout.write(
          `${m.name === def ? '*' : ' '} ${m.name.padEnd(16)} ${m.version.padEnd(8)} ${m.createdAt.slice(0, 10)}  ` +
            `${auc === undefined ? '' : `validation mean ROC-AUC ${auc.toFixed(4)}`}  ${m.dir}\n`,
        );
      }
    });
  models
    .command('show')
    .argument('[name]', 'model name or folder (default: the configured model)')
    .description('metadata, thresholds and validation metrics of one model')
    .action((name: string | undefined) => {
      const dir = resolveModelDir(name ?? loadConfig().model);
      const m = readManifest(dir);
      const { metrics, linear: _linear, ...rest } = m;
      process.stdout.write(`${JSON.stringify({ ...rest, dir }, null, 2)}\n`);
      const validation = (metrics as { validation?: EvalReport } | undefined)?.validation;
      if (validation) process.stdout.write(`${formatReport(validation)}\n`);
    });
  models
    .command('reference')
    .argument('<name>', 'model name or folder')
    .requiredOption('-d, --data <dir>', 'datasets folder whose validation split the model was tuned on (e.g. ../shared/datasets)')
    .option('--only <corpora>', 'comma-separated corpus names')
    .option('-q, --quiet', 'no progress bar')
    .description("write the model's drift reference (reference.json: score and length histograms of the validation texts) without retraining")
    .action(async (name: string, opts: { data: string; only?: string; quiet?: boolean }) => {
      const dir = resolveModelDir(name);
      const manifest = readManifest(dir);
      const val = validation(opts.data, opts.only);
      if (val.length === 0) throw new Error(`no validation texts under ${resolve(opts.data)}`);
      const scorer = await loadScorer(dir);
      const probs = await scoreAll(scorer, val.map((e) => e.text), { quiet: opts.quiet, title: 'scoring validation' });
      const corpora = [...new Set(val.map((e) => e.corpus))].sort();
      const reference = computeReference(
        val.map((e) => e.text),
        probs,
        { source: `validation split of ${corpora.join(', ')} (${val.length} texts), scored by \`toxguard models reference\` (no retraining)` },
      );
      const file = saveReference(dir, { ...reference, model: { name: manifest.name, version: manifest.version } });
      const high = LABELS.map((l) => `${l} ${(((reference.scores[l].at(-1) ?? 0) + (reference.scores[l].at(-2) ?? 0)) / Math.max(1, val.length) * 100).toFixed(1)}%`);
      process.stdout.write(`${file}: ${val.length} validation texts; share scored 0.9 or more: ${high.join(', ')}\n`);
      await scorer.close?.();
    });
  models
    .command('promote')
    .argument('<model>', 'model name or folder (e.g. runs/<run id>/model)')
    .option('-d, --data <dir>', "validation data (default: the candidate's training data, from its run record)")
    .option('--only <corpora>', 'comma-separated corpus names')
    .option('-c, --config <file>', 'config file to write (default: TOXGUARD_CONFIG or ./toxguard.config.json; created if missing)')
    .option('--force', 'promote even if the mean ROC-AUC drops')
    .option('--max-drop <x>', 'largest mean ROC-AUC drop accepted without --force', parseFloat, 0)
    .option('-q, --quiet', 'no progress bars')
    .description('compare a model with the active one on the same validation texts, and make it the default (config key `model`) unless it is worse')
    .action(async (candidateSpec: string, opts: { data?: string; only?: string; config?: string; force?: boolean; maxDrop: number; quiet?: boolean }) => {
      const candidateDir = resolveModelDir(candidateSpec);
      const file = configFilePath(opts.config);
      const activeSpec = loadConfig({ file: existsSync(file) ? file : undefined }).model;
      const data = opts.data ?? runDataDir(candidateDir);
      if (!data) throw new Error('give --data <dir>: the candidate has no recorded training data folder');
      const val = validation(data, opts.only);
      const [active, candidate] = await Promise.all([loadScorer(activeSpec), loadScorer(candidateDir)]);
      try {
        const cmp = await compareModels(active, candidate, val, { quiet: opts.quiet });
        process.stdout.write(`${formatComparison(cmp)}\n`);
        const decision = decidePromotion(cmp, { force: opts.force, maxDrop: opts.maxDrop });
        if (!decision.promoted) {
          process.stdout.write(`${decision.reason}\n`);
          process.exitCode = 1;
          return;
        }
        const spec = modelSpecFor(candidateDir);
        writeConfigModel(file, spec);
        process.stdout.write(`${decision.reason}: "model": ${JSON.stringify(spec)} written to ${file} (restart \`toxguard serve\` to use it)\n`);
        if (process.env.TOXGUARD_MODEL) process.stderr.write(`note: TOXGUARD_MODEL=${process.env.TOXGUARD_MODEL} is set and overrides the config key\n`);
      } finally {
        await active.close?.();
        await candidate.close?.();
      }
    });
}
