import type { Command } from 'commander';
import { statSync } from 'node:fs';
import { loadConfig } from '../../config/config.js';
import { createRuntime } from '../../core/runtime.js';
import { scanFile } from '../../core/scan.js';
import { progressBar } from '../../util/progress.js';

export function register(program: Command): void {
  program
    .command('scan')
    .description('moderate an export of messages (JSONL or CSV with id, text[, server, channel, author, platform, timestamp]) into the database; resumable')
    .argument('<file>', 'the export')
    .option('-c, --config <file>', 'config file')
    .option('--db <file>', 'SQLite file (config database.path)')
    .option('--server <id>', 'server id for rows that do not name one', 'scan')
    .option('-m, --model <spec>', 'model spec (config model)')
    .option('-q, --quiet', 'no progress bar')
    .action(async (file: string, opts: { config?: string; db?: string; server: string; model?: string; quiet?: boolean }) => {
      const config = loadConfig({ file: opts.config });
      // The same runtime as serve; exports carry no images to read, and a scan needs no metrics.
      const runtime = await createRuntime({ config, model: opts.model, dbPath: opts.db, ocr: false, metrics: false });
      const { store, pipeline, dbPath } = runtime;
      const bar = progressBar('scan', statSync(file).size, { quiet: opts.quiet });
      const result = await scanFile({
        file,
        store,
        pipeline,
        serverId: opts.server,
        onProgress: (_line, bytes) => bar.update(bytes),
        onBadLine: (line, reason) => process.stderr.write(`toxguard scan: line ${line}: ${reason}\n`),
      });
      bar.stop();
      const stats = await store.stats(undefined, new Date(0).toISOString());
      await runtime.close();
      process.stdout.write(
        `${result.scanned} messages scanned (${result.lines} lines${result.resumedFrom ? `, resumed after line ${result.resumedFrom}` : ''}, ${result.bad} bad) into ${dbPath}; ` +
          `${stats.verdicts} verdicts in the database, ${stats.flaggedVerdicts} flagged\n`,
      );
      if (result.bad > 0) process.exitCode = 1;
    });
}
