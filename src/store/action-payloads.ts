// The payload each kind of outbox action carries, as zod schemas: checked when an action is enqueued
// (an invalid plan is refused inside the verdict's transaction) and again when it is claimed (a row
// written by another version, or edited by hand, gives up with an error instead of acting on a guess).
// Every action's idempotency key is its id: platforms that can deduplicate get it (Discord's nonce).
import { z } from 'zod';
import { MAX_TIMEOUT_MINUTES } from '../policy/schema.js';
import { StoreError } from './errors.js';
import type { ActionKind } from './types.js';

const NONE = z.null();

export const ACTION_PAYLOADS = {
  delete: NONE,
  flag: NONE,
  /** The moderators' channel when the verdict was recorded; none: the policy's at execution. */
  alert: z.strictObject({ channelId: z.string().min(1).optional() }).nullable(),
  /** How long and whom; none: the policy's escalation.timeoutMinutes, the message's author. */
  timeout: z.strictObject({ minutes: z.number().int().positive().max(MAX_TIMEOUT_MINUTES), userId: z.string().min(1) }).nullable(),
  dm: NONE,
  'refresh-alert': NONE,
  /** The batch of held-back alerts it sums up (when its first alert was held back), and where to post. */
  'alert-summary': z.strictObject({ batchStart: z.iso.datetime(), channelId: z.string().min(1) }),
} satisfies Record<ActionKind, z.ZodType>;

export type ActionPayload<K extends ActionKind> = z.output<(typeof ACTION_PAYLOADS)[K]>;

/** The payload, validated for its kind (absent = null). Throws a StoreError naming the kind and what is wrong. */
export function parseActionPayload<K extends ActionKind>(kind: K, payload: unknown): ActionPayload<K> {
  const schema: z.ZodType | undefined = (ACTION_PAYLOADS as Record<string, z.ZodType>)[kind];
  if (!schema) throw new StoreError(`unknown action kind: ${String(kind)}`, 'invalid');
  const parsed = schema.safeParse(payload === undefined ? null : payload);
  if (!parsed.success) {
    const issues = parsed.error.issues.map((i) => (i.path.length ? `${i.path.join('.')}: ${i.message}` : i.message)).join('; ');
    throw new StoreError(`invalid payload for ${kind === 'alert' ? 'an' : 'a'} ${kind} action: ${issues}`, 'invalid');
  }
  return parsed.data as ActionPayload<K>;
}
