// `/toxicity review | config [key value] | stats [days] | check <text>`, answered in Block Kit
// (ephemeral), only for moderators: workspace admins/owners or the configured moderator group,
// checked afresh on every command.
import type { App, types, webApi } from '@slack/bolt';
import { LABELS } from '../../../../classifier/labels.js';
import { dryRunMessage } from '../../../../core/message.js';
import { describePolicy } from '../../../../policy/config-keys.js';
import { PolicyError } from '../../../../policy/schema.js';
import { checkBlocks, escape, reviewListBlocks, statsBlocks, textBlocks } from '../../blocks.js';
import { decodeEntities, unescapeMentions } from '../../to-message.js';
import type { ListenerDeps } from '../deps.js';

export const COMMAND = '/toxicity';

const HELP = [
  '*/toxicity* — toxguard moderation',
  '`/toxicity review` — the review queue (newest first), with confirm/overturn buttons',
  '`/toxicity config` — this workspace\'s policy; `/toxicity config <key> <value>` sets one key, e.g. `/toxicity config mode active`, `/toxicity config alerts.channelId C0123`, `/toxicity config actions.delete.enabled true`',
  '`/toxicity stats [days]` — what the bot saw and did (default 7 days)',
  '`/toxicity check <text>` — score a text without recording anything',
].join('\n');

interface Reply {
  text: string;
  blocks: types.KnownBlock[];
}

function reply(text: string, blocks?: types.KnownBlock[]): Reply {
  return { text, blocks: blocks ?? textBlocks(text) };
}

export function register(app: App, deps: ListenerDeps): void {
  app.command(COMMAND, async ({ command, ack, client, context }) => {
    const teamId = context.teamId ?? command.team_id;
    const answer = await handle(deps, client, teamId, command.user_id, command.text ?? '', command.channel_id).catch((err: unknown): Reply => {
      deps.logger.error({ team: teamId, error: (err as Error).message }, 'Slack: /toxicity failed');
      return reply(`Something went wrong: ${escape((err as Error).message)}`);
    });
    await ack({ response_type: 'ephemeral', ...answer });
  });
}

async function handle(deps: ListenerDeps, client: webApi.WebClient, teamId: string, userId: string, raw: string, channelId: string): Promise<Reply> {
  let moderator: boolean;
  try {
    moderator = (await deps.permissions.user(client, teamId, userId, true)).isModerator;
  } catch (err) {
    deps.logger.warn({ team: teamId, user: userId, error: (err as Error).message }, 'Slack: permission check failed');
    return reply('toxguard could not check your permissions with Slack just now; try again in a minute.');
  }
  if (!moderator) {
    deps.logger.info({ team: teamId, user: userId, command: raw.split(/\s+/)[0] }, 'Slack: /toxicity refused (not a moderator)');
    return reply(`Only ${deps.permissions.describe()} can use /toxicity.`);
  }
  const text = raw.trim();
  const sub = (text.split(/\s+/)[0] ?? '').toLowerCase();
  const rest = text.slice(sub.length).trim();
  const { ctx } = deps;
  switch (sub) {
    case 'check': {
      if (!rest) return reply('Usage: `/toxicity check <text>`');
      // The pipeline's dry run: the same limits as a recorded message, nothing recorded.
      const e = await ctx.pipeline.evaluate(dryRunMessage({ platform: 'slack', serverId: teamId, channelId, text: decodeEntities(rest) }), { record: false });
      const flagged = LABELS.filter((l) => e.scores[l] >= ctx.scorer.thresholds[l]);
      return reply(
        flagged.length ? `Toxic: ${flagged.join(', ')}` : 'Not toxic',
        checkBlocks({ text: e.text, scores: e.scores, spans: e.spans, thresholds: ctx.scorer.thresholds, model: `${ctx.scorer.name}@${ctx.scorer.version}` }),
      );
    }
    case 'config': {
      if (!rest) return reply(describePolicy(await ctx.policies.get(teamId)));
      const [key = '', ...value] = unescapeMentions(rest).split(/\s+/);
      if (value.length === 0) return reply('Usage: `/toxicity config <key> <value>` (or `/toxicity config` to see the policy)');
      try {
        const policy = await ctx.policies.set(teamId, key, value.join(' '), userId, 'slack');
        deps.logger.info({ team: teamId, user: userId, key }, 'Slack: policy changed');
        return reply(`Set \`${escape(key)}\` to \`${escape(value.join(' '))}\`.\n\n${describePolicy(policy)}`);
      } catch (err) {
        if (err instanceof PolicyError) return reply(escape(err.message));
        throw err;
      }
    }
    case 'review': {
      const pending = await ctx.store.listReviews(teamId, { status: 'pending' });
      return reply(`${pending.length} pending review${pending.length === 1 ? '' : 's'}`, reviewListBlocks(pending.slice(0, 10), pending.length));
    }
    case 'stats': {
      const days = rest ? Number(rest) : 7;
      if (!Number.isInteger(days) || days < 1 || days > 3650) return reply('Usage: `/toxicity stats [days]` (a whole number of days)');
      const stats = await ctx.store.stats(teamId, new Date(Date.now() - days * 86_400_000));
      return reply(`toxguard stats, last ${days} days`, statsBlocks(stats, days));
    }
    default:
      return reply(HELP);
  }
}
