// Delete. Slack lets a bot token delete only the bot's own messages, so a member's message needs
// a workspace admin's user token (SLACK_ADMIN_TOKEN). Without one, the delete falls back to a flag
// (reaction + review item; the alert is planned with every delete), and the app says so once in
// the moderators' channel (a `notice` in the outbox: once across restarts) and the log.
import type { CatalogueAction } from '../../../core/actions/index.js';
import { slackAction } from '../errors.js';
import type { ActionDeps } from './context.js';
import { addFlagReaction } from './flag.js';

export const NO_ADMIN_TOKEN_NOTICE =
  "toxguard cannot delete members' messages in this workspace: Slack lets a bot delete only its own messages, and no admin token (SLACK_ADMIN_TOKEN) is configured for this workspace. " +
  'Until one is, messages the policy would delete are flagged instead (a reaction and the review queue) and alerted here.';

export class DeleteAction {
  /** Workspaces whose log was told that deletes fall back to flags (once per run; the channel's notice once ever). */
  private readonly logged = new Set<string>();

  constructor(private readonly deps: ActionDeps) {}

  async execute(action: CatalogueAction<'delete'>): Promise<unknown> {
    const { serverId, channelId, messageId } = action.target;
    const admin = this.deps.workspaces.adminToken(serverId);
    if (!admin) return this.fallBack(action);
    const client = this.deps.clients.for(admin);
    const res = await slackAction('chat.delete', () => client.chat.delete({ channel: channelId, ts: messageId }), ['message_not_found']);
    if ('skipped' in res) return { deleted: false, skipped: res.skipped };
    return { deleted: true };
  }

  private async fallBack(action: CatalogueAction<'delete'>): Promise<unknown> {
    const { serverId } = action.target;
    const reaction = await addFlagReaction(this.deps, action);
    const review = await this.deps.store.ensureReview(action.verdictId);
    await this.tellOnce(serverId);
    return { deleted: false, fallback: 'flag', reason: 'no admin token', reaction, reviewId: review.id };
  }

  private async tellOnce(teamId: string): Promise<void> {
    if (!this.logged.has(teamId)) {
      this.logged.add(teamId);
      this.deps.logger.warn({ team: teamId }, `Slack: ${NO_ADMIN_TOKEN_NOTICE}`);
    }
    await this.deps.store.enqueueNotice({ platform: 'slack', serverId: teamId, key: 'no-admin-token', text: NO_ADMIN_TOKEN_NOTICE });
  }
}
