import type { Command } from 'commander';
import { mkdirSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { pino } from 'pino';
import { loadScorer } from '../../classifier/registry.js';
import { loadConfig, loadSecrets, REDACT_PATHS } from '../../config/config.js';
import { ModerationPipeline } from '../../core/pipeline.js';
import { PolicyService } from '../../core/policies.js';
import { OutboxWorker } from '../../core/outbox.js';
import { Store } from '../../store/index.js';
import { executorsOf, notifyModerators, startBots } from '../../bots/index.js';
import { ImageOcr } from '../../ocr/index.js';
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
      const scorer = await loadScorer(opts.model ?? config.model);
      const dbPath = resolve(config.database.path);
      mkdirSync(dirname(dbPath), { recursive: true });
      const store = Store.open(dbPath, { storeText: config.database.storeText });
      const metrics = new Metrics();
      metrics.model.set({ name: scorer.name, version: scorer.version }, 1);
      const policies = new PolicyService(store, scorer.thresholds);
      // The OCR workers start once here and are shared by every adapter and the API.
      const ocr = config.ocr.enabled ? await ImageOcr.create(config.ocr) : undefined;
      if (!ocr) log.info('OCR: ocr.enabled is false, image attachments are recorded as not scanned');
      const pipeline = new ModerationPipeline({
        scorer,
        ocr,
        store,
        policies,
        logger: log,
        ...config.pipeline,
        onVerdict: (o) => metrics.recordOutcome(o),
      });
      const depth = setInterval(() => metrics.queueDepth.set(pipeline.depth), 1000);
      // Platform adapters start when their credentials are set; the outbox acts through them.
      const bots = await startBots({ config, secrets, scorer, store, policies, pipeline, ocr, logger: log });
      const outbox = new OutboxWorker({ store, executors: executorsOf(bots), logger: log, onResult: (a, outcome) => metrics.actions.inc({ kind: a.kind, outcome }) });
      outbox.start();
      // Daily drift of the traffic against the model's training reference: gauges on /metrics, alerts
      // in the log, and a server's own drift posted to its moderators' channel.
      const drift = startDriftMonitor({
        spec: opts.model ?? config.model,
        scorer,
        store,
        metrics,
        config: config.monitoring,
        logger: log,
        onDriftAlert: async ({ record, message }) => {
          if (record.serverId) await notifyModerators(bots, record.serverId, `⚠️ toxguard model drift: ${message}`, log);
        },
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
        // The dashboard has its own login (password + session cookie) instead of the bearer token.
        ownAuthPrefixes: dashboard ? ['/dashboard'] : [],
      });
      if (dashboard) {
        await app.register(dashboardPlugin, { prefix: '/dashboard', store, policies, scorer, ocr, config: config.dashboard, password: secrets.dashboardPassword, maxImageBytes: config.ocr.maxBytes });
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
        await ocr?.close();
        store.close();
        process.exit(0);
      };
      process.once('SIGINT', () => void stop('SIGINT'));
      process.once('SIGTERM', () => void stop('SIGTERM'));
    });
}
