// `/toxicity config [key] [value]`: no key shows the policy; a key alone shows its value; key and
// value set it (audited with the moderator's id). Keys autocomplete.
import { MessageFlags, type AutocompleteInteraction } from 'discord.js';
import { PolicyError } from '../../../../policy/schema.js';
import { describePolicy, policyKeys } from '../../../../policy/config-keys.js';
import type { DiscordDeps } from '../../deps.js';
import type { Subcommand } from '../types.js';

function valueAt(root: unknown, path: string): unknown {
  let node: unknown = root;
  for (const seg of path.split('.')) {
    if (typeof node !== 'object' || node === null) return undefined;
    node = (node as Record<string, unknown>)[seg];
  }
  return node;
}

function codeBlock(text: string): string {
  return `\`\`\`\n${text.replaceAll('```', "'''").slice(0, 1900)}\n\`\`\``;
}

export const config: Subcommand = {
  data: (s) =>
    s
      .setName('config')
      .setDescription('Show or set this server’s moderation policy')
      .addStringOption((o) => o.setName('key').setDescription('e.g. mode, actions.delete.enabled, alerts.channelId').setAutocomplete(true))
      .addStringOption((o) => o.setName('value').setDescription('New value ("unset" restores the default; +ID / -ID edit a list)')),
  async execute({ ctx }, interaction) {
    const guildId = interaction.guildId;
    if (!guildId) return;
    const key = interaction.options.getString('key')?.trim();
    const value = interaction.options.getString('value');
    if (!key) {
      await interaction.reply({ content: describePolicy(await ctx.policies.get(guildId)).slice(0, 2000), flags: MessageFlags.Ephemeral });
      return;
    }
    if (value === null) {
      const current = valueAt(await ctx.policies.get(guildId), key);
      const shown = current === undefined ? '(not set)' : JSON.stringify(current, null, 2);
      await interaction.reply({ content: `\`${key}\`:\n${codeBlock(shown)}`, flags: MessageFlags.Ephemeral });
      return;
    }
    try {
      await ctx.policies.set(guildId, key, value, interaction.user.id, 'discord');
    } catch (err) {
      if (!(err instanceof PolicyError)) throw err;
      await interaction.reply({ content: `Not changed. ${err.message}`.slice(0, 2000), flags: MessageFlags.Ephemeral });
      return;
    }
    const now = JSON.stringify(valueAt(await ctx.policies.get(guildId), key));
    await interaction.reply({ content: `Set \`${key}\` to \`${now ?? 'its default'}\`.`, flags: MessageFlags.Ephemeral });
  },
};

/** Key suggestions for the `key` option (Discord shows at most 25). */
export async function autocompleteConfigKey(_deps: DiscordDeps, interaction: AutocompleteInteraction): Promise<void> {
  const typed = interaction.options.getFocused().toLowerCase();
  const keys = policyKeys().filter((k) => k.toLowerCase().includes(typed)).slice(0, 25);
  // A per-channel key is offered for the channel the command is used in.
  await interaction.respond(keys.map((k) => ({ name: k.replace('<channelId>', '<this channel>'), value: k.replace('<channelId>', interaction.channelId ?? '') })));
}
