// Executes the outbox's Discord actions and translates Discord's answers for the outbox:
// - 50013 Missing Permissions: permanent (retrying cannot grant a permission), reported ONCE per
//   server and action kind to the mod-log channel, and logged;
// - 10008 Unknown Message (another moderator deleted it first): done, "already gone";
// - 429 longer than `maxRateLimitWaitMs`: retried by the outbox after Discord's retry_after;
// - other 4xx: permanent; network errors and 5xx: retried with backoff.
import { DiscordAPIError, RESTJSONErrorCodes, RateLimitError, Routes } from 'discord.js';
import { PermanentActionError, type ActionExecutor } from '../../core/outbox.js';
import type { ActionKind, ClaimedAction, VerdictRecord } from '../../store/index.js';
import { alert, alertSummary, refreshAlert, refreshAlertMessage } from './actions/alert.js';
import type { ActionContext, ActionHandler } from './actions/context.js';
import { deleteMessage } from './actions/delete.js';
import { dm } from './actions/dm.js';
import { flag } from './actions/flag.js';
import { timeout } from './actions/timeout.js';

const HANDLERS: Record<ActionKind, ActionHandler> = { delete: deleteMessage, timeout, flag, alert, dm, 'refresh-alert': refreshAlert, 'alert-summary': alertSummary };

/** What the bot needs for each action, named in the mod-log report. */
const NEEDS: Record<ActionKind, string> = {
  delete: 'Manage Messages',
  flag: 'Add Reactions and Read Message History',
  timeout: 'Moderate Members (and a role above the member)',
  alert: 'View Channel, Send Messages and Embed Links in the alert channel',
  dm: 'nothing (the member has DMs closed)',
  'refresh-alert': 'View Channel and Read Message History in the alert channel',
  'alert-summary': 'View Channel and Send Messages in the alert channel',
};

export class RetryAfterError extends Error {
  constructor(
    message: string,
    readonly retryAfterMs: number,
  ) {
    super(message);
  }
}

export class DiscordExecutor implements ActionExecutor {
  /** `${server}:${kind}` already reported as missing a permission (once per process). */
  private readonly reported = new Set<string>();

  constructor(private readonly ax: ActionContext) {}

  async execute(action: ClaimedAction, verdict: VerdictRecord): Promise<unknown> {
    try {
      return await HANDLERS[action.kind](this.ax, action, verdict);
    } catch (err) {
      const handled = await this.translate(err, action, verdict);
      if (handled !== undefined) return handled;
      throw err;
    }
  }

  /** A result for errors that mean "done", else throws the outbox's kind of error. */
  private async translate(err: unknown, action: ClaimedAction, verdict: VerdictRecord): Promise<unknown> {
    const log = this.ax.log.child({ action: action.id, kind: action.kind, guild: verdict.serverId, verdict: verdict.id });
    if (err instanceof RateLimitError) {
      log.warn({ retryAfterMs: err.retryAfter, route: err.route }, 'rate limited; the outbox retries later');
      throw new RetryAfterError(`rate limited on ${err.route} for ${err.retryAfter} ms`, err.retryAfter);
    }
    if (!(err instanceof DiscordAPIError)) return undefined;
    const code = typeof err.code === 'number' ? err.code : Number(err.code);
    if (code === RESTJSONErrorCodes.UnknownMessage && action.kind === 'refresh-alert') {
      log.info('the alert message is gone (deleted in the mod-log)');
      return { alertGone: true };
    }
    if (code === RESTJSONErrorCodes.UnknownMessage && (action.kind === 'delete' || action.kind === 'flag')) {
      log.info('message already gone (deleted by someone else)');
      return { alreadyGone: true };
    }
    if (code === RESTJSONErrorCodes.CannotSendMessagesToThisUser && action.kind === 'dm') {
      // Members may close their DMs: normal, nothing to retry.
      log.info('the author does not accept DMs');
      return { sent: false, reason: 'the member does not accept DMs' };
    }
    if (code === RESTJSONErrorCodes.UnknownMember && action.kind === 'timeout') {
      log.info('member already left the server');
      return { memberGone: true };
    }
    if (code === RESTJSONErrorCodes.MissingPermissions || code === RESTJSONErrorCodes.MissingAccess) {
      log.error({ code, needs: NEEDS[action.kind] }, 'missing permissions for a moderation action');
      const error = `missing permissions (Discord ${code}): the bot needs ${NEEDS[action.kind]}`;
      await this.reportOnce(action, verdict);
      await this.markAlert(action, verdict, error);
      throw new PermanentActionError(error);
    }
    if (err.status >= 400 && err.status < 500) {
      log.error({ code, status: err.status, error: err.message }, 'Discord refused a moderation action');
      const error = `Discord ${err.status} ${code}: ${err.message}`;
      await this.markAlert(action, verdict, error);
      throw new PermanentActionError(error);
    }
    return undefined;
  }

  /** The alert already posted must not say "deleted" when the delete failed for good. */
  private async markAlert(action: ClaimedAction, verdict: VerdictRecord, error: string): Promise<void> {
    if (action.kind !== 'delete' && action.kind !== 'timeout') return;
    try {
      await refreshAlertMessage(this.ax.rest, this.ax.ctx.store, verdict, { kind: action.kind, error });
    } catch (err) {
      this.ax.log.warn({ verdict: verdict.id, error: (err as Error).message }, 'alert could not be marked with the failed action');
    }
  }

  private async reportOnce(action: ClaimedAction, verdict: VerdictRecord): Promise<void> {
    const key = `${verdict.serverId}:${action.kind}`;
    if (this.reported.has(key)) return;
    this.reported.add(key);
    const channelId = (await this.ax.ctx.policies.get(verdict.serverId)).alerts.channelId;
    // A report about the alert channel itself cannot go to that channel: the log has it.
    if (!channelId || action.kind === 'alert' || action.kind === 'alert-summary' || action.kind === 'refresh-alert') return;
    const content =
      `⚠️ toxguard could not **${action.kind}** (message in <#${action.target.channelId}>): missing permissions. ` +
      `Grant the bot ${NEEDS[action.kind]}. This is reported once; later failures are only logged.`;
    try {
      await this.ax.rest.post(Routes.channelMessages(channelId), { body: { content } });
    } catch (err) {
      this.ax.log.error({ guild: verdict.serverId, error: (err as Error).message }, 'missing-permission report could not be posted');
    }
  }
}
