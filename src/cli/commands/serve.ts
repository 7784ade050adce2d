import type { Command } from 'commander';
import { pino } from 'pino';
import { loadScorer } from '../../classifier/registry.js';
import { buildServer } from '../../server/app.js';

export function register(program: Command): void {
  program
    .command('serve')
    .description('start the HTTP API with the configured model')
    .option('-p, --port <n>', 'port (env PORT)', (v) => parseInt(v, 10), Number(process.env.PORT ?? 8080))
    .option('--host <host>', 'address to listen on (env HOST)', process.env.HOST ?? '127.0.0.1')
    .option('-m, --model <spec>', 'model name, folder, hf:<dir>, or a+b to average')
    .action(async (opts: { port: number; host: string; model?: string }) => {
      const log = pino({ name: 'toxguard' });
      const scorer = await loadScorer(opts.model);
      const app = buildServer({ scorer, logger: false });
      const address = await app.listen({ port: opts.port, host: opts.host });
      log.info({ address, model: `${scorer.name}@${scorer.version}` }, 'toxguard API listening');
      const stop = async (signal: string): Promise<void> => {
        log.info({ signal }, 'shutting down');
        await app.close();
        process.exit(0);
      };
      process.once('SIGINT', () => void stop('SIGINT'));
      process.once('SIGTERM', () => void stop('SIGTERM'));
    });
}
