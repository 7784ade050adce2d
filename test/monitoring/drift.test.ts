// Drift end to end on a real SQLite file: messages go through the moderation pipeline with the
// built-in model, the reference is made from the same kind of texts, and drift is computed per day.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LABELS } from '../../src/classifier/labels.js';
import { loadScorer } from '../../src/classifier/registry.js';
import type { Scorer } from '../../src/classifier/scorer.js';
import type { Attachment } from '../../src/core/message.js';
import type { OcrEngine } from '../../src/core/ocr.js';
import { ModerationPipeline } from '../../src/core/pipeline.js';
import { PolicyService } from '../../src/core/policies.js';
import { MonitoringConfigSchema } from '../../src/monitoring/config.js';
import { DriftMonitor, type DriftAlert } from '../../src/monitoring/monitor.js';
import { binOf, histogram, LENGTH_EDGES, psi, SCORE_EDGES } from '../../src/monitoring/psi.js';
import { computeReference, loadReference, saveReference, type ModelReference } from '../../src/monitoring/reference.js';
import { buildServer } from '../../src/server/app.js';
import { Metrics } from '../../src/server/metrics.js';
import { Store } from '../../src/store/index.js';
import { message } from '../helpers/messages.js';
import { chatMessages } from './traffic.js';

describe('PSI over fixed bins', () => {
  it('is 0 for the same distribution and grows with the shift', () => {
    expect(psi([10, 20, 30], [10, 20, 30])).toBeCloseTo(0, 10);
    // half a count of smoothing per bin barely moves a tiny sample with the same shape
    expect(psi([100, 200, 300], [1, 2, 3])).toBeLessThan(0.01);
    const small = psi([50, 50], [55, 45]);
    const large = psi([50, 50], [90, 10]);
    expect(small).toBeLessThan(0.05);
    expect(large).toBeGreaterThan(0.5);
    // an empty bin is smoothed, not infinite
    expect(Number.isFinite(psi([100, 0], [50, 50]))).toBe(true);
  });

  it('bins scores and lengths on the fixed edges (1.0 and very long texts land in the last bin)', () => {
    expect(binOf(0, SCORE_EDGES)).toBe(0);
    expect(binOf(1, SCORE_EDGES)).toBe(SCORE_EDGES.length - 2);
    expect(binOf(0.5, SCORE_EDGES)).toBe(SCORE_EDGES.indexOf(0.5));
    expect(histogram([1, 7, 8, 119, 120, 10_000], LENGTH_EDGES)).toEqual([2, 1, 0, 0, 1, 1, 0, 1]);
  });
});

const D1 = '2026-03-10';
const D2 = '2026-03-11';

/** Captions for images that were read, failures for the shifted day (downloads refused). */
function fakeOcr(fail: boolean): OcrEngine {
  return {
    read: async () => (fail ? { ok: false, reason: 'image larger than 8388608 bytes' } : { ok: true, text: 'when the match starts', confidence: 0.9, ms: 1 }),
  };
}

const image = (i: number): Attachment => ({ url: `https://cdn.example/${i}.png`, name: `${i}.png`, contentType: 'image/png' });

describe('daily drift on a real SQLite file (built-in model, pipeline verdicts)', () => {
  let scorer: Scorer;
  let store: Store;
  let reference: ModelReference;
  let clock = new Date(`${D1}T10:00:00.000Z`);
  const dir = mkdtempSync(join(tmpdir(), 'toxguard-drift-'));
  const config = MonitoringConfigSchema.parse({ minMessages: 150, minImages: 20 });
  const alerts: DriftAlert[] = [];
  const errors: { obj: unknown; msg: string }[] = [];
  const logger = {
    error: (obj: unknown, msg?: string) => void errors.push({ obj, msg: msg ?? '' }),
    info: () => {},
    warn: () => {},
  } as unknown as ConstructorParameters<typeof DriftMonitor>[0]['logger'];
  let metrics: Metrics;
  let monitor: DriftMonitor;

  beforeAll(async () => {
    scorer = await loadScorer('builtin');
    // The "training" reference: validation-like texts from the generator, scored by the model.
    const refTexts = chatMessages(3000, 1);
    const preds = await scorer.scoreBatch(refTexts);
    const hist = computeReference(refTexts, preds.map((p) => LABELS.map((l) => p.scores[l])), { source: 'test generator, seed 1' });
    saveReference(dir, { ...hist, model: { name: scorer.name, version: scorer.version } });
    reference = loadReference(dir) as ModelReference;

    store = await Store.open(join(dir, 'toxguard.sqlite'), { now: () => clock });
    const policies = new PolicyService(store, scorer.thresholds);
    const submit = async (texts: string[], ocr: OcrEngine, images: number, day: string): Promise<void> => {
      const pipeline = new ModerationPipeline({ scorer, store, policies, ocr, concurrency: 8 });
      clock = new Date(`${day}T10:00:00.000Z`);
      await Promise.all(texts.map((text, i) => pipeline.submit(message({ serverId: i % 2 ? 'g1' : 'g2', text, attachments: i < images ? [image(i)] : [] }))));
      await pipeline.drain();
    };
    // Day 1: the same kind of traffic as the reference (another seed), 30 images read fine.
    await submit(chatMessages(600, 2), fakeOcr(false), 30, D1);
    // Day 2: shifted: 60% insults, long rants, 35% image-only messages whose images cannot be read.
    const shifted = chatMessages(600, 3, { toxicShare: 0.6, minWords: 25, spread: 60 });
    const texts = shifted.map((t, i) => (i < 210 ? '' : t));
    await submit(texts, fakeOcr(true), 210, D2);

    metrics = new Metrics({ defaults: false });
    monitor = new DriftMonitor({ store, reference, model: `${scorer.name}@${scorer.version}`, config, metrics, logger, onDriftAlert: (a) => void alerts.push(a), now: () => new Date(`${D2}T23:00:00.000Z`) });
  }, 120_000);

  afterAll(async () => await store?.close());

  it('traffic drawn like the reference has PSI near 0; shifted traffic is over the bound and alerts once', async () => {
    // "now" is during D2: only D1 is a complete day.
    let run = await monitor.runOnce();
    expect(run.days).toEqual([D1]);
    const day1 = await store.listDrift({ since: D1, until: D1 });
    const scorePsi = Object.fromEntries(day1.filter((r) => r.metric === 'score').map((r) => [r.label, r.value]));
    console.log('day 1 (in distribution):', day1.map((r) => `${r.metric}${r.label ? `/${r.label}` : ''}=${r.value.toFixed(4)}`).join(' '));
    expect(Object.keys(scorePsi).sort()).toEqual([...LABELS].sort());
    // Sampling noise alone (600 messages against 3,000) gives a PSI of a few hundredths; well under
    // half the alert bound is "the same traffic" whatever the model's score histograms look like.
    for (const v of Object.values(scorePsi)) expect(v).toBeLessThan(config.psiBound / 2);
    expect(day1.find((r) => r.metric === 'length')?.value).toBeLessThan(0.05);
    expect(day1.find((r) => r.metric === 'no_text')?.value).toBe(0);
    expect(day1.find((r) => r.metric === 'ocr_failure')?.value).toBe(0);
    expect(day1.every((r) => !r.over && r.n > 0)).toBe(true);
    expect(alerts).toHaveLength(0);
    // per-server rows exist for both servers
    expect((await store.listDrift({ since: D1, serverId: 'g1' })).length).toBeGreaterThan(0);
    expect((await store.listDrift({ since: D1, serverId: 'g2' })).length).toBeGreaterThan(0);

    monitor = new DriftMonitor({ store, reference, model: `${scorer.name}@${scorer.version}`, config, metrics, logger, onDriftAlert: (a) => void alerts.push(a), now: () => new Date('2026-03-12T00:06:00.000Z') });
    run = await monitor.runOnce();
    expect(run.days).toEqual([D2]);
    const day2 = await store.listDrift({ since: D2 });
    console.log('day 2 (shifted):', day2.map((r) => `${r.metric}${r.label ? `/${r.label}` : ''}=${r.value.toFixed(4)}${r.over ? '!' : ''}`).join(' '));
    const get = (metric: string, label?: string) => day2.find((r) => r.metric === metric && r.label === label);
    expect(get('score', 'toxic')?.value).toBeGreaterThan(config.psiBound);
    expect(get('score', 'toxic')?.over).toBe(true);
    expect(get('length')?.value).toBeGreaterThan(config.psiBound);
    expect(get('no_text')?.value).toBeCloseTo(0.35, 5);
    expect(get('no_text')?.over).toBe(false); // within the margin (0 + 0.5)
    expect(get('ocr_failure')?.value).toBe(1);
    expect(get('ocr_failure')?.over).toBe(true);
    // Alerts: one per row over its bound (all servers and each server), each recorded in its row.
    const over = (await store.listDrift({ since: D1, allServers: true })).filter((r) => r.over);
    expect(alerts.length).toBe(over.length);
    expect(over.every((r) => r.alerted && r.alertedAt)).toBe(true);
    expect(alerts.some((a) => a.record.serverId === null && a.record.metric === 'score' && a.record.label === 'toxic')).toBe(true);
    expect(alerts[0]?.message).toMatch(/^Model drift: .* over 0\.200/);
    // A server's own row is one `notice` in the outbox for that server's moderators (marked alerted in
    // the same transaction; the outbox posts it); an all-servers row is the log's alone.
    const notices = async (server: string) => (await store.listServerActions('discord', server)).map((n) => ({ key: n.key, status: n.status, text: (n.payload as { text: string }).text }));
    for (const server of ['g1', 'g2']) {
      const rows = over.filter((r) => r.serverId === server);
      expect(rows.length).toBeGreaterThan(0);
      expect(await notices(server)).toEqual(rows.map((r) => ({ key: `notice:drift:${r.id}`, status: 'pending', text: expect.stringMatching(/^⚠️ toxguard model drift: .* over .*server g/) })));
    }
    expect(alerts.every((a) => a.notices.length === (a.record.serverId === null ? 0 : 1))).toBe(true);
    expect(errors.length).toBe(alerts.length);
    expect(errors[0]?.obj).toMatchObject({ drift: { day: D2 } });
    // Nothing is computed or alerted twice; recomputing a day keeps the record that it alerted.
    run = await monitor.runOnce();
    expect(run).toEqual({ days: [], alerts: [] });
    await monitor.fillDays(3, { recompute: true });
    expect((await store.listDrift({ since: D2 })).filter((r) => r.over).every((r) => r.alerted)).toBe(true);
    expect((await monitor.alertPending(3)).length).toBe(0);
    // ... and no second notice: one per row, whoever runs drift again (serve, `toxguard drift`).
    expect((await store.listServerActions('discord', 'g1')).length).toBe(over.filter((r) => r.serverId === 'g1').length);
    expect((await store.listServerActions('discord', 'g2')).length).toBe(over.filter((r) => r.serverId === 'g2').length);
  });

  it('exports the latest day as Prometheus gauges on /metrics', async () => {
    const app = buildServer({ scorer, metrics });
    try {
      const res = await app.inject({ method: 'GET', url: '/metrics' });
      expect(res.statusCode).toBe(200);
      const text = res.body;
      const toxic = /toxguard_drift_psi\{metric="score",label="toxic"\} ([\d.e+-]+)/.exec(text);
      expect(Number(toxic?.[1])).toBeGreaterThan(0.2);
      expect(text).toMatch(/toxguard_drift_psi\{metric="length",label=""\} [\d.]+/);
      expect(text).toMatch(/toxguard_drift_share\{metric="ocr_failure"\} 1/);
      expect(text).toMatch(/toxguard_drift_over_bound\{metric="score",label="toxic"\} 1/);
      expect(text).toContain(`toxguard_drift_day_timestamp_seconds ${Date.parse(`${D2}T00:00:00Z`) / 1000}`);
    } finally {
      await app.close();
    }
  });

  it('leaves out score drift of verdicts another model produced, and days with too few messages', async () => {
    const other = { ...reference, model: { name: 'other', version: '9' } };
    const m = new DriftMonitor({ store, reference: other, model: 'other@9', config, now: () => new Date('2026-03-12T01:00:00Z') });
    const rows = await m.computeDay(D1);
    expect(rows.some((r) => r.metric === 'score')).toBe(false);
    expect(rows.some((r) => r.metric === 'length')).toBe(true);
    const strict = new DriftMonitor({ store, reference, model: 'x', config: { ...config, minMessages: 10_000, minImages: 10_000 } });
    expect(await strict.computeDay('2026-03-09')).toEqual([]);
  });
});
