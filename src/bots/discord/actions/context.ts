// What every action module needs: REST (no gateway cache: any process can act, shards included),
// the bot's services and config.
import type { REST } from 'discord.js';
import type { ApplyAction } from '../../../core/actions/index.js';
import type { AlertLimiter } from '../../../policy/alert-limiter.js';
import type { ActionKind, VerdictRecord } from '../../../store/index.js';
import type { DiscordDeps } from '../deps.js';

export interface ActionContext extends DiscordDeps {
  rest: REST;
  limiter: AlertLimiter;
}

/** Discord's apply of one kind of the action catalogue (src/core/actions/). */
export type ActionHandler<K extends ActionKind> = ApplyAction<ActionContext, K>;

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
 * nonce is the catalogue's idempotency key of the action (derived from its id).
 */
export function idempotencyNonce(key: string | null): { nonce: string; enforce_nonce: true } | Record<string, never> {
  return key ? { nonce: key, enforce_nonce: true } : {};
}
