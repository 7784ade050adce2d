// The one place the moderation services are wired together: the model, the store (SQLite or PostgreSQL), the
// policies, the OCR engine, the pipeline and the metrics hook. `serve`, each Discord shard process
// and `scan` all start from createRuntime(), so they cannot drift apart (the same pipeline limits,
// the same OCR limits, the same policy cache rules, the same metrics).
import { pino, type Logger } from 'pino';
import { loadScorer } from '../classifier/registry.js';
import type { Scorer } from '../classifier/scorer.js';
import { databaseTarget, type Config } from '../config/config.js';
import { Metrics } from '../server/metrics.js';
import { Store } from '../store/index.js';
import type { OcrEngine } from './ocr.js';
import { ModerationPipeline, type Outcome } from './pipeline.js';
import { PolicyService } from './policies.js';

/** With several processes on one SQLite file, a cached policy is re-read after this long (PostgreSQL: LISTEN/NOTIFY instead). */
export const SHARED_POLICY_TTL_MS = 2_000;

export interface RuntimeOptions {
  config: Config;
  /** Model spec overriding `config.model` (`--model`). */
  model?: string;
  /** SQLite file or postgres:// URL overriding `config.database` (`--db`). */
  dbPath?: string;
  logger?: Logger;
  /** Start the OCR workers. Default: `config.ocr.enabled`. */
  ocr?: boolean;
  /** The metrics every verdict is counted in; false for none. Default: a new Metrics registry. */
  metrics?: Metrics | false;
  /** Called after each recorded verdict, after the metrics (a shard process reports to its manager). */
  onVerdict?: (outcome: Outcome) => void;
}

export interface Runtime {
  config: Config;
  logger: Logger;
  scorer: Scorer;
  /** Absolute path of the SQLite file, or the PostgreSQL URL with its password redacted (safe to log). */
  dbPath: string;
  store: Store;
  policies: PolicyService;
  ocr?: OcrEngine;
  pipeline: ModerationPipeline;
  metrics?: Metrics;
  /** Waits for the pipeline to drain, stops the OCR workers and closes the store. */
  close(): Promise<void>;
}

export async function createRuntime(options: RuntimeOptions): Promise<Runtime> {
  const { config } = options;
  const logger = options.logger ?? pino({ level: 'silent' });
  const scorer = await loadScorer(options.model ?? config.model);
  const store = await Store.open(databaseTarget(config, options.dbPath), { storeText: config.database.storeText });
  const dbPath = store.file;
  const metrics = options.metrics === false ? undefined : (options.metrics ?? new Metrics());
  metrics?.model.set({ name: scorer.name, version: scorer.version }, 1);
  // Shard processes and `serve` write policies to the same database. PostgreSQL: every change is
  // announced (LISTEN/NOTIFY) and dropped from every process's cache at once. SQLite shared by shard
  // processes: re-read cached policies every few seconds.
  const policies = new PolicyService(store, scorer.thresholds, config.discord.sharding.enabled ? { ttlMs: SHARED_POLICY_TTL_MS } : {});
  await policies.listen();
  // Loaded only when on: OCR workers are heavy. Started once, shared by every adapter and the API.
  const withOcr = options.ocr ?? config.ocr.enabled;
  const ocr = withOcr ? await (await import('../ocr/index.js')).ImageOcr.create(config.ocr) : undefined;
  const pipeline = new ModerationPipeline({
    scorer,
    store,
    policies,
    logger,
    ...config.pipeline,
    ...(ocr ? { ocr } : {}),
    onVerdict: (outcome) => {
      metrics?.recordOutcome(outcome);
      options.onVerdict?.(outcome);
    },
  });
  return {
    config,
    logger,
    scorer,
    dbPath,
    store,
    policies,
    ...(ocr ? { ocr } : {}),
    pipeline,
    ...(metrics ? { metrics } : {}),
    async close() {
      await pipeline.drain();
      await ocr?.close();
      await policies.close();
      await store.close();
    },
  };
}
