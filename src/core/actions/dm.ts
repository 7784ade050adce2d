// `dm`: tell the author what was done to their message and how to appeal (policy `dmAuthor`). It
// waits for the message's other actions to finish, so it says what actually happened. A repeat after
// a crash carries the action's idempotency key (Discord's nonce).
import { z } from 'zod';
import type { Store } from '../../store/index.js';
import type { ActionKind, ActionRecord } from '../../store/types.js';
import { defineAction, postKey } from './define.js';

export const dmAction = defineAction({
  kind: 'dm',
  payload: z.null(),
  dedupeKey: () => 'dm',
  idempotencyKey: (id) => postKey('dm', id),
});

/** Thrown while an action the DM reports on is still running: the outbox retries the DM later. */
export class WaitingForActions extends Error {}

/**
 * The message's actions of the given kinds that the DM reports on, once all have finished (done or
 * dead); throws WaitingForActions while one is still live.
 */
export async function finishedActions(store: Store, verdictId: number, kinds: readonly ActionKind[]): Promise<ActionRecord[]> {
  const acted = (await store.listActions(verdictId)).filter((a) => kinds.includes(a.kind));
  if (acted.some((a) => a.status !== 'done' && a.status !== 'dead')) throw new WaitingForActions(`waiting for the ${kinds.join(' or ')} to finish`);
  return acted;
}
