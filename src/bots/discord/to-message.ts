// discord.js Message -> the pipeline's IncomingMessage. Decides which messages are moderated at all
// (not bots, not system messages, DMs only when configured) and who counts as a moderator.
import { PermissionFlagsBits, type Message } from 'discord.js';
import type { Attachment, IncomingMessage } from '../../core/message.js';

/** Server id under which DMs are recorded (they have no guild and no guild policy). */
export const DM_SERVER_ID = 'dm';

export interface ToMessageOptions {
  /** Moderate DMs (`discord.dms`). */
  dms: boolean;
}

/** Members who can manage messages in the channel are moderators: never acted on, may use /toxicity. */
export function isModerator(message: Message): boolean {
  if (!message.inGuild() || !message.member) return false;
  if (message.guild.ownerId === message.author.id) return true;
  return message.channel.permissionsFor(message.member)?.has(PermissionFlagsBits.ManageMessages) ?? false;
}

function nameFromUrl(url: string, fallback: string): string {
  try {
    const last = new URL(url).pathname.split('/').pop();
    return last ? decodeURIComponent(last) : fallback;
  } catch {
    return fallback;
  }
}

/** Uploaded files, then the images of embeds (links to images, GIF pickers, bots' embeds). */
export function attachmentsOf(message: Message): Attachment[] {
  const out: Attachment[] = message.attachments.map((a) => ({
    url: a.url,
    name: a.name,
    ...(a.contentType ? { contentType: a.contentType } : {}),
    size: a.size,
  }));
  const seen = new Set(out.map((a) => a.url));
  for (const embed of message.embeds) {
    const url = embed.image?.url ?? embed.thumbnail?.url;
    if (!url || seen.has(url)) continue;
    seen.add(url);
    out.push({ url, name: nameFromUrl(url, 'embed-image') });
  }
  return out;
}

/** The message in pipeline shape, or undefined when toxguard does not moderate it. */
export function toIncomingMessage(message: Message, kind: 'new' | 'edit', options: ToMessageOptions): IncomingMessage | undefined {
  if (message.partial) return undefined;
  if (message.author.bot || message.system || message.webhookId) return undefined;
  const inGuild = message.inGuild();
  if (!inGuild && !options.dms) return undefined;

  const channel = message.channel;
  const thread = channel.isThread() ? channel : undefined;
  const roleIds = inGuild && message.member ? message.member.roles.cache.filter((r) => r.id !== message.guildId).map((r) => r.id) : [];
  return {
    platform: 'discord',
    serverId: inGuild ? message.guildId : DM_SERVER_ID,
    // A thread (or forum post) is its own channel; overrides of its parent still apply.
    channelId: message.channelId,
    ...(thread ? { threadId: thread.id, ...(thread.parentId ? { parentChannelId: thread.parentId } : {}) } : {}),
    messageId: message.id,
    author: {
      id: message.author.id,
      name: message.author.username,
      roleIds,
      isModerator: isModerator(message),
      isBot: message.author.bot,
    },
    text: message.content,
    attachments: attachmentsOf(message),
    kind,
    sentAt: message.createdAt.toISOString(),
    ...(message.editedAt ? { editedAt: message.editedAt.toISOString() } : {}),
    link: message.url,
  };
}
