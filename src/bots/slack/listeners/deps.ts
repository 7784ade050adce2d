// What the listeners share.
import type { Logger } from 'pino';
import type { BotContext } from '../../context.js';
import type { SlackConfig } from '../config.js';
import type { SqliteInstallationStore } from '../installation-store.js';
import type { Permissions } from '../permissions.js';
import type { Workspaces } from '../workspaces.js';

export interface ListenerDeps {
  ctx: BotContext;
  config: SlackConfig;
  permissions: Permissions;
  workspaces: Workspaces;
  logger: Logger;
  /** OAuth mode only. */
  installations?: SqliteInstallationStore | undefined;
  /** Work started by an event and still running (awaited on stop). */
  inFlight: Set<Promise<unknown>>;
}

/** Keeps a promise in `inFlight` until it settles. */
export function track(deps: ListenerDeps, work: Promise<unknown>): void {
  deps.inFlight.add(work);
  void work.finally(() => deps.inFlight.delete(work));
}
