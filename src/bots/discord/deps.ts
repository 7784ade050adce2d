// What the Discord modules share: the bot context from `serve`, this adapter's config section and
// a child logger.
import type { Logger } from 'pino';
import type { BotContext } from '../context.js';
import type { DiscordConfig } from './config.js';

export interface DiscordDeps {
  ctx: BotContext;
  config: DiscordConfig;
  log: Logger;
}
