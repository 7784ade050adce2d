import type { Command } from 'commander';
import { classifyFile } from '../../classifier/batch.js';
import { loadConfig } from '../../config/config.js';

export function register(program: Command): void {
  program
    .command('classify')
    .description('score a JSONL file of {"id", "text"} lines into {"id", "scores"[, "spans"]} lines, in input order')
    .requiredOption('-i, --input <file>', 'input JSONL ("-" for stdin)')
    .requiredOption('-o, --output <file>', 'output JSONL ("-" for stdout)')
    .option('-m, --model <spec>', 'model name, folder, hf:<dir>, or a+b to average')
    .option('--explain', 'add "spans": character ranges of the original text that make it toxic')
    .option('--batch-size <n>', 'texts per model call', (v) => parseInt(v, 10), 256)
    .option('-q, --quiet', 'no progress output')
    .action(async (opts: { input: string; output: string; model?: string; explain?: boolean; batchSize: number; quiet?: boolean }) => {
      const result = await classifyFile({ ...opts, model: opts.model ?? loadConfig().model });
      if (!opts.quiet) {
        process.stderr.write(`classified ${result.lines} lines in ${(result.ms / 1000).toFixed(1)} s with ${result.model}\n`);
      }
      if (result.errors > 0) {
        process.stderr.write(`${result.errors} line(s) could not be read: each has an "error" line in the output\n`);
        process.exitCode = 1;
      }
    });
}
