// One shard's process (spawned by sharding.ts): the same services as `serve` (model, OCR, pipeline)
// minus the HTTP API and the outbox (the manager's process executes actions), and one gateway
// connection for the shard discord.js assigns through the SHARDS / SHARD_COUNT environment variables.
import { mkdirSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { pino } from 'pino';
import { loadScorer } from '../../classifier/registry.js';
import { REDACT_PATHS, loadSecrets, type Config } from '../../config/config.js';
import { ModerationPipeline } from '../../core/pipeline.js';
import { Store } from '../../store/index.js';
import { connect } from './bot.js';
import { ExpiringPolicyService } from './policy-cache.js';

async function main(): Promise<void> {
  const config = JSON.parse(process.argv[2] ?? '{}') as Config;
  const secrets = loadSecrets();
  const token = secrets.discordToken;
  if (!token) throw new Error('DISCORD_TOKEN is not set in the shard process');
  const logger = pino({ name: 'toxguard', level: process.argv[3] ?? 'info', redact: { paths: REDACT_PATHS, censor: '[secret]' } }).child({ shard: process.env.SHARDS });
  const scorer = await loadScorer(config.model);
  const dbPath = resolve(config.database.path);
  mkdirSync(dirname(dbPath), { recursive: true });
  const store = Store.open(dbPath, { storeText: config.database.storeText });
  // Other processes (the manager's API, other shards) may change a policy: re-read it every few seconds.
  const policies = new ExpiringPolicyService(store, scorer.thresholds);
  // Loaded only when on: OCR workers are heavy.
  const ocr = config.ocr.enabled ? await (await import('../../ocr/index.js')).ImageOcr.create(config.ocr) : undefined;
  const pipeline = new ModerationPipeline({ scorer, store, policies, logger, ...config.pipeline, ...(ocr ? { ocr } : {}) });
  const ctx = { config, secrets, scorer, store, policies, pipeline, logger, ...(ocr ? { ocr } : {}) };
  const client = await connect({ ctx, config: config.discord, log: logger.child({ platform: 'discord' }) }, token);
  const stop = async (): Promise<void> => {
    await client.destroy();
    await pipeline.drain();
    await ocr?.close();
    store.close();
    process.exit(0);
  };
  process.once('SIGTERM', () => void stop());
  process.once('SIGINT', () => void stop());
}

main().catch((err: unknown) => {
  process.stderr.write(`toxguard shard failed: ${(err as Error).stack ?? String(err)}\n`);
  process.exit(1);
});
