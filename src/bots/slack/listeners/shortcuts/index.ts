// The message shortcut "Check toxicity": scores the message (and the text in its images, when an
// OCR engine runs) and shows the result to the moderator who asked, without recording anything
// (the pipeline's dry run, as for every Check command and the dashboard's Try it).
import type { App, MessageShortcut } from '@slack/bolt';
import { LABELS } from '../../../../classifier/labels.js';
import { SHORTCUT_CHECK, checkBlocks, textBlocks, type CheckResult } from '../../blocks.js';
import { attachmentsOf, decodeEntities, type SlackFile } from '../../to-message.js';
import { dryRunMessage } from '../../../../core/message.js';
import { track, type ListenerDeps } from '../deps.js';

export function register(app: App, deps: ListenerDeps): void {
  app.shortcut<MessageShortcut>({ callback_id: SHORTCUT_CHECK, type: 'message_action' }, async ({ shortcut, ack, client, context }) => {
    await ack();
    const teamId = context.teamId ?? shortcut.team?.id ?? '';
    const channel = shortcut.channel.id;
    const userId = shortcut.user.id;
    // OCR may be slow: answer by chat.postEphemeral, which has no 3-second limit.
    const work = (async () => {
      const me = await deps.permissions.user(client, teamId, userId, true);
      if (!me.isModerator) {
        await client.chat.postEphemeral({ channel, user: userId, text: `Only ${deps.permissions.describe()} can check messages.` });
        return;
      }
      const result = await check(deps, teamId, channel, decodeEntities(shortcut.message.text ?? ''), shortcut.message.files as SlackFile[] | undefined, context.botToken);
      const flagged = LABELS.filter((l) => result.scores[l] >= result.thresholds[l]);
      await client.chat.postEphemeral({
        channel,
        user: userId,
        text: flagged.length ? `Toxic: ${flagged.join(', ')}` : 'Not toxic',
        blocks: checkBlocks(result),
        ...(shortcut.message.thread_ts ? { thread_ts: shortcut.message.thread_ts } : {}),
      });
    })().catch(async (err: unknown) => {
      deps.logger.error({ team: teamId, error: (err as Error).message }, 'Slack: Check toxicity failed');
      await client.chat.postEphemeral({ channel, user: userId, blocks: textBlocks('toxguard could not check this message just now.'), text: 'Check failed' }).catch(() => undefined);
    });
    track(deps, work);
  });
}

/** The pipeline's dry run on the message: the same OCR, limits and per-label maximum, nothing recorded. */
async function check(deps: ListenerDeps, teamId: string, channelId: string, text: string, files: SlackFile[] | undefined, botToken: string | undefined): Promise<CheckResult> {
  const { scorer, pipeline } = deps.ctx;
  const e = await pipeline.evaluate(dryRunMessage({ platform: 'slack', serverId: teamId, channelId, text, attachments: attachmentsOf(files, botToken) }), { record: false });
  const ocr = e.images.filter((img) => img.scanned || img.reason !== 'not an image').map((img) => (img.scanned ? { name: img.name, text: img.text } : { name: img.name, reason: img.reason }));
  return { text: e.text, scores: e.scores, spans: e.spans, thresholds: scorer.thresholds, model: `${scorer.name}@${scorer.version}`, ocr };
}
