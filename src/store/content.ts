// What identifies a message's content (the hash) and what may be kept of it (the excerpt).
import { createHash } from 'node:crypto';

export const EXCERPT_CHARS = 120;

// Discord signs CDN links with expiring query parameters (ex, is, hm) that change each time a message
// is fetched again; hashing them would turn a re-fetched but unchanged message into an "edit".
const VOLATILE_PARAMS = ['ex', 'is', 'hm'];

function stableUrl(url: string): string {
  try {
    const u = new URL(url);
    if (!/(^|\.)discord(app)?\.(com|net)$/.test(u.hostname)) return url;
    for (const p of VOLATILE_PARAMS) u.searchParams.delete(p);
    return u.toString();
  } catch {
    return url;
  }
}

/** sha256 (hex) of the text and the attachment urls; JSON framing so "ab"+"c" and "a"+"bc" differ. */
export function contentHash(text: string, attachmentUrls: readonly string[]): string {
  return createHash('sha256')
    .update(JSON.stringify([text, attachmentUrls.map(stableUrl)]))
    .digest('hex');
}

/** The first 120 characters (code points, so an emoji is never cut in half). */
export function excerpt(text: string, chars = EXCERPT_CHARS): string {
  const points = Array.from(text);
  return points.length <= chars ? text : points.slice(0, chars).join('');
}
