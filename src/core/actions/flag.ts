// `flag`: mark the message for the moderators (a reaction, a report); the review item itself is
// written with the verdict. A repeated reaction is already there: no idempotency key needed.
import { z } from 'zod';
import { defineAction } from './define.js';

export const flagAction = defineAction({
  kind: 'flag',
  payload: z.null(),
  dedupeKey: () => 'flag',
  idempotencyKey: () => null,
});
