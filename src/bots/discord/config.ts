// The `discord` section of toxguard's config file. The token is never here: it comes from
// DISCORD_TOKEN (see src/config/config.ts).
import { z } from 'zod';

/** `[0, 2]` or `"0-3"` as the list of shard ids. */
export function shardList(shards: readonly number[] | string): number[] {
  if (typeof shards !== 'string') return [...new Set(shards)].sort((a, b) => a - b);
  const [from = 0, to = -1] = shards.split('-').map(Number);
  return Array.from({ length: Math.max(0, to - from + 1) }, (_, i) => from + i);
}

export const DiscordConfigSchema = z
  .strictObject({
    /** REST base URL (env DISCORD_API_URL): Discord's by default; a proxy or a test fake otherwise. */
    apiUrl: z.string().url().default('https://discord.com/api'),
    /**
     * Moderate direct messages sent to the bot (adds the DirectMessages intent). DMs have no server
     * policy to act with, so they are scored and logged under the server id `dm` only. Default off.
     */
    dms: z.boolean().default(false),
    /** When the bot is removed from a server: `keep` its verdicts, reviews and policy, or `purge` them. */
    onGuildRemove: z.enum(['keep', 'purge']).default('keep'),
    /**
     * Where the slash commands are registered. `guild`: in each server when the bot joins and at start
     * (instant; fine up to a few hundred servers). `global`: once for the application (Discord may take
     * up to an hour to show changes; use it for bots in many servers). `both`: both.
     */
    commands: z.enum(['guild', 'global', 'both']).default('guild'),
    /**
     * Rate limits (429) shorter than this are waited out in place; longer ones hand the action back to
     * the outbox, which retries after Discord's `retry_after`.
     */
    maxRateLimitWaitMs: z.number().int().min(0).default(5_000),
    /** Reaction added to a flagged message. */
    flagEmoji: z.string().min(1).default('🚩'),
    /**
     * Sharding for bots in many servers (Discord requires it from 2 500 servers): discord.js's
     * ShardingManager runs each shard's gateway connection in its own process; every process opens
     * the same database (a SQLite file in WAL mode on one machine; PostgreSQL across machines, each
     * running its `shards`). Off by default: one process, one shard.
     */
    sharding: z
      .strictObject({
        enabled: z.boolean().default(false),
        /** Number of shards, or `auto` to ask Discord (always discord.com: the manager ignores apiUrl). */
        totalShards: z.union([z.literal('auto'), z.number().int().min(1)]).default('auto'),
        /**
         * The shards THIS machine runs, of `totalShards` (a number then): a list `[0, 1]` or a range
         * `"0-1"`. Several machines on one PostgreSQL database each run their slice. Default: all.
         */
        shards: z.union([z.array(z.number().int().min(0)).min(1), z.string().regex(/^\d+-\d+$/, 'a range like "0-3"')]).optional(),
      })
      .prefault({})
      .superRefine((s, ctx) => {
        if (s.shards === undefined) return;
        if (s.totalShards === 'auto') {
          ctx.addIssue({ code: 'custom', path: ['shards'], message: 'discord.sharding.shards needs a numeric totalShards (every machine must agree on it)' });
          return;
        }
        const list = shardList(s.shards);
        const bad = list.filter((id) => id >= (s.totalShards as number));
        if (list.length === 0) ctx.addIssue({ code: 'custom', path: ['shards'], message: 'the range is empty' });
        if (bad.length) ctx.addIssue({ code: 'custom', path: ['shards'], message: `shard ${bad.join(', ')} is not below totalShards (${s.totalShards})` });
      }),
  })
  .prefault({});

export type DiscordConfig = z.output<typeof DiscordConfigSchema>;
