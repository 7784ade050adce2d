// Slash commands are registered in each server when the bot joins it (and at start, so an upgrade's
// command changes reach every server), and globally when the config asks for it.
import { Events, type Client, type Guild } from 'discord.js';
import { commandData } from '../commands/index.js';
import type { DiscordDeps } from '../deps.js';

export async function registerGuildCommands(deps: DiscordDeps, guild: Guild): Promise<void> {
  try {
    await guild.client.application.commands.set(commandData(), guild.id);
    deps.log.info({ guild: guild.id }, 'slash commands registered in server');
  } catch (err) {
    deps.log.error({ guild: guild.id, error: (err as Error).message }, 'slash commands could not be registered in server');
  }
}

export async function registerGlobalCommands(deps: DiscordDeps, client: Client<true>): Promise<void> {
  try {
    await client.application.commands.set(commandData());
    deps.log.info('slash commands registered globally');
  } catch (err) {
    deps.log.error({ error: (err as Error).message }, 'global slash commands could not be registered');
  }
}

export function register(client: Client, deps: DiscordDeps): void {
  const perGuild = deps.config.commands !== 'global';
  client.once(Events.ClientReady, (ready) => {
    if (deps.config.commands !== 'guild') void registerGlobalCommands(deps, ready);
    if (perGuild) for (const guild of ready.guilds.cache.values()) void registerGuildCommands(deps, guild);
  });
  client.on(Events.GuildCreate, (guild) => {
    deps.log.info({ guild: guild.id, name: guild.name }, 'joined server');
    if (perGuild) void registerGuildCommands(deps, guild);
  });
}
