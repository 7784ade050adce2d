// End-to-end harness for the Reddit adapter: the fake Reddit on loopback, a SQLite file in a temp
// dir, the real pipeline, policies and OutboxWorker, and the adapter from startRedditAdapter fed
// by the same config and secrets loaders `serve` uses. `restart()` stops everything but the fake
// and starts again on the same SQLite file, as a restarted process would.
import type { Platform } from '../../../src/core/message.js';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { pino } from 'pino';
import { vi } from 'vitest';
import { LABELS, type Scores } from '../../../src/classifier/labels.js';
import type { Scorer } from '../../../src/classifier/scorer.js';
import { loadConfig, loadSecrets, type Config } from '../../../src/config/config.js';
import type { OcrEngine } from '../../../src/core/ocr.js';
import { OutboxWorker } from '../../../src/core/outbox.js';
import { ModerationPipeline } from '../../../src/core/pipeline.js';
import { PolicyService } from '../../../src/core/policies.js';
import { startRedditAdapter, type RedditRunningBot } from '../../../src/bots/reddit/index.js';
import { serverIdOf } from '../../../src/bots/reddit/config.js';
import { Store, type ActionRecord, type VerdictRecord } from '../../../src/store/index.js';
import { FakeReddit } from './fake-reddit.js';

export const SUB = 'TestSub';
export const SERVER = serverIdOf(SUB);
export const BOT = 'toxguard_bot';
export const PASSWORD = 'hunter2-fake-password';
export const REFRESH = 'fake-refresh-token-9c1';
export const HUMAN_MOD = 'alice_mod';
export const APPROVED = 'bob_approved';
export const MEMBER = 'carol';
export const TOXIC = 'you are a stupid worthless idiot';
export const CLEAN = 'thanks for the detailed answer';

const ZERO: Scores = { toxic: 0, severe_toxic: 0, obscene: 0, threat: 0, insult: 0, identity_hate: 0 };

/** Deterministic: insult and toxic 0.96 when the text holds an insult word, else 0.02; thresholds 0.5. */
export function keywordScorer(): Scorer {
  return {
    name: 'keywords',
    version: 'test',
    thresholds: Object.fromEntries(LABELS.map((l) => [l, 0.5])) as Scores,
    async scoreBatch(texts) {
      return texts.map((t) => {
        const hit = /\b(idiot|moron|stupid)\b/i.test(t);
        const v = hit ? 0.96 : 0.02;
        return { scores: { ...ZERO, toxic: v, insult: v }, ...(hit ? { spans: [] } : {}) };
      });
    },
  };
}

export interface RedditHarnessOptions {
  scorer?: Scorer;
  ocr?: OcrEngine;
  /** Policy keys set on the subreddit before start (default: active). */
  policy?: Record<string, string>;
  reddit?: Record<string, unknown>;
  /** Secrets as env variables (default: the password grant). */
  env?: Record<string, string>;
  /** Start the polling timers (default false: tests poll with pollAll()). */
  poll?: boolean;
  /** What `serve` passes for reddit.linkedServers (which Discord/Slack adapter takes the linked server's notices). */
  linkedPlatform?: (serverId: string) => Promise<Platform | undefined>;
}

export class RedditHarness {
  readonly fake = new FakeReddit();
  readonly dir = mkdtempSync(join(tmpdir(), 'toxguard-reddit-'));
  readonly dbFile = join(this.dir, 'toxguard.sqlite');
  readonly scorer: Scorer;
  config!: Config;
  store!: Store;
  policies!: PolicyService;
  pipeline!: ModerationPipeline;
  outbox!: OutboxWorker;
  bot!: RedditRunningBot;
  private raw: Database.Database | undefined;

  private constructor(readonly opts: RedditHarnessOptions) {
    this.scorer = opts.scorer ?? keywordScorer();
  }

  /** Starts the fake (with r/TestSub, moderated by the bot and alice) and, unless `start: false`, the adapter. */
  static async create(opts: RedditHarnessOptions = {}, start = true): Promise<RedditHarness> {
    const h = new RedditHarness(opts);
    await h.fake.start();
    h.fake.users.set(BOT, PASSWORD);
    h.fake.refreshTokens.set(REFRESH, BOT);
    h.fake.addSubreddit(SUB, [BOT, HUMAN_MOD], [APPROVED]);
    if (start) await h.start();
    return h;
  }

  env(): NodeJS.ProcessEnv {
    const configFile = join(this.dir, 'toxguard.config.json');
    writeFileSync(
      configFile,
      JSON.stringify({ database: { path: this.dbFile }, ocr: { enabled: false }, reddit: { subreddits: [SUB], initialLookbackMinutes: 24 * 60, ...this.opts.reddit } }),
    );
    return {
      TOXGUARD_CONFIG: configFile,
      REDDIT_API_URL: this.fake.baseUrl,
      REDDIT_AUTH_URL: this.fake.baseUrl,
      ...(this.opts.env ?? { REDDIT_CLIENT_ID: this.fake.clientId, REDDIT_CLIENT_SECRET: this.fake.clientSecret, REDDIT_USERNAME: BOT, REDDIT_PASSWORD: PASSWORD }),
    };
  }

  async start(): Promise<void> {
    const env = this.env();
    this.config = loadConfig({ env });
    const secrets = loadSecrets(env);
    const logger = pino({ level: process.env.TOXGUARD_TEST_LOG ?? 'silent' });
    this.store = await Store.open(this.dbFile, { leaseMs: 2000 });
    this.policies = new PolicyService(this.store, this.scorer.thresholds);
    if (await this.store.getPolicy(SERVER) === undefined) {
      for (const [k, v] of Object.entries(this.opts.policy ?? { mode: 'active', 'alerts.maxPerMinute': '600' })) await this.policies.set(SERVER, k, v, 'test', 'test');
    }
    this.pipeline = new ModerationPipeline({ scorer: this.scorer, store: this.store, policies: this.policies, logger, batchWaitMs: 0, timeoutMs: 60_000, ...(this.opts.ocr ? { ocr: this.opts.ocr } : {}) });
    this.bot = await startRedditAdapter(
      { config: this.config, secrets, scorer: this.scorer, store: this.store, policies: this.policies, pipeline: this.pipeline, logger, ...(this.opts.ocr ? { ocr: this.opts.ocr } : {}) },
      { poll: this.opts.poll ?? false, retryBaseMs: 20, ...(this.opts.linkedPlatform ? { linkedPlatform: this.opts.linkedPlatform } : {}) },
    );
    this.outbox = new OutboxWorker({ store: this.store, executors: { reddit: this.bot.executor }, logger, pollMs: 20, baseDelayMs: 50, maxDelayMs: 2000 });
    this.outbox.start();
  }

  /** Stops the adapter, pipeline and outbox and closes the store (the fake keeps running). */
  async shutdown(): Promise<void> {
    await this.bot?.stop();
    await this.pipeline?.drain();
    await this.outbox?.stop();
    await this.store?.close();
  }

  async restart(): Promise<void> {
    await this.shutdown();
    await this.start();
  }

  async verdict(name: string, postName: string): Promise<VerdictRecord | undefined> {
    return await this.store.getVerdict(`reddit:${SERVER}:${postName}:${name}`);
  }

  /** A read-only view of the SQLite file, to assert the rows written. */
  db(): Database.Database {
    this.raw ??= new Database(this.dbFile, { readonly: true, fileMustExist: true });
    return this.raw;
  }

  count(table: string, where = '1 = 1', ...args: unknown[]): number {
    return (this.db().prepare(`SELECT count(*) AS n FROM ${table} WHERE ${where}`).get(...args) as { n: number }).n;
  }

  /**
   * Waits until every action in the store is done or dead; returns them all. A summary of held-back
   * alerts that is not due yet (it is due at the end of their minute) is not waited for.
   */
  async settled(): Promise<ActionRecord[]> {
    return vi.waitFor(
      async () => {
        const ids = this.db().prepare('SELECT id FROM actions ORDER BY id').all() as { id: number }[];
        const actions = await Promise.all(ids.map(async (r) => (await this.store.getAction(r.id)) as ActionRecord));
        const notDue = (a: ActionRecord): boolean => a.kind === 'alert-summary' && a.status === 'pending' && Date.parse(a.nextAttemptAt) > Date.now();
        const open = actions.filter((a) => a.status !== 'done' && a.status !== 'dead' && !notDue(a));
        if (open.length) throw new Error(`actions still open: ${open.map((a) => `${a.kind}:${a.status}`).join(', ')}`);
        return actions;
      },
      { timeout: 15_000, interval: 20 },
    );
  }

  async close(): Promise<void> {
    this.raw?.close();
    await this.shutdown();
    await this.fake.stop();
    rmSync(this.dir, { recursive: true, force: true });
  }
}
