// The Slack app: started by `toxguard serve` when SLACK_BOT_TOKEN or SLACK_SIGNING_SECRET is set.
// Turns Slack message events into IncomingMessage for the shared pipeline, answers /toxicity, the
// "Check toxicity" shortcut and the review buttons, and executes the outbox's actions in Slack.
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { App } from '@slack/bolt';
import type { BotContext, RunningBot } from '../context.js';
import { AlertLimiter } from '../../policy/alert-limiter.js';
import { alertChannel, type ActionDeps } from './actions/context.js';
import { authMode, buildApp } from './app.js';
import { SlackExecutor } from './executor.js';
import { PLATFORM, SqliteInstallationStore } from './installation-store.js';
import { registerListeners } from './listeners/index.js';
import type { ListenerDeps } from './listeners/deps.js';
import { Permissions } from './permissions.js';
import { Clients, Workspaces } from './workspaces.js';

export interface SlackRunningBot extends RunningBot {
  app: App;
  /** The HTTP receiver's port (HTTP mode). */
  port?: number;
}

export interface SlackStartOptions {
  /** Alert limiter window (default one minute): held-back alerts are summarised at its end. */
  alertWindowMs?: number;
  now?: () => number;
}

export async function startSlackApp(ctx: BotContext, options: SlackStartOptions = {}): Promise<SlackRunningBot> {
  const config = ctx.config.slack;
  const { secrets } = ctx;
  const logger = ctx.logger.child({ platform: PLATFORM });
  const now = options.now ?? (() => Date.now());
  const mode = authMode(secrets);
  const clients = new Clients({ slackApiUrl: config.apiUrl, logger });

  let workspaces: Workspaces;
  let installationStore: SqliteInstallationStore | undefined;
  let bot: { botId?: string | undefined; botUserId?: string | undefined } | undefined;
  if (mode === 'single') {
    const botToken = secrets.slackBotToken as string;
    // Checks the token now, so a wrong one fails at start with Slack's reason.
    const auth = await clients.for(botToken).auth.test();
    if (!auth.team_id) throw new Error('Slack auth.test returned no team id for SLACK_BOT_TOKEN');
    bot = { botId: auth.bot_id, botUserId: auth.user_id };
    workspaces = new Workspaces({ botToken, single: { teamId: auth.team_id, url: auth.url, botId: auth.bot_id, botUserId: auth.user_id } });
    logger.info({ team: auth.team_id, mode: config.mode }, 'Slack: single-workspace mode');
  } else {
    installationStore = new SqliteInstallationStore(ctx.store);
    workspaces = new Workspaces({ installations: installationStore });
    logger.info({ mode: config.mode, installPath: config.oauth.installPath }, 'Slack: OAuth install mode (several workspaces)');
  }

  if (secrets.slackAdminToken) {
    try {
      const admin = await clients.for(secrets.slackAdminToken).auth.test();
      if (!admin.team_id || !admin.user_id) throw new Error('auth.test returned no team or user');
      workspaces.setAdmin({ teamId: admin.team_id, token: secrets.slackAdminToken, userId: admin.user_id });
      logger.info({ team: admin.team_id, user: admin.user_id }, 'Slack: admin token configured; members\' messages can be deleted in this workspace');
    } catch (err) {
      logger.warn({ error: (err as Error).message }, 'Slack: SLACK_ADMIN_TOKEN was refused by Slack; deletes fall back to flags');
    }
  } else {
    logger.info('Slack: SLACK_ADMIN_TOKEN not set; a bot can delete only its own messages, so deletes fall back to flags');
  }

  const limiter = new AlertLimiter({
    maxPerMinute: async (teamId) => (await ctx.policies.get(teamId)).alerts.maxPerMinute,
    windowMs: options.alertWindowMs ?? 60_000,
  });
  const actionDeps: ActionDeps = { config, store: ctx.store, policies: ctx.policies, logger, workspaces, clients, limiter, now };
  const executor = new SlackExecutor(actionDeps);

  const permissions = new Permissions({ moderatorGroupId: config.moderatorGroupId, cacheMs: config.moderatorCacheMs, logger });
  const app = buildApp({ config, secrets, logger, bot, installationStore });
  const listenerDeps: ListenerDeps = { ctx, config, permissions, workspaces, logger, installations: installationStore, inFlight: new Set() };
  registerListeners(app, listenerDeps);
  app.error(async (err) => {
    logger.error({ error: err.message, code: err.code }, 'Slack: listener error');
  });

  let port: number | undefined;
  if (config.mode === 'socket') {
    await app.start();
    logger.info('Slack: connected over Socket Mode');
  } else {
    const server = (await app.start({ port: config.port, host: config.host })) as Server;
    port = (server.address() as AddressInfo).port;
    logger.info({ port, host: config.host, eventsPath: config.eventsPath, ...(mode === 'oauth' ? { installPath: config.oauth.installPath } : {}) }, 'Slack: receiving events over HTTP');
  }

  return {
    platform: 'slack',
    executor,
    app,
    ...(port !== undefined ? { port } : {}),
    async takesNotices(teamId) {
      if (!(await alertChannel(actionDeps, teamId))) return false;
      try {
        await workspaces.botToken(teamId);
        return true;
      } catch {
        return false; // not a workspace this app is installed in
      }
    },
    async stop() {
      executor.stop();
      await app.stop();
      // Messages already accepted are moderated before the pipeline drains.
      await Promise.allSettled([...listenerDeps.inFlight]);
    },
  };
}
