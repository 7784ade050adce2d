// Builds the Bolt App from config and secrets:
// - HTTP (default): Bolt's HTTPReceiver on `slack.port`, events/commands/interactivity on
//   `slack.eventsPath`, Slack's signature checked on every request (a stale timestamp, over five
//   minutes, or a bad signature is refused with 401), listeners run before the response.
// - Socket Mode (`slack.mode: socket`, SLACK_APP_TOKEN): no public URL needed.
// - One workspace with SLACK_BOT_TOKEN, or OAuth install for many (SLACK_CLIENT_ID,
//   SLACK_CLIENT_SECRET, SLACK_STATE_SECRET) with installations in SQLite.
// The Web API base URL is `slack.apiUrl` (env SLACK_API_URL): that is how tests reach a fake.
import { App, type AppOptions } from '@slack/bolt';
import type { Logger } from 'pino';
import type { Secrets } from '../../config/config.js';
import { BOT_SCOPES, type SlackConfig } from './config.js';
import type { SqliteInstallationStore } from './installation-store.js';
import { boltLogger } from './logger.js';

export class SlackConfigError extends Error {}

export interface AppSetup {
  config: SlackConfig;
  secrets: Secrets;
  logger: Logger;
  /** Single-workspace mode: the bot's ids from auth.test (saves Bolt a call). */
  bot?: { botId?: string | undefined; botUserId?: string | undefined } | undefined;
  /** OAuth mode. */
  installationStore?: SqliteInstallationStore | undefined;
}

export type AuthMode = 'single' | 'oauth';

/** Which credentials are set decides the mode; a half-configured set is an error that names what is missing. */
export function authMode(secrets: Secrets): AuthMode {
  const oauth = [secrets.slackClientId, secrets.slackClientSecret, secrets.slackStateSecret];
  const some = oauth.some((s) => s !== undefined);
  if (some && !oauth.every((s) => s !== undefined)) {
    throw new SlackConfigError('Slack OAuth install needs all of SLACK_CLIENT_ID, SLACK_CLIENT_SECRET and SLACK_STATE_SECRET');
  }
  if (some && secrets.slackBotToken) {
    throw new SlackConfigError('set either SLACK_BOT_TOKEN (one workspace) or the SLACK_CLIENT_ID/SECRET/STATE_SECRET OAuth install (several workspaces), not both');
  }
  if (some) return 'oauth';
  if (!secrets.slackBotToken) throw new SlackConfigError('SLACK_BOT_TOKEN is not set (or set SLACK_CLIENT_ID, SLACK_CLIENT_SECRET and SLACK_STATE_SECRET for OAuth install)');
  return 'single';
}

export function buildApp(setup: AppSetup): App {
  const { config, secrets, logger } = setup;
  const mode = authMode(secrets);
  const socket = config.mode === 'socket';
  if (socket && !secrets.slackAppToken) throw new SlackConfigError('slack.mode is "socket" but SLACK_APP_TOKEN is not set');
  if (!socket && !secrets.slackSigningSecret) throw new SlackConfigError('SLACK_SIGNING_SECRET is not set (needed to verify requests from Slack)');

  const options: AppOptions = {
    logger: boltLogger(logger.child({ component: 'bolt' })),
    clientOptions: { slackApiUrl: config.apiUrl, retryConfig: { retries: config.retries } },
    ignoreSelf: true,
    // Listeners run before the HTTP answer, so a command's reply is the answer itself.
    processBeforeResponse: !socket,
    signatureVerification: true,
  };
  // The Web API client of the OAuth installer and of Socket Mode (apps.connections.open): Bolt
  // takes it from installerOptions, not from clientOptions.
  const installerClient = { slackApiUrl: config.apiUrl, retryConfig: { retries: config.retries } };
  if (socket) {
    options.socketMode = true;
    options.appToken = secrets.slackAppToken;
    options.installerOptions = { clientOptions: installerClient };
  } else {
    options.signingSecret = secrets.slackSigningSecret;
    options.endpoints = config.eventsPath;
  }
  if (mode === 'single') {
    options.token = secrets.slackBotToken;
    if (setup.bot?.botId) options.botId = setup.bot.botId;
    if (setup.bot?.botUserId) options.botUserId = setup.bot.botUserId;
  } else {
    options.clientId = secrets.slackClientId;
    options.clientSecret = secrets.slackClientSecret;
    options.stateSecret = secrets.slackStateSecret;
    options.scopes = [...BOT_SCOPES];
    options.installationStore = setup.installationStore;
    if (config.oauth.redirectUri) options.redirectUri = config.oauth.redirectUri;
    options.installerOptions = {
      ...options.installerOptions,
      installPath: config.oauth.installPath,
      redirectUriPath: config.oauth.redirectUriPath,
      // The install path sends the browser straight to Slack (no intermediate page).
      directInstall: true,
      authorizationUrl: config.oauth.authorizationUrl,
      // oauth.v2.access and auth.test during install go to the same Web API as everything else.
      clientOptions: installerClient,
      ...(socket ? { port: config.port } : {}),
    };
  }
  return new App(options);
}
