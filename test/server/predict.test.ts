import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import { buildServer } from '../../src/server/app.js';
import { loadScorer } from '../../src/classifier/registry.js';

let app: FastifyInstance;
let base: string;

beforeAll(async () => {
  app = buildServer({ scorer: await loadScorer('builtin'), maxBatch: 8, bodyLimit: 64 * 1024 });
  base = await app.listen({ port: 0, host: '127.0.0.1' });
});
afterAll(async () => {
  await app.close();
});

const post = (body: string) => fetch(`${base}/predict`, { method: 'POST', headers: { 'content-type': 'application/json' }, body });

describe('HTTP /predict (Hugging Face inference API shape)', () => {
  it('answers one sorted list of {label, score} per input', async () => {
    const res = await post(JSON.stringify({ inputs: ['you are an idiot', 'have a lovely day'] }));
    expect(res.status).toBe(200);
    const body = (await res.json()) as { label: string; score: number }[][];
    expect(body).toHaveLength(2);
    for (const list of body) {
      expect(list.map((x) => x.label).sort()).toEqual(['identity_hate', 'insult', 'obscene', 'severe_toxic', 'threat', 'toxic']);
      expect([...list].sort((a, b) => b.score - a.score)).toEqual(list);
    }
    const toxic = (i: number) => body[i]!.find((x) => x.label === 'toxic')!.score;
    expect(toxic(0)).toBeGreaterThan(toxic(1));
  });

  it('refuses bad requests with a JSON error that says what is wrong', async () => {
    const malformed = await post('{"inputs": [');
    expect(malformed.status).toBe(400);
    expect(((await malformed.json()) as { error: string }).error).toBeTruthy();
    const wrongShape = await post(JSON.stringify({ text: 'x' }));
    expect(wrongShape.status).toBe(400);
    expect(((await wrongShape.json()) as { error: string }).error).toMatch(/inputs/);
    const tooMany = await post(JSON.stringify({ inputs: Array(9).fill('x') }));
    expect(tooMany.status).toBe(413);
    const tooBig = await post(JSON.stringify({ inputs: ['x'.repeat(70 * 1024)] }));
    expect(tooBig.status).toBe(413);
  });

  it('checks the body against its schema: the schema says what is wrong, the scorer is never asked', async () => {
    for (const body of [{ inputs: [] }, { inputs: [1, 2] }, { inputs: null }, 'just text']) {
      const res = await post(JSON.stringify(body));
      expect(res.status, JSON.stringify(body)).toBe(400);
      expect(((await res.json()) as { error: string }).error).toBe('body must be {"inputs": ["text", ...]} (a non-empty list of strings)');
    }
    const one = await post(JSON.stringify({ inputs: 'a single text' }));
    expect(one.status).toBe(200);
    expect((await one.json()) as unknown[]).toHaveLength(1);
  });

  it('serves its OpenAPI document at /openapi.json, made from the route schemas (the dashboard is not in it)', async () => {
    const res = await fetch(`${base}/openapi.json`);
    expect(res.status).toBe(200);
    const doc = (await res.json()) as { openapi: string; paths: Record<string, Record<string, { requestBody?: { content: Record<string, { schema: { properties?: Record<string, unknown>; required?: string[] } }> } }>> };
    expect(doc.openapi).toMatch(/^3\./);
    expect(Object.keys(doc.paths).sort()).toEqual(['/healthz', '/metrics', '/predict', '/v1/moderate', '/v1/servers/{serverId}/policy']);
    const predict = doc.paths['/predict']?.post?.requestBody?.content['application/json']?.schema;
    expect(predict?.required).toEqual(['inputs']);
    const patch = doc.paths['/v1/servers/{serverId}/policy']?.patch?.requestBody?.content['application/json']?.schema;
    expect(Object.keys(patch?.properties ?? {})).toEqual(['set', 'actor']);
  });

  it('reports health with the model version', async () => {
    const res = await fetch(`${base}/healthz`);
    expect(await res.json()).toMatchObject({ status: 'ok', model: expect.stringMatching(/^builtin@/) });
  });
});
