import type { Command } from 'commander';
import { pino } from 'pino';
import { loadConfig, loadSecrets, REDACT_PATHS } from '../../config/config.js';
import { OutboxWorker } from '../../core/outbox.js';
import { createRuntime } from '../../core/runtime.js';
import { executorsOf, startBots } from '../../bots/index.js';
import { buildServer } from '../../server/app.js';
import { dashboardPlugin } from '../../dashboard/plugin.js';
import { Metrics } from '../../server/metrics.js';
import { startDriftMonitor } from '../../monitoring/index.js';

export function register(program: Command): void {
  program
    .command('serve')
    .description('start the API, the moderation pipeline and every platform adapter whose credentials are configured')
    .option('-c, --config <file>', 'config file (default: TOXGUARD_CONFIG or ./toxguard.config.json if present)')
    .option('-p, --port <n>', 'port (config server.port, env PORT)', (v) => parseInt(v, 10))
    .option('--host <host>', 'address to listen on (config server.host, env HOST)')
    .option('-m, --model <spec>', 'model name, folder, hf:<dir>, or a+b to average (config model)')
    .action(async (opts: { config?: string; port?: number; host?: string; model?: string }) => {
      const config = loadConfig({ file: opts.config });
      const secrets = loadSecrets();
      const log = pino({ name: 'toxguard', redact: { paths: REDACT_PATHS, censor: '[secret]' } });
      const metrics = new Metrics();
      const runtime = await createRuntime({ config, model: opts.model, logger: log, metrics });
      const { scorer, store, policies, pipeline, ocr, dbPath } = runtime;
      if (!ocr) log.info('OCR: ocr.enabled is false, image attachments are recorded as not scanned');
      const depth = setInterval(() => metrics.setQueueDepth('serve', pipeline.depth), 1000);
      // Platform adapters start when their credentials are set; the outbox acts through them.
      const bots = await startBots({ ...runtime, secrets, metrics });
      const outbox = new OutboxWorker({ store, executors: executorsOf(bots), logger: log, onResult: (a, outcome) => metrics.actions.inc({ kind: a.kind, outcome }) });
      outbox.start();
      // Daily drift of the traffic against the model's training reference: gauges on /metrics, alerts
      // in the log, and a server's own drift as a `notice` the outbox posts to its moderators' channel.
      const drift = startDriftMonitor({
        spec: opts.model ?? config.model,
        scorer,
        store,
        metrics,
        config: config.monitoring,
        logger: log,
      });
      const dashboard = config.dashboard.enabled;
      const app = buildServer({
        scorer,
        pipeline,
        policies,
        metrics,
        apiToken: secrets.apiToken,
        bodyLimit: config.server.bodyLimit,
        maxBatch: config.server.maxBatch,
        maxImageBytes: config.ocr.maxBytes,
        // The dashboard has its own login (password + session cookie) instead of the bearer token.
        ownAuthPrefixes: dashboard ? ['/dashboard'] : [],
        database: store,
      });
      if (dashboard) {
        await app.register(dashboardPlugin, { prefix: '/dashboard', store, policies, scorer, pipeline, config: config.dashboard, password: secrets.dashboardPassword, maxImageBytes: config.ocr.maxBytes });
        if (!secrets.dashboardPassword && !config.dashboard.allowLoopbackWithoutLogin) log.warn('dashboard: TOXGUARD_DASHBOARD_PASSWORD is not set, so nobody can log in to /dashboard');
      }
      const address = await app.listen({ port: opts.port ?? config.server.port, host: opts.host ?? config.server.host });
      log.info(
        { address, model: `${scorer.name}@${scorer.version}`, database: dbPath, auth: secrets.apiToken ? 'bearer token' : 'loopback only', dashboard: dashboard ? `${address}/dashboard/` : 'off' },
        'toxguard API listening',
      );
      const stop = async (signal: string): Promise<void> => {
        log.info({ signal }, 'shutting down');
        clearInterval(depth);
        drift?.stop();
        for (const bot of bots) await bot.stop();
        await app.close();
        await pipeline.drain();
        await outbox.stop();
        await runtime.close();
        process.exit(0);
      };
      process.once('SIGINT', () => void stop('SIGINT'));
      process.once('SIGTERM', () => void stop('SIGTERM'));
    });
}
