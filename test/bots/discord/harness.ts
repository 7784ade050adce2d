// Starts everything for real: the fake Discord, a SQLite file in a temp dir (or a PostgreSQL
// database), the given scorer (the word-list test scorer, or the built-in model where a test needs it), the pipeline, the
// Discord bot through startDiscordBot and an OutboxWorker executing its actions. Tests act through
// the fake and read the store.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pino } from 'pino';
import { vi } from 'vitest';
import type { Scorer } from '../../../src/classifier/scorer.js';
import { databaseTarget, loadConfig } from '../../../src/config/config.js';
import { messageKey } from '../../../src/core/message.js';
import type { OcrEngine } from '../../../src/core/ocr.js';
import { OutboxWorker } from '../../../src/core/outbox.js';
import { ModerationPipeline, type Outcome } from '../../../src/core/pipeline.js';
import { PolicyService } from '../../../src/core/policies.js';
import { startDiscordBot } from '../../../src/bots/discord/index.js';
import type { RunningBot } from '../../../src/bots/context.js';
import { Metrics } from '../../../src/server/metrics.js';
import { Store, type ActionRecord, type VerdictRecord } from '../../../src/store/index.js';
import { FAKE_TOKEN, FakeDiscord } from './fake-discord.js';
import { makeWorld, messagePayload, type MessageSpec, type World } from './fixtures.js';

export interface Harness {
  fake: FakeDiscord;
  world: World;
  store: Store;
  policies: PolicyService;
  bot: RunningBot;
  pipeline: ModerationPipeline;
  /** The metrics in the bot context (this process's verdicts, and what shard processes report). */
  metrics: Metrics;
  /** Every pipeline outcome, in order (a replayed event shows up twice here, once in the store). */
  outcomes: Outcome[];
  /** Dispatches MESSAGE_CREATE; returns the message as sent. */
  send(spec: Omit<MessageSpec, 'guildId'> & { dm?: boolean }): ReturnType<typeof messagePayload>;
  /** Waits for the message's verdict row (revision at least `revision`). */
  verdict(message: { id: string; channel_id: string }, revision?: number): Promise<VerdictRecord>;
  /** Waits until every action of the verdict is done or dead (a scheduled alert summary excepted); returns them. */
  settled(verdictId: number): Promise<ActionRecord[]>;
  /** Dispatches an interaction and waits for the bot's callback to it; returns the callback's body. */
  interact(payload: Record<string, unknown>): Promise<unknown>;
  /** Replaces the policy: active, alerts to #mod-log without a rate limit, then `settings` (key -> value). */
  resetPolicy(settings?: Record<string, string>): Promise<void>;
  stop(): Promise<void>;
}

export interface HarnessOptions {
  scorer: Scorer;
  ocr?: OcrEngine;
  discord?: Record<string, unknown>;
  /** A restart: this folder's database (and config) instead of a new one; the caller removes it. */
  dir?: string;
  /** A restart: the same guild, channels and users as the run before. */
  world?: World;
  /** A PostgreSQL database URL to run on instead of a SQLite file in `dir`. */
  databaseUrl?: string;
}

export async function startHarness(opts: HarnessOptions): Promise<Harness> {
  const dir = opts.dir ?? mkdtempSync(join(tmpdir(), 'toxguard-discord-'));
  const world = opts.world ?? makeWorld();
  const fake = await FakeDiscord.start({ botUser: world.bot, applicationId: world.applicationId, guilds: [world.guild] });
  const configFile = join(dir, 'toxguard.config.json');
  writeFileSync(
    configFile,
    JSON.stringify({
      database: { path: join(dir, 'toxguard.sqlite'), ...(opts.databaseUrl ? { url: opts.databaseUrl } : {}) },
      ocr: { enabled: false },
      discord: { apiUrl: fake.apiUrl, maxRateLimitWaitMs: 1000, ...opts.discord },
    }),
  );
  const config = loadConfig({ file: configFile, env: {} });
  const logger = pino({ level: process.env.TOXGUARD_TEST_LOG ?? 'silent' });
  const store = await Store.open(databaseTarget(config));
  const policies = new PolicyService(store, opts.scorer.thresholds);
  const outcomes: Outcome[] = [];
  const pipeline = new ModerationPipeline({
    scorer: opts.scorer,
    store,
    policies,
    logger,
    ...(opts.ocr ? { ocr: opts.ocr } : {}),
    batchWaitMs: 0,
    timeoutMs: 30_000,
    onVerdict: (o) => {
      outcomes.push(o);
      metrics.recordOutcome(o);
    },
  });
  const metrics = new Metrics({ defaults: false });
  const ctx = { config, secrets: { discordToken: FAKE_TOKEN }, scorer: opts.scorer, store, policies, pipeline, metrics, logger, ...(opts.ocr ? { ocr: opts.ocr } : {}) };
  const bot = await startDiscordBot(ctx);
  const outbox = new OutboxWorker({ store, executors: { discord: bot.executor }, logger, pollMs: 20, baseDelayMs: 50 });
  outbox.start();

  const key = (m: { id: string; channel_id: string }, serverId = world.guild.id): string =>
    messageKey({ platform: 'discord', serverId, channelId: m.channel_id, messageId: m.id });

  return {
    fake,
    world,
    store,
    policies,
    bot,
    pipeline,
    metrics,
    outcomes,
    send(spec) {
      const payload = messagePayload({ ...spec, ...(spec.dm ? {} : { guildId: world.guild.id }) });
      fake.dispatch('MESSAGE_CREATE', payload);
      return payload;
    },
    async verdict(m, revision = 1) {
      return vi.waitFor(
        async () => {
          const v = await store.getVerdict(key(m));
          if (!v || v.revision < revision) throw new Error(`no verdict (revision ${revision}) yet for message ${m.id}`);
          return v;
        },
        { timeout: 10_000, interval: 20 },
      );
    },
    async settled(verdictId) {
      return vi.waitFor(
        async () => {
          const actions = await store.listActions(verdictId);
          // A summary of held-back alerts is due only at the end of their minute: not waited for.
          const open = actions.filter((a) => a.status !== 'done' && a.status !== 'dead' && a.kind !== 'alert-summary');
          if (open.length) throw new Error(`actions still open: ${open.map((a) => `${a.kind}:${a.status}`).join(', ')}`);
          return actions;
        },
        { timeout: 10_000, interval: 20 },
      );
    },
    async interact(payload) {
      fake.dispatch('INTERACTION_CREATE', payload);
      const path = new RegExp(`^/interactions/${String(payload.id)}/${String(payload.token)}/callback$`);
      const call = await vi.waitFor(
        () => {
          const [c] = fake.callsTo('POST', path);
          if (!c) throw new Error('no interaction callback yet');
          return c;
        },
        { timeout: 10_000, interval: 10 },
      );
      return call.body;
    },
    async resetPolicy(settings = {}) {
      await policies.replace(world.guild.id, { mode: 'active', alerts: { channelId: world.channels.modlog, maxPerMinute: 600 } }, world.mod.id, 'test');
      for (const [k, v] of Object.entries(settings)) await policies.set(world.guild.id, k, v, world.mod.id, 'test');
    },
    async stop() {
      await bot.stop();
      await pipeline.drain();
      await outbox.stop();
      await fake.close();
      await store.close();
      if (!opts.dir) rmSync(dir, { recursive: true, force: true });
    },
  };
}
