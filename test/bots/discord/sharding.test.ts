// Sharding started by config: discord.js's ShardingManager forks a real shard process (tsx), which
// connects to the fake gateway and writes verdicts to the same SQLite file; this process executes
// the actions over REST. Slow (a process start and a model load), so one scenario only.
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { loadScorer } from '../../../src/classifier/registry.js';
import { noticePlatform } from '../../../src/bots/index.js';
import { startHarness, type Harness } from './harness.js';

let h: Harness;

beforeAll(async () => {
  h = await startHarness({ scorer: await loadScorer('builtin'), discord: { sharding: { enabled: true, totalShards: 1 } } });
}, 60_000);
afterAll(async () => {
  await h?.stop();
});

describe('Discord adapter: sharding', () => {
  it('a shard process moderates, the manager process acts, one SQLite file', async () => {
    const identify = h.fake.identifies[0] as { d: { shard: [number, number] } };
    expect(identify.d.shard).toEqual([0, 1]);
    await h.resetPolicy({ 'actions.delete.enabled': 'true' });
    const from = h.fake.calls.length;
    const m = h.send({ author: h.world.alice, content: 'you are a worthless stupid idiot', channelId: h.world.channels.general });
    const verdict = await h.verdict(m);
    const actions = await h.settled(verdict.id);
    expect(actions.every((a) => a.status === 'done')).toBe(true);
    expect(h.outcomes).toEqual([]); // not this process's pipeline
    expect(h.fake.callsTo('DELETE', new RegExp(`/messages/${m.id}$`), from)).toHaveLength(1);
    // The shard process reports its verdicts to this process's metrics (IPC), as serve's /metrics shows.
    await vi.waitFor(
      async () => {
        const text = await h.metrics.registry.metrics();
        expect(text).toMatch(/toxguard_messages_total\{platform="discord"\} 1\b/);
        expect(text).toMatch(/toxguard_verdicts_total\{label="[a-z_]+",action="delete"\} 1\b/);
        expect(text).toMatch(/toxguard_pipeline_seconds_count 1\b/);
      },
      { timeout: 10_000, interval: 50 },
    );
  });

  it('the manager process knows which guilds its shards hold, so linked Reddit alerts come here as notices', async () => {
    await expect(noticePlatform([h.bot], h.world.guild.id)).resolves.toBe('discord');
    await expect(noticePlatform([h.bot], '999999999999999999')).resolves.toBeUndefined();
  });
});
