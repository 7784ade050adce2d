// `/toxicity`: hidden from members without Manage Messages by default, guild-only, and every
// subcommand re-checks the permission when used.
import { InteractionContextType, SlashCommandBuilder, type ChatInputCommandInteraction } from 'discord.js';
import type { DiscordDeps } from '../../deps.js';
import { MODERATOR_PERMISSION, requirePermission } from '../../permissions.js';
import type { Subcommand } from '../types.js';
import { check } from './check.js';
import { config } from './config.js';
import { review } from './review.js';
import { stats } from './stats.js';

const SUBCOMMANDS: Record<string, Subcommand> = { review, config, stats, check };

export const data = new SlashCommandBuilder()
  .setName('toxicity')
  .setDescription('toxguard moderation: review queue, policy, stats and checks')
  .setDefaultMemberPermissions(MODERATOR_PERMISSION)
  .setContexts(InteractionContextType.Guild);
for (const sub of Object.values(SUBCOMMANDS)) data.addSubcommand((s) => sub.data(s));

export async function execute(deps: DiscordDeps, interaction: ChatInputCommandInteraction): Promise<void> {
  if (!(await requirePermission(interaction))) return;
  const sub = SUBCOMMANDS[interaction.options.getSubcommand(true)];
  if (!sub) throw new Error(`unknown subcommand ${interaction.options.getSubcommand(true)}`);
  await sub.execute(deps, interaction);
}
