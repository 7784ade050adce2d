// The HTTP API. POST /predict speaks the Hugging Face inference API's text-classification shape,
// so existing clients work unchanged; POST /v1/moderate runs the full pipeline for one message.
// A bearer token is required except from loopback.
import { timingSafeEqual } from 'node:crypto';
import Fastify, { type FastifyInstance, type FastifyRequest } from 'fastify';
import multipart from '@fastify/multipart';
import { LABELS } from '../classifier/labels.js';
import type { Scorer } from '../classifier/scorer.js';
import type { ModerationPipeline } from '../core/pipeline.js';
import type { PolicyService } from '../core/policies.js';
import { PolicyError } from '../policy/schema.js';
import { describePolicy } from '../policy/config-keys.js';
import type { Attachment } from '../core/message.js';
import type { Metrics } from './metrics.js';

export interface ServerOptions {
  scorer: Scorer;
  pipeline?: ModerationPipeline;
  policies?: PolicyService;
  metrics?: Metrics;
  /** Required from non-loopback clients when set; without it only loopback clients are served. */
  apiToken?: string;
  /** Largest request body in bytes. */
  bodyLimit?: number;
  /** Most texts in one /predict call. */
  maxBatch?: number;
  /** Largest uploaded image in bytes (POST /v1/moderate as multipart/form-data). */
  maxImageBytes?: number;
  logger?: boolean | object;
  /** Path prefixes whose routes do their own authentication (the dashboard's login): no bearer token asked there. */
  ownAuthPrefixes?: string[];
  /** The store /healthz checks (a query with a time limit): unreachable = 503, so a load balancer or orchestrator takes this replica out. */
  database?: { backend: string; ping(): Promise<void> };
}

/** How long /healthz waits for the database before calling it down. */
export const HEALTH_DB_TIMEOUT_MS = 2000;

const LOOPBACK = /^(127\.\d+\.\d+\.\d+|::1|::ffff:127\.\d+\.\d+\.\d+)$/;

function authorized(req: FastifyRequest, token: string | undefined): boolean {
  if (LOOPBACK.test(req.socket.remoteAddress ?? '')) return true;
  if (!token) return false;
  const given = Buffer.from((req.headers.authorization ?? '').replace(/^Bearer\s+/i, ''));
  const expected = Buffer.from(token);
  return given.length === expected.length && timingSafeEqual(given, expected);
}

export function buildServer(options: ServerOptions): FastifyInstance {
  const { scorer, metrics } = options;
  const maxBatch = options.maxBatch ?? 256;
  const app = Fastify({ bodyLimit: options.bodyLimit ?? 2 * 1_048_576, logger: options.logger ?? false });

  void app.register(multipart, { limits: { fileSize: options.maxImageBytes ?? 8 * 1024 * 1024, files: 1, fields: 10 } });

  app.setErrorHandler((err: { statusCode?: number; message: string }, _req, reply) => {
    const status = err.statusCode && err.statusCode >= 400 ? err.statusCode : 500;
    void reply.status(status).send({ error: status === 500 ? 'internal error' : err.message });
  });

  app.addHook('onRequest', async (req, reply) => {
    if (req.url === '/healthz') return;
    if (options.ownAuthPrefixes?.some((p) => req.url === p || req.url.startsWith(`${p}/`) || req.url.startsWith(`${p}?`))) return;
    if (!authorized(req, options.apiToken)) {
      await reply.status(401).send({ error: 'missing or wrong bearer token (set TOXGUARD_API_TOKEN on the server, send Authorization: Bearer <token>)' });
    }
  });

  app.addHook('onResponse', async (req, reply) => {
    metrics?.requestLatency.observe({ route: req.routeOptions.url ?? 'unknown', status: String(reply.statusCode) }, reply.elapsedTime / 1000);
  });

  app.get('/healthz', async (_req, reply) => {
    const model = `${scorer.name}@${scorer.version}`;
    const db = options.database;
    if (!db) return { status: 'ok', model };
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, fail) => {
      timer = setTimeout(() => fail(new Error('timed out')), HEALTH_DB_TIMEOUT_MS);
    });
    try {
      await Promise.race([db.ping(), timeout]);
      return { status: 'ok', model, database: { backend: db.backend, status: 'ok' } };
    } catch {
      // Unauthenticated route: say that the database is down, not where it is or why (the server logs say).
      return reply.status(503).send({ status: 'error', model, database: { backend: db.backend, status: 'unreachable' } });
    } finally {
      clearTimeout(timer);
    }
  });

  app.get('/metrics', async (_req, reply) => {
    if (!metrics) return reply.status(404).send({ error: 'metrics are off' });
    return reply.type(metrics.registry.contentType).send(await metrics.registry.metrics());
  });

  app.post('/predict', async (req, reply) => {
    const body = req.body as { inputs?: unknown } | null;
    const raw = body?.inputs;
    const inputs = typeof raw === 'string' ? [raw] : raw;
    if (!Array.isArray(inputs) || inputs.length === 0 || !inputs.every((t) => typeof t === 'string')) {
      return reply.status(400).send({ error: 'body must be {"inputs": ["text", ...]} (a non-empty list of strings)' });
    }
    if (inputs.length > maxBatch) {
      return reply.status(413).send({ error: `at most ${maxBatch} inputs per request (got ${inputs.length})` });
    }
    const predictions = await scorer.scoreBatch(inputs as string[]);
    return predictions.map((p) => LABELS.map((label) => ({ label, score: p.scores[label] })).sort((a, b) => b.score - a.score));
  });

  app.post('/v1/moderate', async (req, reply) => {
    const pipeline = options.pipeline;
    if (!pipeline) return reply.status(503).send({ error: 'the moderation pipeline is not running' });
    // JSON ({"text", "image_url", "server_id"}) or multipart/form-data with an "image" file upload.
    let body: Record<string, unknown> = {};
    let upload: { name: string; contentType: string; data: Buffer } | undefined;
    if (req.isMultipart()) {
      for await (const part of req.parts()) {
        if (part.type === 'file') {
          const data = await part.toBuffer();
          if (part.file.truncated) return reply.status(413).send({ error: `image larger than ${options.maxImageBytes ?? 8 * 1024 * 1024} bytes` });
          upload = { name: part.filename || 'upload', contentType: part.mimetype, data };
        } else body[part.fieldname] = part.value;
      }
    } else body = (req.body ?? {}) as Record<string, unknown>;
    if (body.text !== undefined && typeof body.text !== 'string') return reply.status(400).send({ error: '"text" must be a string' });
    if (body.image_url !== undefined && typeof body.image_url !== 'string') return reply.status(400).send({ error: '"image_url" must be a string' });
    if (typeof body.server_id !== 'string' || !body.server_id) return reply.status(400).send({ error: '"server_id" (string) is required' });
    if (!body.text && !body.image_url && !upload) return reply.status(400).send({ error: 'give "text" and/or an image ("image_url", or an "image" file upload)' });
    const attachments: Attachment[] = [];
    if (typeof body.image_url === 'string' && body.image_url) attachments.push({ url: body.image_url, name: body.image_url.split('/').pop() || 'image' });
    if (upload) attachments.push({ url: `upload:${upload.name}`, name: upload.name, contentType: upload.contentType, size: upload.data.length, data: upload.data });
    const outcome = await pipeline.submit({
      platform: 'api',
      serverId: body.server_id,
      channelId: typeof body.channel_id === 'string' ? body.channel_id : 'api',
      messageId: typeof body.message_id === 'string' ? body.message_id : `api-${Date.now()}-${Math.random().toString(36).slice(2, 8)}`,
      author: { id: typeof body.author_id === 'string' ? body.author_id : 'api', roleIds: [], isModerator: false, isBot: false },
      text: typeof body.text === 'string' ? body.text : '',
      attachments,
      kind: 'new',
      sentAt: new Date().toISOString(),
    });
    return {
      verdict_id: outcome.record.verdictId,
      scores: outcome.scores,
      label_sources: outcome.labelSources,
      spans: outcome.spans,
      ocr: outcome.sources.map((s) => (s.scanned ? { text: s.text, confidence: s.confidence } : { error: `not scanned: ${s.reason}` })),
      decision: {
        actions: outcome.decision.actions,
        would_act: outcome.decision.triggered.map((t) => t.action),
        log_only: outcome.decision.logOnly,
        exempt: outcome.decision.exempt ?? null,
        triggered: outcome.decision.triggered,
      },
      latency_ms: Math.round(outcome.latencyMs * 100) / 100,
    };
  });

  // A server's policy: read it, or change keys ({"set": {"mode": "active", "actions.delete.enabled": "true"}}).
  app.get('/v1/servers/:serverId/policy', async (req, reply) => {
    if (!options.policies) return reply.status(503).send({ error: 'policies are not available' });
    const { serverId } = req.params as { serverId: string };
    const policy = await options.policies.get(serverId);
    return { server_id: serverId, policy, summary: describePolicy(policy) };
  });

  app.patch('/v1/servers/:serverId/policy', async (req, reply) => {
    if (!options.policies) return reply.status(503).send({ error: 'policies are not available' });
    const { serverId } = req.params as { serverId: string };
    const body = (req.body ?? {}) as { set?: unknown; actor?: unknown };
    if (typeof body.set !== 'object' || body.set === null || Array.isArray(body.set)) {
      return reply.status(400).send({ error: 'body must be {"set": {"<key path>": "<value>", ...}}' });
    }
    const actor = typeof body.actor === 'string' ? body.actor : 'api';
    const entries = Object.entries(body.set as Record<string, unknown>);
    if (entries.length === 0) return reply.status(400).send({ error: '"set" is empty: nothing to change' });
    const notScalar = entries.find(([, v]) => typeof v !== 'string' && typeof v !== 'number' && typeof v !== 'boolean');
    if (notScalar) return reply.status(400).send({ error: `${notScalar[0]}: the value must be a string, number or boolean` });
    try {
      // All keys or none: applied to a copy, validated once, stored with one audit entry.
      const policy = await options.policies.setMany(serverId, entries.map(([path, value]) => [path, String(value)] as const), actor, 'api');
      return { server_id: serverId, policy, summary: describePolicy(policy) };
    } catch (err) {
      if (err instanceof PolicyError) return reply.status(400).send({ error: err.message });
      throw err;
    }
  });

  return app;
}
