// Edits are re-checked (an edit is a classic way to slip past a filter). The store keys verdicts by
// message and content hash, so an update that changes nothing (an embed unfurl, a replay) is a no-op.
import { Events, type Client, type Message, type PartialMessage } from 'discord.js';
import type { DiscordDeps } from '../deps.js';
import { moderate } from './message-create.js';

async function onUpdate(deps: DiscordDeps, message: Message | PartialMessage): Promise<void> {
  let full: Message;
  try {
    // A message sent before the bot started is not cached: the gateway still sends the new content,
    // but fetch it if discord.js could not build the whole message from the event.
    full = message.partial ? await message.fetch() : message;
  } catch (err) {
    deps.log.warn({ message: message.id, error: (err as Error).message }, 'edited message could not be fetched');
    return;
  }
  await moderate(deps, full, 'edit');
}

export function register(client: Client, deps: DiscordDeps): void {
  client.on(Events.MessageUpdate, (_old, message) => void onUpdate(deps, message));
}
