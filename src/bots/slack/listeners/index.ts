// Every listener, registered on one App (the Bolt starter template's layout).
import type { App } from '@slack/bolt';
import { register as actions } from './actions/index.js';
import { register as commands } from './commands/index.js';
import type { ListenerDeps } from './deps.js';
import { register as lifecycle } from './events/index.js';
import { register as messages } from './messages/index.js';
import { register as shortcuts } from './shortcuts/index.js';

export function registerListeners(app: App, deps: ListenerDeps): void {
  messages(app, deps);
  commands(app, deps);
  shortcuts(app, deps);
  actions(app, deps);
  lifecycle(app, deps);
}
