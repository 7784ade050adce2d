import type { Command } from 'commander';
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { loadConfig } from '../../config/config.js';
import { DriftMonitor, referenceForSpec, REFERENCE_FILE } from '../../monitoring/index.js';
import { readManifest } from '../../classifier/registry.js';
import { Store, type DriftRecord } from '../../store/index.js';
import { progressBar } from '../../util/progress.js';

interface DriftCliOptions {
  days: number;
  config?: string;
  db?: string;
  model?: string;
  server?: string;
  recompute?: boolean;
  json?: boolean;
  quiet?: boolean;
}

function fmt(r: DriftRecord): string {
  const isPsi = r.metric === 'score' || r.metric === 'length';
  const value = isPsi ? r.value.toFixed(4) : `${(r.value * 100).toFixed(1)}%`;
  const bound = isPsi ? r.bound.toFixed(2) : `${(r.bound * 100).toFixed(1)}%`;
  return (
    `${r.day}  ${(r.serverId ?? '(all)').padEnd(20)} ${r.metric.padEnd(12)} ${(r.label ?? '').padEnd(14)} ` +
    `${value.padStart(8)} ${bound.padStart(7)} ${String(r.n).padStart(7)}  ${r.over ? (r.alerted ? 'OVER (alerted)' : 'OVER') : 'ok'}`
  );
}

export function register(program: Command): void {
  program
    .command('drift')
    .description("daily drift of the recorded traffic against the model's training reference (PSI of scores and lengths, no-text share, OCR failures)")
    .option('--days <n>', 'complete days to compute and show, yesterday back', (v) => parseInt(v, 10), 7)
    .option('-c, --config <file>', 'config file (default: TOXGUARD_CONFIG or ./toxguard.config.json if present)')
    .option('--db <path>', 'SQLite file (config database.path, env TOXGUARD_DB)')
    .option('-m, --model <spec>', 'model whose reference is used (config model)')
    .option('--server <id>', "show one server's rows (default: all servers together)")
    .option('--recompute', 'compute the days again even if already computed')
    .option('--json', 'one JSON record per line instead of the table')
    .option('-q, --quiet', 'no progress bar')
    .action(async (opts: DriftCliOptions) => {
      if (!Number.isInteger(opts.days) || opts.days < 1) throw new Error('--days must be a positive whole number');
      const config = loadConfig({ file: opts.config });
      const dbPath = resolve(opts.db ?? config.database.path);
      if (!existsSync(dbPath)) throw new Error(`database not found: ${dbPath} (give --db, or set database.path)`);
      const spec = opts.model ?? config.model;
      const { reference, dir } = referenceForSpec(spec);
      // Without a reference the model's own name is still recorded with the rows.
      const manifest = dir ? readManifest(dir) : undefined;
      const model = reference ? `${reference.model.name}@${reference.model.version}` : manifest ? `${manifest.name}@${manifest.version}` : spec;
      if (!reference) process.stderr.write(`toxguard: ${spec} has no ${REFERENCE_FILE}: only the no-text share and OCR failures are computed (see \`toxguard models reference\`)\n`);
      const store = await Store.open(dbPath, { storeText: config.database.storeText });
      try {
        const monitor = new DriftMonitor({ store, reference, model, config: config.monitoring });
        const bar = progressBar('drift days', opts.days, { quiet: opts.quiet || opts.json });
        let done = 0;
        await monitor.fillDays(opts.days, { recompute: opts.recompute, onDay: () => bar.update(++done) });
        bar.stop();
        const today = new Date().toISOString().slice(0, 10);
        const since = new Date(Date.parse(`${today}T00:00:00.000Z`) - opts.days * 86_400_000);
        const rows = await store.listDrift({ since, serverId: opts.server });
        if (opts.json) {
          for (const r of rows) process.stdout.write(`${JSON.stringify(r)}\n`);
          return;
        }
        if (rows.length === 0) {
          process.stdout.write(`no drift rows for the last ${opts.days} days (days need monitoring.minMessages = ${config.monitoring.minMessages} messages)\n`);
          return;
        }
        process.stdout.write(`day         server               metric       label             value   bound       n  status\n`);
        for (const r of rows) process.stdout.write(`${fmt(r)}\n`);
        const over = rows.filter((r) => r.over).length;
        process.stdout.write(`${rows.length} rows, ${over} over their bound (psiBound ${config.monitoring.psiBound}); reference: ${reference ? reference.source : 'none'}\n`);
      } finally {
        await store.close();
      }
    });
}
