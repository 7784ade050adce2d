// Starts every platform adapter whose credentials are configured. Each adapter lives in its own
// folder and is loaded only when used, so a Slack-only install never loads discord.js.
// Reddit is polled (no gateway): its adapter starts when REDDIT_CLIENT_ID is set.
import type { Logger } from 'pino';
import type { ActionExecutor } from '../core/outbox.js';
import type { Platform } from '../core/message.js';
import type { BotContext, RunningBot } from './context.js';

export type { BotContext, RunningBot } from './context.js';

export async function startBots(ctx: BotContext): Promise<RunningBot[]> {
  const bots: RunningBot[] = [];
  const { secrets, logger } = ctx;
  if (secrets.discordToken) {
    const { startDiscordBot } = await import('./discord/index.js');
    bots.push(await startDiscordBot(ctx));
  } else {
    logger.info('Discord: DISCORD_TOKEN not set, Discord bot not started');
  }
  if (secrets.slackBotToken || secrets.slackSigningSecret) {
    const { startSlackApp } = await import('./slack/index.js');
    bots.push(await startSlackApp(ctx));
  } else {
    logger.info('Slack: SLACK_BOT_TOKEN / SLACK_SIGNING_SECRET not set, Slack app not started');
  }
  if (secrets.redditClientId) {
    const { startRedditAdapter } = await import('./reddit/index.js');
    // reddit.linkedServers can send a subreddit's alerts to a Discord/Slack moderators' channel.
    const others = [...bots];
    bots.push(await startRedditAdapter(ctx, { linkedPlatform: (serverId) => noticePlatform(others, serverId, logger) }));
  } else {
    logger.info('Reddit: REDDIT_CLIENT_ID not set, Reddit adapter not started');
  }
  return bots;
}

/** The outbox's executor table from the running adapters. */
export function executorsOf(bots: readonly RunningBot[]): Partial<Record<Platform, ActionExecutor>> {
  return Object.fromEntries(bots.map((b) => [b.platform, b.executor]));
}

/**
 * The platform whose adapter can post a `notice` to this server's moderators (the first that has the
 * server and a moderators' channel), or undefined. The notice itself goes through the outbox.
 */
export async function noticePlatform(bots: readonly RunningBot[], serverId: string, logger?: Pick<Logger, 'warn'>): Promise<Platform | undefined> {
  for (const bot of bots) {
    try {
      if (await bot.takesNotices?.(serverId)) return bot.platform;
    } catch (err) {
      logger?.warn({ platform: bot.platform, server: serverId, error: (err as Error).message }, 'could not tell whether this server takes notices');
    }
  }
  return undefined;
}
