// The adapter's ActionExecutor over REST, with the alert limiter.
import type { REST } from 'discord.js';
import { AlertLimiter } from '../../../policy/alert-limiter.js';
import type { DiscordDeps } from '../deps.js';
import { DiscordExecutor } from '../executor.js';
import type { ActionContext } from './context.js';

export interface DiscordActions {
  executor: DiscordExecutor;
  context: ActionContext;
  stop(): void;
}

export function createActions(deps: DiscordDeps, rest: REST): DiscordActions {
  const limiter = new AlertLimiter({ maxPerMinute: async (serverId) => (await deps.ctx.policies.get(serverId)).alerts.maxPerMinute });
  const context: ActionContext = { ...deps, rest, limiter };
  const executor = new DiscordExecutor(context);
  // Summaries of held-back alerts are outbox actions (alert-summary), due at the end of their minute.
  return { executor, context, stop: () => undefined };
}
