// Every command use and button click re-checks the member's permissions from the interaction
// itself (Discord computes them for the channel): `default_member_permissions` only hides commands,
// and server admins can change who sees them.
import { MessageFlags, PermissionFlagsBits, type RepliableInteraction } from 'discord.js';

export const MODERATOR_PERMISSION = PermissionFlagsBits.ManageMessages;

/** True if the member may moderate here; otherwise answers with an ephemeral refusal. */
export async function requirePermission(
  interaction: RepliableInteraction,
  permission: bigint = MODERATOR_PERMISSION,
  name = 'Manage Messages',
): Promise<boolean> {
  if (interaction.inGuild() && interaction.memberPermissions?.has(permission)) return true;
  const content = interaction.inGuild()
    ? `You need the **${name}** permission to do this.`
    : 'This only works in a server.';
  await interaction.reply({ content, flags: MessageFlags.Ephemeral });
  return false;
}
