// The shape of one entry of the action catalogue (after Zeppelin's automod actions): what a kind of
// outbox action carries (a zod payload schema, checked when the action is enqueued and again when it
// is claimed), its de-duplication key within a message, and the idempotency key its platform call
// carries, so a repeat after a crash is recognised by the platform (or by us, before re-posting).
import type { z } from 'zod';
import type { ActionKind } from '../../store/types.js';

export interface ActionDefinition<K extends ActionKind = ActionKind, S extends z.ZodType = z.ZodType> {
  kind: K;
  /** The payload: validated when enqueued (inside the verdict's transaction) and when claimed. */
  payload: S;
  /** The key of a planned action within its message: at most one live or done action per key. */
  dedupeKey(payload: z.output<S>): string;
  /**
   * What the platform call carries to be recognised when it is repeated after a crash (Discord's
   * nonce, Slack's message metadata), derived from the action's id; null when repeating the call is
   * harmless (a delete of a deleted message, a reaction already there, an edit).
   */
  idempotencyKey(actionId: number): string | null;
}

export function defineAction<K extends ActionKind, S extends z.ZodType>(def: ActionDefinition<K, S>): ActionDefinition<K, S> {
  return def;
}

/** Discord's nonces are at most 25 characters; every key fits. */
export function postKey(prefix: string, actionId: number): string {
  return `tg${prefix}${actionId}`.slice(0, 25);
}
