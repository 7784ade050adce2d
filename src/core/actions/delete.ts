// `delete`: remove the message. Repeating it is harmless (the platform answers "unknown message",
// which counts as done), so it carries no idempotency key.
import { z } from 'zod';
import { defineAction } from './define.js';

export const deleteAction = defineAction({
  kind: 'delete',
  payload: z.null(),
  dedupeKey: () => 'delete',
  idempotencyKey: () => null,
});
