// One gateway connection (one process, all shards discord.js gives it): the client, its event
// handlers, and the promise that it is ready.
import { Events, type Client } from 'discord.js';
import { createClient } from './client.js';
import type { DiscordDeps } from './deps.js';
import * as guildCreate from './events/guild-create.js';
import * as guildDelete from './events/guild-delete.js';
import * as interactionCreate from './events/interaction-create.js';
import * as messageCreate from './events/message-create.js';
import * as messageUpdate from './events/message-update.js';

const READY_TIMEOUT_MS = 60_000;

export async function connect(deps: DiscordDeps, token: string): Promise<Client<true>> {
  const client = createClient(deps.config);
  for (const events of [messageCreate, messageUpdate, guildCreate, guildDelete, interactionCreate]) events.register(client, deps);
  const { log } = deps;
  client.on(Events.Error, (err) => log.error({ error: err.message }, 'discord client error'));
  client.on(Events.Warn, (message) => log.warn({ message }, 'discord client warning'));
  client.on(Events.ShardDisconnect, (event, shard) => log.warn({ shard, code: event.code }, 'gateway disconnected'));
  client.on(Events.ShardResume, (shard, replayed) => log.info({ shard, replayed }, 'gateway session resumed'));
  client.on(Events.ShardReconnecting, (shard) => log.info({ shard }, 'gateway reconnecting'));

  const ready = new Promise<Client<true>>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`Discord: not ready after ${READY_TIMEOUT_MS / 1000} s`)), READY_TIMEOUT_MS);
    client.once(Events.ClientReady, (c) => {
      clearTimeout(timer);
      resolve(c);
    });
  });
  try {
    await client.login(token);
    const c = await ready;
    log.info({ user: c.user.tag, application: c.application.id, guilds: c.guilds.cache.size }, 'Discord bot ready');
    return c;
  } catch (err) {
    await client.destroy();
    throw err;
  }
}
