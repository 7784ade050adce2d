// One shard's process (spawned by sharding.ts): the same runtime as `serve` (createRuntime: model,
// store, policies, OCR, pipeline) minus the HTTP API and the outbox (the manager's process executes
// actions), and one gateway connection for the shard discord.js assigns through the SHARDS /
// SHARD_COUNT environment variables. Its verdicts and queue depth are reported to the manager over
// the IPC channel, so `/metrics` of `serve` counts every shard's messages.
import { pino } from 'pino';
import { REDACT_PATHS, loadSecrets, type Config } from '../../config/config.js';
import { createRuntime } from '../../core/runtime.js';
import { verdictSample } from '../../server/metrics.js';
import { connect } from './bot.js';
import { SHARD_DEPTH, SHARD_VERDICT, type ShardReport } from './sharding.js';

function report(message: ShardReport): void {
  // Only when forked by the ShardingManager (an IPC channel exists); never throws into the pipeline.
  if (process.connected) process.send?.(message, undefined, undefined, () => undefined);
}

async function main(): Promise<void> {
  const config = JSON.parse(process.argv[2] ?? '{}') as Config;
  // The manager passes a PostgreSQL URL by environment, never on the command line (sharding.ts).
  if (config.database.url === undefined && process.env.DATABASE_URL) config.database.url = process.env.DATABASE_URL;
  const secrets = loadSecrets();
  const token = secrets.discordToken;
  if (!token) throw new Error('DISCORD_TOKEN is not set in the shard process');
  const logger = pino({ name: 'toxguard', level: process.argv[3] ?? 'info', redact: { paths: REDACT_PATHS, censor: '[secret]' } }).child({ shard: process.env.SHARDS });
  // No local registry: the manager's /metrics counts what the shards report.
  const runtime = await createRuntime({ config, logger, metrics: false, onVerdict: (o) => report({ type: SHARD_VERDICT, sample: verdictSample(o) }) });
  const depth = setInterval(() => report({ type: SHARD_DEPTH, depth: runtime.pipeline.depth }), 1000);
  depth.unref();
  const client = await connect({ ctx: { ...runtime, secrets }, config: config.discord, log: logger.child({ platform: 'discord' }) }, token);
  const stop = async (): Promise<void> => {
    clearInterval(depth);
    await client.destroy();
    await runtime.close();
    process.exit(0);
  };
  process.once('SIGTERM', () => void stop());
  process.once('SIGINT', () => void stop());
  // The manager died without stopping us (SIGKILL, a crash): nobody respawns this shard or runs the
  // outbox for it any more, so its gateway session ends too, and the manager started again takes over.
  process.once('disconnect', () => void stop());
}

main().catch((err: unknown) => {
  process.stderr.write(`toxguard shard failed: ${(err as Error).stack ?? String(err)}\n`);
  process.exit(1);
});
