// Sharding (config `discord.sharding`): discord.js's ShardingManager spawns one child process per
// shard (shard-process.ts); each child opens its own gateway connection, pipeline and handle on the
// same SQLite file (WAL mode makes that safe across processes). This process keeps the outbox: it
// executes every shard's actions over REST, which needs no gateway connection.
//
// `totalShards: 'auto'` asks discord.com for the recommended count (the manager ignores apiUrl).
import { fileURLToPath } from 'node:url';
import { REST, ShardingManager } from 'discord.js';
import type { Config } from '../../config/config.js';
import type { RunningBot } from '../context.js';
import { createActions } from './actions/index.js';
import { clientOptions } from './client.js';
import { shardList } from './config.js';
import type { DiscordDeps } from './deps.js';
import { isVerdictSample, type VerdictSample } from '../../server/metrics.js';

/** What a shard process reports to the manager over IPC (shard-process.ts). */
export const SHARD_VERDICT = 'toxguard:verdict';
export const SHARD_DEPTH = 'toxguard:depth';
export type ShardReport = { type: typeof SHARD_VERDICT; sample: VerdictSample } | { type: typeof SHARD_DEPTH; depth: number };

/**
 * The config a shard process gets on its command line, less `database.url` (it may hold a password):
 * the URL reaches the shard as DATABASE_URL in its inherited environment instead.
 */
function configForShards(config: Config): Config {
  const { url, ...database } = config.database;
  if (url !== undefined) process.env.DATABASE_URL = url;
  return { ...config, database };
}

export async function startSharded(deps: DiscordDeps, token: string): Promise<RunningBot> {
  const here = fileURLToPath(import.meta.url);
  const file = here.replace(/sharding\.(ts|js)$/, 'shard-process.$1');
  const manager = new ShardingManager(file, {
    token,
    totalShards: deps.config.sharding.totalShards,
    // This machine's slice of the shards (other machines run the rest, on the same PostgreSQL database).
    ...(deps.config.sharding.shards === undefined ? {} : { shardList: shardList(deps.config.sharding.shards) }),
    mode: 'process',
    respawn: true,
    // From source (tsx) the child needs the same loader, resolved from here (serve's working folder
    // may be anywhere); the built dist runs as plain JS.
    execArgv: here.endsWith('.ts') ? ['--import', import.meta.resolve('tsx')] : [],
    // The validated config, so every shard runs with exactly what this process loaded, and its log level.
    // Without the database URL: arguments are visible to every local user (ps); it goes by environment.
    shardArgs: [JSON.stringify(configForShards(deps.ctx.config)), deps.ctx.logger.level],
  });
  const metrics = deps.ctx.metrics;
  manager.on('shardCreate', (shard) => {
    deps.log.info({ shard: shard.id }, 'shard process started');
    shard.on('death', () => {
      metrics?.setQueueDepth(`shard ${shard.id}`, 0);
      deps.log.warn({ shard: shard.id }, 'shard process exited (it is respawned)');
    });
    // The shard's verdicts and queue depth, counted in this process's /metrics.
    shard.on('message', (message: unknown) => {
      const m = message as Partial<{ type: string; sample: unknown; depth: unknown }> | null;
      if (m?.type === SHARD_VERDICT && isVerdictSample(m.sample)) metrics?.recordSample(m.sample);
      else if (m?.type === SHARD_DEPTH && typeof m.depth === 'number') metrics?.setQueueDepth(`shard ${shard.id}`, m.depth);
    });
  });
  await manager.spawn({ timeout: 120_000 });
  deps.log.info({ shards: manager.totalShards }, 'Discord shards ready');

  const rest = new REST(clientOptions(deps.config).rest).setToken(token);
  // Policies are changed by /toxicity config in the shard processes: the runtime's PolicyService re-reads
  // them every few seconds when sharding is on (createRuntime).
  const actions = createActions(deps, rest);
  return {
    platform: 'discord',
    executor: actions.executor,
    // The guild caches live in the shard processes: ask them (after the local policy read, which
    // answers most servers without a round trip to every shard). Only this machine's shards answer,
    // so a guild another machine's shards hold takes no notices from here (Reddit falls back to modmail).
    async takesNotices(serverId) {
      if (!(await deps.ctx.policies.get(serverId)).alerts.channelId) return false;
      const held = await manager.broadcastEval((client, { id }) => client.guilds.cache.has(id), { context: { id: serverId } });
      return held.some(Boolean);
    },
    async stop() {
      actions.stop();
      manager.respawn = false;
      for (const shard of manager.shards.values()) shard.kill();
      deps.log.info('Discord shards stopped');
    },
  };
}
