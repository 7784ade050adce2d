// `notice`: a post to a server's moderators that is about no one message (a missing permission, a
// model drift alert). Enqueued with Store.enqueueNotice, at most once per server and key, so a
// restart does not repeat it and a crash does not lose it. A repeat after a crash carries the
// action's idempotency key (Discord's nonce, Slack's message metadata), as an alert does.
import { z } from 'zod';
import { defineAction, postKey } from './define.js';

export const noticeAction = defineAction({
  kind: 'notice',
  /** The once-only key within the server, the text, and where to post (none: the moderators' channel when it runs). */
  payload: z.strictObject({ key: z.string().min(1), text: z.string().min(1), channelId: z.string().min(1).optional() }),
  dedupeKey: (p) => `notice:${p.key}`,
  idempotencyKey: (id) => postKey('n', id),
});
