// The discord.js Client with the fewest gateway intents that let the bot read messages.
// MessageContent is privileged: it must be switched on in the Developer Portal (see the README).
import { Client, GatewayIntentBits, Partials, type ClientOptions } from 'discord.js';
import type { DiscordConfig } from './config.js';

export function clientOptions(config: DiscordConfig): ClientOptions {
  const intents = [GatewayIntentBits.Guilds, GatewayIntentBits.GuildMessages, GatewayIntentBits.MessageContent];
  if (config.dms) intents.push(GatewayIntentBits.DirectMessages);
  return {
    intents,
    // Channel: DMs and channels not in the cache; Message: edits of messages sent before a restart.
    partials: [Partials.Channel, Partials.Message],
    // Alerts quote members and roles; they must never ping anyone.
    allowedMentions: { parse: [] },
    rest: {
      api: config.apiUrl,
      // Short limits are waited out here; long ones go back to the outbox with their retry_after.
      rejectOnRateLimit: (limit) => limit.retryAfter > config.maxRateLimitWaitMs,
      retries: 1,
    },
  };
}

export function createClient(config: DiscordConfig): Client {
  return new Client(clientOptions(config));
}
