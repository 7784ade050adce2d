// Routes interactions: slash and context-menu commands, key autocomplete, buttons, the appeal form.
// A failure answers the user (ephemeral) and is logged; it never reaches the gateway handler.
import { Events, MessageFlags, type Client, type Interaction } from 'discord.js';
import { handleButton, handleModal } from '../buttons.js';
import { chatCommands, messageCommands } from '../commands/index.js';
import { autocompleteConfigKey } from '../commands/toxicity/config.js';
import type { DiscordDeps } from '../deps.js';

async function route(deps: DiscordDeps, interaction: Interaction): Promise<void> {
  if (interaction.isChatInputCommand()) return chatCommands[interaction.commandName]?.(deps, interaction);
  if (interaction.isMessageContextMenuCommand()) return messageCommands[interaction.commandName]?.(deps, interaction);
  if (interaction.isAutocomplete()) {
    if (interaction.commandName === 'toxicity' && interaction.options.getFocused(true).name === 'key') await autocompleteConfigKey(deps, interaction);
    return;
  }
  if (interaction.isButton()) return handleButton(deps, interaction);
  if (interaction.isModalSubmit()) return handleModal(deps, interaction);
}

export function register(client: Client, deps: DiscordDeps): void {
  client.on(Events.InteractionCreate, (interaction) => {
    route(deps, interaction).catch(async (err: unknown) => {
      deps.log.error({ interaction: interaction.id, type: interaction.type, user: interaction.user.id, error: (err as Error).message }, 'interaction failed');
      if (!interaction.isRepliable()) return;
      const content = 'Something went wrong; the moderators can find the details in the bot’s log.';
      try {
        if (interaction.deferred || interaction.replied) await interaction.followUp({ content, flags: MessageFlags.Ephemeral });
        else await interaction.reply({ content, flags: MessageFlags.Ephemeral });
      } catch {
        // The interaction expired; the log has it.
      }
    });
  });
}
