import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import { buildServer } from '../../src/server/app.js';
import { Metrics } from '../../src/server/metrics.js';
import { loadScorer } from '../../src/classifier/registry.js';
import { ModerationPipeline } from '../../src/core/pipeline.js';
import { PolicyService } from '../../src/core/policies.js';
import { Store } from '../../src/store/index.js';

let app: FastifyInstance;
let base: string;
let store: Store;

beforeAll(async () => {
  const scorer = await loadScorer('builtin');
  store = await Store.open(join(mkdtempSync(join(tmpdir(), 'toxguard-api-')), 'db.sqlite'));
  const metrics = new Metrics({ defaults: false });
  const policies = new PolicyService(store, scorer.thresholds);
  const pipeline = new ModerationPipeline({ scorer, store, policies, onVerdict: (o) => metrics.recordOutcome(o) });
  app = buildServer({ scorer, pipeline, policies, metrics, apiToken: 's3cret' });
  base = await app.listen({ port: 0, host: '127.0.0.1' });
});
afterAll(async () => {
  await app.close();
  await store.close();
});

const moderate = (body: unknown) =>
  fetch(`${base}/v1/moderate`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });

describe('HTTP /v1/moderate and /metrics', () => {
  it('answers the full verdict and records it', async () => {
    const res = await moderate({ text: 'you are a pathetic idiot', server_id: 'g1' });
    expect(res.status).toBe(200);
    const body = (await res.json()) as { verdict_id: number; scores: Record<string, number>; spans: [number, number][]; decision: { log_only: boolean; would_act: string[] } };
    expect(body.scores.toxic).toBeGreaterThan(0.8);
    expect(body.spans.length).toBeGreaterThan(0);
    expect(body.decision.log_only).toBe(true);
    expect(body.decision.would_act).toContain('flag');
    expect((await store.getVerdict(body.verdict_id))?.serverId).toBe('g1');
  });

  it('reports images it cannot scan instead of failing', async () => {
    const res = await moderate({ image_url: 'http://127.0.0.1:1/meme.png', server_id: 'g1' });
    const body = (await res.json()) as { ocr: { error?: string }[] };
    expect(body.ocr[0]?.error).toMatch(/not scanned/);
  });

  it('takes an uploaded image (multipart) and records it as a source', async () => {
    const form = new FormData();
    form.append('server_id', 'g1');
    form.append('text', 'look at this');
    form.append('image', new Blob([Buffer.from('\x89PNG\r\n\x1a\nnot really')], { type: 'image/png' }), 'meme.png');
    const res = await fetch(`${base}/v1/moderate`, { method: 'POST', body: form });
    expect(res.status).toBe(200);
    const body = (await res.json()) as { verdict_id: number; ocr: { error?: string }[] };
    expect(body.ocr[0]?.error).toMatch(/not scanned/);
    expect((await store.getVerdict(body.verdict_id))?.sources[0]?.name).toBe('meme.png');
  });

  it('refuses bad input with a clear error', async () => {
    expect((await moderate({ text: 'x' })).status).toBe(400);
    expect((await moderate({ server_id: 'g1' })).status).toBe(400);
    expect((await moderate({ text: 5, server_id: 'g1' })).status).toBe(400);
    // The same contract for multipart fields as for a JSON body.
    const form = new FormData();
    form.append('text', 'look at this');
    form.append('image', new Blob([Buffer.from('\x89PNG\r\n\x1a\nnot really')], { type: 'image/png' }), 'meme.png');
    const res = await fetch(`${base}/v1/moderate`, { method: 'POST', body: form });
    expect(res.status).toBe(400);
    expect(await res.json()).toEqual({ error: '"server_id" (string) is required' });
    const typed = await moderate({ text: 'hi', server_id: 'g1', message_id: 7 });
    expect(await typed.json()).toEqual({ error: '"message_id" must be a string' });
  });

  it('exports Prometheus metrics with verdicts, latency histograms and queue depth', async () => {
    const text = await (await fetch(`${base}/metrics`)).text();
    expect(text).toMatch(/toxguard_messages_total\{platform="api"\} \d+/);
    expect(text).toMatch(/toxguard_verdicts_total\{label="toxic",action="log-only"\} \d+/);
    expect(text).toContain('toxguard_pipeline_seconds_bucket');
    expect(text).toContain('toxguard_queue_depth');
  });
});

describe('policies over the API', () => {
  const patch = (body: unknown) =>
    fetch(`${base}/v1/servers/g9/policy`, { method: 'PATCH', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });

  const patch10 = (body: unknown) =>
    fetch(`${base}/v1/servers/g10/policy`, { method: 'PATCH', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });

  it('starts log-only, changes keys with an audit entry, and names a bad key', async () => {
    const before = (await (await fetch(`${base}/v1/servers/g9/policy`)).json()) as { policy: { mode: string } };
    expect(before.policy.mode).toBe('log-only');
    const res = await patch({ set: { mode: 'active', 'actions.delete.enabled': 'true' }, actor: 'alice' });
    expect(res.status).toBe(200);
    expect(((await res.json()) as { policy: { mode: string } }).policy.mode).toBe('active');
    // One PATCH is one change: both keys in one audit entry.
    expect((await store.listPolicyAudit('g9')).map((a) => a.actor)).toEqual(['alice']);
    const bad = await patch({ set: { 'actions.delete.thresholds.insutl': '0.9' } });
    expect(bad.status).toBe(400);
    expect(((await bad.json()) as { error: string }).error).toMatch(/insutl/);
  });

  it('saves all keys or none: one bad key and the good one is not saved either', async () => {
    const before = (await (await fetch(`${base}/v1/servers/g10/policy`)).json()) as { policy: unknown };
    const res = await patch10({ set: { mode: 'active', 'actions.alert.thresholds.toxic': 'very high' }, actor: 'bob' });
    expect(res.status).toBe(400);
    expect(((await res.json()) as { error: string }).error).toMatch(/actions\.alert\.thresholds\.toxic/);
    const after = (await (await fetch(`${base}/v1/servers/g10/policy`)).json()) as { policy: { mode: string } };
    expect(after.policy.mode).toBe('log-only');
    expect(after.policy).toEqual(before.policy);
    expect(await store.getPolicy('g10')).toBeUndefined();
    expect(await store.listPolicyAudit('g10')).toEqual([]);
  });
});

describe('invalid input bytes', () => {
  it('scores text with invalid UTF-8 instead of crashing', async () => {
    const body = Buffer.concat([Buffer.from('{"inputs": ["you idiot '), Buffer.from([0xff, 0xfe, 0xc3]), Buffer.from('"]}')]);
    const res = await fetch(`${base}/predict`, { method: 'POST', headers: { 'content-type': 'application/json' }, body });
    expect(res.status).toBe(200);
    const out = (await res.json()) as { label: string; score: number }[][];
    // Scored as the readable text around the bad bytes (what the model says of it may change with
    // retraining; that it reads the same text may not).
    const plain = await fetch(`${base}/predict`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ inputs: ['you idiot \ufffd\ufffd\ufffd', 'thanks, see you tomorrow'] }) });
    const [same, clean] = (await plain.json()) as { label: string; score: number }[][];
    const toxic = (scores: { label: string; score: number }[] | undefined) => scores?.find((x) => x.label === 'toxic')?.score ?? NaN;
    expect(toxic(out[0])).toBeCloseTo(toxic(same), 6);
    expect(toxic(out[0])).toBeGreaterThan(toxic(clean) + 0.2);
  });
});

describe('bearer token', () => {
  it('is required from non-loopback clients', async () => {
    // Fastify's inject lets the test pretend to be a remote address.
    const remote = await app.inject({ method: 'POST', url: '/predict', payload: { inputs: ['x'] }, remoteAddress: '203.0.113.5' });
    expect(remote.statusCode).toBe(401);
    const withToken = await app.inject({
      method: 'POST',
      url: '/predict',
      payload: { inputs: ['x'] },
      remoteAddress: '203.0.113.5',
      headers: { authorization: 'Bearer s3cret' },
    });
    expect(withToken.statusCode).toBe(200);
    const wrong = await app.inject({ method: 'GET', url: '/metrics', remoteAddress: '203.0.113.5', headers: { authorization: 'Bearer nope' } });
    expect(wrong.statusCode).toBe(401);
  });
});
