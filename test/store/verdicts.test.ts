import { readFileSync, readdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { expect, it } from 'vitest';
import { messageKey } from '../../src/core/message.js';
import { contentHash, excerpt } from '../../src/store/index.js';
import type { Store } from '../../src/store/index.js';
import { makeClock, message, openTemp, tempDir, verdict, describeBackends } from './helpers.js';

describeBackends('recordVerdict', () => {
  it('writes the verdict, its sources, its actions and a review item for a flag', async () => {
    const store = await openTemp({ now: makeClock('2025-03-01T12:00:00.000Z').now });
    const input = verdict({
      msg: { threadId: 'thr-9', attachments: [{ url: 'https://cdn.example/a.png', name: 'a.png' }, { url: 'https://cdn.example/b.gif', name: 'b.gif' }] },
      labelSources: { toxic: 'text', insult: 'attachment:0' },
      sources: [
        { attachment: 0, name: 'a.png', url: 'https://cdn.example/a.png', scanned: true, text: 'ur a clown', confidence: 0.87 },
        { attachment: 1, name: 'b.gif', scanned: false, reason: 'animated images are not scanned' },
      ],
    });
    const r = await store.recordVerdict(input, [{ kind: 'delete' }, { kind: 'alert', payload: { channelId: 'mod-queue' } }]);
    expect(r).toMatchObject({ created: true, changed: true, stale: false, revision: 1 });
    expect(r.enqueued).toHaveLength(2);
    expect(r.reviewId).toBeTypeOf('number');

    const v = await store.getVerdict(messageKey(input.message));
    expect(v).toBeDefined();
    expect(v?.id).toBe(r.verdictId);
    expect(v).toMatchObject({
      platform: 'discord',
      serverId: 'guild-1',
      channelId: 'chan-1',
      threadId: 'thr-9',
      messageId: 'msg-1',
      authorId: 'user-1',
      kind: 'new',
      text: 'you are an idiot',
      excerpt: 'you are an idiot',
      textStored: 'full',
      labelSources: { toxic: 'text', insult: 'attachment:0' },
      spans: [[11, 16]],
      model: { name: 'builtin', version: '1.0.0' },
      latencyMs: 12.5,
      revision: 1,
      messageAt: '2025-03-01T11:59:00.000Z',
      createdAt: '2025-03-01T12:00:00.000Z',
      updatedAt: '2025-03-01T12:00:00.000Z',
    });
    expect(v?.contentHash).toBe(contentHash('you are an idiot', ['https://cdn.example/a.png', 'https://cdn.example/b.gif']));
    expect(v?.contentHash).toMatch(/^[0-9a-f]{64}$/);
    expect(v?.scores.insult).toBe(0.92);
    expect(v?.decision).toEqual({ actions: ['delete', 'flag'], triggered: [{ label: 'insult', score: 0.92, threshold: 0.8 }], logOnly: false });
    expect(v?.sources).toEqual([
      { attachment: 0, name: 'a.png', url: 'https://cdn.example/a.png', scanned: true, text: 'ur a clown', confidence: 0.87, reason: null, scores: null },
      { attachment: 1, name: 'b.gif', url: null, scanned: false, text: null, confidence: null, reason: 'animated images are not scanned', scores: null },
    ]);
    expect((await store.listActions(r.verdictId)).map((a) => [a.kind, a.status, a.payload])).toEqual([
      ['delete', 'pending', null],
      ['alert', 'pending', { channelId: 'mod-queue' }],
    ]);
    expect((await store.reviewForVerdict(r.verdictId))?.status).toBe('pending');
  });

  it('is idempotent on the message key: the same event twice gives one verdict and one set of actions', async () => {
    const store = await openTemp();
    const first = await store.recordVerdict(verdict(), [{ kind: 'delete' }, { kind: 'flag' }]);
    const again = await store.recordVerdict(verdict(), [{ kind: 'delete' }, { kind: 'flag' }]);
    expect(again).toEqual({
      verdictId: first.verdictId,
      created: false,
      changed: false,
      stale: false,
      revision: 1,
      enqueued: [],
      superseded: [],
      reviewId: first.reviewId,
    });
    // even after the actions ran, a replay enqueues nothing
    for (const a of await store.claimActions(10)) await store.completeAction(a.id, { ok: true });
    const replay = await store.recordVerdict(verdict(), [{ kind: 'delete' }, { kind: 'flag' }]);
    expect(replay.enqueued).toEqual([]);
    expect(await store.listActions(first.verdictId)).toHaveLength(2);
    expect((await store.stats(undefined, '2000-01-01')).verdicts).toBe(1);
  });

  it('does not re-flag an unchanged verdict that a moderator already decided', async () => {
    const store = await openTemp();
    const r = await store.recordVerdict(verdict(), [{ kind: 'flag' }]);
    await store.decideReview(r.reviewId ?? -1, 'dismissed', 'mod-1', 'discord');
    await store.recordVerdict(verdict({ msg: { kind: 'edit', editedAt: '2025-03-01T12:05:00.000Z' } }), [{ kind: 'flag' }]);
    expect((await store.getReview(r.reviewId ?? -1))?.status).toBe('dismissed');
    expect(await store.listActions(r.verdictId)).toHaveLength(1);
  });

  it('updates on an edit with new text: one verdict, revision 2, no second delete, new kinds enqueued', async () => {
    const clock = makeClock();
    const store = await openTemp({ now: clock.now });
    const first = await store.recordVerdict(verdict({ actions: ['delete'] }), [{ kind: 'delete' }]);
    const [claimed] = await store.claimActions(5);
    expect(claimed?.kind).toBe('delete');
    await store.completeAction(claimed?.id ?? -1, { deleted: true });

    clock.advance(60_000);
    const edited = verdict({
      msg: { kind: 'edit', text: 'you are a total idiot and I will find you', editedAt: '2025-03-01T12:01:00.000Z' },
      actions: ['delete', 'alert', 'timeout'],
    });
    const r = await store.recordVerdict(edited, [{ kind: 'delete' }, { kind: 'alert' }, { kind: 'timeout', payload: { minutes: 10, userId: 'user-1' } }]);
    expect(r).toMatchObject({ verdictId: first.verdictId, created: false, changed: true, revision: 2 });
    expect(r.enqueued).toHaveLength(2);

    const actions = await store.listActions(first.verdictId);
    expect(actions.filter((a) => a.kind === 'delete')).toHaveLength(1);
    expect(actions.map((a) => [a.kind, a.status])).toEqual([
      ['delete', 'done'],
      ['alert', 'pending'],
      ['timeout', 'pending'],
    ]);
    const v = await store.getVerdict(first.verdictId);
    expect(v).toMatchObject({ kind: 'edit', revision: 2, text: 'you are a total idiot and I will find you', createdAt: '2025-03-01T12:00:00.000Z', updatedAt: '2025-03-01T12:01:00.000Z' });
    expect(v?.contentHash).toBe(contentHash('you are a total idiot and I will find you', []));

    // the same edit replayed: still revision 2, nothing new
    const replay = await store.recordVerdict(edited, [{ kind: 'delete' }, { kind: 'alert' }, { kind: 'timeout' }]);
    expect(replay).toMatchObject({ changed: false, revision: 2, enqueued: [] });
    expect(await store.listActions(first.verdictId)).toHaveLength(3);
  });

  it('cancels queued actions an edit no longer plans, and ignores a stale replay of the original', async () => {
    const clock = makeClock();
    const store = await openTemp({ now: clock.now });
    const first = await store.recordVerdict(verdict({ actions: ['delete', 'flag'] }), [{ kind: 'delete' }, { kind: 'flag' }]);

    clock.advance(1000);
    const clean = verdict({ msg: { kind: 'edit', text: 'sorry, you are right', editedAt: '2025-03-01T12:00:30.000Z' }, actions: [] });
    const r = await store.recordVerdict(clean, []);
    expect(r.superseded).toHaveLength(2);
    expect((await store.listActions(first.verdictId)).map((a) => a.status)).toEqual(['dead', 'dead']);
    expect((await store.listActions(first.verdictId))[0]?.lastError).toMatch(/superseded.*revision 2/);
    expect(await store.claimActions(10)).toEqual([]);

    // the gateway replays the original create after the edit: ignored, the edit stays
    const stale = await store.recordVerdict(verdict(), [{ kind: 'delete' }, { kind: 'flag' }]);
    expect(stale).toMatchObject({ stale: true, changed: false, revision: 2, enqueued: [] });
    expect((await store.getVerdict(first.verdictId))?.excerpt).toBe('sorry, you are right');
  });

  it('re-queues a decided review when the flagged message is edited into something else', async () => {
    const clock = makeClock();
    const store = await openTemp({ now: clock.now });
    const r = await store.recordVerdict(verdict({ actions: ['flag'] }), [{ kind: 'flag' }]);
    await store.decideReview(r.reviewId ?? -1, 'overturned', 'mod-1', 'dashboard');
    clock.advance(5000);
    const e = await store.recordVerdict(verdict({ msg: { kind: 'edit', text: 'now much worse', editedAt: '2025-03-01T12:00:05.000Z' }, actions: ['flag'] }), [{ kind: 'flag' }]);
    expect(e.reviewId).toBe(r.reviewId);
    expect(await store.getReview(r.reviewId ?? -1)).toMatchObject({ status: 'pending', queuedAt: '2025-03-01T12:00:05.000Z' });
    expect(await store.reviewHistory(r.reviewId ?? -1)).toHaveLength(1);
  });

  it('writes nothing when any part of the transaction fails', async () => {
    const store = await openTemp();
    await expect((async () => await store.recordVerdict(verdict(), [{ kind: 'delete' }, { kind: 'explode' as never }]))()).rejects.toThrow(/unknown action kind/);
    expect(await store.getVerdict(messageKey(message()))).toBeUndefined();
    expect((await store.stats(undefined, '2000-01-01')).verdicts).toBe(0);
    await expect((async () => await store.recordVerdict(verdict({ labelSources: { toxic: 'image' as never } }), []))()).rejects.toThrow(/label source/);
  });

  it('lets distinct keys enqueue two actions of one kind, but never two with the same key', async () => {
    const store = await openTemp();
    const r = await store.recordVerdict(verdict({ actions: ['alert'] }), [
      { kind: 'alert', key: 'alert:mods', payload: { channelId: 'mods' } },
      { kind: 'alert', key: 'alert:log', payload: { channelId: 'log' } },
      { kind: 'alert', key: 'alert:log', payload: { channelId: 'log' } },
    ]);
    expect((await store.listActions(r.verdictId)).map((a) => a.key)).toEqual(['alert:mods', 'alert:log']);
    // the database itself refuses a second live action with the same key (SQLite: UNIQUE; PostgreSQL: unique constraint)
    await expect(
      store.kysely
        .insertInto('actions')
        .values({ verdict_id: r.verdictId, kind: 'alert', dedupe_key: 'alert:log', payload_json: 'null', next_attempt_at: 'x', created_at: 'x', updated_at: 'x' })
        .execute(),
    ).rejects.toThrow(/UNIQUE|unique/);
  });

  it('hashes text + attachment urls, ignoring the expiring signature Discord adds to CDN links', () => {
    const a = contentHash('hi', ['https://cdn.discordapp.com/attachments/1/2/meme.png?ex=65&is=64&hm=abc']);
    const b = contentHash('hi', ['https://cdn.discordapp.com/attachments/1/2/meme.png?ex=99&is=98&hm=def']);
    expect(a).toBe(b);
    expect(contentHash('hi', ['https://cdn.discordapp.com/attachments/1/2/other.png'])).not.toBe(a);
    expect(contentHash('ab', ['c'])).not.toBe(contentHash('a', ['bc']));
    expect(contentHash('hi', [])).not.toBe(contentHash('hi ', []));
  });
});

describeBackends('privacy: storeText excerpt', (backend) => {
  const stored = async (store: Store): Promise<string> =>
    JSON.stringify([await store.kysely.selectFrom('verdicts').selectAll().execute(), await store.kysely.selectFrom('verdict_sources').selectAll().execute()]);

  const SECRET_TAIL = 'ZZ-the-private-end-of-the-message-9f3e1';

  it('keeps only the first 120 characters and the hash, of the text and of OCR text, nowhere in the file', async () => {
    const long = 'x'.repeat(130) + SECRET_TAIL;
    const ocrLong = 'y'.repeat(125) + SECRET_TAIL + '-ocr';
    const dir = tempDir();
    const store = await openTemp({ storeText: 'excerpt' }, backend === 'sqlite' ? join(dir, 'private.db') : undefined);
    const r = await store.recordVerdict(
      verdict({
        msg: { text: long, attachments: [{ url: 'https://cdn.example/m.png', name: 'm.png' }] },
        sources: [{ attachment: 0, scanned: true, text: ocrLong, confidence: 0.9 }],
      }),
      [{ kind: 'flag' }],
    );
    const v = await store.getVerdict(r.verdictId);
    expect(v?.text).toBeNull();
    expect(v?.textStored).toBe('excerpt');
    expect(v?.excerpt).toBe('x'.repeat(120));
    expect(v?.contentHash).toBe(contentHash(long, ['https://cdn.example/m.png']));
    expect(v?.sources[0]?.text).toBe('y'.repeat(120));
    expect(await stored(store)).not.toContain(SECRET_TAIL);
    await store.close();

    // the bytes on disk (SQLite's database and WAL) never contain the tail
    if (backend === 'sqlite') for (const f of readdirSync(dirname(join(dir, 'private.db')))) {
      expect(readFileSync(join(dir, f)).includes(SECRET_TAIL)).toBe(false);
    }
  });

  it('full mode stores the text (control for the test above)', async () => {
    const dir = tempDir();
    const store = await openTemp({ storeText: 'full' }, backend === 'sqlite' ? join(dir, 'full.db') : undefined);
    await store.recordVerdict(verdict({ msg: { text: 'x'.repeat(130) + SECRET_TAIL } }), []);
    expect(await stored(store)).toContain(SECRET_TAIL);
    await store.close();
    const found = readdirSync(dir).some((f) => readFileSync(join(dir, f)).includes(SECRET_TAIL));
    expect(found).toBe(backend === 'sqlite');
  });

  it('cuts the excerpt on code points, never inside an emoji', () => {
    const text = '😀'.repeat(130);
    expect(excerpt(text)).toBe('😀'.repeat(120));
    expect(excerpt('short')).toBe('short');
  });
});
