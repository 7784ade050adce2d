import type { ChatInputCommandInteraction, SlashCommandSubcommandBuilder } from 'discord.js';
import type { DiscordDeps } from '../deps.js';

/** One `/toxicity` subcommand: its definition and what it does. */
export interface Subcommand {
  data: (builder: SlashCommandSubcommandBuilder) => SlashCommandSubcommandBuilder;
  execute: (deps: DiscordDeps, interaction: ChatInputCommandInteraction) => Promise<void>;
}
