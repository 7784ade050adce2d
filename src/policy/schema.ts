// One server's moderation policy: what the bot does when a message scores high, where, and to whom.
//
// Reading a threshold: a label triggers an action when the message's score for that label is AT OR
// ABOVE the action's threshold for the label. Raising a threshold makes the bot LESS strict (fewer
// messages reach it); lowering it makes the bot MORE strict. A label with no threshold never
// triggers that action.
//
// Every object is strict: an unknown key is an error that names the key's path
// (e.g. `actions.delete.thresholds.insutl`), so a typo can never silently turn a rule off.
import { z } from 'zod';

import { LABELS } from '../classifier/labels.js';
import type { Label, Scores } from '../classifier/labels.js';

/** The action levels, from softest to hardest. */
export const ACTION_LEVELS = ['flag', 'alert', 'delete', 'timeout'] as const;
export type ActionLevel = (typeof ACTION_LEVELS)[number];

export const MODES = ['log-only', 'active'] as const;
/** `log-only`: report what would trigger, never act. `active`: act. New servers start `log-only`. */
export type Mode = (typeof MODES)[number];

/** Discord's longest timeout: 28 days. */
export const MAX_TIMEOUT_MINUTES = 40_320;

/** Default floor of the alert threshold (moderators are pinged only for fairly clear cases). */
export const DEFAULT_ALERT_FLOOR = 0.7;
/** Default floor of the delete threshold (act automatically only when sure). */
export const DEFAULT_DELETE_FLOOR = 0.9;

const THRESHOLD_ERROR = 'a threshold must be a number from 0 to 1';
const ThresholdSchema = z
  .number({ error: THRESHOLD_ERROR })
  .min(0, { error: THRESHOLD_ERROR })
  .max(1, { error: THRESHOLD_ERROR });

/**
 * Per-label thresholds of one action. A label triggers the action when its score is AT OR ABOVE
 * the threshold: a higher threshold means a LESS strict bot. Labels left out never trigger it.
 */
export const ThresholdsSchema = z.strictObject(
  Object.fromEntries(LABELS.map((label) => [label, ThresholdSchema.optional()])) as Record<
    Label,
    z.ZodOptional<typeof ThresholdSchema>
  >,
);
export type Thresholds = Partial<Record<Label, number>>;

function actionSchema(enabledByDefault: boolean) {
  return z
    .strictObject({
      /** Off: the action never happens (and is not reported in log-only mode either). */
      enabled: z.boolean().default(enabledByDefault),
      /** Score AT OR ABOVE the threshold triggers; raising a threshold makes the bot less strict. */
      thresholds: ThresholdsSchema.prefault({}),
    })
    .prefault({});
}

export const ActionsSchema = z
  .strictObject({
    /** Put the message in the review queue and react to it. */
    flag: actionSchema(true),
    /** Post to the moderators' alert channel. */
    alert: actionSchema(true),
    /** Delete the message (always also alerts). Off by default. */
    delete: actionSchema(false),
    /** Time the author out by its own thresholds (escalation can also time out). Off by default. */
    timeout: actionSchema(false),
  })
  .prefault({});

function wholeNumber(min: number, max: number) {
  const error = `must be a whole number from ${min} to ${max}`;
  return z.int({ error }).min(min, { error }).max(max, { error });
}

const IdSchema = z.string().trim().min(1, { error: 'an id must not be empty' });
const IdListSchema = z.array(IdSchema).default([]);

/** Who and where the bot never acts. Moderators and bots are always exempt, whatever this says. */
export const ExemptionsSchema = z
  .strictObject({
    roleIds: IdListSchema,
    /** A listed channel also exempts its threads and forum posts. */
    channelIds: IdListSchema,
    userIds: IdListSchema,
  })
  .prefault({});

const PartialActionSchema = z.strictObject({
  enabled: z.boolean().optional(),
  /** Merged label by label over the server's thresholds for this action. */
  thresholds: ThresholdsSchema.optional(),
});

/**
 * Overrides for one channel, merged over the server policy. A thread or forum post uses its own
 * id's override if there is one, else its parent channel's.
 */
export const ChannelOverrideSchema = z.strictObject({
  /** `active` here turns actions on in this channel only; `log-only` turns them off here. */
  mode: z.enum(MODES).optional(),
  actions: z
    .strictObject({
      flag: PartialActionSchema.optional(),
      alert: PartialActionSchema.optional(),
      delete: PartialActionSchema.optional(),
      timeout: PartialActionSchema.optional(),
    })
    .optional(),
  /** Never act in this channel (nor its threads, unless a thread has its own override). */
  exempt: z.boolean().optional(),
  scanImages: z.boolean().optional(),
});

/** Channel ids are used as path segments by `/toxicity config`, so they cannot hold dots or spaces. */
const ChannelKeySchema = z.string().regex(/^[^.\s]+$/, { error: 'a channel id must not contain dots or spaces' });

export const EscalationSchema = z
  .strictObject({
    /** Opt-in. When on, reaching `strikes` strikes within `windowMinutes` adds a timeout. */
    enabled: z.boolean().default(false),
    /** Strikes (deleted messages, or alerted ones when delete is off) that trigger a timeout. */
    strikes: wholeNumber(1, 100).default(3),
    windowMinutes: wholeNumber(1, 43_200).default(60),
    /** Length of every automatic timeout (escalation or the timeout action's thresholds). */
    timeoutMinutes: wholeNumber(1, MAX_TIMEOUT_MINUTES).default(10),
  })
  .prefault({});

export const AlertsSchema = z
  .strictObject({
    /** The moderators' channel alerts are posted to. */
    channelId: IdSchema.optional(),
    /** Alerts beyond this many a minute are batched into one summary (so a raid cannot flood it). */
    maxPerMinute: wholeNumber(1, 600).default(5),
  })
  .prefault({});

export const ServerPolicySchema = z.strictObject({
  /** Default `log-only`: a newly added server only logs; auto-actions are opt-in. */
  mode: z.enum(MODES).default('log-only'),
  actions: ActionsSchema,
  exemptions: ExemptionsSchema,
  channels: z.record(ChannelKeySchema, ChannelOverrideSchema).default({}),
  escalation: EscalationSchema,
  alerts: AlertsSchema,
  /** Read text in attached images (OCR). Channels can opt out. */
  scanImages: z.boolean().default(true),
  /** Tell the author by DM when the bot acts on their message. */
  dmAuthor: z.boolean().default(false),
});

/** A validated policy, every default filled in. */
export type ServerPolicy = z.output<typeof ServerPolicySchema>;
/** What a stored config may look like before validation (defaults optional). */
export type ServerPolicyInput = z.input<typeof ServerPolicySchema>;
export type ActionConfig = ServerPolicy['actions'][ActionLevel];
export type ChannelOverride = z.output<typeof ChannelOverrideSchema>;
export type EscalationConfig = ServerPolicy['escalation'];
export type AlertsConfig = ServerPolicy['alerts'];
export type Exemptions = ServerPolicy['exemptions'];

export interface PolicyIssue {
  /** Dotted key path, e.g. `actions.delete.thresholds.insult` (empty for the whole policy). */
  path: string;
  message: string;
}

/** A policy that failed validation. `message` lists every problem with its key path. */
export class PolicyError extends Error {
  readonly issues: PolicyIssue[];
  constructor(issues: PolicyIssue[], heading = 'Invalid policy') {
    super(`${heading}: ${issues.map((i) => (i.path ? `${i.path}: ${i.message}` : i.message)).join('; ')}`);
    this.name = 'PolicyError';
    this.issues = issues;
  }
}

/** Strip defaults/optional wrappers to the schema underneath. */
export function unwrapSchema(schema: z.ZodType): z.ZodType {
  let s: z.ZodType = schema;
  for (;;) {
    if (s instanceof z.ZodDefault || s instanceof z.ZodPrefault || s instanceof z.ZodOptional) {
      s = s.unwrap() as z.ZodType;
    } else {
      return s;
    }
  }
}

/** The keys an object schema accepts, or undefined if `schema` is not an object. */
export function objectKeys(schema: z.ZodType): string[] | undefined {
  const s = unwrapSchema(schema);
  return s instanceof z.ZodObject ? Object.keys(s.shape) : undefined;
}

/** The schema at a key path (record keys match anything), or undefined if there is no such key. */
export function schemaAt(path: readonly (string | number)[], root: z.ZodType = ServerPolicySchema): z.ZodType | undefined {
  let s: z.ZodType = root;
  for (const seg of path) {
    const u = unwrapSchema(s);
    if (u instanceof z.ZodObject) {
      const next = (u.shape as Record<string, z.ZodType>)[String(seg)];
      if (!next) return undefined;
      s = next;
    } else if (u instanceof z.ZodRecord) {
      s = u.valueType as z.ZodType;
    } else if (u instanceof z.ZodArray) {
      s = u.element as z.ZodType;
    } else {
      return undefined;
    }
  }
  return s;
}

/** Zod issues as dotted paths; an unknown key names its own path and the keys that exist there. */
export function issuesFromZod(error: z.ZodError): PolicyIssue[] {
  const out: PolicyIssue[] = [];
  for (const issue of error.issues) {
    const base = issue.path.map(String);
    if (issue.code === 'unrecognized_keys') {
      const parent = schemaAt(issue.path as (string | number)[]);
      const known = parent ? objectKeys(parent) : undefined;
      for (const key of issue.keys) {
        out.push({
          path: [...base, key].join('.'),
          message: `unknown key "${key}"${known ? `; keys here: ${known.join(', ')}` : ''}`,
        });
      }
    } else {
      out.push({ path: base.join('.'), message: issue.message });
    }
  }
  return out;
}

function isPlainObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** Deep-merge plain objects (`over` wins; arrays and scalars are replaced, `undefined` is skipped). */
export function deepMerge<T>(base: T, over: unknown): T {
  if (!isPlainObject(base) || !isPlainObject(over)) return (over === undefined ? base : over) as T;
  const out: Record<string, unknown> = { ...base };
  for (const [k, v] of Object.entries(over)) {
    if (v === undefined) continue;
    out[k] = k in out ? deepMerge(out[k], v) : v;
  }
  return out as T;
}

/**
 * Validate a stored policy. With `base`, `input` is a partial config deep-merged over it first
 * (e.g. over `defaultPolicy(...)`). Throws `PolicyError` naming every bad key path.
 */
export function parseServerPolicy(input: unknown, base?: ServerPolicy): ServerPolicy {
  const merged = base === undefined ? input : deepMerge(structuredClone(base), input);
  const result = ServerPolicySchema.safeParse(merged);
  if (!result.success) throw new PolicyError(issuesFromZod(result.error));
  return result.data;
}

/**
 * The policy a newly added server gets, from a model's calibrated per-label thresholds:
 * - mode `log-only` (nothing is done automatically until a moderator opts in);
 * - flag at the model's threshold;
 * - alert at max(model threshold, 0.7);
 * - delete at max(model threshold, 0.9), but disabled;
 * - timeout disabled (no thresholds), escalation disabled.
 */
export function defaultPolicy(modelThresholds: Scores): ServerPolicy {
  const bad = LABELS.filter((l) => {
    const t = modelThresholds[l];
    return typeof t !== 'number' || !Number.isFinite(t) || t < 0 || t > 1;
  });
  if (bad.length > 0) {
    throw new PolicyError(
      bad.map((l) => ({ path: l, message: `model threshold must be a number from 0 to 1 (got ${String(modelThresholds[l])})` })),
      'Invalid model thresholds',
    );
  }
  const floorAt = (floor: number): Thresholds =>
    Object.fromEntries(LABELS.map((l) => [l, Math.max(modelThresholds[l], floor)]));
  return ServerPolicySchema.parse({
    actions: {
      flag: { enabled: true, thresholds: floorAt(0) },
      alert: { enabled: true, thresholds: floorAt(DEFAULT_ALERT_FLOOR) },
      delete: { enabled: false, thresholds: floorAt(DEFAULT_DELETE_FLOOR) },
      timeout: { enabled: false, thresholds: {} },
    },
  });
}
