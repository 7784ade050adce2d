// Message events (new messages, file shares, edits) -> the pipeline. The event is acknowledged at
// once and moderated after: OCR can take longer than the 3 seconds Slack waits before retrying
// (a retry would be harmless anyway: verdicts are idempotent per message).
import type { App } from '@slack/bolt';
import type { SlackUser } from '../../permissions.js';
import { messageRef, toIncomingMessage, type SlackMessageEvent } from '../../to-message.js';
import { track, type ListenerDeps } from '../deps.js';

export function register(app: App, deps: ListenerDeps): void {
  app.event('message', async ({ event, body, context, client }) => {
    // Bolt's message type is a union of every subtype; this adapter reads a few common fields.
    const ev = event as unknown as SlackMessageEvent;
    const ref = messageRef(ev, { botId: context.botId, botUserId: context.botUserId });
    if (!ref) return;
    const teamId = context.teamId ?? body.team_id;
    if (!teamId) return;
    const work = (async () => {
      let author: SlackUser;
      if (ref.userId) {
        try {
          author = await deps.permissions.user(client, teamId, ref.userId);
        } catch (err) {
          // Moderated as a member: an unknown author is never assumed to be a moderator.
          deps.logger.warn({ team: teamId, user: ref.userId, error: (err as Error).message }, 'Slack: users.info failed; author treated as a member');
          author = { id: ref.userId, isBot: false, isModerator: false };
        }
      } else {
        author = { id: ref.botId ?? 'unknown', isBot: ref.botId !== undefined, isModerator: false };
      }
      const message = toIncomingMessage({ ref, event: ev, teamId, author, botToken: context.botToken, teamUrl: deps.workspaces.team(teamId)?.url });
      const outcome = await deps.ctx.pipeline.submit(message);
      deps.logger.debug(
        { team: teamId, channel: message.channelId, ts: message.messageId, kind: message.kind, actions: outcome.decision.actions, verdict: outcome.record.verdictId },
        'Slack: message moderated',
      );
    })().catch((err: unknown) => {
      deps.logger.error({ team: teamId, channel: ev.channel, error: (err as Error).message }, 'Slack: message not moderated');
    });
    track(deps, work);
  });
}
