// The outbox's executor for Reddit: each action kind mapped onto the moderator tool Reddit has.
//   flag    -> report (the item goes to the mod queue with the reason and scores)
//   delete  -> remove (plus the configured removal reason)
//   alert   -> a modmail conversation with the subreddit's moderators, or a notice in the linked
//              Discord/Slack server (reddit.linkedServers); rate-limited per subreddit by the
//              AlertLimiter like alerts elsewhere: the rest are held back (core/actions/alert-summary.ts)
//   alert-summary -> the held-back alerts of a batch as ONE modmail (or linked notice), built from
//              the store when the outbox runs it at the end of the batch's minute (survives a restart)
//   timeout -> a temporary ban, only when reddit.allowBans is on
//   dm      -> not sent (Reddit's removal reasons and ban messages tell the author)
//   refresh-alert -> skipped: modmail cannot be edited, the alert stays as sent
//   notice  -> a modmail conversation (a drift alert for the subreddit)
// A failed call is retried by the outbox (after Reddit's rate-limit reset for a 429); a 403/404 is
// permanent and says why.
import type { Logger } from 'pino';
import { LABELS } from '../../classifier/labels.js';
import { CatalogueExecutor, heldBatch, holdBackFirst, type CatalogueAction, type PlatformBlueprint } from '../../core/actions/index.js';
import { PermanentActionError } from '../../core/outbox.js';
import type { AlertLimiter, AlertSummary } from '../../policy/alert-limiter.js';
import type { Platform } from '../../core/message.js';
import type { Store, VerdictRecord } from '../../store/index.js';
import { RedditApiError, type RedditClient } from './client.js';
import type { RedditConfig } from './config.js';

export interface RedditExecutorDeps {
  client: RedditClient;
  config: RedditConfig;
  limiter: AlertLimiter;
  /** Where held-back alerts are recorded and their summary is built from. */
  store: Store;
  logger: Pick<Logger, 'warn' | 'info'>;
  now: () => number;
  /** The platform of a linked Discord/Slack server that takes notices; undefined when none can. */
  linkedPlatform?: ((serverId: string) => Promise<Platform | undefined>) | undefined;
}

/** The subreddit name of a server id (`r_askscience` -> `askscience`). */
export function subredditOf(serverId: string): string {
  return serverId.replace(/^r_/, '');
}

/** The labels that triggered, strongest first, e.g. "insult 0.97, toxic 0.95". */
export function scoreSummary(verdict: Pick<VerdictRecord, 'decision' | 'scores'>): string {
  const triggered = verdict.decision.triggered.length
    ? [...verdict.decision.triggered].sort((a, b) => b.score - a.score).map((t) => `${t.label} ${t.score.toFixed(2)}`)
    : [...LABELS].sort((a, b) => verdict.scores[b] - verdict.scores[a]).slice(0, 2).map((l) => `${l} ${verdict.scores[l].toFixed(2)}`);
  return triggered.join(', ');
}

/** Reddit caps a report reason at 100 characters. */
export function reportReason(verdict: Pick<VerdictRecord, 'decision' | 'scores'>): string {
  const reason = `toxguard: ${scoreSummary(verdict)}`;
  return reason.length <= 100 ? reason : `${reason.slice(0, 99)}…`;
}

function quote(text: string): string {
  return text
    .slice(0, 2000)
    .split('\n')
    .map((l) => `> ${l}`)
    .join('\n');
}

export function modmailBody(verdict: VerdictRecord, link: string | undefined): string {
  const lines = [
    `toxguard flagged ${verdict.messageId.startsWith('t1_') ? 'a comment' : 'a post'} by u/${verdict.authorId}${link ? `: ${link}` : ''}`,
    '',
    quote(verdict.text ?? verdict.excerpt),
    '',
    `Scores: ${scoreSummary(verdict)}`,
  ];
  for (const s of verdict.sources) if (s.scanned && s.text) lines.push('', `Text in image ${s.attachment + 1}:`, quote(s.text));
  const acts = verdict.decision.actions.filter((a) => a !== 'alert');
  lines.push('', `Actions: ${acts.length ? acts.join(', ') : 'none (alert only)'}. Review it in the toxguard dashboard.`);
  return lines.join('\n');
}

/** The summary of a batch of held-back alerts; a post id (`t3_...`, the "channel" of its comments) becomes a link. */
export function summaryBody(summary: AlertSummary): string {
  const labels = LABELS.filter((l) => summary.labels[l] > 0).map((l) => `${l} ${summary.labels[l]}`);
  const sub = subredditOf(summary.serverId);
  // A raid across many threads: name the first few, count the rest (modmail bodies are capped).
  const where = summary.channelIds.slice(0, 10).map((c) => (c.startsWith('t3_') ? `https://www.reddit.com/r/${sub}/comments/${c.slice(3)}/` : c));
  const more = summary.channelIds.length - where.length;
  return (
    `toxguard held back ${summary.count} more alert${summary.count === 1 ? '' : 's'} (more than alerts.maxPerMinute in a minute): ` +
    `${labels.join(', ') || 'no labels'}, in ${where.join(', ')}${more > 0 ? ` and ${more} more thread${more === 1 ? '' : 's'}` : ''}. They are all in the toxguard review queue.`
  );
}

/** The modmail subject of a summary (Reddit caps subjects at 100 characters). */
export function summarySubject(summary: AlertSummary): string {
  return `toxguard: ${summary.count} more alert${summary.count === 1 ? '' : 's'} held back`;
}

/** Posts a modmail conversation to the subreddit's moderators; its id. */
async function modmail(deps: RedditExecutorDeps, subreddit: string, subject: string, body: string): Promise<string | null> {
  const res = await deps.client.post<{ conversation?: { id?: string } }>('/api/mod/conversations', { srName: subreddit, subject, body, isAuthorHidden: false });
  return res.conversation?.id ?? null;
}

/**
 * Sends to the subreddit's linked Discord/Slack server (reddit.linkedServers), prefixed with the
 * subreddit, as a `notice` for that server keyed by this action (a retry enqueues nothing more; the
 * outbox posts it with that platform's idempotency key). The linked server's id, or undefined when
 * there is none or it cannot take it (modmail then).
 */
async function toLinked(deps: RedditExecutorDeps, action: CatalogueAction, subreddit: string, text: string): Promise<{ linked: string; notice?: number } | undefined> {
  const entry = Object.entries(deps.config.linkedServers).find(([name]) => name.replace(/^\/?r\//i, '').toLowerCase() === subreddit.toLowerCase());
  const linked = entry?.[1];
  if (!linked || !deps.linkedPlatform) return undefined;
  const platform = await deps.linkedPlatform(linked);
  if (platform) {
    const notice = await deps.store.enqueueNotice({ platform, serverId: linked, key: `reddit-${action.kind}:${action.id}`, text: `r/${subreddit}: ${text}` });
    return { linked, ...(notice !== undefined ? { notice } : {}) };
  }
  deps.logger.warn({ subreddit, linked }, "Reddit: the linked server has no moderators' channel (or its adapter is not running); sent as modmail");
  return undefined;
}

async function alreadyReported(deps: RedditExecutorDeps, thing: string): Promise<boolean> {
  const res = await deps.client.get<{ data?: { children?: { data?: { mod_reports?: unknown[] } }[] } }>('/api/info', { id: thing });
  const reports = res.data?.children?.[0]?.data?.mod_reports ?? [];
  return reports.some((r) => Array.isArray(r) && typeof r[0] === 'string' && r[0].startsWith('toxguard:'));
}

/** Reddit's side of the action catalogue (src/core/actions/): one apply per kind. */
export const redditBlueprint: PlatformBlueprint<RedditExecutorDeps> = {
  platform: 'reddit',
  apply: {
    async flag(deps, action, verdict) {
      const thing = action.target.messageId;
      // Reddit has no idempotency key: a retry (the process may have died right after reporting)
      // first looks whether the item already carries our report.
      if (action.attempts > 1 && (await alreadyReported(deps, thing))) return { reported: thing, alreadyReported: true };
      await deps.client.post('/api/report', { api_type: 'json', thing_id: thing, reason: reportReason(verdict) });
      return { reported: thing };
    },
    async delete(deps, action, verdict) {
      const thing = action.target.messageId;
      const { removalReasonId } = deps.config;
      await deps.client.post('/api/remove', { id: thing, spam: false });
      if (removalReasonId) {
        await deps.client.post('/api/v1/modactions/removal_reasons', {
          json: JSON.stringify({ item_ids: [thing], reason_id: removalReasonId, mod_note: `toxguard: ${scoreSummary(verdict)}` }),
        });
      }
      return { removed: thing, ...(removalReasonId ? { reasonId: removalReasonId } : {}) };
    },
    async alert(deps, action, verdict) {
      const thing = action.target.messageId;
      const subreddit = subredditOf(action.target.serverId);
      // Held back: the batch's first alert schedules the batch's summary (alert-summary) in the outbox.
      const held = await holdBackFirst({ limiter: deps.limiter, store: deps.store, now: deps.now }, action, verdict, summaryChannel(subreddit));
      if (held) return held;
      const text = modmailBody(verdict, permalinkOf(verdict));
      const linked = await toLinked(deps, action, subreddit, text);
      if (linked) return linked;
      const subject = `toxguard: ${thing.startsWith('t1_') ? 'comment' : 'post'} by u/${action.target.authorId} (${scoreSummary(verdict)})`.slice(0, 100);
      return { conversation: await modmail(deps, subreddit, subject, text) };
    },
    async 'alert-summary'(deps, action) {
      // Due at the end of the batch's minute: the held-back alerts are read from the store, so a
      // restart in between loses nothing. Sent where the alerts go (linked server, else modmail).
      const subreddit = subredditOf(action.target.serverId);
      const batch = await heldBatch(deps.store, action.target.serverId, action.payload);
      if ('skip' in batch) return batch.skip;
      const linked = await toLinked(deps, action, subreddit, summaryBody(batch.summary));
      if (linked) return { ...linked, count: batch.count };
      return { conversation: await modmail(deps, subreddit, summarySubject(batch.summary), summaryBody(batch.summary)), count: batch.count };
    },
    // Enqueued with every review decision; a modmail message (or a linked server's notice) cannot be edited.
    'refresh-alert': () => Promise.resolve({ skipped: 'Reddit modmail cannot be edited: the alert stays as sent' }),
    async timeout(deps, action, verdict) {
      if (!deps.config.allowBans) return { skipped: 'bans are off (reddit.allowBans)' };
      const minutes = action.payload?.minutes ?? 1440;
      const days = Math.min(999, Math.max(1, Math.ceil(minutes / 1440)));
      await deps.client.post(`/r/${subredditOf(action.target.serverId)}/api/friend`, {
        api_type: 'json',
        type: 'banned',
        name: action.target.authorId,
        duration: days,
        ban_reason: 'toxguard',
        note: `toxguard: ${scoreSummary(verdict)} (${action.target.messageId})`.slice(0, 300),
        ban_message: deps.config.banMessage,
      });
      return { banned: action.target.authorId, days };
    },
    dm: () => Promise.resolve({ skipped: 'Reddit authors are not messaged' }),
    // A notice for the subreddit's moderators (model drift): a modmail. Reddit has no idempotency
    // key, so a crash between the post and marking it done can send it twice.
    async notice(deps, action) {
      return { conversation: await modmail(deps, subredditOf(action.target.serverId), 'toxguard notice', action.payload.text) };
    },
  },
  onError(_deps, err, action: CatalogueAction) {
    if (err instanceof RedditApiError && err.permanent) throw new PermanentActionError(`Reddit ${action.kind}: ${err.message}`);
    return Promise.resolve(undefined);
  },
};

export class RedditExecutor extends CatalogueExecutor<RedditExecutorDeps> {
  constructor(deps: RedditExecutorDeps) {
    super(redditBlueprint, deps);
  }
}

/**
 * The alert-summary payload's `channelId` (where the summary goes): the subreddit's modmail. The
 * linked server, if any, is looked up when the summary is sent, as for an alert.
 */
function summaryChannel(subreddit: string): string {
  return `modmail:r/${subreddit}`;
}

/** A link to the item from its ids (the verdict keeps no permalink): reddit.com resolves it. */
function permalinkOf(verdict: VerdictRecord): string | undefined {
  const post = verdict.channelId.replace(/^t3_/, '');
  const sub = subredditOf(verdict.serverId);
  if (verdict.messageId.startsWith('t3_')) return `https://www.reddit.com/r/${sub}/comments/${post}/`;
  return `https://www.reddit.com/r/${sub}/comments/${post}/_/${verdict.messageId.replace(/^t1_/, '')}/`;
}
