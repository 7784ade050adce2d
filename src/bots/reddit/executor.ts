// The outbox's executor for Reddit: each action kind mapped onto the moderator tool Reddit has.
//   flag    -> report (the item goes to the mod queue with the reason and scores)
//   delete  -> remove (plus the configured removal reason)
//   alert   -> a modmail conversation with the subreddit's moderators (rate-limited per subreddit
//              like alerts elsewhere; the rest go out as one summary)
//   timeout -> a temporary ban, only when reddit.allowBans is on
//   dm      -> not sent (Reddit's removal reasons and ban messages tell the author)
// A failed call is retried by the outbox (after Reddit's rate-limit reset for a 429); a 403/404 is
// permanent and says why.
import type { Logger } from 'pino';
import { LABELS } from '../../classifier/labels.js';
import { PermanentActionError, type ActionExecutor } from '../../core/outbox.js';
import type { AlertLimiter, AlertSummary } from '../../policy/alert-limiter.js';
import type { ClaimedAction, VerdictRecord } from '../../store/index.js';
import { RedditApiError, type RedditClient } from './client.js';
import type { RedditConfig } from './config.js';

export interface RedditExecutorDeps {
  client: RedditClient;
  config: RedditConfig;
  limiter: AlertLimiter;
  logger: Pick<Logger, 'warn' | 'info'>;
  now: () => number;
  /** Posts to a linked Discord/Slack server's moderators' channel; false when it cannot. */
  notifyLinked?: ((serverId: string, text: string) => Promise<boolean>) | undefined;
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

export function summaryBody(summary: AlertSummary): string {
  const labels = LABELS.filter((l) => summary.labels[l] > 0).map((l) => `${l} ${summary.labels[l]}`);
  return `${summary.count} more toxic items were held back to keep modmail readable (${labels.join(', ')}). They are all in the toxguard review queue.`;
}

export class RedditExecutor implements ActionExecutor {
  private summaryTimer: NodeJS.Timeout | undefined;

  constructor(private readonly deps: RedditExecutorDeps) {}

  async execute(action: ClaimedAction, verdict: VerdictRecord): Promise<unknown> {
    try {
      return await this.run(action, verdict);
    } catch (err) {
      if (err instanceof RedditApiError && err.permanent) throw new PermanentActionError(`Reddit ${action.kind}: ${err.message}`);
      throw err;
    }
  }

  private async run(action: ClaimedAction, verdict: VerdictRecord): Promise<unknown> {
    const { client, config } = this.deps;
    const thing = action.target.messageId;
    const subreddit = subredditOf(action.target.serverId);
    switch (action.kind) {
      case 'flag':
        // Reddit has no idempotency key: a retry (the process may have died right after reporting)
        // first looks whether the item already carries our report.
        if (action.attempts > 1 && (await this.alreadyReported(thing))) return { reported: thing, alreadyReported: true };
        await client.post('/api/report', { api_type: 'json', thing_id: thing, reason: reportReason(verdict) });
        return { reported: thing };
      case 'delete': {
        await client.post('/api/remove', { id: thing, spam: false });
        if (config.removalReasonId) {
          await client.post('/api/v1/modactions/removal_reasons', {
            json: JSON.stringify({ item_ids: [thing], reason_id: config.removalReasonId, mod_note: `toxguard: ${scoreSummary(verdict)}` }),
          });
        }
        return { removed: thing, ...(config.removalReasonId ? { reasonId: config.removalReasonId } : {}) };
      }
      case 'alert': {
        // A retried alert was already counted by the limiter; count each alert once.
        if (action.attempts <= 1) {
          const labels = verdict.decision.triggered.map((t) => t.label);
          if (this.deps.limiter.offer(action.target.serverId, { channelId: action.target.channelId, labels }, this.deps.now()) === 'batched') return { batched: true };
        }
        const linked = this.linkedServer(subreddit);
        if (linked && this.deps.notifyLinked) {
          const text = `r/${subreddit}: ${modmailBody(verdict, permalinkOf(verdict))}`;
          if (await this.deps.notifyLinked(linked, text)) return { linked };
          this.deps.logger.warn({ subreddit, linked }, 'Reddit: the linked server has no moderators\' channel (or its adapter is not running); alert sent as modmail');
        }
        const res = await client.post<{ conversation?: { id?: string } }>('/api/mod/conversations', {
          srName: subreddit,
          subject: `toxguard: ${thing.startsWith('t1_') ? 'comment' : 'post'} by u/${action.target.authorId} (${scoreSummary(verdict)})`.slice(0, 100),
          body: modmailBody(verdict, permalinkOf(verdict)),
          isAuthorHidden: false,
        });
        return { conversation: res.conversation?.id ?? null };
      }
      case 'timeout': {
        if (!config.allowBans) return { skipped: 'bans are off (reddit.allowBans)' };
        const minutes = (action.payload as { minutes?: number } | null)?.minutes ?? 1440;
        const days = Math.min(999, Math.max(1, Math.ceil(minutes / 1440)));
        await client.post(`/r/${subreddit}/api/friend`, {
          api_type: 'json',
          type: 'banned',
          name: action.target.authorId,
          duration: days,
          ban_reason: 'toxguard',
          note: `toxguard: ${scoreSummary(verdict)} (${thing})`.slice(0, 300),
          ban_message: config.banMessage,
        });
        return { banned: action.target.authorId, days };
      }
      case 'dm':
        return { skipped: 'Reddit authors are not messaged' };
    }
  }

  private linkedServer(subreddit: string): string | undefined {
    const entry = Object.entries(this.deps.config.linkedServers).find(([name]) => name.replace(/^\/?r\//i, '').toLowerCase() === subreddit.toLowerCase());
    return entry?.[1];
  }

  private async alreadyReported(thing: string): Promise<boolean> {
    const res = await this.deps.client.get<{ data?: { children?: { data?: { mod_reports?: unknown[] } }[] } }>('/api/info', { id: thing });
    const reports = res.data?.children?.[0]?.data?.mod_reports ?? [];
    return reports.some((r) => Array.isArray(r) && typeof r[0] === 'string' && r[0].startsWith('toxguard:'));
  }

  /** Starts sending held-back alert summaries as modmail every `everyMs`. */
  startSummaries(everyMs: number): void {
    this.summaryTimer = setInterval(() => void this.sendSummaries(), everyMs);
    this.summaryTimer.unref();
  }

  async sendSummaries(): Promise<void> {
    for (const summary of this.deps.limiter.drainSummaries(this.deps.now())) {
      try {
        await this.deps.client.post('/api/mod/conversations', {
          srName: subredditOf(summary.serverId),
          subject: `toxguard: ${summary.count} more toxic items`,
          body: summaryBody(summary),
          isAuthorHidden: false,
        });
      } catch (err) {
        this.deps.logger.warn({ subreddit: subredditOf(summary.serverId), held: summary.count, error: (err as Error).message }, 'Reddit: alert summary not sent');
      }
    }
  }

  stop(): void {
    if (this.summaryTimer) clearInterval(this.summaryTimer);
  }
}

/** A link to the item from its ids (the verdict keeps no permalink): reddit.com resolves it. */
function permalinkOf(verdict: VerdictRecord): string | undefined {
  const post = verdict.channelId.replace(/^t3_/, '');
  const sub = subredditOf(verdict.serverId);
  if (verdict.messageId.startsWith('t3_')) return `https://www.reddit.com/r/${sub}/comments/${post}/`;
  return `https://www.reddit.com/r/${sub}/comments/${post}/_/${verdict.messageId.replace(/^t1_/, '')}/`;
}
