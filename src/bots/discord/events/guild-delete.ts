// The bot was removed from a server (kicked, or the server deleted): keep or purge its data per
// `discord.onGuildRemove`. A server that is only unavailable (an outage) does not reach this event.
import { Events, type Client, type Guild } from 'discord.js';
import type { DiscordDeps } from '../deps.js';

export async function onGuildRemoved(deps: DiscordDeps, guild: Pick<Guild, 'id'>): Promise<void> {
  if (deps.config.onGuildRemove !== 'purge') {
    deps.log.info({ guild: guild.id }, 'removed from server; its data is kept (discord.onGuildRemove = keep)');
    return;
  }
  try {
    const purged = await deps.ctx.store.purgeServer(guild.id);
    deps.ctx.policies.forget(guild.id);
    deps.log.info({ guild: guild.id, ...purged }, 'removed from server; its data was purged');
  } catch (err) {
    deps.log.error({ guild: guild.id, error: (err as Error).message }, 'removed from server; purging its data failed');
  }
}

export function register(client: Client, deps: DiscordDeps): void {
  client.on(Events.GuildDelete, (guild) => void onGuildRemoved(deps, guild));
}
