import type { Command } from 'commander';
import { resolve } from 'node:path';
import { loadConfig } from '../../config/config.js';
import { Store } from '../../store/index.js';

export function register(program: Command): void {
  const db = program.command('db').description('the SQLite database');
  db.command('prune')
    .description('delete verdicts (with their sources, finished actions and decided reviews) older than the retention window')
    .option('-c, --config <file>', 'config file')
    .option('--db <file>', 'SQLite file (config database.path)')
    .option('--days <n>', 'retention in days (config database.retentionDays)', (v) => parseInt(v, 10))
    .action(async (opts: { config?: string; db?: string; days?: number }) => {
      const config = loadConfig({ file: opts.config });
      const days = opts.days ?? config.database.retentionDays;
      if (!Number.isInteger(days) || days < 1) throw new Error('--days must be a whole number of days, at least 1');
      const store = await Store.open(resolve(opts.db ?? config.database.path), { storeText: config.database.storeText });
      const cutoff = new Date(Date.now() - days * 86_400_000).toISOString();
      const result = await store.prune(cutoff);
      await store.close();
      process.stdout.write(`pruned before ${cutoff}: ${JSON.stringify(result)}\n`);
    });
}
