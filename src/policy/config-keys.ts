// Helpers behind `/toxicity config <key> <value>` and the config API: set one key from a string,
// and describe a policy in a few plain lines.
//
//   setPolicyValue(p, 'mode', 'active')
//   setPolicyValue(p, 'actions.delete.thresholds.insult', '0.95')
//   setPolicyValue(p, 'actions.delete.enabled', 'true')
//   setPolicyValue(p, 'exemptions.roleIds', '+123')        // add; '-123' removes; '+1 +2 -3' several
//   setPolicyValue(p, 'channels.456.mode', 'log-only')      // creates the override if needed
//   setPolicyValue(p, 'channels.456', 'unset')              // 'unset' removes a key (defaults return)
//
// The key path is checked against the schema as it is walked, so an error names the bad key and
// lists the keys that exist there; the result is re-validated with `ServerPolicySchema`.
import { z } from 'zod';

import { LABELS } from '../classifier/labels.js';
import { ACTION_LEVELS, PolicyError, ServerPolicySchema, issuesFromZod, objectKeys, unwrapSchema } from './schema.js';
import type { ActionConfig, ActionLevel, ChannelOverride, ServerPolicy, Thresholds } from './schema.js';

/** The value that removes a key (so its default, if any, applies again). */
export const UNSET = 'unset';

const TRUE_WORDS = new Set(['true', 'on', 'yes', 'enable', 'enabled', '1']);
const FALSE_WORDS = new Set(['false', 'off', 'no', 'disable', 'disabled', '0']);

/** `<#123>`, `<@&123>`, `<@!123>`, `<@123>` (Discord mentions) -> `123`; anything else trimmed. */
export function normalizeId(raw: string): string {
  const s = raw.trim();
  const m = /^<(?:#|@&|@!|@)([^<>\s]+)>$/.exec(s);
  return m?.[1] ?? s;
}

function fail(path: string, message: string, heading?: string): never {
  throw new PolicyError([{ path, message }], heading ?? 'Invalid setting');
}

function keyList(keys: readonly string[]): string {
  return keys.join(', ');
}

function isRecordObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** Every settable key path; record entries appear as `<channelId>`. */
export function policyKeys(): string[] {
  const out: string[] = [];
  const walk = (schema: z.ZodType, prefix: string): void => {
    const u = unwrapSchema(schema);
    if (u instanceof z.ZodObject) {
      for (const [k, v] of Object.entries(u.shape as Record<string, z.ZodType>)) walk(v, prefix ? `${prefix}.${k}` : k);
    } else if (u instanceof z.ZodRecord) {
      walk(u.valueType as z.ZodType, `${prefix}.<channelId>`);
    } else {
      out.push(prefix);
    }
  };
  walk(ServerPolicySchema, '');
  return out;
}

function parseScalar(schema: z.ZodType, path: string, raw: string): unknown {
  const value = raw.trim();
  if (schema instanceof z.ZodBoolean) {
    const v = value.toLowerCase();
    if (TRUE_WORDS.has(v)) return true;
    if (FALSE_WORDS.has(v)) return false;
    return fail(path, `expected true or false, got "${raw}"`);
  }
  if (schema instanceof z.ZodNumber) {
    const n = value === '' ? Number.NaN : Number(value);
    if (!Number.isFinite(n)) return fail(path, `expected a number, got "${raw}"`);
    return n;
  }
  if (schema instanceof z.ZodEnum) {
    const options = schema.options as readonly string[];
    const v = value.toLowerCase();
    const hit = options.find((o) => o.toLowerCase() === v);
    if (hit === undefined) return fail(path, `expected one of ${keyList(options)}, got "${raw}"`);
    return hit;
  }
  if (schema instanceof z.ZodString) return normalizeId(value);
  return fail(path, 'this key cannot be set from text');
}

function editList(current: unknown, path: string, raw: string): string[] {
  const list = Array.isArray(current) ? current.map(String) : [];
  const tokens = raw.split(/[\s,]+/).filter((t) => t.length > 0);
  if (tokens.length === 0) return fail(path, 'expected +ID to add or -ID to remove');
  for (const token of tokens) {
    const op = token[0];
    const id = normalizeId(token.slice(1));
    if ((op !== '+' && op !== '-') || id === '') {
      return fail(path, `expected +ID to add or -ID to remove, got "${token}"`);
    }
    const at = list.indexOf(id);
    if (op === '+') {
      if (at < 0) list.push(id);
    } else {
      if (at < 0) return fail(path, `${id} is not in the list (it has: ${list.length ? keyList(list) : 'nothing'})`);
      list.splice(at, 1);
    }
  }
  return list;
}

/**
 * Set one key of a policy from text, returning a new validated policy (the input is not changed).
 * Throws `PolicyError` naming the key: unknown keys list the keys that exist there; bad values say
 * what was expected.
 */
export function setPolicyValue(policy: ServerPolicy, path: string, value: string): ServerPolicy {
  const segments = path.trim().split('.');
  if (segments.some((s) => s.trim() === '')) {
    fail(path, `not a key; keys: ${keyList(objectKeys(ServerPolicySchema) ?? [])}`);
  }
  const root = structuredClone(policy) as unknown as Record<string, unknown>;
  let container: Record<string, unknown> = root;
  let schema: z.ZodType = ServerPolicySchema;
  const done: string[] = [];

  for (let i = 0; i < segments.length; i++) {
    const seg = (segments[i] ?? '').trim();
    const u = unwrapSchema(schema);
    const here = done.join('.');
    let key: string;
    let next: z.ZodType;
    if (u instanceof z.ZodObject) {
      const shape = u.shape as Record<string, z.ZodType>;
      const keys = Object.keys(shape);
      const found = Object.hasOwn(shape, seg) ? seg : keys.find((k) => k.toLowerCase() === seg.toLowerCase());
      if (found === undefined) {
        const at = [...done, seg].join('.');
        fail(at, `unknown key "${seg}"${here ? ` in ${here}` : ''}; keys${here ? ' there' : ''}: ${keyList(keys)}`);
      }
      key = found;
      next = shape[found] as z.ZodType;
    } else if (u instanceof z.ZodRecord) {
      key = normalizeId(seg);
      next = u.valueType as z.ZodType;
    } else if (u instanceof z.ZodArray) {
      fail(here, `a list, with no key "${seg}"; set ${here} to +ID to add or -ID to remove`);
    } else {
      fail(here, `a single value, with no key "${seg}"`);
    }
    done.push(key);
    const at = done.join('.');

    if (i < segments.length - 1) {
      const child = container[key];
      if (child === undefined) {
        if (value.trim().toLowerCase() === UNSET) return policy; // nothing to remove
        container[key] = {};
      } else if (!isRecordObject(child)) {
        fail(at, `a single value, with no key "${segments[i + 1] ?? ''}"`);
      }
      container = container[key] as Record<string, unknown>;
      schema = next;
      continue;
    }

    // The last segment: set (or remove) the value.
    if (value.trim().toLowerCase() === UNSET) {
      delete container[key];
    } else {
      const leaf = unwrapSchema(next);
      if (leaf instanceof z.ZodObject) {
        fail(at, `a group of keys; set one of: ${keyList(Object.keys(leaf.shape))}`);
      } else if (leaf instanceof z.ZodRecord) {
        fail(at, `a group of keys; set ${at}.<channelId>.<key> (keys: ${keyList(objectKeys(leaf.valueType as z.ZodType) ?? [])})`);
      } else if (leaf instanceof z.ZodArray) {
        container[key] = editList(container[key], at, value);
      } else {
        container[key] = parseScalar(leaf, at, value);
      }
    }
  }

  const result = ServerPolicySchema.safeParse(root);
  if (!result.success) throw new PolicyError(issuesFromZod(result.error), 'Invalid setting');
  return result.data;
}

function num(n: number): string {
  return String(Number(n.toFixed(3)));
}

function describeThresholds(t: Thresholds | undefined): string {
  const parts = LABELS.filter((l) => t?.[l] !== undefined).map((l) => `${l} ${num(t?.[l] ?? 0)}`);
  return parts.length > 0 ? parts.join(', ') : 'no thresholds';
}

const ACTION_NAMES: Record<ActionLevel, string> = {
  flag: 'Flag (review queue + reaction)',
  alert: "Alert (moderators' channel)",
  delete: 'Delete (also alerts)',
  timeout: 'Timeout',
};

function describeOverride(o: ChannelOverride): string {
  const parts: string[] = [];
  if (o.exempt !== undefined) parts.push(o.exempt ? 'exempt' : 'not exempt');
  if (o.mode !== undefined) parts.push(o.mode);
  if (o.scanImages !== undefined) parts.push(o.scanImages ? 'images scanned' : 'images not scanned');
  for (const a of ACTION_LEVELS) {
    const ac = o.actions?.[a];
    if (!ac) continue;
    const bits: string[] = [];
    if (ac.enabled !== undefined) bits.push(ac.enabled ? 'on' : 'off');
    if (ac.thresholds && Object.keys(ac.thresholds).length > 0) bits.push(describeThresholds(ac.thresholds));
    if (bits.length > 0) parts.push(`${a} ${bits.join(', ')}`);
  }
  return parts.length > 0 ? parts.join('; ') : 'no changes';
}

function ids(list: readonly string[]): string {
  return list.length > 0 ? list.join(', ') : 'none';
}

/** A short, plain summary of a policy (one line per topic). */
export function describePolicy(policy: ServerPolicy): string {
  const lines: string[] = [];
  lines.push(
    policy.mode === 'log-only'
      ? 'Mode: log-only. The bot reports what it would do and takes no action (set mode to active to act).'
      : 'Mode: active. The bot takes the actions below.',
  );
  lines.push(
    'A label triggers an action when its score is at or above the threshold. A higher threshold means a less strict bot.',
  );
  for (const a of ACTION_LEVELS) {
    const ac: ActionConfig = policy.actions[a];
    let extra = '';
    if (a === 'alert') {
      const ch = policy.alerts.channelId;
      extra = ` [${ch ? `to ${ch}` : 'no alert channel set'}; at most ${policy.alerts.maxPerMinute} a minute, the rest batched]`;
    }
    lines.push(`${ACTION_NAMES[a]}${extra}: ${ac.enabled ? 'on' : 'off'}; ${describeThresholds(ac.thresholds)}`);
  }
  const e = policy.escalation;
  lines.push(
    `Escalation: ${e.enabled ? 'on' : 'off'}; ${e.strikes} strike${e.strikes === 1 ? '' : 's'} within ${e.windowMinutes} min ` +
      `-> ${e.timeoutMinutes} min timeout (a strike is a deleted message, or an alerted one while delete is off)`,
  );
  const x = policy.exemptions;
  lines.push(
    `Exempt: moderators and bots (always); roles: ${ids(x.roleIds)}; channels: ${ids(x.channelIds)}; users: ${ids(x.userIds)}`,
  );
  const overrides = Object.entries(policy.channels);
  lines.push(
    `Channel overrides: ${
      overrides.length > 0 ? overrides.map(([id, o]) => `${id} (${describeOverride(o)})`).join('; ') : 'none'
    }`,
  );
  lines.push(`Images: ${policy.scanImages ? 'scanned' : 'not scanned'}. DM the author: ${policy.dmAuthor ? 'yes' : 'no'}.`);
  return lines.join('\n');
}
