// Reddit's listing items (comments `t1`, posts `t3`) and how each becomes the pipeline's
// IncomingMessage: the subreddit is the server, the post is the channel (so a comment and its post
// share one, and the dashboard's "channels" are threads), the item's fullname is the message id.
import { messageKey, type Attachment, type IncomingMessage } from '../../core/message.js';
import { serverIdOf } from './config.js';

export interface MediaMetadata {
  status?: string;
  /** 'Image', 'AnimatedImage', 'RedditVideo'... */
  e?: string;
  /** MIME type, e.g. image/png. */
  m?: string;
  /** The source: `u` for images, `gif` for animated ones. */
  s?: { u?: string; gif?: string; x?: number; y?: number };
}

export interface RedditItem {
  id: string;
  /** Fullname: `t1_<id>` or `t3_<id>`. */
  name: string;
  subreddit: string;
  author: string;
  created_utc: number;
  /** false, or when it was last edited (Unix seconds). */
  edited: false | number;
  permalink?: string;
  distinguished?: string | null;
  /** Comments. */
  body?: string;
  link_id?: string;
  parent_id?: string;
  /** Posts. */
  title?: string;
  selftext?: string;
  url?: string;
  post_hint?: string;
  is_self?: boolean;
  is_gallery?: boolean;
  media_metadata?: Record<string, MediaMetadata> | null;
  gallery_data?: { items: { media_id: string; caption?: string }[] } | null;
}

export interface RedditThing {
  kind: string;
  data: RedditItem;
}

export interface Listing<T = RedditThing> {
  kind: 'Listing';
  data: { after: string | null; before: string | null; children: T[]; dist?: number | null };
}

/** Hosts whose links are images themselves (Reddit's own, and the common image host). */
export const IMAGE_HOSTS = new Set(['i.redd.it', 'preview.redd.it', 'i.imgur.com']);
const IMAGE_PATH = /\.(png|jpe?g|gif|webp)$/i;

/** A base-36 Reddit id as a number (ids grow with time, so they order items by creation). */
export function idValue(idOrFullname: string): number {
  return parseInt(idOrFullname.replace(/^t\d_/, ''), 36);
}

function nameFromUrl(url: string, fallback: string): string {
  try {
    const last = new URL(url).pathname.split('/').pop();
    return last && last.length > 0 ? last : fallback;
  } catch {
    return fallback;
  }
}

/** The images of an item: a gallery's pictures in order, an image post's link, images in a comment. */
export function imagesOf(item: RedditItem): Attachment[] {
  const out: Attachment[] = [];
  const fromMeta = (id: string, meta: MediaMetadata | undefined): void => {
    if (!meta || (meta.status && meta.status !== 'valid')) return;
    if (meta.e && meta.e !== 'Image' && meta.e !== 'AnimatedImage') return;
    const url = meta.s?.u ?? meta.s?.gif;
    if (!url) return;
    const ext = meta.m?.split('/')[1] ?? 'jpg';
    out.push({ url, name: `${id}.${ext}`, ...(meta.m ? { contentType: meta.m } : {}) });
  };
  const meta = item.media_metadata ?? undefined;
  if (item.is_gallery && item.gallery_data && meta) {
    for (const g of item.gallery_data.items) fromMeta(g.media_id, meta[g.media_id]);
    return out;
  }
  if (meta) for (const [id, m] of Object.entries(meta)) fromMeta(id, m);
  if (item.url && !item.is_self && /^https?:\/\//i.test(item.url)) {
    let host = '';
    let path = '';
    try {
      const u = new URL(item.url);
      host = u.hostname.toLowerCase();
      path = u.pathname;
    } catch {
      // not a URL: no image
    }
    if (item.post_hint === 'image' || IMAGE_HOSTS.has(host) || IMAGE_PATH.test(path)) out.push({ url: item.url, name: nameFromUrl(item.url, `${item.id}.jpg`) });
  }
  return out;
}

/** What the adapter knows about the people of a subreddit (lower-case names). */
export interface People {
  moderators: ReadonlySet<string>;
  approved: ReadonlySet<string>;
  /** The adapter's own account (its modmail and removals are never moderated). */
  self?: string | undefined;
  exemptApprovedUsers: boolean;
}

/** Items with nothing left to judge: deleted by the author or already removed. */
export function isGone(item: RedditItem): boolean {
  if (item.author === '[deleted]') return true;
  const text = item.body ?? item.selftext;
  return text === '[removed]' || text === '[deleted]';
}

/** The store's message key of an item (as toMessage makes it). */
export function keyOf(item: RedditItem): string {
  const channel = item.name.startsWith('t1_') ? (item.link_id ?? item.parent_id ?? item.name) : item.name;
  return messageKey({ platform: 'reddit', serverId: serverIdOf(item.subreddit), channelId: channel, messageId: item.name });
}

/** The item as the pipeline's message. `edit` re-checks an item already seen. */
export function toMessage(item: RedditItem, people: People, edit = false): IncomingMessage {
  const isComment = item.name.startsWith('t1_');
  const author = item.author.toLowerCase();
  const isMod = people.moderators.has(author) || item.distinguished === 'moderator' || item.distinguished === 'admin';
  const isApproved = people.approved.has(author);
  const roleIds = [...(isMod ? ['moderator'] : []), ...(isApproved ? ['approved'] : [])];
  const text = isComment ? (item.body ?? '') : [item.title ?? '', item.selftext ?? ''].filter((s) => s !== '').join('\n\n');
  const editedAt = typeof item.edited === 'number' && item.edited > 0 ? new Date(item.edited * 1000).toISOString() : undefined;
  return {
    platform: 'reddit',
    serverId: serverIdOf(item.subreddit),
    channelId: isComment ? (item.link_id ?? item.parent_id ?? item.name) : item.name,
    messageId: item.name,
    author: {
      id: item.author,
      name: item.author,
      roleIds,
      isModerator: isMod || (people.exemptApprovedUsers && isApproved),
      isBot: author === 'automoderator' || (people.self !== undefined && author === people.self.toLowerCase()),
    },
    text,
    attachments: imagesOf(item),
    kind: edit ? 'edit' : 'new',
    sentAt: new Date(item.created_utc * 1000).toISOString(),
    ...(editedAt ? { editedAt } : {}),
    ...(item.permalink ? { link: `https://www.reddit.com${item.permalink}` } : {}),
  };
}
