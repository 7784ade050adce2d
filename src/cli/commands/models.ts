import type { Command } from 'commander';
import { listModels, readManifest, resolveModelDir } from '../../classifier/registry.js';
import { loadConfig } from '../../config/config.js';
import { formatReport, type EvalReport } from '../../classifier/evaluate.js';

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
}
