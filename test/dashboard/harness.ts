// The real thing for dashboard tests: buildServer + the dashboard plugin + a store (a SQLite file in a
// temp folder, or a fresh database on the run's throwaway PostgreSQL cluster) + the built-in model +
// the moderation pipeline (and, when asked, the real OCR engine). Verdicts come from messages sent
// through the pipeline, never from fixtures.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { FastifyInstance, LightMyRequestResponse } from 'fastify';
import { loadScorer } from '../../src/classifier/registry.js';
import type { Scorer } from '../../src/classifier/scorer.js';
import type { IncomingMessage } from '../../src/core/message.js';
import { ModerationPipeline } from '../../src/core/pipeline.js';
import { PolicyService } from '../../src/core/policies.js';
import type { DashboardConfig } from '../../src/dashboard/config.js';
import { dashboardPlugin } from '../../src/dashboard/plugin.js';
import { TesseractOcr } from '../../src/ocr/index.js';
import { buildServer } from '../../src/server/app.js';
import { Store } from '../../src/store/index.js';
import { message } from '../helpers/messages.js';
import { newPgDatabase, type TestBackend } from '../store/helpers.js';
import { DriftMonitor, MonitoringConfigSchema, referenceForSpec } from '../../src/monitoring/index.js';
import type { DriftRecord } from '../../src/store/index.js';

export const PASSWORD = 'correct horse battery staple';

export interface Harness {
  app: FastifyInstance;
  base: string;
  dir: string;
  store: Store;
  scorer: Scorer;
  policies: PolicyService;
  pipeline: ModerationPipeline;
  ocr?: TesseractOcr;
  close(): Promise<void>;
}

let scorerPromise: Promise<Scorer> | undefined;

export interface DashboardOptions {
  ocr?: boolean;
  password?: string | null;
  config?: Partial<DashboardConfig>;
  listen?: boolean;
  /** Where the store is (default SQLite). PostgreSQL: a new database on the run's cluster. */
  backend?: TestBackend;
  /** The store's clock (default the system clock). */
  now?: () => Date;
}

export async function startDashboard(options: DashboardOptions = {}): Promise<Harness> {
  const dir = mkdtempSync(join(tmpdir(), 'toxguard-dashboard-'));
  const scorer = await (scorerPromise ??= loadScorer('builtin'));
  const target = options.backend === 'postgres' ? await newPgDatabase('dashboard') : join(dir, 'toxguard.sqlite');
  const store = await Store.open(target, options.now ? { now: options.now } : {});
  const policies = new PolicyService(store, scorer.thresholds);
  const ocr = options.ocr ? await TesseractOcr.create({ workers: 1, downloadTimeoutMs: 5000, allowPrivateHosts: ['127.0.0.1'] }) : undefined;
  const pipeline = new ModerationPipeline({ scorer, store, policies, ocr });
  const app = buildServer({ scorer, pipeline, policies, ownAuthPrefixes: ['/dashboard'] });
  await app.register(dashboardPlugin, {
    prefix: '/dashboard',
    store,
    policies,
    scorer,
    pipeline,
    password: options.password === null ? undefined : (options.password ?? PASSWORD),
    config: options.config,
  });
  const base = options.listen === false ? '' : await app.listen({ port: 0, host: '127.0.0.1' });
  if (options.listen === false) await app.ready();
  return {
    app,
    base,
    dir,
    store,
    scorer,
    policies,
    pipeline,
    ocr,
    async close() {
      await app.close();
      await pipeline.drain();
      await ocr?.close();
      await store.close();
    },
  };
}

export const TOXIC = [
  'you are a stupid idiot',
  'shut up you pathetic loser',
  'I will kill you',
  'what a dumb moron',
  'you worthless piece of shit',
  'go to hell you idiot',
  'fuck off and die',
  'you are so stupid it hurts',
  'nobody likes you, loser',
  'idiot',
];

export const CLEAN = [
  'hello everyone',
  'see you at the meeting tomorrow',
  'great game last night',
  'thanks for the help with the build',
  'I love this pizza place',
  'what time does the stream start?',
  'happy birthday Sam!',
  'the new patch notes are out',
];

/**
 * Sends a realistic mix through the pipeline: server g1 (active, so flagged messages land in the
 * review queue) across three channels, server g2 left log-only. Returns the outcomes.
 */
export async function seed(h: Harness, extra: IncomingMessage[] = []): Promise<void> {
  await h.policies.set('g1', 'mode', 'active', 'test-setup', 'cli');
  const channels = ['general', 'memes', 'offtopic'];
  const messages: IncomingMessage[] = [];
  TOXIC.forEach((text, i) => messages.push(message({ text, serverId: 'g1', channelId: channels[i % 3] as string, author: { id: `u${i % 4}`, roleIds: [], isModerator: false, isBot: false } })));
  CLEAN.forEach((text, i) => messages.push(message({ text, serverId: 'g1', channelId: channels[(i + 1) % 3] as string })));
  TOXIC.slice(0, 4).forEach((text) => messages.push(message({ text: `${text}!!`, serverId: 'g2', channelId: 'lobby' })));
  CLEAN.slice(0, 3).forEach((text) => messages.push(message({ text, serverId: 'g2', channelId: 'lobby' })));
  await Promise.all([...messages, ...extra].map((m) => h.pipeline.submit(m)));
}

/** The session cookie and CSRF token of a logged-in moderator (through the real login form). */
export async function login(app: FastifyInstance, name = 'alice'): Promise<{ cookie: string; csrf: string }> {
  const res = await app.inject({
    method: 'POST',
    url: '/dashboard/login',
    headers: { origin: 'http://localhost:80', 'content-type': 'application/x-www-form-urlencoded' },
    payload: new URLSearchParams({ password: PASSWORD, name }).toString(),
  });
  if (res.statusCode !== 303) throw new Error(`login failed: ${res.statusCode} ${res.body}`);
  const cookie = sessionCookie(res);
  const page = await app.inject({ method: 'GET', url: '/dashboard/', headers: { cookie } });
  const csrf = /<meta name="csrf-token" content="([^"]+)">/.exec(page.body)?.[1];
  if (!csrf) throw new Error('no CSRF token in the page');
  return { cookie, csrf };
}

/** The cookie as a browser sends it back: the raw (URL-encoded) value from Set-Cookie. */
export function sessionCookie(res: LightMyRequestResponse): string {
  const header = [res.headers['set-cookie'] ?? []].flat().find((c) => c.startsWith('toxguard_dashboard='));
  if (!header) throw new Error('no session cookie set');
  return header.split(';')[0] as string;
}

/**
 * Drift of today's traffic (what the pipeline stored in this test) against the built-in model's
 * training reference, computed by the real monitor as if the day were over. Test traffic is small,
 * so the minimum counts are lowered: the figures are real, only noisy.
 */
export async function computeDrift(h: Harness): Promise<DriftRecord[]> {
  const monitor = new DriftMonitor({
    store: h.store,
    reference: referenceForSpec('builtin').reference,
    model: `${h.scorer.name}@${h.scorer.version}`,
    config: MonitoringConfigSchema.parse({ minMessages: 10, minImages: 1 }),
  });
  return await monitor.computeDay(new Date().toISOString().slice(0, 10));
}

/**
 * The real dashboard on another test's store (a platform adapter's harness), logged in as `name`:
 * `decide` posts a review decision exactly as the review page does.
 */
export async function dashboardOn(
  deps: { store: Store; policies: PolicyService; scorer: Scorer; pipeline: ModerationPipeline },
  name = 'alice',
): Promise<{ decide(reviewId: number, decision: 'confirmed' | 'overturned' | 'dismissed'): Promise<number>; close(): Promise<void> }> {
  const app = buildServer({ scorer: deps.scorer, pipeline: deps.pipeline, policies: deps.policies, ownAuthPrefixes: ['/dashboard'] });
  await app.register(dashboardPlugin, { prefix: '/dashboard', ...deps, password: PASSWORD });
  await app.ready();
  const auth = await login(app, name);
  return {
    async decide(reviewId, decision) {
      const res = await app.inject({
        method: 'POST',
        url: `/dashboard/api/reviews/${reviewId}/decision`,
        headers: { cookie: auth.cookie, origin: 'http://localhost:80', 'x-csrf-token': auth.csrf },
        payload: { decision },
      });
      return res.statusCode;
    },
    close: () => app.close(),
  };
}
