// Who is a moderator: workspace admins and owners (users.info), and members of the configured
// moderator user group (usergroups.users.list). Commands and buttons check afresh every time;
// message authors use a short cache so a busy channel does not cost a users.info call a message.
import type { webApi } from '@slack/bolt';
import { LRUCache } from 'lru-cache';
import type { Logger } from 'pino';

export interface SlackUser {
  id: string;
  name?: string | undefined;
  isBot: boolean;
  isModerator: boolean;
}

/** Most users (and workspaces' moderator groups) remembered; the least recently used go first. */
const MAX_CACHED = 10_000;

export class Permissions {
  /** Bounded and expiring after `cacheMs` (lru-cache): a busy workspace cannot grow it without end. */
  private readonly users: LRUCache<string, SlackUser>;
  private readonly groups: LRUCache<string, Set<string>>;

  constructor(
    private readonly opts: { moderatorGroupId?: string | undefined; cacheMs: number; logger: Logger; now?: () => number },
  ) {
    const perf = { now: opts.now ?? Date.now };
    // cacheMs 0: no caching (lru-cache's ttl 0 would mean "forever").
    const ttl = Math.max(1, opts.cacheMs);
    this.users = new LRUCache({ max: MAX_CACHED, ttl, ttlResolution: 0, perf });
    this.groups = new LRUCache({ max: MAX_CACHED, ttl, ttlResolution: 0, perf });
  }

  private fresh<T extends object>(cache: LRUCache<string, T>, key: string, force: boolean): T | undefined {
    return force || this.opts.cacheMs <= 0 ? undefined : cache.get(key);
  }

  /**
   * The user and whether they moderate. `fresh` skips the cache (commands and buttons). A failed
   * lookup throws: callers decide whether that refuses (commands) or counts as a member (messages).
   */
  async user(client: webApi.WebClient, teamId: string, userId: string, fresh = false): Promise<SlackUser> {
    const key = `${teamId}:${userId}`;
    const cached = this.fresh(this.users, key, fresh);
    if (cached) return cached;
    const res = await client.users.info({ user: userId });
    const u = res.user;
    const admin = u?.is_admin === true || u?.is_owner === true || u?.is_primary_owner === true;
    const isBot = u?.is_bot === true || u?.is_app_user === true;
    const inGroup = !admin && !isBot && this.opts.moderatorGroupId ? (await this.groupMembers(client, teamId, fresh)).has(userId) : false;
    const value: SlackUser = { id: userId, name: u?.profile?.display_name || u?.real_name || u?.name, isBot, isModerator: admin || inGroup };
    this.users.set(key, value);
    return value;
  }

  private async groupMembers(client: webApi.WebClient, teamId: string, fresh: boolean): Promise<Set<string>> {
    const group = this.opts.moderatorGroupId;
    if (!group) return new Set();
    const cached = this.fresh(this.groups, teamId, fresh);
    if (cached) return cached;
    const res = await client.usergroups.users.list({ usergroup: group });
    const members = new Set(res.users ?? []);
    this.groups.set(teamId, members);
    return members;
  }

  /** Who may moderate, for refusal messages. */
  describe(): string {
    return this.opts.moderatorGroupId
      ? `workspace admins and owners, and members of <!subteam^${this.opts.moderatorGroupId}>`
      : 'workspace admins and owners';
  }
}
