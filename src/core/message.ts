// The one message shape every platform adapter produces. Nothing downstream of an adapter knows
// which platform a message came from, except through these fields.

export const PLATFORMS = ['discord', 'slack', 'reddit', 'api', 'scan'] as const;
export type Platform = (typeof PLATFORMS)[number];

export function isPlatform(value: unknown): value is Platform {
  return typeof value === 'string' && (PLATFORMS as readonly string[]).includes(value);
}

export interface Attachment {
  /** Where to fetch it (platform CDN, url_private, ...). */
  url: string;
  name: string;
  /** Declared MIME type, if the platform gave one (never trusted for decoding). */
  contentType?: string;
  /** Declared size in bytes, if known. */
  size?: number;
  /** The bytes themselves, when they came with the request (API uploads) instead of by URL. */
  data?: Buffer;
  /** Headers to send when downloading `url` (Slack's url_private needs the bot token). Never stored or logged. */
  headers?: Record<string, string>;
}

export interface Author {
  id: string;
  name?: string;
  roleIds: string[];
  /** The adapter's judgement from platform permissions (Manage Messages, workspace admin, ...). */
  isModerator: boolean;
  isBot: boolean;
}

export interface IncomingMessage {
  platform: Platform;
  /** Guild (Discord), workspace/team (Slack) or subreddit (Reddit). */
  serverId: string;
  channelId: string;
  /** Parent channel of a thread or forum post, if any (channel overrides also apply to threads). */
  parentChannelId?: string;
  threadId?: string;
  messageId: string;
  author: Author;
  text: string;
  attachments: Attachment[];
  /** `edit` re-checks a message already seen. */
  kind: 'new' | 'edit';
  /** When the platform says it was sent / edited (ISO 8601). */
  sentAt: string;
  editedAt?: string;
  /** Link a moderator can open (jump link / permalink), if the adapter can build one. */
  link?: string;
}

/** The key that makes a verdict idempotent: one per platform message. */
export function messageKey(m: Pick<IncomingMessage, 'platform' | 'serverId' | 'channelId' | 'messageId'>): string {
  return `${m.platform}:${m.serverId}:${m.channelId}:${m.messageId}`;
}

/**
 * A message to evaluate without recording it (Check toxicity, /toxicity check): written by an ordinary
 * member unless an author is given, so what the policy says is what it would do to a member.
 */
export function dryRunMessage(m: Pick<IncomingMessage, 'platform' | 'serverId' | 'channelId' | 'text'> & Partial<IncomingMessage>): IncomingMessage {
  return {
    messageId: 'dry-run',
    author: { id: 'dry-run', roleIds: [], isModerator: false, isBot: false },
    attachments: [],
    kind: 'new',
    sentAt: new Date().toISOString(),
    ...m,
  };
}
