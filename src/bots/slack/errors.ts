// Web API failures, sorted for the outbox: retry later (rate limits, Slack or network trouble),
// give up at once (missing scope, unknown channel, bad token: retrying cannot fix those), or count
// as done (the message is already gone, the reaction is already there).
import { webApi } from '@slack/bolt';
import { PermanentActionError } from '../../core/outbox.js';

/** `ok: false` errors that retrying cannot fix. */
const PERMANENT = new Set([
  'missing_scope',
  'channel_not_found',
  'not_in_channel',
  'is_archived',
  'invalid_auth',
  'not_authed',
  'account_inactive',
  'token_revoked',
  'token_expired',
  'no_permission',
  'cant_delete_message',
  'compliance_exports_prevent_deletion',
  'restricted_action',
  'invalid_blocks',
  'invalid_arguments',
  'user_not_found',
  'user_not_in_channel',
  'ekm_access_denied',
]);

/** A retryable failure; the outbox waits `retryAfterMs` when Slack said how long. */
export class RetryableSlackError extends Error {
  constructor(
    message: string,
    readonly retryAfterMs?: number,
  ) {
    super(message);
    this.name = 'RetryableSlackError';
  }
}

interface SlackErrorShape {
  code?: string;
  data?: { error?: string };
  retryAfter?: number;
  statusCode?: number;
  message?: string;
}

/** The `error` string of an `ok: false` answer, if that is what this is. */
export function slackErrorCode(err: unknown): string | undefined {
  const e = err as SlackErrorShape;
  return e?.code === webApi.ErrorCode.PlatformError ? e.data?.error : undefined;
}

/**
 * Runs one Web API call for an action. `doneWhen` lists `ok: false` errors that mean the work is
 * already done (the message is gone, the reaction is there): the call then resolves to
 * `{ skipped: <error> }`. Every other failure becomes a PermanentActionError or a
 * RetryableSlackError (with `retryAfterMs` from Retry-After when rate limited).
 */
export async function slackAction<T>(what: string, call: () => Promise<T>, doneWhen: readonly string[] = []): Promise<T | { skipped: string }> {
  try {
    return await call();
  } catch (err) {
    const code = slackErrorCode(err);
    if (code !== undefined && doneWhen.includes(code)) return { skipped: code };
    throw mapSlackError(what, err);
  }
}

/** A Web API failure as the outbox should see it. */
export function mapSlackError(what: string, err: unknown): unknown {
  const e = err as SlackErrorShape;
  if (e?.code === webApi.ErrorCode.RateLimitedError) {
    return new RetryableSlackError(`${what}: rate limited by Slack`, typeof e.retryAfter === 'number' ? e.retryAfter * 1000 : undefined);
  }
  const code = slackErrorCode(err);
  if (code !== undefined) {
    if (code === 'ratelimited') return new RetryableSlackError(`${what}: rate limited by Slack`);
    if (PERMANENT.has(code)) return new PermanentActionError(`${what}: Slack answered ${code}`);
    return new RetryableSlackError(`${what}: Slack answered ${code}`);
  }
  if (e?.code === webApi.ErrorCode.HTTPError) return new RetryableSlackError(`${what}: HTTP ${e.statusCode ?? '?'} from Slack`);
  if (e?.code === webApi.ErrorCode.RequestError) return new RetryableSlackError(`${what}: request failed (${e.message ?? 'network error'})`);
  return err;
}
