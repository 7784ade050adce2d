import { describe, expect, it } from 'vitest';

import {
  PolicyError,
  ServerPolicySchema,
  defaultPolicy,
  parseServerPolicy,
} from '../../src/policy/schema.js';
import { MODEL_THRESHOLDS } from './fixtures.js';

function errorOf(fn: () => unknown): PolicyError {
  try {
    fn();
  } catch (e) {
    if (e instanceof PolicyError) return e;
    throw e;
  }
  throw new Error('expected a PolicyError');
}

describe('ServerPolicySchema defaults', () => {
  it('an empty config is log-only with opt-in hard actions', () => {
    const p = ServerPolicySchema.parse({});
    expect(p.mode).toBe('log-only');
    expect(p.actions.flag.enabled).toBe(true);
    expect(p.actions.alert.enabled).toBe(true);
    expect(p.actions.delete.enabled).toBe(false);
    expect(p.actions.timeout.enabled).toBe(false);
    expect(p.actions.flag.thresholds).toEqual({});
    expect(p.exemptions).toEqual({ roleIds: [], channelIds: [], userIds: [] });
    expect(p.channels).toEqual({});
    expect(p.escalation).toEqual({ enabled: false, strikes: 3, windowMinutes: 60, timeoutMinutes: 10 });
    expect(p.alerts).toEqual({ maxPerMinute: 5 });
    expect(p.scanImages).toBe(true);
    expect(p.dmAuthor).toBe(false);
  });

  it('defaultPolicy derives thresholds from the model and stays log-only', () => {
    const p = defaultPolicy(MODEL_THRESHOLDS);
    expect(p.mode).toBe('log-only');
    expect(p.actions.flag).toEqual({ enabled: true, thresholds: MODEL_THRESHOLDS });
    expect(p.actions.alert).toEqual({
      enabled: true,
      thresholds: { toxic: 0.7, severe_toxic: 0.7, obscene: 0.7, threat: 0.7, insult: 0.7, identity_hate: 0.92 },
    });
    expect(p.actions.delete).toEqual({
      enabled: false,
      thresholds: { toxic: 0.9, severe_toxic: 0.9, obscene: 0.9, threat: 0.9, insult: 0.9, identity_hate: 0.92 },
    });
    expect(p.actions.timeout).toEqual({ enabled: false, thresholds: {} });
    expect(p.escalation.enabled).toBe(false);
  });

  it('defaultPolicy rejects a non-finite model threshold, naming the label', () => {
    const err = errorOf(() => defaultPolicy({ ...MODEL_THRESHOLDS, insult: Number.NaN }));
    expect(err.issues.map((i) => i.path)).toEqual(['insult']);
  });
});

describe('strict validation', () => {
  it('rejects unknown keys and names their full path and the keys that exist', () => {
    const err = errorOf(() =>
      parseServerPolicy({ actions: { delete: { thresholds: { insutl: 0.9 } } }, channels: { C9: { mood: 'active' } }, foo: 1 }),
    );
    const paths = err.issues.map((i) => i.path).sort();
    expect(paths).toEqual(['actions.delete.thresholds.insutl', 'channels.C9.mood', 'foo']);
    const insutl = err.issues.find((i) => i.path === 'actions.delete.thresholds.insutl');
    expect(insutl?.message).toContain('insult');
    expect(err.message).toContain('channels.C9.mood');
  });

  it('rejects thresholds outside [0, 1] and bad escalation values', () => {
    const err = errorOf(() =>
      parseServerPolicy({ actions: { flag: { thresholds: { toxic: 1.2 } } }, escalation: { strikes: 0, timeoutMinutes: 40_321 } }),
    );
    expect(err.issues.map((i) => i.path).sort()).toEqual([
      'actions.flag.thresholds.toxic',
      'escalation.strikes',
      'escalation.timeoutMinutes',
    ]);
    expect(parseServerPolicy({ escalation: { timeoutMinutes: 40_320 } }).escalation.timeoutMinutes).toBe(40_320);
  });

  it('rejects a bad mode', () => {
    const err = errorOf(() => parseServerPolicy({ mode: 'on' }));
    expect(err.issues[0]?.path).toBe('mode');
  });

  it('merges a partial config over a base policy', () => {
    const base = defaultPolicy(MODEL_THRESHOLDS);
    const p = parseServerPolicy({ mode: 'active', actions: { delete: { enabled: true, thresholds: { insult: 0.95 } } } }, base);
    expect(p.mode).toBe('active');
    expect(p.actions.delete.enabled).toBe(true);
    expect(p.actions.delete.thresholds.insult).toBe(0.95);
    expect(p.actions.delete.thresholds.toxic).toBe(0.9);
    // The base is not changed.
    expect(base.actions.delete.thresholds.insult).toBe(0.9);
  });
});
