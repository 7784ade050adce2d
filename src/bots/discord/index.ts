// The Discord adapter: started by `serve` when DISCORD_TOKEN is set. One process by default; with
// `discord.sharding.enabled`, a ShardingManager runs the gateway connections in child processes and
// this process only executes actions (over REST, which needs no gateway connection).
import type { BotContext, RunningBot } from '../context.js';
import { createActions } from './actions/index.js';
import { connect } from './bot.js';
import type { DiscordDeps } from './deps.js';
import { startSharded } from './sharding.js';

export async function startDiscordBot(ctx: BotContext): Promise<RunningBot> {
  const token = ctx.secrets.discordToken;
  if (!token) throw new Error('Discord: DISCORD_TOKEN is not set');
  const deps: DiscordDeps = { ctx, config: ctx.config.discord, log: ctx.logger.child({ platform: 'discord' }) };
  if (deps.config.sharding.enabled) return startSharded(deps, token);

  const client = await connect(deps, token);
  const actions = createActions(deps, client.rest);
  return {
    platform: 'discord',
    executor: actions.executor,
    async takesNotices(serverId) {
      return client.guilds.cache.has(serverId) && Boolean((await ctx.policies.get(serverId)).alerts.channelId);
    },
    async stop() {
      actions.stop();
      await client.destroy();
      deps.log.info('Discord bot stopped');
    },
  };
}
