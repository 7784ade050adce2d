import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { loadScorer } from '../../src/classifier/registry.js';
import type { Scorer } from '../../src/classifier/scorer.js';
import { MAX_TEXT_CHARS, ModerationPipeline, type PipelineOptions } from '../../src/core/pipeline.js';
import { PolicyService } from '../../src/core/policies.js';
import { OutboxWorker, PermanentActionError, type ActionExecutor } from '../../src/core/outbox.js';
import type { OcrEngine } from '../../src/core/ocr.js';
import { Store } from '../../src/store/index.js';
import { message } from '../helpers/messages.js';
import { wordScorer } from '../helpers/word-scorer.js';

let scorer: Scorer;
beforeAll(async () => {
  scorer = await loadScorer('builtin');
});

const stores: Store[] = [];
afterEach(async () => {
  for (const s of stores.splice(0)) await s.close();
});

/** A pipeline on a fresh SQLite file; the built-in model unless `scorer` is given. */
async function setup(options: Partial<Omit<PipelineOptions, 'store' | 'policies'>> = {}) {
  const dir = mkdtempSync(join(tmpdir(), 'toxguard-pipeline-'));
  const store = await Store.open(join(dir, 'toxguard.sqlite'));
  stores.push(store);
  const policies = new PolicyService(store, (options.scorer ?? scorer).thresholds);
  const pipeline = new ModerationPipeline({ scorer, store, policies, concurrency: 4, queueLimit: 8, ...options });
  return { store, policies, pipeline, dir };
}

const TOXIC = 'shut up you worthless fucking idiot';

describe('moderation pipeline (real SQLite file, built-in model)', () => {
  it('logs only on a new server: verdict stored, nothing to do', async () => {
    const { pipeline, store } = await setup();
    const out = await pipeline.submit(message({ text: TOXIC }));
    expect(out.decision.logOnly).toBe(true);
    expect(out.decision.triggered.length).toBeGreaterThan(0);
    expect(await store.listActions(out.record.verdictId)).toEqual([]);
    expect((await store.getVerdict(out.record.verdictId))?.scores.toxic).toBeGreaterThan(0.8);
  });

  it('log-only still fills the review queue, marked with what would have been done', async () => {
    const { store, policies, pipeline } = await setup({ scorer: wordScorer() });
    await policies.setMany('g1', [['actions.delete.enabled', 'true'], ['actions.delete.thresholds.insult', '0.85']], 'mod1', 'cli');
    const out = await pipeline.submit(message({ text: 'you idiot' }));
    expect(out.decision).toMatchObject({ logOnly: true, actions: [], wouldAct: ['flag', 'alert', 'delete'] });
    expect(await store.listActions(out.record.verdictId)).toEqual([]);
    const [item] = await store.listReviews('g1', { status: 'pending' });
    expect(item?.id).toBe(out.record.reviewId);
    expect(item?.verdict.decision).toMatchObject({ logOnly: true, actions: [], wouldAct: ['flag', 'alert', 'delete'] });
    expect(item?.verdict.decision.triggered.map((t) => t.label)).toEqual(['toxic', 'insult']);
    // A clean message, and a moderator's toxic one, are not queued.
    const clean = await pipeline.submit(message({ text: 'see you at the match' }));
    const mod = await pipeline.submit(message({ text: 'you idiot', author: { id: 'm', roleIds: [], isModerator: true, isBot: false } }));
    expect(clean.record.reviewId).toBeUndefined();
    expect(mod.record.reviewId).toBeUndefined();
    expect(await store.listReviews('g1')).toHaveLength(1);
  });

  it('acts in active mode: flag + alert planned in the same transaction as the verdict, review queued', async () => {
    const { pipeline, store, policies } = await setup();
    await policies.set('g1', 'mode', 'active', 'mod1', 'cli');
    const out = await pipeline.submit(message({ text: TOXIC }));
    expect((await store.listActions(out.record.verdictId)).map((a) => a.kind).sort()).toEqual(['alert', 'flag']);
    expect(await store.listReviews('g1', { status: 'pending' })).toHaveLength(1);
    const clean = await pipeline.submit(message({ text: 'thanks, see you at the match tonight' }));
    expect(await store.listActions(clean.record.verdictId)).toEqual([]);
  });

  it('never acts on moderators or exempt roles', async () => {
    const { pipeline, store, policies } = await setup();
    await policies.set('g1', 'mode', 'active', 'mod1', 'cli');
    await policies.set('g1', 'exemptions.roleIds', '+vip', 'mod1', 'cli');
    const mod = await pipeline.submit(message({ text: TOXIC, author: { id: 'm', roleIds: [], isModerator: true, isBot: false } }));
    const vip = await pipeline.submit(message({ text: TOXIC, author: { id: 'v', roleIds: ['vip'], isModerator: false, isBot: false } }));
    expect(mod.decision.exempt).toBe('moderator');
    expect(vip.decision.exempt).toBe('role:vip');
    expect(await store.listActions(mod.record.verdictId)).toEqual([]);
    expect(await store.listActions(vip.record.verdictId)).toEqual([]);
  });

  it('re-checks an edit: clean -> toxic adds actions; a replay of the same event adds nothing', async () => {
    const { pipeline, store, policies } = await setup();
    await policies.set('g1', 'mode', 'active', 'mod1', 'cli');
    const first = message({ text: 'good game everyone' });
    const a = await pipeline.submit(first);
    expect(await store.listActions(a.record.verdictId)).toEqual([]);
    const edit = { ...first, text: TOXIC, kind: 'edit' as const, editedAt: new Date(Date.parse(first.sentAt) + 1000).toISOString() };
    const b = await pipeline.submit(edit);
    expect(b.record.verdictId).toBe(a.record.verdictId);
    expect(b.record.revision).toBe(2);
    const actions = (await store.listActions(b.record.verdictId)).length;
    expect(actions).toBeGreaterThan(0);
    const replay = await pipeline.submit(edit);
    expect(replay.record.changed).toBe(false);
    expect(await store.listActions(b.record.verdictId)).toHaveLength(actions);
  });

  it('takes the per-label maximum over text and OCR text, and says which source drove it', async () => {
    const ocr: OcrEngine = {
      async read(a) {
        return a.name === 'meme.png' ? { ok: true, text: 'i will find you and kill you', confidence: 91, ms: 5 } : { ok: false, reason: 'corrupt image' };
      },
    };
    const { pipeline, store } = await setup({ ocr });
    const out = await pipeline.submit(
      message({
        text: 'lol look at this',
        attachments: [
          { url: 'http://127.0.0.1/meme.png', name: 'meme.png', contentType: 'image/png' },
          { url: 'http://127.0.0.1/broken.png', name: 'broken.png', contentType: 'image/png' },
          { url: 'http://127.0.0.1/notes.txt', name: 'notes.txt', contentType: 'text/plain' },
        ],
      }),
    );
    expect(out.labelSources.toxic).toBe('attachment:0');
    expect(out.scores.toxic).toBeGreaterThan(0.8);
    const stored = await store.getVerdict(out.record.verdictId);
    expect(stored?.sources.map((s) => [s.scanned, s.reason])).toEqual([
      [true, null],
      [false, 'corrupt image'],
      [false, 'not an image'],
    ]);
  });

  it('records attachments as not scanned when no OCR engine is configured, and handles empty and huge texts', async () => {
    const { pipeline, store } = await setup();
    const img = await pipeline.submit(message({ text: '', attachments: [{ url: 'http://x/a.jpg', name: 'a.jpg' }] }));
    expect((await store.getVerdict(img.record.verdictId))?.sources[0]?.reason).toMatch(/no OCR engine/);
    expect(img.scores.toxic).toBe(0);
    const huge = await pipeline.submit(message({ text: 'you idiot '.repeat(100_000) }));
    expect(huge.scores.toxic).toBeGreaterThan(0.5);
  });

  it('applies queued actions exactly once through the outbox, retrying transient failures and giving up on permanent ones', async () => {
    const { pipeline, store, policies } = await setup();
    await policies.set('g1', 'mode', 'active', 'mod1', 'cli');
    const done: string[] = [];
    let failures = 1;
    const executor: ActionExecutor = {
      async execute(action) {
        if (action.verdictId === null) throw new Error('no notices in this test');
        if (action.kind === 'alert' && failures-- > 0) throw new Error('503 from platform');
        if (action.target.channelId === 'locked') throw new PermanentActionError('Missing Permissions (50013)');
        done.push(`${action.kind}:${action.target.messageId}`);
        return { ok: true };
      },
    };
    const worker = new OutboxWorker({ store, executors: { discord: executor }, baseDelayMs: 1 });
    const out = await pipeline.submit(message({ text: TOXIC }));
    const locked = await pipeline.submit(message({ text: TOXIC, channelId: 'locked' }));
    const t = Date.now();
    await worker.runOnce(new Date(t));
    await worker.runOnce(new Date(t + 10_000));
    await worker.runOnce(new Date(t + 20_000));
    expect(done.sort()).toEqual([`alert:${out.message.messageId}`, `flag:${out.message.messageId}`]);
    expect((await store.listActions(out.record.verdictId)).map((a) => a.status)).toEqual(['done', 'done']);
    expect((await store.listActions(locked.record.verdictId)).every((a) => a.status === 'dead' && /50013/.test(a.lastError ?? ''))).toBe(true);
    await worker.runOnce(new Date(t + 60_000));
    expect(done).toHaveLength(2);
  });

  it('evaluate({ record: false }) is the same scoring and decision as a recorded message, and records nothing', async () => {
    const verdicts: unknown[] = [];
    const ocr: OcrEngine = { read: async () => ({ ok: true, text: 'I will kill you', confidence: 0.9, ms: 1 }) };
    const { store, policies, pipeline } = await setup({ scorer: wordScorer(), ocr, onVerdict: (o) => verdicts.push(o) });
    await policies.setMany('g1', [['mode', 'active'], ['escalation.enabled', 'true']], 'mod1', 'cli');
    const long = `you idiot ${'x'.repeat(30_000)}`;
    const m = message({ text: long, attachments: [{ url: 'http://cdn.example/a.png', name: 'a.png', contentType: 'image/png' }] });
    const dry = await pipeline.evaluate(m, { record: false });
    expect('record' in dry).toBe(false);
    expect(dry.text).toHaveLength(MAX_TEXT_CHARS);
    expect(dry.labelSources).toMatchObject({ insult: 'text', threat: 'attachment:0' });
    expect(dry.images).toEqual([expect.objectContaining({ scanned: true, text: 'I will kill you', spans: [[7, 11]] })]);
    expect((await store.stats(undefined, new Date(0).toISOString())).verdicts).toBe(0);
    expect(await store.listReviews('g1')).toEqual([]);
    expect(await store.countStrikes('g1', 'u1', new Date(0).toISOString())).toBe(0);
    expect(verdicts).toEqual([]);
    // The same message recorded: the same scores, spans and decision.
    const recorded = await pipeline.submit(m);
    expect(recorded.scores).toEqual(dry.scores);
    expect(recorded.spans).toEqual(dry.spans);
    expect(recorded.decision).toEqual(dry.decision);
    expect(verdicts).toHaveLength(1);
  });

  it('an action whose payload no longer validates when claimed gives up instead of acting', async () => {
    const { store, policies, pipeline } = await setup({ scorer: wordScorer() });
    await policies.set('g1', 'mode', 'active', 'mod1', 'cli');
    const out = await pipeline.submit(message({ text: 'you idiot' }));
    const alert = (await store.listActions(out.record.verdictId)).find((a) => a.kind === 'alert');
    // Written by another version, or edited by hand.
    await store.kysely.updateTable('actions').set({ payload_json: '{"channel":5}' }).where('id', '=', alert?.id ?? -1).execute();
    const executed: string[] = [];
    const worker = new OutboxWorker({ store, executors: { discord: { execute: async (a) => void executed.push(a.kind) } } });
    await worker.runOnce();
    expect(executed).toEqual(['flag']);
    expect(await store.getAction(alert?.id ?? -1)).toMatchObject({ status: 'dead', lastError: expect.stringMatching(/invalid payload for an alert action/) as unknown as string });
  });

  it('plans a dm action after the others when dmAuthor is on', async () => {
    const { store, policies, pipeline } = await setup({ scorer: wordScorer() });
    await policies.setMany('g1', [['mode', 'active'], ['dmAuthor', 'true'], ['actions.delete.enabled', 'true']], 'mod1', 'cli');
    const out = await pipeline.submit(message({ text: 'you idiot' }));
    expect((await store.listActions(out.record.verdictId)).map((a) => a.kind)).toEqual(['flag', 'alert', 'delete', 'dm']);
    await policies.set('g1', 'dmAuthor', 'false', 'mod1', 'cli');
    const quiet = await pipeline.submit(message({ text: 'you moron' }));
    expect((await store.listActions(quiet.record.verdictId)).map((a) => a.kind)).toEqual(['flag', 'alert', 'delete']);
  });

  it('bounds the queue under many concurrent callers: never more than queueLimit waiting', async () => {
    let maxQueued = 0;
    // A scorer that yields to the event loop, so callers pile up; it samples the queue on every call.
    const slow: Scorer = {
      ...scorer,
      scoreBatch: async (texts, options) => {
        maxQueued = Math.max(maxQueued, pipeline.queued);
        await new Promise((r) => setTimeout(r, 2));
        return scorer.scoreBatch(texts, options);
      },
    };
    const { pipeline } = await setup({ scorer: slow, concurrency: 2, queueLimit: 4, batchWaitMs: 0 });
    const all = Array.from({ length: 60 }, (_, i) => pipeline.submit(message({ text: `message ${i}` })).then((o) => ((maxQueued = Math.max(maxQueued, pipeline.queued)), o)));
    maxQueued = Math.max(maxQueued, pipeline.queued);
    const results = await Promise.all(all);
    expect(new Set(results.map((r) => r.record.verdictId)).size).toBe(60);
    expect(maxQueued).toBeGreaterThan(0);
    expect(maxQueued).toBeLessThanOrEqual(4);
  });

  it('applies backpressure: at most queueLimit messages wait', async () => {
    const { pipeline } = await setup();
    const all = Array.from({ length: 40 }, (_, i) => pipeline.submit(message({ text: `message ${i}` })));
    // 4 running + 8 waiting in the queue; the other submitters wait outside it.
    expect(pipeline.depth).toBeLessThanOrEqual(12);
    const results = await Promise.all(all);
    expect(new Set(results.map((r) => r.record.verdictId)).size).toBe(40);
  });
});
