// What every action module needs: REST (no gateway cache: any process can act, shards included),
// the bot's services and config.
import type { REST } from 'discord.js';
import type { ClaimedAction, VerdictRecord } from '../../../store/index.js';
import type { AlertLimiter } from '../../../policy/alert-limiter.js';
import type { DiscordDeps } from '../deps.js';

export interface ActionContext extends DiscordDeps {
  rest: REST;
  limiter: AlertLimiter;
}

export type ActionHandler = (ax: ActionContext, action: ClaimedAction, verdict: VerdictRecord) => Promise<unknown>;

/** The labels and scores that triggered, for audit-log reasons and DMs: "insult 0.97, toxic 0.91". */
export function triggeredSummary(verdict: VerdictRecord): string {
  const t = verdict.decision.triggered;
  if (t.length === 0) return 'no label over its threshold';
  return t.map((l) => `${l.label} ${l.score.toFixed(2)}`).join(', ');
}

/** Audit-log reason (Discord keeps at most 512 characters). */
export function auditReason(verdict: VerdictRecord): string {
  return `toxguard verdict ${verdict.id}: ${triggeredSummary(verdict)}`.slice(0, 512);
}

/**
 * Discord's idempotency for posts: with `enforce_nonce`, a message posted again with the same nonce
 * (by the same bot, within a few minutes) is not created again; Discord returns the first one. The
 * nonce is the outbox action's id (and what it posts: `dm` for the author's DM), at most 25 characters.
 */
export function idempotencyNonce(actionId: number, what = 'a'): { nonce: string; enforce_nonce: true } {
  return { nonce: `tg${what}${actionId}`.slice(0, 25), enforce_nonce: true };
}
