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

  it('reports health with the model version', async () => {
    const res = await fetch(`${base}/healthz`);
    expect(await res.json()).toMatchObject({ status: 'ok', model: expect.stringMatching(/^builtin@/) });
  });
});
