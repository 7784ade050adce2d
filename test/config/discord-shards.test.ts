// `discord.sharding.shards`: the slice of `totalShards` one machine runs (a list or a range).
import { describe, expect, it } from 'vitest';
import { DiscordConfigSchema, shardList } from '../../src/bots/discord/config.js';

describe('discord.sharding.shards', () => {
  it('takes a list or a range of totalShards', () => {
    expect(shardList('0-1')).toEqual([0, 1]);
    expect(shardList('2-3')).toEqual([2, 3]);
    expect(shardList([3, 1, 1])).toEqual([1, 3]);
    const cfg = DiscordConfigSchema.parse({ sharding: { enabled: true, totalShards: 4, shards: '2-3' } });
    expect(cfg.sharding.shards).toBe('2-3');
    expect(DiscordConfigSchema.parse({}).sharding.shards).toBeUndefined();
  });

  it('refuses shards without a numeric totalShards, or beyond it', () => {
    expect(() => DiscordConfigSchema.parse({ sharding: { enabled: true, shards: [0] } })).toThrow(/numeric totalShards/);
    expect(() => DiscordConfigSchema.parse({ sharding: { enabled: true, totalShards: 2, shards: '1-2' } })).toThrow(/shard 2 is not below totalShards \(2\)/);
    expect(() => DiscordConfigSchema.parse({ sharding: { enabled: true, totalShards: 4, shards: '3-1' } })).toThrow(/empty/);
    expect(() => DiscordConfigSchema.parse({ sharding: { totalShards: 4, shards: 'all' } })).toThrow(/range like/);
  });
});

describe('docker/compose.yaml postgres profile', () => {
  it('gives the two replicas complementary halves of the shards, in valid config files', async () => {
    const { readFileSync } = await import('node:fs');
    const { resolve } = await import('node:path');
    const { loadConfig } = await import('../../src/config/config.js');
    const { parse } = await import('yaml');
    const docker = resolve(import.meta.dirname, '../../docker');
    const compose = parse(readFileSync(resolve(docker, 'compose.yaml'), 'utf8'), { merge: true }) as { services: Record<string, { profiles?: string[]; volumes?: string[]; environment?: Record<string, string> }> };
    const slices: number[][] = [];
    for (const name of ['toxguard-a', 'toxguard-b']) {
      const service = compose.services[name];
      expect(service?.profiles).toEqual(['postgres']);
      expect(service?.environment?.DATABASE_URL).toMatch(/^postgres:\/\/toxguard:\$\{POSTGRES_PASSWORD:\?[^}]+\}@postgres:5432\/toxguard$/);
      const mount = (service?.volumes ?? []).find((v) => v.endsWith(':/app/config/toxguard.config.json:ro'));
      const file = resolve(docker, mount?.split(':')[0] ?? '');
      const config = loadConfig({ file, env: {} });
      expect(config.discord.sharding.enabled).toBe(true);
      slices.push(shardList(config.discord.sharding.shards ?? []));
    }
    expect(slices.flat().sort()).toEqual([0, 1]);
  });
});
