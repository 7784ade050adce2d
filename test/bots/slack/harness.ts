// End-to-end harness: the real Bolt app from startSlackApp on loopback, the real pipeline, store
// (a SQLite file in a temp dir), policies and OutboxWorker, a fake Slack Web API, and requests
// signed exactly as Slack signs them. Nothing in the app is stubbed.
import { createHmac } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import pg from 'pg';
import pino from 'pino';
import type { Scorer } from '../../../src/classifier/scorer.js';
import { databaseTarget, loadConfig, loadSecrets } from '../../../src/config/config.js';
import type { OcrEngine } from '../../../src/core/ocr.js';
import { OutboxWorker } from '../../../src/core/outbox.js';
import { ModerationPipeline } from '../../../src/core/pipeline.js';
import { PolicyService } from '../../../src/core/policies.js';
import { startSlackApp, type SlackRunningBot, type SlackStartOptions } from '../../../src/bots/slack/index.js';
import { Store } from '../../../src/store/index.js';
import { FakeSlack } from './fake-slack.js';

export const TEAM = 'T0TEAM';
export const BOT_TOKEN = 'xoxb-test-bot-token';
export const ADMIN_TOKEN = 'xoxp-test-admin-token';
export const BOT_USER = 'U0BOT';
export const BOT_ID = 'B0BOT';
export const MEMBER = 'U0MEMBER';
export const ADMIN = 'U0ADMIN';
export const GROUP_MOD = 'U0GROUPMOD';
export const MOD_GROUP = 'S0MODS';
export const GENERAL = 'C0GENERAL';
export const MODS = 'C0MODS';
export const SIGNING_SECRET = 'test-signing-secret-8f2c';
export const CLIENT_ID = '1111.2222';
export const CLIENT_SECRET = 'test-client-secret';
export const STATE_SECRET = 'test-state-secret';
export const APP_TOKEN = 'xapp-test-app-token';

export interface HarnessOptions {
  scorer: Scorer;
  ocr?: OcrEngine;
  adminToken?: boolean;
  oauth?: boolean;
  /** Socket Mode instead of HTTP (SLACK_APP_TOKEN set, slack.mode "socket"). */
  socket?: boolean;
  /** Policy keys set before the app starts (as `/toxicity config` would). */
  policy?: Record<string, string>;
  slackConfig?: Record<string, unknown>;
  start?: SlackStartOptions;
  /** A restart: this folder's database (and config) instead of a new one; the caller removes it. */
  dir?: string;
  /** A PostgreSQL database URL to run on instead of the SQLite file in `dir` (read with `query`, not `db`). */
  databaseUrl?: string;
}

/** Slack's request signature: v0=hex(HMAC_SHA256(secret, `v0:${ts}:${body}`)). */
export function sign(body: string, ts: number, secret = SIGNING_SECRET): Record<string, string> {
  const sig = createHmac('sha256', secret).update(`v0:${ts}:${body}`).digest('hex');
  return { 'x-slack-signature': `v0=${sig}`, 'x-slack-request-timestamp': String(ts) };
}

export function nowSeconds(): number {
  return Math.floor(Date.now() / 1000);
}

let tsSeq = 0;
/** A fresh Slack message timestamp. */
export function nextTs(): string {
  tsSeq += 1;
  return `${nowSeconds()}.${String(100_000 + tsSeq).padStart(6, '0')}`;
}

export class Harness {
  readonly fake = new FakeSlack();
  readonly dir: string;
  readonly dbFile: string;
  store!: Store;
  policies!: PolicyService;
  pipeline!: ModerationPipeline;
  outbox!: OutboxWorker;
  bot!: SlackRunningBot;
  private raw: Database.Database | undefined;
  private pg: pg.Client | undefined;
  private eventSeq = 0;

  private constructor(private readonly opts: HarnessOptions) {
    this.dir = opts.dir ?? mkdtempSync(join(tmpdir(), 'toxguard-slack-'));
    this.dbFile = join(this.dir, 'toxguard.sqlite');
  }

  static async start(opts: HarnessOptions): Promise<Harness> {
    const h = new Harness(opts);
    await h.init();
    return h;
  }

  private async init(): Promise<void> {
    const { fake, opts } = this;
    await fake.start();
    fake.addUser({ id: MEMBER, teamId: TEAM, name: 'member' });
    fake.addUser({ id: ADMIN, teamId: TEAM, name: 'admin', isAdmin: true });
    fake.addUser({ id: GROUP_MOD, teamId: TEAM, name: 'groupmod' });
    fake.addUser({ id: BOT_USER, teamId: TEAM, name: 'toxguard', isBot: true });
    fake.usergroups.set(MOD_GROUP, [GROUP_MOD]);
    if (!opts.oauth) fake.addToken(BOT_TOKEN, { kind: 'bot', teamId: TEAM, userId: BOT_USER, botId: BOT_ID });
    fake.addToken(ADMIN_TOKEN, { kind: 'user', teamId: TEAM, userId: ADMIN });

    const configFile = join(this.dir, 'toxguard.config.json');
    writeFileSync(
      configFile,
      JSON.stringify({
        database: { path: this.dbFile, ...(opts.databaseUrl ? { url: opts.databaseUrl } : {}) },
        slack: {
          port: 0,
          host: '127.0.0.1',
          retries: 0,
          moderatorGroupId: MOD_GROUP,
          oauth: { authorizationUrl: `${fake.baseUrl}/oauth/v2/authorize` },
          ...(opts.socket ? { mode: 'socket' } : {}),
          ...opts.slackConfig,
        },
      }),
    );
    // The same loaders `serve` uses, fed an environment: SLACK_API_URL points Bolt at the fake.
    const env: NodeJS.ProcessEnv = { TOXGUARD_CONFIG: configFile, SLACK_API_URL: fake.apiUrl, SLACK_SIGNING_SECRET: SIGNING_SECRET };
    if (opts.oauth) Object.assign(env, { SLACK_CLIENT_ID: CLIENT_ID, SLACK_CLIENT_SECRET: CLIENT_SECRET, SLACK_STATE_SECRET: STATE_SECRET });
    else env.SLACK_BOT_TOKEN = BOT_TOKEN;
    if (opts.adminToken) env.SLACK_ADMIN_TOKEN = ADMIN_TOKEN;
    if (opts.socket) {
      env.SLACK_APP_TOKEN = APP_TOKEN;
      fake.appTokens.add(APP_TOKEN);
    }
    const config = loadConfig({ env });
    const secrets = loadSecrets(env);

    const logger = pino({ level: process.env.TOXGUARD_TEST_LOG ?? 'silent' });
    this.store = await Store.open(databaseTarget(config));
    this.policies = new PolicyService(this.store, opts.scorer.thresholds);
    for (const [key, value] of Object.entries(opts.policy ?? {})) await this.policies.set(TEAM, key, value, 'test', 'test');
    this.pipeline = new ModerationPipeline({ scorer: opts.scorer, store: this.store, policies: this.policies, ocr: opts.ocr, logger, batchWaitMs: 0 });
    this.bot = await startSlackApp({ config, secrets, scorer: opts.scorer, store: this.store, policies: this.policies, pipeline: this.pipeline, ocr: opts.ocr, logger }, opts.start);
    this.outbox = new OutboxWorker({ store: this.store, executors: { slack: this.bot.executor }, logger, pollMs: 20, baseDelayMs: 100, maxDelayMs: 5000 });
    this.outbox.start();
  }

  get url(): string {
    return `http://127.0.0.1:${this.bot.port}`;
  }

  /** A read-only view of the SQLite file, to assert the rows written. */
  db(): Database.Database {
    this.raw ??= new Database(this.dbFile, { readonly: true, fileMustExist: true });
    return this.raw;
  }

  count(table: string, where = '1 = 1', ...args: unknown[]): number {
    return (this.db().prepare(`SELECT count(*) AS n FROM ${table} WHERE ${where}`).get(...args) as { n: number }).n;
  }

  /** Rows of a query (`?` placeholders) on whichever database the app runs on, SQLite or PostgreSQL. */
  async query<T>(text: string, ...args: unknown[]): Promise<T[]> {
    if (!this.opts.databaseUrl) return this.db().prepare(text).all(...args) as T[];
    if (!this.pg) {
      this.pg = new pg.Client({ connectionString: this.opts.databaseUrl });
      await this.pg.connect();
    }
    let n = 0;
    return (await this.pg.query(text.replace(/\?/g, () => `$${++n}`), args)).rows as T[];
  }

  /** `count`, on either database. */
  async countRows(table: string, where = '1 = 1', ...args: unknown[]): Promise<number> {
    const [row] = await this.query<{ n: number | string }>(`SELECT count(*) AS n FROM ${table} WHERE ${where}`, ...args);
    return Number(row?.n ?? 0);
  }

  /** Posts a body signed for `ts` (default: now) to the events path. */
  async post(body: string, contentType: string, headers: Record<string, string> = sign(body, nowSeconds())): Promise<{ status: number; text: string }> {
    const res = await fetch(`${this.url}/slack/events`, { method: 'POST', headers: { 'content-type': contentType, ...headers }, body });
    return { status: res.status, text: await res.text() };
  }

  /** The Events API envelope around one event. */
  envelope(event: Record<string, unknown>, team = TEAM): string {
    this.eventSeq += 1;
    return JSON.stringify({
      token: 'legacy-verification-token',
      team_id: team,
      api_app_id: 'A0TOXGUARD',
      type: 'event_callback',
      event_id: `Ev${Date.now()}${this.eventSeq}`,
      event_time: nowSeconds(),
      event,
      authorizations: [{ enterprise_id: null, team_id: team, user_id: BOT_USER, is_bot: true, is_enterprise_install: false }],
      is_ext_shared_channel: false,
    });
  }

  async sendEvent(event: Record<string, unknown>, team = TEAM): Promise<{ status: number; text: string }> {
    return this.post(this.envelope(event, team), 'application/json');
  }

  /** A member posts `text` in #general; the fake knows the message (so deletes can find it). */
  async memberSays(text: string, extra: Record<string, unknown> = {}, user = MEMBER): Promise<{ ts: string; status: number }> {
    const ts = nextTs();
    this.fake.addMessage(GENERAL, ts, user, text);
    const res = await this.sendEvent({ type: 'message', channel: GENERAL, channel_type: 'channel', user, text, ts, event_ts: ts, team: TEAM, ...extra });
    return { ts, status: res.status };
  }

  async command(text: string, user: string): Promise<{ status: number; body: Record<string, unknown> }> {
    const form = new URLSearchParams({
      token: 'legacy',
      team_id: TEAM,
      team_domain: 'team',
      channel_id: GENERAL,
      channel_name: 'general',
      user_id: user,
      user_name: user.toLowerCase(),
      command: '/toxicity',
      text,
      api_app_id: 'A0TOXGUARD',
      response_url: `${this.fake.baseUrl}/response/cmd-${nextTs()}`,
      trigger_id: `trigger-${nextTs()}`,
    }).toString();
    const res = await this.post(form, 'application/x-www-form-urlencoded');
    return { status: res.status, body: res.text ? (JSON.parse(res.text) as Record<string, unknown>) : {} };
  }

  /** An interactivity payload (block_actions, message_action), form-encoded as Slack sends it. */
  async interaction(payload: Record<string, unknown>): Promise<{ status: number }> {
    const body = new URLSearchParams({ payload: JSON.stringify(payload) }).toString();
    const res = await this.post(body, 'application/x-www-form-urlencoded');
    return { status: res.status };
  }

  async close(): Promise<void> {
    await this.bot?.stop();
    await this.pipeline?.drain();
    await this.outbox?.stop();
    this.raw?.close();
    await this.pg?.end();
    await this.store?.close();
    await this.fake.stop();
    if (!this.opts.dir) rmSync(this.dir, { recursive: true, force: true });
  }
}

/** Parses the `blocks` param of a recorded call. */
export function blocksOf(params: Record<string, string>): { type: string; [k: string]: unknown }[] {
  return params.blocks ? (JSON.parse(params.blocks) as { type: string }[]) : [];
}
