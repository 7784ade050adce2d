// `timeout`: mute the author for a while (a temporary ban on Reddit; nothing on Slack). Setting the
// same end time again is harmless.
import { z } from 'zod';
import { MAX_TIMEOUT_MINUTES } from '../../policy/schema.js';
import { defineAction } from './define.js';

export const timeoutAction = defineAction({
  kind: 'timeout',
  /** How long and whom; none: the policy's escalation.timeoutMinutes, the message's author. */
  payload: z.strictObject({ minutes: z.number().int().positive().max(MAX_TIMEOUT_MINUTES), userId: z.string().min(1) }).nullable(),
  dedupeKey: () => 'timeout',
  idempotencyKey: () => null,
});
