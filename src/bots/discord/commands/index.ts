// Every application command the bot registers, and the dispatch by name.
import type { ChatInputCommandInteraction, MessageContextMenuCommandInteraction, RESTPostAPIApplicationCommandsJSONBody } from 'discord.js';
import type { DiscordDeps } from '../deps.js';
import * as checkMenu from './check-context-menu.js';
import * as toxicity from './toxicity/index.js';

export function commandData(): RESTPostAPIApplicationCommandsJSONBody[] {
  return [toxicity.data.toJSON(), checkMenu.data.toJSON()];
}

export const chatCommands: Record<string, (deps: DiscordDeps, i: ChatInputCommandInteraction) => Promise<void>> = {
  [toxicity.data.name]: toxicity.execute,
};

export const messageCommands: Record<string, (deps: DiscordDeps, i: MessageContextMenuCommandInteraction) => Promise<void>> = {
  [checkMenu.data.name]: checkMenu.execute,
};
