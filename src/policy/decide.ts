// What to do about one scored message. Pure: no clock, no I/O, no platform calls.
//
// Order of the checks:
// 1. Exemptions, once, first: moderators and bots always; then listed users, roles and channels
//    (a listed channel covers its threads), then a channel override with `exempt: true`.
// 2. The effective policy: the server policy deep-merged with the channel's override (a thread or
//    forum post uses its own id's override, else its parent channel's).
// 3. Each enabled action triggers when some label's score is AT OR ABOVE its threshold.
// 4. In log-only mode (the server's, or the channel override's) nothing is done: `triggered` and
//    `wouldAct` say what would have happened, `actions` is empty.
// 5. Soft actions (flag, alert) are a set. Delete implies alert, and so does a timeout: moderators
//    must know about every hard action. A timeout comes only from its own thresholds or from
//    escalation (this strike plus earlier strikes in the window reaching `escalation.strikes`).
import { LABELS } from '../classifier/labels.js';
import type { Label, Scores } from '../classifier/labels.js';
import type { IncomingMessage } from '../core/message.js';
import { ACTION_LEVELS, deepMerge } from './schema.js';
import type { ActionConfig, ActionLevel, ChannelOverride, Mode, ServerPolicy } from './schema.js';

export interface TriggeredLabel {
  label: Label;
  score: number;
  /** The action's threshold for the label; the score is at or above it. */
  threshold: number;
}

export interface TriggeredAction {
  action: ActionLevel;
  /** In label order (toxic, severe_toxic, obscene, threat, insult, identity_hate). */
  labels: TriggeredLabel[];
}

export interface Decision {
  /** Why the message is exempt: 'moderator', 'bot', 'user:<id>', 'role:<id>', 'channel:<id>'. */
  exempt?: string;
  /** The effective mode is log-only: `triggered` is reported, nothing is done. */
  logOnly: boolean;
  /** The enabled actions whose thresholds the scores reached (empty when exempt). */
  triggered: TriggeredAction[];
  /** What to do, in order flag, alert, delete, timeout. Empty when exempt or log-only. */
  actions: ActionLevel[];
  /** Log-only: what would have been done in active mode (without escalation), in the same order. */
  wouldAct?: ActionLevel[];
  /** Record a strike against the author: the message is deleted, or alerted when delete is off. */
  strike: boolean;
  /** Set when `actions` includes a timeout: how long (`escalation.timeoutMinutes`). */
  timeoutMinutes?: number;
  /** Set when escalation adds a timeout: strikes in the window including this one. */
  escalation?: { strikes: number; limit: number; windowMinutes: number };
}

export interface DecideInput {
  policy: ServerPolicy;
  message: IncomingMessage;
  scores: Scores;
  /** The author's strikes in this server within `policy.escalation.windowMinutes`, before this message. */
  strikesInWindow: number;
}

/** The server policy as it applies in one channel. */
export interface EffectivePolicy {
  mode: Mode;
  actions: Record<ActionLevel, ActionConfig>;
  scanImages: boolean;
  /** The channel override says `exempt: true`. */
  exempt: boolean;
  /** Which channel's override applied (the channel/thread itself or its parent), if any. */
  overrideId?: string;
}

type Where = Pick<IncomingMessage, 'channelId' | 'threadId' | 'parentChannelId'>;

/** The ids a message's channel overrides and exemptions are looked up under, own id first. */
export function channelLookupIds(where: Where): string[] {
  const ids = [where.channelId, where.threadId, where.parentChannelId].filter(
    (id): id is string => typeof id === 'string' && id.length > 0,
  );
  return [...new Set(ids)];
}

/** The channel override that applies: the channel's (or thread's) own, else its parent's. */
export function channelOverrideFor(
  policy: ServerPolicy,
  where: Where,
): { id: string; override: ChannelOverride } | undefined {
  for (const id of channelLookupIds(where)) {
    const override = Object.hasOwn(policy.channels, id) ? policy.channels[id] : undefined;
    if (override) return { id, override };
  }
  return undefined;
}

/** Server policy deep-merged with the applicable channel override. */
export function effectivePolicy(policy: ServerPolicy, where: Where): EffectivePolicy {
  const found = channelOverrideFor(policy, where);
  const o = found?.override;
  const eff: EffectivePolicy = {
    mode: o?.mode ?? policy.mode,
    actions: deepMerge(structuredClone(policy.actions), o?.actions),
    scanImages: o?.scanImages ?? policy.scanImages,
    exempt: o?.exempt ?? false,
  };
  if (found) eff.overrideId = found.id;
  return eff;
}

/** Why the author or place is exempt, or undefined. Moderators and bots are exempt whatever the config. */
export function exemptionFor(policy: ServerPolicy, message: IncomingMessage, eff?: EffectivePolicy): string | undefined {
  const { author } = message;
  if (author.isModerator) return 'moderator';
  if (author.isBot) return 'bot';
  const ex = policy.exemptions;
  if (ex.userIds.includes(author.id)) return `user:${author.id}`;
  const role = author.roleIds.find((r) => ex.roleIds.includes(r));
  if (role !== undefined) return `role:${role}`;
  const channel = channelLookupIds(message).find((id) => ex.channelIds.includes(id));
  if (channel !== undefined) return `channel:${channel}`;
  const e = eff ?? effectivePolicy(policy, message);
  if (e.exempt) return `channel:${e.overrideId ?? message.channelId}`;
  return undefined;
}

function triggeredBy(action: ActionLevel, config: ActionConfig, scores: Scores): TriggeredAction | undefined {
  if (!config.enabled) return undefined;
  const labels: TriggeredLabel[] = [];
  for (const label of LABELS) {
    const threshold = config.thresholds[label];
    const score = scores[label];
    // NaN or a missing score never triggers anything.
    if (threshold === undefined || typeof score !== 'number' || Number.isNaN(score)) continue;
    if (score >= threshold) labels.push({ label, score, threshold });
  }
  return labels.length > 0 ? { action, labels } : undefined;
}

export function decide(input: DecideInput): Decision {
  const { policy, message, scores } = input;
  const eff = effectivePolicy(policy, message);
  const logOnly = eff.mode === 'log-only';

  const exempt = exemptionFor(policy, message, eff);
  if (exempt !== undefined) return { exempt, logOnly, triggered: [], actions: [], strike: false };

  const triggered = ACTION_LEVELS.map((a) => triggeredBy(a, eff.actions[a], scores)).filter(
    (t): t is TriggeredAction => t !== undefined,
  );
  const set = new Set<ActionLevel>(triggered.map((t) => t.action));
  if (set.has('delete') || set.has('timeout')) set.add('alert');
  if (logOnly) return { logOnly, triggered, actions: [], wouldAct: ACTION_LEVELS.filter((a) => set.has(a)), strike: false };

  const deleteOn = eff.actions.delete.enabled;
  const strike = deleteOn ? set.has('delete') : set.has('alert');

  const decision: Decision = { logOnly, triggered, actions: [], strike };
  const esc = policy.escalation;
  if (esc.enabled && strike) {
    const before = Number.isFinite(input.strikesInWindow) ? Math.max(0, Math.floor(input.strikesInWindow)) : 0;
    const strikes = before + 1;
    if (strikes >= esc.strikes) {
      decision.escalation = { strikes, limit: esc.strikes, windowMinutes: esc.windowMinutes };
      set.add('timeout');
    }
  }
  decision.actions = ACTION_LEVELS.filter((a) => set.has(a));
  if (set.has('timeout')) decision.timeoutMinutes = esc.timeoutMinutes;
  return decision;
}
