// Times the author out (the timeout action's thresholds, or escalation after repeated strikes).
import { Routes, type REST } from 'discord.js';
import { MAX_TIMEOUT_MINUTES } from '../../../policy/schema.js';
import { auditReason, type ActionHandler } from './context.js';

export async function timeoutMember(
  rest: REST,
  serverId: string,
  userId: string,
  minutes: number,
  reason: string,
): Promise<string> {
  const until = new Date(Date.now() + Math.min(minutes, MAX_TIMEOUT_MINUTES) * 60_000).toISOString();
  await rest.patch(Routes.guildMember(serverId, userId), { body: { communication_disabled_until: until }, reason });
  return until;
}

export const timeout: ActionHandler<'timeout'> = async (ax, action, verdict) => {
  // Validated when enqueued and again when claimed (src/core/actions/timeout.ts).
  const payload = action.payload;
  const minutes = payload?.minutes ?? (await ax.ctx.policies.get(verdict.serverId)).escalation.timeoutMinutes;
  const until = await timeoutMember(ax.rest, verdict.serverId, payload?.userId ?? verdict.authorId, minutes, auditReason(verdict));
  return { until };
};
