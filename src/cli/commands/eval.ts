import type { Command } from 'commander';
import { writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { loadScorer } from '../../classifier/registry.js';
import { loadConfig } from '../../config/config.js';
import { loadCorpora } from '../../classifier/corpora/index.js';
import { evaluateScorer, evaluateObfuscation, formatObfuscation } from '../../classifier/evaluation-runs.js';
import { formatReport } from '../../classifier/evaluate.js';
import { runBehaviourSuite, formatBehaviourReport } from '../../classifier/behaviour/run.js';
import { formatIdentityFprReport, identityFalsePositiveRates } from '../../classifier/behaviour/identity-templates.js';
import { IDENTITY_TOXIC_FPR_GOAL, ISSUE_11_GOALS } from '../../classifier/behaviour/targets.js';
import { TRICKS, type Trick } from '../../classifier/evasion/obfuscate.js';

interface EvalOptions {
  data?: string;
  model?: string;
  report?: string;
  obfuscate?: string;
  behaviour?: boolean;
  only?: string;
  quiet?: boolean;
}

export function register(program: Command): void {
  program
    .command('eval')
    .description('per corpus and label: ROC-AUC, average precision and F1 at the calibrated threshold, on the validation splits')
    .option('-d, --data <dir>', 'datasets folder (e.g. ../shared/datasets)')
    .option('-m, --model <spec>', 'model name, folder, hf:<dir>, or a+b to average')
    .option('-r, --report <file>', 'write the JSON report here')
    .option('--obfuscate <tricks>', `also score obfuscated copies: "all" or a comma list of ${TRICKS.join(', ')}`)
    .option('--behaviour', 'also run the behavioural (CheckList-style) suite, at 0.5 and at the calibrated thresholds, and the non-toxic identity templates')
    .option('--only <corpora>', 'comma-separated corpus names')
    .option('-q, --quiet', 'no progress bars')
    .action(async (opts: EvalOptions) => {
      if (!opts.data && !opts.behaviour) throw new Error('give --data <dir> and/or --behaviour');
      const scorer = await loadScorer(opts.model ?? loadConfig().model);
      const report: Record<string, unknown> = { model: `${scorer.name}@${scorer.version}`, date: new Date().toISOString() };
      if (opts.data) {
        const { examples } = loadCorpora(resolve(opts.data), { only: opts.only?.split(',') });
        const val = examples.filter((e) => e.split === 'val');
        const result = await evaluateScorer(scorer, val, { quiet: opts.quiet });
        report.validation = result;
        process.stdout.write(`${formatReport(result)}\n`);
        if (opts.obfuscate) {
          const tricks = opts.obfuscate === 'all' ? [...TRICKS] : (opts.obfuscate.split(',') as Trick[]);
          for (const t of tricks) if (!TRICKS.includes(t)) throw new Error(`unknown trick "${t}" (known: ${TRICKS.join(', ')})`);
          const obf = await evaluateObfuscation(scorer, val, tricks, result, { quiet: opts.quiet });
          report.obfuscation = obf;
          process.stdout.write(`${formatObfuscation(obf)}\n`);
        }
      }
      if (opts.behaviour) {
        const suite = await runBehaviourSuite(scorer);
        report.behaviour = suite;
        process.stdout.write(`${formatBehaviourReport(suite, { goals: ISSUE_11_GOALS })}\n`);
        const identities = await identityFalsePositiveRates(scorer);
        report.identityTemplates = identities;
        process.stdout.write(`${formatIdentityFprReport(identities, { target: IDENTITY_TOXIC_FPR_GOAL })}\n`);
      }
      if (opts.report) writeFileSync(opts.report, JSON.stringify(report, null, 2) + '\n');
      await scorer.close?.();
    });
}
