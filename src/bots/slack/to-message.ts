// Slack message events -> the one IncomingMessage shape. Pure: the author's moderator status and
// the bot token for url_private come in from the listener.
import type { Attachment, IncomingMessage } from '../../core/message.js';
import type { SlackUser } from './permissions.js';

/** The fields of a Slack file object this adapter reads. */
export interface SlackFile {
  id: string;
  name?: string;
  title?: string;
  mimetype?: string;
  size?: number;
  url_private?: string;
  url_private_download?: string;
  mode?: string;
}

/** The fields of a Slack message (top-level event, or `event.message` of a message_changed). */
export interface SlackMessage {
  type?: string;
  subtype?: string;
  channel?: string;
  user?: string;
  bot_id?: string;
  text?: string;
  ts?: string;
  thread_ts?: string;
  team?: string;
  files?: SlackFile[];
  edited?: { user?: string; ts?: string };
}

export interface SlackMessageEvent extends SlackMessage {
  channel: string;
  event_ts?: string;
  channel_type?: string;
  message?: SlackMessage;
  previous_message?: SlackMessage;
  hidden?: boolean;
}

/** Subtypes that carry a member's words; everything else (joins, topic changes, deletions) is skipped. */
const MODERATED_SUBTYPES = new Set([undefined, 'file_share', 'thread_broadcast', 'me_message', 'message_changed']);

/** What the listener must look up before the message can be converted. */
export interface MessageRef {
  kind: 'new' | 'edit';
  /** The message itself (for an edit: its new version). */
  message: SlackMessage;
  userId: string | undefined;
  botId: string | undefined;
}

/** Picks out the message to moderate, or undefined when the event is not one. */
export function messageRef(event: SlackMessageEvent, self: { botId?: string | undefined; botUserId?: string | undefined }): MessageRef | undefined {
  if (!MODERATED_SUBTYPES.has(event.subtype)) return undefined;
  const edit = event.subtype === 'message_changed';
  const message = edit ? event.message : event;
  if (!message?.ts) return undefined;
  // An edit event re-sends the unchanged text when Slack adds a link preview: the pipeline's
  // content hash makes that a no-op, so there is no need to compare here.
  if (edit && message.subtype !== undefined && !MODERATED_SUBTYPES.has(message.subtype)) return undefined;
  // Our own messages (alerts we post, then update) are never moderated.
  if ((self.botId && message.bot_id === self.botId) || (self.botUserId && message.user === self.botUserId)) return undefined;
  return { kind: edit ? 'edit' : 'new', message, userId: message.user, botId: message.bot_id };
}

/** Slack timestamps ("1700000000.123456") as ISO 8601. */
export function tsToIso(ts: string): string {
  const ms = Math.round(Number(ts) * 1000);
  return new Date(Number.isFinite(ms) ? ms : 0).toISOString();
}

export function permalink(teamUrl: string | undefined, channel: string, ts: string, threadTs?: string): string | undefined {
  if (!teamUrl) return undefined;
  const base = teamUrl.endsWith('/') ? teamUrl : `${teamUrl}/`;
  const thread = threadTs && threadTs !== ts ? `?thread_ts=${threadTs}&cid=${channel}` : '';
  return `${base}archives/${channel}/p${ts.replace('.', '')}${thread}`;
}

/** Files with a private URL, downloaded by the OCR engine with the bot token (files:read). */
export function attachmentsOf(files: readonly SlackFile[] | undefined, botToken: string | undefined): Attachment[] {
  return (files ?? [])
    .filter((f) => f.mode !== 'tombstone' && (f.url_private_download ?? f.url_private))
    .map((f) => {
      const a: Attachment = { url: (f.url_private_download ?? f.url_private) as string, name: f.name ?? f.title ?? f.id };
      if (f.mimetype) a.contentType = f.mimetype;
      if (typeof f.size === 'number') a.size = f.size;
      if (botToken) a.headers = { Authorization: `Bearer ${botToken}` };
      return a;
    });
}

export interface ToMessageInput {
  ref: MessageRef;
  event: SlackMessageEvent;
  teamId: string;
  author: SlackUser;
  botToken: string | undefined;
  teamUrl?: string | undefined;
}

export function toIncomingMessage({ ref, event, teamId, author, botToken, teamUrl }: ToMessageInput): IncomingMessage {
  const m = ref.message;
  const ts = m.ts as string;
  const threadTs = m.thread_ts && m.thread_ts !== ts ? m.thread_ts : undefined;
  const out: IncomingMessage = {
    platform: 'slack',
    serverId: teamId,
    channelId: event.channel,
    messageId: ts,
    author: { id: author.id, roleIds: [], isModerator: author.isModerator, isBot: author.isBot },
    text: decodeEntities(m.text ?? ''),
    attachments: attachmentsOf(m.files, botToken),
    kind: ref.kind,
    sentAt: tsToIso(ts),
  };
  if (author.name) out.author.name = author.name;
  if (threadTs) out.threadId = threadTs;
  if (ref.kind === 'edit') out.editedAt = tsToIso(m.edited?.ts ?? event.event_ts ?? event.ts ?? ts);
  const link = permalink(teamUrl, event.channel, ts, threadTs);
  if (link) out.link = link;
  return out;
}

/**
 * Escaped mentions in command text (`<#C123|general>`, `<@U123|ann>`, `<!subteam^S123|@mods>`)
 * as bare ids, so `/toxicity config alerts.channelId #mods` stores `C123`.
 */
export function unescapeMentions(text: string): string {
  return text.replace(/<[#@]([A-Z0-9]+)(?:\|[^>]*)?>/g, '$1').replace(/<!subteam\^([A-Z0-9]+)(?:\|[^>]*)?>/g, '$1');
}

/** Slack sends &, < and > in message and command text as HTML entities; the model reads the characters. */
export function decodeEntities(text: string): string {
  return text.replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&amp;/g, '&');
}
