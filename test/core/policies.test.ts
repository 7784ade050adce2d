// Policies shared by several processes (Discord shard processes next to serve): a cached copy is
// re-read after its TTL, and an edit never overwrites another process's edit with a stale copy.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { PolicyService } from '../../src/core/policies.js';
import { PolicyError } from '../../src/policy/schema.js';
import { Store } from '../../src/store/index.js';

const THRESHOLDS = { toxic: 0.5, severe_toxic: 0.5, obscene: 0.5, threat: 0.5, insult: 0.5, identity_hate: 0.5 };
const stores: Store[] = [];
afterEach(async () => {
  for (const s of stores.splice(0)) await s.close();
});

/** Two "processes": two connections to one SQLite file, each with its own PolicyService. */
async function twoProcesses(ttlMs: number) {
  const file = join(mkdtempSync(join(tmpdir(), 'toxguard-policies-')), 'db.sqlite');
  let now = 1_000_000;
  const clock = () => now;
  const a = await Store.open(file);
  const b = await Store.open(file);
  stores.push(a, b);
  return {
    serve: new PolicyService(a, THRESHOLDS, { ttlMs, clock }),
    shard: new PolicyService(b, THRESHOLDS, { ttlMs, clock }),
    store: a,
    advance: (ms: number) => (now += ms),
  };
}

describe('policies across processes', () => {
  it('a change made in one process is seen by the other after the TTL', async () => {
    const { serve, shard, advance } = await twoProcesses(2000);
    expect((await serve.get('g1')).mode).toBe('log-only'); // cached
    await shard.set('g1', 'mode', 'active', 'mod', 'discord');
    expect((await serve.get('g1')).mode).toBe('log-only'); // still the cached copy
    advance(2001);
    expect((await serve.get('g1')).mode).toBe('active');
  });

  it('an edit applies to the stored policy, not a stale cached copy: no edit is lost', async () => {
    const { serve, shard, store } = await twoProcesses(60_000);
    await serve.get('g1'); // the dashboard's cached copy: log-only, no alert channel
    await shard.set('g1', 'alerts.channelId', 'C42', 'mod', 'discord');
    const saved = await serve.setMany('g1', [['mode', 'active']], 'alice', 'dashboard');
    expect(saved.mode).toBe('active');
    expect(saved.alerts.channelId).toBe('C42');
    expect((await store.getPolicy('g1') as { alerts: { channelId: string } }).alerts.channelId).toBe('C42');
    expect((await store.listPolicyAudit('g1')).map((a) => a.actor)).toEqual(['alice', 'mod']);
  });

  it('one bad key: nothing is stored, no audit entry', async () => {
    const { serve, store } = await twoProcesses(0);
    await expect((async () => await serve.setMany('g1', [['mode', 'active'], ['actions.flag.thresholds.toxic', '2']], 'alice', 'api'))()).rejects.toThrow(PolicyError);
    expect(await store.getPolicy('g1')).toBeUndefined();
    expect(await store.listPolicyAudit('g1')).toEqual([]);
  });
});

describe('policy cache', () => {
  it('is bounded: beyond maxCached the least recently used policy is read from the store again', async () => {
    const store = await Store.open(join(mkdtempSync(join(tmpdir(), 'toxguard-policies-')), 'db.sqlite'));
    stores.push(store);
    let reads = 0;
    const counting = new Proxy(store, {
      get(target, prop, receiver) {
        if (prop === 'getPolicy') return (id: string) => (reads++, target.getPolicy(id));
        return Reflect.get(target, prop, receiver) as unknown;
      },
    });
    const policies = new PolicyService(counting, THRESHOLDS, { maxCached: 2 });
    await policies.get('g1');
    await policies.get('g2');
    await policies.get('g1');
    expect(reads).toBe(2);
    await policies.get('g3'); // evicts g2, the least recently used
    await policies.get('g1');
    expect(reads).toBe(3);
    await policies.get('g2');
    expect(reads).toBe(4);
  });
});
