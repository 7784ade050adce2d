// New messages go to the pipeline; the outbox acts on the verdict through the executor.
import { Events, type Client, type Message } from 'discord.js';
import type { DiscordDeps } from '../deps.js';
import { toIncomingMessage } from '../to-message.js';

export async function moderate(deps: DiscordDeps, message: Message, kind: 'new' | 'edit'): Promise<void> {
  const incoming = toIncomingMessage(message, kind, { dms: deps.config.dms });
  if (!incoming) return;
  try {
    const outcome = await deps.ctx.pipeline.submit(incoming);
    deps.log.debug({ message: message.id, kind, actions: outcome.decision.actions, verdict: outcome.record.verdictId }, 'message moderated');
  } catch (err) {
    deps.log.error({ message: message.id, channel: message.channelId, error: (err as Error).message }, 'message not moderated');
  }
}

export function register(client: Client, deps: DiscordDeps): void {
  client.on(Events.MessageCreate, (message) => void moderate(deps, message, 'new'));
}
