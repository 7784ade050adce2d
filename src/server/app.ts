// The HTTP API. POST /predict speaks the Hugging Face inference API's text-classification shape,
// so existing clients work unchanged.
import Fastify, { type FastifyInstance } from 'fastify';
import { LABELS } from '../classifier/labels.js';
import type { Scorer } from '../classifier/scorer.js';

export interface ServerOptions {
  scorer: Scorer;
  /** Largest request body in bytes. */
  bodyLimit?: number;
  /** Most texts in one /predict call. */
  maxBatch?: number;
  logger?: boolean | object;
}

export function buildServer(options: ServerOptions): FastifyInstance {
  const { scorer } = options;
  const maxBatch = options.maxBatch ?? 256;
  const app = Fastify({ bodyLimit: options.bodyLimit ?? 1_048_576, logger: options.logger ?? false });

  app.setErrorHandler((err: { statusCode?: number; message: string }, _req, reply) => {
    const status = err.statusCode && err.statusCode >= 400 ? err.statusCode : 500;
    void reply.status(status).send({ error: status === 500 ? 'internal error' : err.message });
  });

  app.get('/healthz', async () => ({ status: 'ok', model: `${scorer.name}@${scorer.version}` }));

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
    return predictions.map((p) =>
      LABELS.map((label) => ({ label, score: p.scores[label] })).sort((a, b) => b.score - a.score),
    );
  });

  return app;
}
