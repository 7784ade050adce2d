// The confirm / overturn buttons on alerts and in `/toxicity review`. Only moderators may decide
// (checked afresh on every click); the decision is recorded in the review history and the message
// is updated to say who decided what.
import type { AllMiddlewareArgs, App, BlockAction, ButtonAction, SlackActionMiddlewareArgs, types } from '@slack/bolt';
import type { ReviewDecision } from '../../../../store/index.js';
import { ACTION_CONFIRM, ACTION_OVERTURN, decidedBlocks, decidedBy } from '../../blocks.js';
import type { ListenerDeps } from '../deps.js';

export function register(app: App, deps: ListenerDeps): void {
  const onClick = (decision: Extract<ReviewDecision, 'confirmed' | 'overturned'>) =>
    async ({ body, action, ack, client, context, respond }: SlackActionMiddlewareArgs<BlockAction<ButtonAction>> & AllMiddlewareArgs): Promise<void> => {
      await ack();
      const teamId = context.teamId ?? body.team?.id ?? '';
      const userId = body.user.id;
      const channel = body.channel?.id;
      const tell = async (text: string): Promise<void> => {
        if (channel) await client.chat.postEphemeral({ channel, user: userId, text });
      };
      let moderator = false;
      try {
        moderator = (await deps.permissions.user(client, teamId, userId, true)).isModerator;
      } catch (err) {
        deps.logger.warn({ team: teamId, user: userId, error: (err as Error).message }, 'Slack: permission check failed');
        await tell('toxguard could not check your permissions with Slack just now; try again in a minute.');
        return;
      }
      if (!moderator) {
        deps.logger.info({ team: teamId, user: userId }, 'Slack: review button refused (not a moderator)');
        await tell(`Only ${deps.permissions.describe()} can review.`);
        return;
      }
      const reviewId = Number(action.value);
      const review = Number.isInteger(reviewId) ? await deps.ctx.store.getReview(reviewId) : undefined;
      // A review id from another workspace is treated as unknown.
      if (!review || review.serverId !== teamId) {
        await tell('That review item no longer exists.');
        return;
      }
      await deps.ctx.store.decideReview(review.id, decision, userId, 'slack');
      deps.logger.info({ team: teamId, review: review.id, decision, moderator: userId }, 'Slack: review decided');
      const blocks = decidedBlocks((body.message?.blocks ?? []) as types.KnownBlock[], decision, decidedBy({ moderatorId: userId, source: 'slack' }));
      if (body.container?.is_ephemeral === true) {
        await respond({ replace_original: true, blocks, text: `Review ${decision}` });
      } else if (channel && body.message?.ts) {
        await client.chat.update({ channel, ts: body.message.ts, blocks, text: `Review ${decision} by <@${userId}>` });
      }
    };
  app.action<BlockAction<ButtonAction>>(ACTION_CONFIRM, onClick('confirmed'));
  app.action<BlockAction<ButtonAction>>(ACTION_OVERTURN, onClick('overturned'));
}
