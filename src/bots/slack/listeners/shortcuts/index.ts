// The message shortcut "Check toxicity": scores the message (and the text in its images, when an
// OCR engine runs) and shows the result to the moderator who asked, without recording anything.
import type { App, MessageShortcut } from '@slack/bolt';
import { LABELS, type Scores } from '../../../../classifier/labels.js';
import { SHORTCUT_CHECK, checkBlocks, textBlocks, type CheckResult } from '../../blocks.js';
import { attachmentsOf, decodeEntities, type SlackFile } from '../../to-message.js';
import { isImage } from '../../../../core/ocr.js';
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
      const result = await check(deps, decodeEntities(shortcut.message.text ?? ''), shortcut.message.files as SlackFile[] | undefined, context.botToken);
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

async function check(deps: ListenerDeps, text: string, files: SlackFile[] | undefined, botToken: string | undefined): Promise<CheckResult> {
  const { scorer, ocr } = deps.ctx;
  const images = attachmentsOf(files, botToken).filter(isImage);
  const ocrOut: NonNullable<CheckResult['ocr']> = [];
  for (const a of images) {
    if (!ocr) {
      ocrOut.push({ name: a.name, reason: 'no OCR engine configured' });
      continue;
    }
    const r = await ocr.read(a, AbortSignal.timeout(deps.ctx.config.pipeline.timeoutMs));
    ocrOut.push(r.ok ? { name: a.name, text: r.text } : { name: a.name, reason: r.reason });
  }
  const texts = [text, ...ocrOut.map((o) => o.text ?? '')];
  const predictions = await scorer.scoreBatch(texts, { explain: true });
  // Per label, the strongest source (as the pipeline does).
  const scores = Object.fromEntries(LABELS.map((l) => [l, Math.max(0, ...predictions.map((p) => p.scores[l]))])) as Scores;
  return { text, scores, spans: predictions[0]?.spans ?? [], thresholds: scorer.thresholds, model: `${scorer.name}@${scorer.version}`, ocr: ocrOut };
}
