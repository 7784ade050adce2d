// The action catalogue: every kind has one module (payload schema, keys), every platform implements
// every kind, and the one executor validates a claimed payload before any platform call.
import { describe, expect, it } from 'vitest';
import { discordBlueprint } from '../../src/bots/discord/executor.js';
import { redditBlueprint } from '../../src/bots/reddit/executor.js';
import { slackBlueprint } from '../../src/bots/slack/executor.js';
import { ACTION_CATALOGUE, CatalogueExecutor, type PlatformBlueprint } from '../../src/core/actions/index.js';
import { PermanentActionError } from '../../src/core/outbox.js';
import { ACTION_KINDS, type ActionKind, type ClaimedAction, type VerdictRecord } from '../../src/store/index.js';

function claimed(kind: ActionKind, payload: unknown, id = 7): ClaimedAction {
  return {
    id, verdictId: 1, kind, key: kind, payload, status: 'running', attempts: 1, nextAttemptAt: '', leaseUntil: null, lastError: null, result: null, createdAt: '', updatedAt: '',
    target: { messageKey: 'k', platform: 'discord', serverId: 's', channelId: 'c', threadId: null, messageId: 'm', authorId: 'u' },
  };
}

describe('action catalogue', () => {
  it('has one entry per action kind, and every platform applies every kind', () => {
    expect(Object.keys(ACTION_CATALOGUE).sort()).toEqual([...ACTION_KINDS].sort());
    for (const [kind, def] of Object.entries(ACTION_CATALOGUE)) expect(def.kind).toBe(kind);
    const blueprints: PlatformBlueprint<never>[] = [discordBlueprint, slackBlueprint, redditBlueprint] as unknown as PlatformBlueprint<never>[];
    for (const b of blueprints) expect(Object.keys(b.apply).sort(), b.platform).toEqual([...ACTION_KINDS].sort());
  });

  it('gives the posting kinds distinct idempotency keys that fit a Discord nonce, and none to kinds whose repeat is harmless', () => {
    const keys = ACTION_KINDS.map((k) => ACTION_CATALOGUE[k].idempotencyKey(123_456_789_012));
    for (const k of keys) if (k !== null) expect(k.length).toBeLessThanOrEqual(25);
    const posting = keys.filter((k): k is string => k !== null);
    expect(new Set(posting).size).toBe(posting.length);
    expect(ACTION_KINDS.filter((k) => ACTION_CATALOGUE[k].idempotencyKey(1) !== null).sort()).toEqual(['alert', 'alert-summary', 'dm', 'notice']);
    expect(ACTION_CATALOGUE['alert-summary'].dedupeKey({ batchStart: '2026-01-01T00:00:00.000Z', channelId: 'c' })).toBe('alert-summary:2026-01-01T00:00:00.000Z');
  });

  it('validates the payload when claimed: an unreadable row gives up before the platform is called', async () => {
    const calls: unknown[] = [];
    const record = (_ctx: unknown, action: unknown) => {
      calls.push(action);
      return Promise.resolve({ ok: true });
    };
    const blueprint = { platform: 'discord', apply: Object.fromEntries(ACTION_KINDS.map((k) => [k, record])) } as unknown as PlatformBlueprint<null>;
    const executor = new CatalogueExecutor(blueprint, null);
    const verdict = {} as VerdictRecord;
    await expect(executor.execute(claimed('alert', { channel: 5 }), verdict)).rejects.toThrow(PermanentActionError);
    await expect(executor.execute(claimed('timeout', { minutes: 10 }), verdict)).rejects.toThrow(/invalid payload for a timeout action/);
    expect(calls).toHaveLength(0);
    await expect(executor.execute(claimed('alert', { channelId: 'mods' }), verdict)).resolves.toEqual({ ok: true });
    expect(calls).toEqual([expect.objectContaining({ kind: 'alert', payload: { channelId: 'mods' }, idempotencyKey: 'tga7' })]);
  });

  it('runs a notice for a server without a verdict, and refuses a kind whose verdict does not match what it is about', async () => {
    const calls: unknown[][] = [];
    const record = (...args: unknown[]) => {
      calls.push(args);
      return Promise.resolve({ ok: true });
    };
    const blueprint = { platform: 'discord', apply: Object.fromEntries(ACTION_KINDS.map((k) => [k, record])) } as unknown as PlatformBlueprint<null>;
    const executor = new CatalogueExecutor(blueprint, null);
    const notice: ClaimedAction = { ...claimed('notice', { key: 'drift:1', text: 'drifted' }, 9), verdictId: null, target: { platform: 'discord', serverId: 's' } };
    await expect(executor.execute(notice, undefined)).resolves.toEqual({ ok: true });
    expect(calls).toEqual([[null, expect.objectContaining({ kind: 'notice', verdictId: null, target: { platform: 'discord', serverId: 's' }, idempotencyKey: 'tgn9' }), undefined]]);
    // a notice claimed as a message's action, a message's action without its verdict: never applied
    await expect(executor.execute(claimed('notice', { key: 'k', text: 't' }), {} as VerdictRecord)).rejects.toThrow(/for a server, not a verdict/);
    await expect(executor.execute({ ...claimed('delete', null), verdictId: null, target: { platform: 'discord', serverId: 's' } }, undefined)).rejects.toThrow(/needs a verdict/);
    await expect(executor.execute(claimed('delete', null), undefined)).rejects.toThrow(/verdict 1 is gone/);
    expect(calls).toHaveLength(1);
  });
});
