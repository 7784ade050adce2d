// What every action needs: the workspace's tokens and clients, the store, policies and settings.
import type { Logger } from 'pino';
import type { PolicyService } from '../../../core/policies.js';
import type { AlertLimiter } from '../../../policy/alert-limiter.js';
import type { Store } from '../../../store/index.js';
import type { SlackConfig } from '../config.js';
import type { Clients, Workspaces } from '../workspaces.js';

export interface ActionDeps {
  config: SlackConfig;
  store: Store;
  policies: PolicyService;
  logger: Logger;
  workspaces: Workspaces;
  clients: Clients;
  limiter: AlertLimiter;
  now: () => number;
}

/** The moderators' channel of a workspace: its policy's, else the config default. */
export async function alertChannel(deps: ActionDeps, teamId: string, planned?: string): Promise<string | undefined> {
  return planned ?? (await deps.policies.get(teamId)).alerts.channelId ?? deps.config.alertChannelId;
}
