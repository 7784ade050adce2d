import { describe, expect, it } from 'vitest';

import { describePolicy, policyKeys, setPolicyValue } from '../../src/policy/config-keys.js';
import { PolicyError, defaultPolicy } from '../../src/policy/schema.js';
import type { ServerPolicy } from '../../src/policy/schema.js';
import { MODEL_THRESHOLDS } from './fixtures.js';

function base(): ServerPolicy {
  return defaultPolicy(MODEL_THRESHOLDS);
}

function errorOf(fn: () => unknown): PolicyError {
  try {
    fn();
  } catch (e) {
    if (e instanceof PolicyError) return e;
    throw e;
  }
  throw new Error('expected a PolicyError');
}

describe('setPolicyValue: happy paths', () => {
  it('sets a threshold as a number without touching the input', () => {
    const p = base();
    const q = setPolicyValue(p, 'actions.delete.thresholds.insult', '0.95');
    expect(q.actions.delete.thresholds.insult).toBe(0.95);
    expect(q.actions.delete.thresholds.toxic).toBe(0.9);
    expect(p.actions.delete.thresholds.insult).toBe(0.9);
  });

  it('sets mode, booleans and integers', () => {
    let p = setPolicyValue(base(), 'mode', 'active');
    expect(p.mode).toBe('active');
    p = setPolicyValue(p, 'escalation.enabled', 'true');
    p = setPolicyValue(p, 'escalation.strikes', '4');
    p = setPolicyValue(p, 'actions.delete.enabled', 'on');
    p = setPolicyValue(p, 'dmAuthor', 'yes');
    expect(p.escalation).toEqual({ enabled: true, strikes: 4, windowMinutes: 60, timeoutMinutes: 10 });
    expect(p.actions.delete.enabled).toBe(true);
    expect(p.dmAuthor).toBe(true);
    expect(setPolicyValue(p, 'escalation.enabled', 'false').escalation.enabled).toBe(false);
  });

  it('adds and removes ids in a list (mentions accepted, no duplicates)', () => {
    let p = setPolicyValue(base(), 'exemptions.roleIds', '+123');
    p = setPolicyValue(p, 'exemptions.roleIds', '+<@&456>');
    p = setPolicyValue(p, 'exemptions.roleIds', '+123');
    expect(p.exemptions.roleIds).toEqual(['123', '456']);
    p = setPolicyValue(p, 'exemptions.roleIds', '-123');
    expect(p.exemptions.roleIds).toEqual(['456']);
    p = setPolicyValue(p, 'exemptions.channelIds', '+1 +2,+3 -2');
    expect(p.exemptions.channelIds).toEqual(['1', '3']);
  });

  it('creates, changes and removes channel overrides', () => {
    let p = setPolicyValue(base(), 'channels.456.mode', 'log-only');
    expect(p.channels['456']).toEqual({ mode: 'log-only' });
    p = setPolicyValue(p, 'channels.<#456>.actions.delete.thresholds.insult', '0.8');
    expect(p.channels['456']).toEqual({ mode: 'log-only', actions: { delete: { thresholds: { insult: 0.8 } } } });
    p = setPolicyValue(p, 'channels.456.mode', 'unset');
    expect(p.channels['456']).toEqual({ actions: { delete: { thresholds: { insult: 0.8 } } } });
    p = setPolicyValue(p, 'channels.456', 'unset');
    expect(p.channels).toEqual({});
  });

  it('unset restores a default, or removes a threshold', () => {
    let p = setPolicyValue(base(), 'mode', 'active');
    p = setPolicyValue(p, 'mode', 'unset');
    expect(p.mode).toBe('log-only');
    p = setPolicyValue(p, 'actions.flag.thresholds.toxic', 'unset');
    expect(p.actions.flag.thresholds.toxic).toBeUndefined();
    expect(p.actions.flag.thresholds.insult).toBe(0.55);
  });

  it('sets the alert channel from a mention', () => {
    expect(setPolicyValue(base(), 'alerts.channelId', '<#999>').alerts.channelId).toBe('999');
  });
});

describe('setPolicyValue: errors', () => {
  it('an unknown key is named, with the keys that exist there', () => {
    const err = errorOf(() => setPolicyValue(base(), 'actions.delete.thresholds.insutl', '0.9'));
    expect(err.issues[0]?.path).toBe('actions.delete.thresholds.insutl');
    expect(err.message).toContain('insutl');
    expect(err.message).toContain('toxic, severe_toxic, obscene, threat, insult, identity_hate');

    const top = errorOf(() => setPolicyValue(base(), 'moed', 'active'));
    expect(top.message).toBe(
      'Invalid setting: moed: unknown key "moed"; keys: mode, actions, exemptions, channels, escalation, alerts, scanImages, dmAuthor',
    );
    expect(top.issues[0]?.path).toBe('moed');
    expect(top.message).toContain('mode, actions, exemptions, channels, escalation, alerts, scanImages, dmAuthor');

    const ch = errorOf(() => setPolicyValue(base(), 'channels.456.mood', 'active'));
    expect(ch.issues[0]?.path).toBe('channels.456.mood');
    expect(ch.message).toContain('mode, actions, exempt, scanImages');
  });

  it('bad values say what was expected and leave the policy unchanged', () => {
    const p = base();
    expect(errorOf(() => setPolicyValue(p, 'actions.delete.thresholds.insult', '1.5')).issues[0]).toEqual({
      path: 'actions.delete.thresholds.insult',
      message: 'a threshold must be a number from 0 to 1',
    });
    expect(errorOf(() => setPolicyValue(p, 'actions.delete.thresholds.insult', 'high')).message).toContain('expected a number');
    expect(errorOf(() => setPolicyValue(p, 'mode', 'strict')).message).toContain('log-only, active');
    expect(errorOf(() => setPolicyValue(p, 'escalation.enabled', 'maybe')).issues[0]?.path).toBe('escalation.enabled');
    expect(errorOf(() => setPolicyValue(p, 'escalation.strikes', '2.5')).issues[0]).toEqual({
      path: 'escalation.strikes',
      message: 'must be a whole number from 1 to 100',
    });
    expect(errorOf(() => setPolicyValue(p, 'escalation.timeoutMinutes', '50000')).issues[0]?.path).toBe(
      'escalation.timeoutMinutes',
    );
    expect(p.actions.delete.thresholds.insult).toBe(0.9);
    expect(p.mode).toBe('log-only');
  });

  it('groups, lists and scalars are used correctly', () => {
    expect(errorOf(() => setPolicyValue(base(), 'actions.delete', 'true')).message).toContain('enabled, thresholds');
    expect(errorOf(() => setPolicyValue(base(), 'exemptions.roleIds', '123')).message).toContain('+ID');
    expect(errorOf(() => setPolicyValue(base(), 'exemptions.roleIds', '-123')).message).toContain('not in the list');
    expect(errorOf(() => setPolicyValue(base(), 'mode.x', 'active')).issues[0]?.path).toBe('mode');
    expect(errorOf(() => setPolicyValue(base(), 'actions..delete', 'true')).message).toContain('not a key');
  });
});

describe('policyKeys and describePolicy', () => {
  it('lists settable keys', () => {
    const keys = policyKeys();
    expect(keys).toContain('mode');
    expect(keys).toContain('actions.delete.thresholds.insult');
    expect(keys).toContain('channels.<channelId>.actions.flag.enabled');
    expect(keys).toContain('escalation.timeoutMinutes');
    expect(keys).not.toContain('actions');
  });

  it('summarises a policy plainly', () => {
    let p = setPolicyValue(base(), 'channels.456.exempt', 'true');
    p = setPolicyValue(p, 'exemptions.roleIds', '+77');
    const text = describePolicy(p);
    expect(text).toContain('Mode: log-only');
    expect(text).toContain('at or above the threshold');
    expect(text).toContain('A higher threshold means a less strict bot');
    expect(text).toContain('Flag (review queue + reaction): on; toxic 0.5, severe_toxic 0.3, obscene 0.6');
    expect(text).toContain('Delete (also alerts): off; toxic 0.9');
    expect(text).toContain('Timeout: off; no thresholds');
    expect(text).toContain('roles: 77');
    expect(text).toContain('456 (exempt)');
    expect(text).toContain('Escalation: off; 3 strikes within 60 min -> 10 min timeout');
    expect(text.split('\n').length).toBeLessThanOrEqual(12);
  });
});
