// The JSON endpoints the dashboard pages call (under /dashboard/api). Authentication and the
// CSRF/origin checks happen in the plugin's hooks before any of these run; handlers only validate
// their input. Writes go through the Store and PolicyService so validation and the audit trail apply.
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { LABELS } from '../classifier/labels.js';
import type { Scorer } from '../classifier/scorer.js';
import type { ModerationPipeline } from '../core/pipeline.js';
import type { PolicyService } from '../core/policies.js';
import { describePolicy, policyKeys } from '../policy/config-keys.js';
import { defaultPolicy, PolicyError } from '../policy/schema.js';
import { StoreError, type Store } from '../store/index.js';
import { REVIEW_STATUSES, type ReviewDecision, type ReviewStatus, type ReviewWithVerdict } from '../store/types.js';
import { modelInfo } from './model-info.js';
import { isPeriod, type DashboardQueries } from './queries.js';
import { tryIt, type TryImage } from './tryit.js';

export interface ApiDeps {
  store: Store;
  policies: PolicyService;
  scorer: Scorer;
  /** Try it is the pipeline's dry run (evaluate with record: false). */
  pipeline: ModerationPipeline;
  queries: DashboardQueries;
  /** Largest image accepted by Try it. */
  maxImageBytes: number;
}

/** Days of drift the Model page shows. */
const DRIFT_DAYS = 30;

const DECISIONS: readonly ReviewDecision[] = ['confirmed', 'overturned', 'dismissed'];
/** Server and channel ids as platforms make them (Discord snowflakes, Slack T.../C... ids, test names). */
const ID = /^[\w.:-]{1,100}$/;

function bad(reply: FastifyReply, message: string, status = 400): FastifyReply {
  return reply.status(status).send({ error: message });
}

function serverParam(req: FastifyRequest): { ok: true; serverId: string | undefined } | { ok: false; error: string } {
  const raw = (req.query as Record<string, unknown>).server;
  if (raw === undefined || raw === '') return { ok: true, serverId: undefined };
  if (typeof raw !== 'string' || !ID.test(raw)) return { ok: false, error: '"server" must be a server id (letters, digits, . _ : -)' };
  return { ok: true, serverId: raw };
}

/** Only http(s) image links become thumbnails (uploads are stored as upload:<name>, Slack links need a token). */
function thumbnail(url: string | null): string | null {
  return url && /^https?:\/\//i.test(url) ? url : null;
}

function reviewView(item: ReviewWithVerdict) {
  const v = item.verdict;
  return {
    id: item.id,
    status: item.status,
    queuedAt: item.queuedAt,
    appealNote: item.appealNote,
    appealedAt: item.appealedAt,
    lastDecision: item.lastDecision,
    verdict: {
      id: v.id,
      platform: v.platform,
      serverId: v.serverId,
      channelId: v.channelId,
      threadId: v.threadId,
      authorId: v.authorId,
      text: v.text ?? v.excerpt,
      textStored: v.textStored,
      spans: v.spans,
      scores: v.scores,
      labelSources: v.labelSources,
      triggered: v.decision.triggered,
      actions: v.decision.actions,
      logOnly: v.decision.logOnly,
      wouldAct: v.decision.wouldAct ?? [],
      sources: v.sources.map((s) => ({ ...s, url: thumbnail(s.url) })),
      model: v.model,
      createdAt: v.createdAt,
      messageAt: v.messageAt,
      revision: v.revision,
    },
  };
}

/**
 * The daily drift rows monitoring stored (src/monitoring): one server's, or those computed over all
 * servers. Empty until the monitor has computed a day; the page then says there is no drift data yet.
 */
async function driftView(store: Store, serverId: string | undefined) {
  const since = new Date(Date.now() - DRIFT_DAYS * 86_400_000).toISOString().slice(0, 10);
  const rows = await store.listDrift(serverId ? { since, serverId } : { since });
  return {
    since,
    rows: rows.map((r) => ({ day: r.day, serverId: r.serverId, metric: r.metric, label: r.label ?? null, value: r.value, bound: r.bound, over: r.over, n: r.n, reference: r.reference, model: r.model })),
  };
}

/** Every leaf that differs between two JSON values, as dotted paths. */
export function diffPaths(before: unknown, after: unknown, prefix = ''): { path: string; before: unknown; after: unknown }[] {
  const isObj = (x: unknown): x is Record<string, unknown> => typeof x === 'object' && x !== null && !Array.isArray(x);
  if (isObj(before) && isObj(after)) {
    const keys = [...new Set([...Object.keys(before), ...Object.keys(after)])].sort();
    return keys.flatMap((k) => diffPaths(before[k], after[k], prefix ? `${prefix}.${k}` : k));
  }
  if (isObj(before) !== isObj(after) && (isObj(before) || isObj(after))) {
    // An override added or removed as a whole: list its leaves.
    return isObj(after) ? diffPaths({}, after, prefix) : diffPaths(before, {}, prefix);
  }
  return JSON.stringify(before) === JSON.stringify(after) ? [] : [{ path: prefix, before: before ?? null, after: after ?? null }];
}

/** The review queue's query string (GET /api/reviews). */
const ReviewsQuery = z.object({
  server: z.string().optional(),
  status: z.enum([...REVIEW_STATUSES, 'all'], { error: `"status" must be one of ${REVIEW_STATUSES.join(', ')}, all` }).default('pending'),
  limit: z.coerce.number({ error: '"limit" must be a whole number from 1 to 200' }).int({ error: '"limit" must be a whole number from 1 to 200' }).min(1, { error: '"limit" must be a whole number from 1 to 200' }).max(200, { error: '"limit" must be a whole number from 1 to 200' }).default(50),
  offset: z.coerce.number({ error: '"offset" must be a whole number >= 0' }).int({ error: '"offset" must be a whole number >= 0' }).min(0, { error: '"offset" must be a whole number >= 0' }).default(0),
});

const DecisionParams = z.object({ id: z.coerce.number({ error: 'review id must be a positive whole number' }).int({ error: 'review id must be a positive whole number' }).positive({ error: 'review id must be a positive whole number' }) }, { error: 'review id must be a positive whole number' });
const DecisionBody = z.object(
  {
    decision: z.enum(DECISIONS as [ReviewDecision, ...ReviewDecision[]], { error: `"decision" must be one of ${DECISIONS.join(', ')}` }),
    note: z.string({ error: '"note" must be a string of at most 1000 characters' }).max(1000, { error: '"note" must be a string of at most 1000 characters' }).optional(),
    _csrf: z.string().optional(),
  },
  { error: `"decision" must be one of ${DECISIONS.join(', ')}` },
);

const POLICY_BODY = 'body must be {"server": "...", "set": {"<key path>": "<value>", ...}}';
const PolicyBody = z.object(
  {
    server: z.string({ error: '"server" (a server id) is required' }).regex(ID, { error: '"server" (a server id) is required' }),
    set: z.record(z.string(), z.unknown(), { error: POLICY_BODY }),
    _csrf: z.string().optional(),
  },
  { error: POLICY_BODY },
);

export function registerApi(fastify: FastifyInstance, deps: ApiDeps, userOf: (req: FastifyRequest) => string): void {
  const { store, policies, scorer, queries } = deps;
  // Request schemas (zod) are validated by fastify-type-provider-zod, the API's one contract.
  const app = fastify.withTypeProvider<ZodTypeProvider>();

  app.get('/api/servers', async () => ({ servers: await queries.servers() }));

  app.get('/api/overview', async (req, reply) => {
    const server = serverParam(req);
    if (!server.ok) return bad(reply, server.error);
    const period = (req.query as Record<string, unknown>).period ?? '7d';
    if (!isPeriod(period)) return bad(reply, '"period" must be one of 24h, 7d, 30d, 90d');
    const timeline = await queries.timeline(server.serverId, period);
    const [stats, terms, channels] = await Promise.all([
      store.stats(server.serverId, timeline.since),
      queries.topTerms(server.serverId, timeline.since),
      queries.topChannels(server.serverId, timeline.since),
    ]);
    return { serverId: server.serverId ?? null, period, timeline, stats, terms, channels };
  });

  app.get('/api/reviews', { schema: { description: "A server's review queue, newest first.", querystring: ReviewsQuery } }, async (req, reply) => {
    const { status, limit, offset } = req.query;
    const server = serverParam(req);
    if (!server.ok) return bad(reply, server.error);
    if (!server.serverId) return bad(reply, '"server" is required (the review queue is per server)');
    const items = await store.listReviews(server.serverId, { status: status === 'all' ? undefined : (status as ReviewStatus), limit, offset });
    return { serverId: server.serverId, status, thresholds: scorer.thresholds, items: items.map(reviewView) };
  });

  app.post('/api/reviews/:id/decision', { schema: { description: 'Decides a review item (and enqueues the refresh of its posted alert).', params: DecisionParams, body: DecisionBody } }, async (req, reply) => {
    const { id } = req.params;
    const { decision, note } = req.body;
    try {
      const item = await store.decideReview(id, decision, userOf(req), 'dashboard', note || undefined);
      return { review: item };
    } catch (err) {
      if (err instanceof StoreError && err.code === 'not-found') return bad(reply, `no review item ${id}`, 404);
      throw err;
    }
  });

  app.get('/api/policy', async (req, reply) => {
    const server = serverParam(req);
    if (!server.ok) return bad(reply, server.error);
    if (!server.serverId) return bad(reply, '"server" is required');
    const policy = await policies.get(server.serverId);
    // The first stored policy has no "before": compare it with the defaults every new server starts from.
    const defaults = defaultPolicy(scorer.thresholds);
    const audit = (await store.listPolicyAudit(server.serverId, 50)).map((a) => ({ id: a.id, actor: a.actor, source: a.source, at: a.at, fromDefaults: a.before === undefined || a.before === null, changes: diffPaths(a.before ?? defaults, a.after) }));
    return { serverId: server.serverId, policy, summary: describePolicy(policy), audit, keys: policyKeys(), labels: LABELS, modelThresholds: scorer.thresholds };
  });

  // {"server": "...", "set": {"<key path>": "<value>", ...}}: every key is applied to a copy, the result
  // validated once and stored with ONE audit entry, so a bad key changes nothing.
  app.post('/api/policy', { schema: { description: "Changes keys of a server's policy, atomically, with one audit entry.", body: PolicyBody } }, async (req, reply) => {
    const body = req.body;
    const entries = Object.entries(body.set);
    if (entries.length === 0) return bad(reply, '"set" is empty: nothing to change');
    if (entries.length > 200) return bad(reply, 'at most 200 keys at once');
    if (entries.some(([, v]) => typeof v !== 'string' && typeof v !== 'number' && typeof v !== 'boolean')) return bad(reply, 'every value must be a string, number or boolean');
    try {
      const saved = await policies.setMany(body.server, entries.map(([path, value]) => [path, String(value)] as const), userOf(req), 'dashboard');
      return { serverId: body.server, policy: saved, summary: describePolicy(saved) };
    } catch (err) {
      if (err instanceof PolicyError) return reply.status(400).send({ error: err.message, issues: err.issues });
      throw err;
    }
  });

  app.get('/api/model', async (req, reply) => {
    const server = serverParam(req);
    if (!server.ok) return bad(reply, server.error);
    const info = modelInfo(scorer);
    return {
      ...info,
      agreement: await queries.agreementByLabel(server.serverId),
      drift: await driftView(store, server.serverId),
    };
  });

  // JSON {"text", "server"} or multipart/form-data with text, server and one "image" file.
  app.post('/api/try', async (req, reply) => {
    let fields: Record<string, unknown> = {};
    const images: TryImage[] = [];
    if (req.isMultipart()) {
      for await (const part of req.parts()) {
        if (part.type === 'file') {
          const data = await part.toBuffer();
          if (part.file.truncated || data.length > deps.maxImageBytes) return bad(reply, `image larger than ${deps.maxImageBytes} bytes`, 413);
          if (data.length > 0) images.push({ name: part.filename || 'upload', contentType: part.mimetype, data });
        } else fields[part.fieldname] = part.value;
      }
    } else fields = (req.body ?? {}) as Record<string, unknown>;
    const text = fields.text ?? '';
    if (typeof text !== 'string') return bad(reply, '"text" must be a string');
    if (text.length > 20_000) return bad(reply, '"text" is longer than 20000 characters');
    const serverId = fields.server ?? '';
    if (typeof serverId !== 'string' || (serverId !== '' && !ID.test(serverId))) return bad(reply, '"server" must be a server id');
    if (!text.trim() && images.length === 0) return bad(reply, 'give a text and/or an image');
    return tryIt({ pipeline: deps.pipeline, thresholds: scorer.thresholds }, { text, images, serverId: serverId || 'dashboard-try-it' });
  });
}
