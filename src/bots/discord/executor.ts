// Executes the outbox's Discord actions and translates Discord's answers for the outbox:
// - 50013 Missing Permissions: permanent (retrying cannot grant a permission), reported ONCE per
//   server and action kind to the mod-log channel (a `notice` in the outbox: once across restarts
//   and processes), and logged;
// - 10008 Unknown Message (another moderator deleted it first): done, "already gone";
// - 429 longer than `maxRateLimitWaitMs`: retried by the outbox after Discord's retry_after;
// - other 4xx: permanent; network errors and 5xx: retried with backoff.
import { DiscordAPIError, RESTJSONErrorCodes, RateLimitError } from 'discord.js';
import { CatalogueExecutor, type CatalogueAction, type PlatformBlueprint } from '../../core/actions/index.js';
import { notice } from './actions/notice.js';
import { PermanentActionError } from '../../core/outbox.js';
import type { ActionKind, VerdictRecord } from '../../store/index.js';
import { alert, alertSummary, refreshAlert, refreshAlertMessage } from './actions/alert.js';
import type { ActionContext } from './actions/context.js';
import { deleteMessage } from './actions/delete.js';
import { dm } from './actions/dm.js';
import { flag } from './actions/flag.js';
import { timeout } from './actions/timeout.js';

/** What the bot needs for each action, named in the mod-log report. */
const NEEDS: Record<ActionKind, string> = {
  delete: 'Manage Messages',
  flag: 'Add Reactions and Read Message History',
  timeout: 'Moderate Members (and a role above the member)',
  alert: 'View Channel, Send Messages and Embed Links in the alert channel',
  dm: 'nothing (the member has DMs closed)',
  'refresh-alert': 'View Channel and Read Message History in the alert channel',
  'alert-summary': 'View Channel and Send Messages in the alert channel',
  notice: 'View Channel and Send Messages in the alert channel',
};

export class RetryAfterError extends Error {
  constructor(
    message: string,
    readonly retryAfterMs: number,
  ) {
    super(message);
  }
}

/** Discord's side of the action catalogue (src/core/actions/): one apply per kind, and its errors. */
export const discordBlueprint: PlatformBlueprint<ActionContext> = {
  platform: 'discord',
  apply: { delete: deleteMessage, timeout, flag, alert, dm, 'refresh-alert': refreshAlert, 'alert-summary': alertSummary, notice },
  onError: (ax, err, action, verdict) => translate(ax, err, action, verdict),
};

export class DiscordExecutor extends CatalogueExecutor<ActionContext> {
  constructor(ax: ActionContext) {
    super(discordBlueprint, ax);
  }
}

/** A result for errors that mean "done", else throws the outbox's kind of error. */
async function translate(ax: ActionContext, err: unknown, action: CatalogueAction, verdict: VerdictRecord | undefined): Promise<unknown> {
  const log = ax.log.child({ action: action.id, kind: action.kind, guild: action.target.serverId, ...(verdict ? { verdict: verdict.id } : {}) });
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
    await reportOnce(ax, action);
    await markAlert(ax, action, verdict, error);
    throw new PermanentActionError(error);
  }
  if (err.status >= 400 && err.status < 500) {
    log.error({ code, status: err.status, error: err.message }, 'Discord refused a moderation action');
    const error = `Discord ${err.status} ${code}: ${err.message}`;
    await markAlert(ax, action, verdict, error);
    throw new PermanentActionError(error);
  }
  return undefined;
}

/** The alert already posted must not say "deleted" when the delete failed for good. */
async function markAlert(ax: ActionContext, action: CatalogueAction, verdict: VerdictRecord | undefined, error: string): Promise<void> {
  if ((action.kind !== 'delete' && action.kind !== 'timeout') || !verdict) return;
  try {
    await refreshAlertMessage(ax.rest, ax.ctx.store, verdict, { kind: action.kind, error });
  } catch (err) {
    ax.log.warn({ verdict: verdict.id, error: (err as Error).message }, 'alert could not be marked with the failed action');
  }
}

/**
 * Tells the mod-log once per server and kind, as a `notice` in the outbox: the store enqueues it at
 * most once (across restarts and processes), and the outbox posts it with its idempotency key.
 */
async function reportOnce(ax: ActionContext, action: CatalogueAction): Promise<void> {
  // A report about the alert channel itself cannot go to that channel: the log has it.
  if (action.kind === 'alert' || action.kind === 'alert-summary' || action.kind === 'refresh-alert' || action.verdictId === null) return;
  const text =
    `⚠️ toxguard could not **${action.kind}** (message in <#${action.target.channelId}>): missing permissions. ` +
    `Grant the bot ${NEEDS[action.kind]}. This is reported once; later failures are only logged.`;
  try {
    await ax.ctx.store.enqueueNotice({ platform: 'discord', serverId: action.target.serverId, key: `missing-permission:${action.kind}`, text });
  } catch (err) {
    ax.log.error({ guild: action.target.serverId, error: (err as Error).message }, 'missing-permission report could not be enqueued');
  }
}
