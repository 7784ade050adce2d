// Who is a moderator: workspace admins and owners (users.info), and members of the configured
// moderator user group (usergroups.users.list). Commands and buttons check afresh every time;
// message authors use a short cache so a busy channel does not cost a users.info call a message.
import type { webApi } from '@slack/bolt';
import type { Logger } from 'pino';

export interface SlackUser {
  id: string;
  name?: string | undefined;
  isBot: boolean;
  isModerator: boolean;
}

interface Cached<T> {
  value: T;
  at: number;
}

export class Permissions {
  private readonly users = new Map<string, Cached<SlackUser>>();
  private readonly groups = new Map<string, Cached<Set<string>>>();

  constructor(
    private readonly opts: { moderatorGroupId?: string | undefined; cacheMs: number; logger: Logger; now?: () => number },
  ) {}

  private now(): number {
    return this.opts.now?.() ?? Date.now();
  }

  private fresh<T>(entry: Cached<T> | undefined, force: boolean): T | undefined {
    return !force && entry && this.now() - entry.at < this.opts.cacheMs ? entry.value : undefined;
  }

  /**
   * The user and whether they moderate. `fresh` skips the cache (commands and buttons). A failed
   * lookup throws: callers decide whether that refuses (commands) or counts as a member (messages).
   */
  async user(client: webApi.WebClient, teamId: string, userId: string, fresh = false): Promise<SlackUser> {
    const key = `${teamId}:${userId}`;
    const cached = this.fresh(this.users.get(key), fresh);
    if (cached) return cached;
    const res = await client.users.info({ user: userId });
    const u = res.user;
    const admin = u?.is_admin === true || u?.is_owner === true || u?.is_primary_owner === true;
    const isBot = u?.is_bot === true || u?.is_app_user === true;
    const inGroup = !admin && !isBot && this.opts.moderatorGroupId ? (await this.groupMembers(client, teamId, fresh)).has(userId) : false;
    const value: SlackUser = { id: userId, name: u?.profile?.display_name || u?.real_name || u?.name, isBot, isModerator: admin || inGroup };
    this.users.set(key, { value, at: this.now() });
    return value;
  }

  private async groupMembers(client: webApi.WebClient, teamId: string, fresh: boolean): Promise<Set<string>> {
    const group = this.opts.moderatorGroupId;
    if (!group) return new Set();
    const cached = this.fresh(this.groups.get(teamId), fresh);
    if (cached) return cached;
    const res = await client.usergroups.users.list({ usergroup: group });
    const members = new Set(res.users ?? []);
    this.groups.set(teamId, { value: members, at: this.now() });
    return members;
  }

  /** Who may moderate, for refusal messages. */
  describe(): string {
    return this.opts.moderatorGroupId
      ? `workspace admins and owners, and members of <!subteam^${this.opts.moderatorGroupId}>`
      : 'workspace admins and owners';
  }
}
