// Lifecycle events: when a workspace uninstalls the app (or revokes the bot's token), its stored
// installation and bot token are deleted at once, so no dead token stays in the database.
// Verdicts and policies stay (retention and `toxguard db` handle those).
import type { App } from '@slack/bolt';
import type { ListenerDeps } from '../deps.js';

export function register(app: App, deps: ListenerDeps): void {
  const forget = async (teamId: string | undefined, enterpriseId: string | undefined, isEnterpriseInstall: boolean, why: string): Promise<void> => {
    const installations = deps.installations;
    if (!installations || !teamId) {
      deps.logger.warn({ team: teamId, why }, 'Slack: the app lost access to this workspace');
      return;
    }
    await installations.deleteInstallation({ teamId, enterpriseId, isEnterpriseInstall });
    deps.logger.info({ team: teamId, why }, 'Slack: installation deleted');
  };
  app.event('app_uninstalled', async ({ body, context }) => {
    await forget(context.teamId ?? body.team_id, context.enterpriseId, context.isEnterpriseInstall === true, 'app_uninstalled');
  });
  app.event('tokens_revoked', async ({ event, body, context }) => {
    // Only a revoked bot token makes the installation useless; a revoked user token does not.
    if ((event.tokens.bot ?? []).length === 0) return;
    await forget(context.teamId ?? body.team_id, context.enterpriseId, context.isEnterpriseInstall === true, 'tokens_revoked');
  });
}
