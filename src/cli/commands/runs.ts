import type { Command } from 'commander';
import { listRuns } from '../../classifier/runs.js';
import { formatReport } from '../../classifier/evaluate.js';

export function register(program: Command): void {
  const runs = program.command('runs').description('list recorded training runs, to compare them');
  runs
    .command('list', { isDefault: true })
    .description('one line per run: when, how long, data fingerprint, validation metrics')
    .option('--json', 'print JSON')
    .action((opts: { json?: boolean }) => {
      const all = listRuns();
      if (opts.json) return void process.stdout.write(JSON.stringify(all, null, 2) + '\n');
      if (all.length === 0) return void process.stdout.write('no recorded runs (train with `toxguard train --data <dir>`)\n');
      process.stdout.write('run id                    started               secs  data              iters   mean AUC  mean AP   span F1\n');
      for (const r of all) {
        process.stdout.write(
          `${r.id.padEnd(25)} ${r.startedAt.slice(0, 19).padEnd(21)} ${r.seconds.toFixed(0).padStart(5)}  ${r.dataFingerprint.padEnd(17)} ` +
            `${String(r.iterations).padStart(6)}  ${r.report.macro.rocAuc.toFixed(4)}    ${r.report.macro.averagePrecision.toFixed(4)}    ${r.spans.f1.toFixed(4)}\n`,
        );
      }
    });
  runs
    .command('show')
    .argument('<id>', 'run id')
    .description('the full record of one run')
    .action((id: string) => {
      const run = listRuns().find((r) => r.id === id || r.id.startsWith(id));
      if (!run) throw new Error(`no run ${id}`);
      process.stdout.write(`${JSON.stringify({ ...run, report: undefined }, null, 2)}\n${formatReport(run.report)}\n`);
    });
}
