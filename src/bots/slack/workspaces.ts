// Which token acts in which workspace. Single-workspace mode: the bot token from SLACK_BOT_TOKEN,
// for the workspace auth.test names. OAuth mode: each workspace's bot token from its stored
// installation. SLACK_ADMIN_TOKEN (a workspace admin's user token) is used only in the workspace
// auth.test says it belongs to, and only for chat.delete.
import { webApi } from '@slack/bolt';
import type { Logger } from 'pino';
import { PermanentActionError } from '../../core/outbox.js';
import type { SqliteInstallationStore } from './installation-store.js';
import { boltLogger } from './logger.js';

export interface ClientSettings {
  slackApiUrl: string;
  logger: Logger;
}

/** Web API clients for the outbox: no retries and no waiting on 429 (the outbox retries, honouring Retry-After). */
export class Clients {
  private readonly byToken = new Map<string, webApi.WebClient>();
  constructor(private readonly settings: ClientSettings) {}

  for(token: string): webApi.WebClient {
    let client = this.byToken.get(token);
    if (!client) {
      client = new webApi.WebClient(token, {
        slackApiUrl: this.settings.slackApiUrl,
        retryConfig: { retries: 0 },
        rejectRateLimitedCalls: true,
        logger: boltLogger(this.settings.logger),
      });
      this.byToken.set(token, client);
    }
    return client;
  }
}

export interface TeamInfo {
  teamId: string;
  /** https://<workspace>.slack.com/ (for permalinks), when known. */
  url?: string | undefined;
  botUserId?: string | undefined;
  botId?: string | undefined;
}

export class Workspaces {
  private readonly teams = new Map<string, TeamInfo>();
  private admin: { teamId: string; token: string; userId: string } | undefined;

  constructor(
    private readonly opts: {
      /** Single-workspace mode. */
      botToken?: string | undefined;
      single?: TeamInfo | undefined;
      installations?: SqliteInstallationStore | undefined;
    },
  ) {
    if (opts.single) this.teams.set(opts.single.teamId, opts.single);
  }

  get multiWorkspace(): boolean {
    return this.opts.installations !== undefined;
  }

  /** The bot token for a workspace; a workspace the app is not installed in is a permanent error. */
  async botToken(teamId: string): Promise<string> {
    if (this.opts.botToken !== undefined) {
      if (this.opts.single && this.opts.single.teamId !== teamId) {
        throw new PermanentActionError(`this app runs for Slack workspace ${this.opts.single.teamId}, not ${teamId}`);
      }
      return this.opts.botToken;
    }
    const installations = this.opts.installations;
    if (!installations) throw new PermanentActionError('no Slack bot token configured');
    let token: string | undefined;
    try {
      token = (await installations.fetchInstallation({ teamId, isEnterpriseInstall: false, enterpriseId: undefined })).bot?.token;
    } catch (err) {
      throw new PermanentActionError((err as Error).message);
    }
    if (!token) throw new PermanentActionError(`the installation for Slack workspace ${teamId} has no bot token`);
    return token;
  }

  setAdmin(admin: { teamId: string; token: string; userId: string }): void {
    this.admin = admin;
  }

  /** The admin user token for this workspace, if one is configured for it. */
  adminToken(teamId: string): string | undefined {
    return this.admin?.teamId === teamId ? this.admin.token : undefined;
  }

  remember(info: TeamInfo): void {
    this.teams.set(info.teamId, { ...this.teams.get(info.teamId), ...info });
  }

  team(teamId: string): TeamInfo | undefined {
    return this.teams.get(teamId);
  }
}
