// The HTTP API. POST /predict speaks the Hugging Face inference API's text-classification shape,
// so existing clients work unchanged; POST /v1/moderate runs the full pipeline for one message.
// A bearer token is required except from loopback. Request and response shapes are zod schemas
// (fastify-type-provider-zod): they validate the requests and make the OpenAPI document served at
// GET /openapi.json (@fastify/swagger).
import { timingSafeEqual } from 'node:crypto';
import Fastify, { type FastifyInstance, type FastifyRequest } from 'fastify';
import multipart from '@fastify/multipart';
import swagger from '@fastify/swagger';
import { hasZodFastifySchemaValidationErrors, jsonSchemaTransform, serializerCompiler, validatorCompiler, type ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
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

const PREDICT_SHAPE = 'body must be {"inputs": ["text", ...]} (a non-empty list of strings)';
const POLICY_SHAPE = 'body must be {"set": {"<key path>": "<value>", ...}}';

const ErrorReply = z.object({ error: z.string() }).describe('what is wrong');
const LabelScores = z.array(z.object({ label: z.enum(LABELS), score: z.number() })).describe("one text's labels, highest score first");
const PolicyParams = z.object({ serverId: z.string().min(1).describe('the platform server id (Discord guild, Slack team, r_<subreddit>)') });
const PolicyReply = z.object({ server_id: z.string(), policy: z.record(z.string(), z.unknown()), summary: z.string() });
const SERVER_ID_REQUIRED = '"server_id" (string) is required';
/** /v1/moderate's fields, as a JSON body or as multipart/form-data fields beside the "image" file. */
const ModerateFields = z.object(
  {
    text: z.string({ error: '"text" must be a string' }).optional().describe('the message text'),
    image_url: z.string({ error: '"image_url" must be a string' }).optional().describe('an image to read (downloaded with the OCR limits)'),
    server_id: z.string({ error: SERVER_ID_REQUIRED }).min(1, { error: SERVER_ID_REQUIRED }).describe('whose policy applies'),
    channel_id: z.string({ error: '"channel_id" must be a string' }).optional(),
    message_id: z.string({ error: '"message_id" must be a string' }).optional().describe('the same id again is the same message (recorded once)'),
    author_id: z.string({ error: '"author_id" must be a string' }).optional(),
  },
  { error: 'body must be a JSON object (or multipart/form-data)' },
);

export function buildServer(options: ServerOptions): FastifyInstance {
  const { scorer, metrics } = options;
  const maxBatch = options.maxBatch ?? 256;
  const root = Fastify({ bodyLimit: options.bodyLimit ?? 2 * 1_048_576, logger: options.logger ?? false });
  root.setValidatorCompiler(validatorCompiler);
  root.setSerializerCompiler(serializerCompiler);
  const app = root.withTypeProvider<ZodTypeProvider>();

  void app.register(multipart, { limits: { fileSize: options.maxImageBytes ?? 8 * 1024 * 1024, files: 1, fields: 10 } });
  void app.register(swagger, {
    openapi: {
      info: { title: 'toxguard', description: 'Toxicity scores (Hugging Face text-classification shape), full moderation of one message, per-server policies.', version: '1' },
      components: { securitySchemes: { bearer: { type: 'http', scheme: 'bearer' } } },
      security: [{ bearer: [] }],
    },
    // The dashboard's pages and assets are not part of the API (its JSON under /dashboard/api is, behind its login).
    transform: (args) =>
      (args.url.startsWith('/dashboard') && !args.url.startsWith('/dashboard/api/')) || args.url === '/openapi.json' ? { schema: { ...args.schema, hide: true }, url: args.url } : jsonSchemaTransform(args),
  });

  app.setErrorHandler((err: { statusCode?: number; message: string }, _req, reply) => {
    // A request that does not match its route's schema: the schema's own message, first problem only.
    if (hasZodFastifySchemaValidationErrors(err)) return void reply.status(400).send({ error: err.validation[0]?.message ?? 'bad request' });
    const status = err.statusCode && err.statusCode >= 400 ? err.statusCode : 500;
    void reply.status(status).send({ error: status === 500 ? 'internal error' : err.message });
  });

  app.addHook('onRequest', async (req, reply) => {
    if (req.url === '/healthz' || req.url === '/openapi.json') return;
    if (options.ownAuthPrefixes?.some((p) => req.url === p || req.url.startsWith(`${p}/`) || req.url.startsWith(`${p}?`))) return;
    if (!authorized(req, options.apiToken)) {
      await reply.status(401).send({ error: 'missing or wrong bearer token (set TOXGUARD_API_TOKEN on the server, send Authorization: Bearer <token>)' });
    }
  });

  app.addHook('onResponse', async (req, reply) => {
    metrics?.requestLatency.observe({ route: req.routeOptions.url ?? 'unknown', status: String(reply.statusCode) }, reply.elapsedTime / 1000);
  });

  // Routes in a plugin registered after swagger, so that its onRoute hook sees them all.
  void app.register(async (plugin) => {
    const api = plugin.withTypeProvider<ZodTypeProvider>();
    api.get('/openapi.json', { schema: { hide: true } }, async () => api.swagger());

    const DatabaseHealth = z.object({ backend: z.string(), status: z.enum(['ok', 'unreachable']) });
    api.get(
      '/healthz',
      {
        schema: {
          description: 'liveness, the model in use, and (when the store is given) whether the database answers within 2 s: 503 when it does not, so a load balancer takes this replica out',
          security: [],
          response: {
            200: z.object({ status: z.literal('ok'), model: z.string(), database: DatabaseHealth.optional() }),
            503: z.object({ status: z.literal('error'), model: z.string(), database: DatabaseHealth }),
          },
        },
      },
      async (_req, reply) => {
        const model = `${scorer.name}@${scorer.version}`;
        const db = options.database;
        if (!db) return { status: 'ok' as const, model };
        let timer: NodeJS.Timeout | undefined;
        const timeout = new Promise<never>((_, fail) => {
          timer = setTimeout(() => fail(new Error('timed out')), HEALTH_DB_TIMEOUT_MS);
        });
        try {
          await Promise.race([db.ping(), timeout]);
          return { status: 'ok' as const, model, database: { backend: db.backend, status: 'ok' as const } };
        } catch {
          // Unauthenticated route: say that the database is down, not where it is or why (the server logs say).
          return reply.status(503).send({ status: 'error' as const, model, database: { backend: db.backend, status: 'unreachable' as const } });
        } finally {
          clearTimeout(timer);
        }
      },
    );

    api.get('/metrics', async (_req, reply) => {
      if (!metrics) return reply.status(404).send({ error: 'metrics are off' });
      return reply.type(metrics.registry.contentType).send(await metrics.registry.metrics());
    });

    api.post(
      '/predict',
      {
        schema: {
          description: 'Scores texts (the Hugging Face inference API text-classification shape).',
          body: z.object(
            { inputs: z.union([z.string({ error: PREDICT_SHAPE }), z.array(z.string({ error: PREDICT_SHAPE }), { error: PREDICT_SHAPE }).min(1, { error: PREDICT_SHAPE })], { error: PREDICT_SHAPE }) },
            { error: PREDICT_SHAPE },
          ),
          response: { 200: z.array(LabelScores), 400: ErrorReply, 413: ErrorReply },
        },
      },
      async (req, reply) => {
        const raw = req.body.inputs;
        const inputs = typeof raw === 'string' ? [raw] : raw;
        if (inputs.length > maxBatch) {
          return reply.status(413).send({ error: `at most ${maxBatch} inputs per request (got ${inputs.length})` });
        }
        const predictions = await scorer.scoreBatch(inputs);
        return predictions.map((p) => LABELS.map((label) => ({ label, score: p.scores[label] })).sort((a, b) => b.score - a.score));
      },
    );

    // JSON, or multipart/form-data with the same fields and an "image" file: one contract for both
    // (the schema checks a JSON body; the handler checks multipart fields with the same schema).
    api.post('/v1/moderate', { schema: { description: 'Moderates one message through the full pipeline (OCR, classifier, the server policy) and records the verdict. JSON, or multipart/form-data with the same fields and an "image" file.', body: ModerateFields.nullish() } }, async (req, reply) => {
      const pipeline = options.pipeline;
      if (!pipeline) return reply.status(503).send({ error: 'the moderation pipeline is not running' });
      // JSON ({"text", "image_url", "server_id"}) or multipart/form-data with an "image" file upload.
      let raw: unknown = req.body ?? {};
      let upload: { name: string; contentType: string; data: Buffer } | undefined;
      if (req.isMultipart()) {
        const fields: Record<string, unknown> = {};
        for await (const part of req.parts()) {
          if (part.type === 'file') {
            const data = await part.toBuffer();
            if (part.file.truncated) return reply.status(413).send({ error: `image larger than ${options.maxImageBytes ?? 8 * 1024 * 1024} bytes` });
            upload = { name: part.filename || 'upload', contentType: part.mimetype, data };
          } else fields[part.fieldname] = part.value;
        }
        raw = fields;
      }
      const parsed = ModerateFields.safeParse(raw);
      if (!parsed.success) return reply.status(400).send({ error: parsed.error.issues[0]?.message ?? 'bad request' });
      const body = parsed.data;
      if (!body.text && !body.image_url && !upload) return reply.status(400).send({ error: 'give "text" and/or an image ("image_url", or an "image" file upload)' });
      const attachments: Attachment[] = [];
      if (body.image_url) attachments.push({ url: body.image_url, name: body.image_url.split('/').pop() || 'image' });
      if (upload) attachments.push({ url: `upload:${upload.name}`, name: upload.name, contentType: upload.contentType, size: upload.data.length, data: upload.data });
      const outcome = await pipeline.submit({
        platform: 'api',
        serverId: body.server_id,
        channelId: body.channel_id ?? 'api',
        messageId: body.message_id ?? `api-${Date.now()}-${Math.random().toString(36).slice(2, 8)}`,
        author: { id: body.author_id ?? 'api', roleIds: [], isModerator: false, isBot: false },
        text: body.text ?? '',
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
    api.get('/v1/servers/:serverId/policy', { schema: { description: "A server's policy and its summary.", params: PolicyParams, response: { 200: PolicyReply, 503: ErrorReply } } }, async (req, reply) => {
      if (!options.policies) return reply.status(503).send({ error: 'policies are not available' });
      const { serverId } = req.params;
      const policy = await options.policies.get(serverId);
      return { server_id: serverId, policy, summary: describePolicy(policy) };
    });

    const PolicyPatch = z.object(
      {
        set: z.record(z.string(), z.unknown(), { error: POLICY_SHAPE }).describe('key paths ("mode", "actions.delete.enabled", ...) and their values (strings, numbers or booleans): all applied or none'),
        actor: z.unknown().optional().describe('who made the change, recorded in the audit trail (a string; default "api")'),
      },
      { error: POLICY_SHAPE },
    );
    api.patch(
      '/v1/servers/:serverId/policy',
      { schema: { description: "Changes keys of a server's policy, atomically, with one audit entry.", params: PolicyParams, body: PolicyPatch, response: { 200: PolicyReply, 400: ErrorReply, 503: ErrorReply } } },
      async (req, reply) => {
        if (!options.policies) return reply.status(503).send({ error: 'policies are not available' });
        const { serverId } = req.params;
        const body = req.body;
        const actor = typeof body.actor === 'string' ? body.actor : 'api';
        const entries = Object.entries(body.set);
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
      },
    );
  });

  return root;
}
