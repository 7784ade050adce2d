import type { Command } from 'commander';
import { databaseTarget, loadConfig } from '../../config/config.js';
import { copyDatabase } from '../../store/copy.js';
import { LATEST_VERSION, Store, isPostgresUrl } from '../../store/index.js';
import { progressBar } from '../../util/progress.js';

/** `sqlite:PATH`, a plain path, or a postgres:// URL. */
function parseTarget(spec: string): string {
  if (isPostgresUrl(spec)) return spec;
  return spec.replace(/^sqlite:(\/\/)?/i, '');
}

export function register(program: Command): void {
  const db = program.command('db').description('the database (SQLite file, or PostgreSQL with DATABASE_URL / database.url)');
  db.command('prune')
    .description('delete verdicts (with their sources, finished actions and decided reviews) older than the retention window')
    .option('-c, --config <file>', 'config file')
    .option('--db <file|url>', 'SQLite file or postgres:// URL (config database.url, env DATABASE_URL, else database.path)')
    .option('--days <n>', 'retention in days (config database.retentionDays)', (v) => parseInt(v, 10))
    .action(async (opts: { config?: string; db?: string; days?: number }) => {
      const config = loadConfig({ file: opts.config });
      const days = opts.days ?? config.database.retentionDays;
      if (!Number.isInteger(days) || days < 1) throw new Error('--days must be a whole number of days, at least 1');
      const store = await Store.open(databaseTarget(config, opts.db), { storeText: config.database.storeText });
      const cutoff = new Date(Date.now() - days * 86_400_000).toISOString();
      const result = await store.prune(cutoff);
      await store.close();
      process.stdout.write(`pruned before ${cutoff}: ${JSON.stringify(result)}\n`);
    });

  db.command('migrate')
    .description('bring the database schema up to date (every start does it too; run it before rolling out new replicas)')
    .option('-c, --config <file>', 'config file')
    .option('--db <file|url>', 'SQLite file or postgres:// URL (config database.url, env DATABASE_URL, else database.path)')
    .action(async (opts: { config?: string; db?: string }) => {
      const config = loadConfig({ file: opts.config });
      const store = await Store.open(databaseTarget(config, opts.db));
      try {
        const version = await store.schemaVersion();
        const applied = store.migrated.length ? `applied ${store.migrated.join(', ')}` : 'already up to date';
        process.stdout.write(`${store.file} (${store.backend}): schema version ${version} of ${LATEST_VERSION}, ${applied}\n`);
      } finally {
        await store.close();
      }
    });

  db.command('copy')
    .description('copy every table from one database to another (e.g. SQLite to PostgreSQL), in batches, with the row counts checked')
    .requiredOption('--from <db>', 'source: sqlite:PATH (or a path) or a postgres:// URL')
    .requiredOption('--to <db>', 'target: a postgres:// URL (or sqlite:PATH); must be empty unless --resume')
    .option('--batch <n>', 'rows per batch', (v) => parseInt(v, 10), 1000)
    .option('--resume', 'continue an interrupted copy into the same target (rows already there are skipped)')
    .option('--quiet', 'no progress bar')
    .action(async (opts: { from: string; to: string; batch: number; resume?: boolean; quiet?: boolean }) => {
      if (!Number.isInteger(opts.batch) || opts.batch < 1) throw new Error('--batch must be a whole number, at least 1');
      const from = await Store.open(parseTarget(opts.from));
      let to: Store | undefined;
      try {
        to = await Store.open(parseTarget(opts.to));
        if (from.file === to.file) throw new Error('--from and --to are the same database');
        process.stderr.write(`copying ${from.file} (${from.backend}) -> ${to.file} (${to.backend})\n`);
        let bar: ReturnType<typeof progressBar> | undefined;
        const result = await copyDatabase(from, to, {
          batch: opts.batch,
          ...(opts.resume ? { resume: true } : {}),
          onProgress: (done, total, table) => {
            bar ??= progressBar('db copy', total, { quiet: opts.quiet ?? false });
            bar.update(done, { info: table });
          },
        });
        bar?.stop();
        const width = Math.max(...result.counts.map((c) => c.table.length));
        for (const c of result.counts) process.stdout.write(`${c.table.padEnd(width)}  ${String(c.source).padStart(9)} -> ${String(c.target).padStart(9)}${c.source === c.target ? '' : '  MISMATCH'}\n`);
        const bad = result.counts.filter((c) => c.source !== c.target);
        process.stdout.write(`${result.copied} rows copied in ${(result.ms / 1000).toFixed(1)} s; ${bad.length ? `${bad.length} table(s) differ` : 'every table has the same row count'}\n`);
        if (bad.length) process.exitCode = 1;
      } finally {
        await to?.close();
        await from.close();
      }
    });
}
