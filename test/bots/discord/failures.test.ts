// Failures end to end: Discord's real error answers (50013, 10008, 429), a gateway reconnect with
// resume and replayed events, servers joined and removed. Real client, pipeline, SQLite, outbox; the
// word-list test scorer, so retraining the built-in model never changes what these tests see.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import type { Scorer } from '../../../src/classifier/scorer.js';
import { wordScorer } from '../../helpers/word-scorer.js';
import { makeWorld, messagePayload } from './fixtures.js';
import { startHarness, type Harness } from './harness.js';

const TOXIC = 'you are a worthless stupid idiot';

let scorer: Scorer;
let h: Harness;

beforeAll(async () => {
  scorer = wordScorer();
  h = await startHarness({ scorer, discord: { onGuildRemove: 'purge' } });
});
afterAll(async () => {
  await h?.stop();
});
beforeEach(async () => {
  h.fake.clearFailures();
  await h.resetPolicy({ 'actions.delete.enabled': 'true' });
});

function sendToxic(text = TOXIC) {
  return h.send({ author: h.world.alice, content: text, channelId: h.world.channels.general });
}

describe('Discord adapter: failures', () => {
  it('missing permissions (50013): the action fails for good, reported once to #mod-log, the bot carries on', async () => {
    h.fake.failNext({ method: 'DELETE', path: /^\/channels\/\d+\/messages\/\d+$/, status: 403, code: 50013, message: 'Missing Permissions', times: Infinity });
    const from = h.fake.calls.length;
    const first = sendToxic();
    const second = sendToxic(`${TOXIC}!`);
    for (const m of [first, second]) {
      const v = await h.verdict(m);
      const actions = await h.settled(v.id);
      const del = actions.find((a) => a.kind === 'delete');
      expect(del).toMatchObject({ status: 'dead', attempts: 1 });
      expect(del?.lastError).toContain('missing permissions (Discord 50013)');
      // The other actions still happen.
      expect(actions.filter((a) => a.kind !== 'delete').every((a) => a.status === 'done')).toBe(true);
    }
    expect(h.fake.callsTo('DELETE', /messages/, from).map((c) => c.status)).toEqual([403, 403]);
    // The report is an outbox notice: wait for it to be posted.
    await vi.waitFor(
      async () => {
        const open = (await h.store.listServerActions('discord', h.world.guild.id)).filter((n) => n.status !== 'done');
        if (open.length) throw new Error('notice still open');
      },
      { timeout: 10_000, interval: 20 },
    );
    const posts = h.fake.callsTo('POST', new RegExp(`^/channels/${h.world.channels.modlog}/messages$`), from);
    const reports = posts.filter((c) => (c.body as { content?: string }).content?.includes('missing permissions'));
    expect(reports).toHaveLength(1);
    expect((reports[0]?.body as { content: string }).content).toContain('Manage Messages');
    expect(posts.filter((c) => (c.body as { embeds?: unknown[] }).embeds?.length)).toHaveLength(2);
    // The alerts already posted are corrected: the message was NOT deleted, and why.
    for (const m of [first, second]) {
      const v = await h.store.getVerdict(`discord:${h.world.guild.id}:${m.channel_id}:${m.id}`);
      const alert = (await h.store.listActions(v?.id ?? -1)).find((a) => a.kind === 'alert')?.result as { messageId: string };
      const [patch] = h.fake.callsTo('PATCH', new RegExp(`^/channels/${h.world.channels.modlog}/messages/${alert.messageId}$`), from);
      const embed = (patch?.body as { embeds: { title: string; fields: { name: string; value: string }[] }[] }).embeds[0];
      expect(embed?.title).toBe('Message NOT deleted');
      expect(embed?.fields.find((f) => f.name === 'Could not delete')?.value).toContain('Manage Messages');
    }

    // Still moderating.
    h.fake.clearFailures();
    const third = sendToxic(`${TOXIC}!!`);
    await h.settled((await h.verdict(third)).id);
    expect(h.fake.callsTo('DELETE', new RegExp(`/messages/${third.id}$`), from).map((c) => c.status)).toEqual([204]);
  });

  it('the missing-permission report is a once-only notice: posted once even across a restart on the same database', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'toxguard-discord-restart-'));
    const world = makeWorld();
    const reports: string[] = [];
    try {
      for (const run of [1, 2]) {
        const hh = await startHarness({ scorer, dir, world });
        try {
          await hh.resetPolicy({ 'actions.delete.enabled': 'true' });
          hh.fake.failNext({ method: 'DELETE', path: /^\/channels\/\d+\/messages\/\d+$/, status: 403, code: 50013, message: 'Missing Permissions', times: Infinity });
          const m = hh.send({ author: world.alice, content: `${TOXIC} (run ${run})`, channelId: world.channels.general });
          const actions = await hh.settled((await hh.verdict(m)).id);
          expect(actions.find((a) => a.kind === 'delete')).toMatchObject({ status: 'dead' });
          // The report is the server's one notice, done (posted) by the outbox.
          const notices = await vi.waitFor(
            async () => {
              const list = await hh.store.listServerActions('discord', world.guild.id);
              if (list.some((n) => n.status !== 'done')) throw new Error('notice still open');
              return list;
            },
            { timeout: 10_000, interval: 20 },
          );
          expect(notices.map((n) => [n.kind, n.key])).toEqual([['notice', 'notice:missing-permission:delete']]);
          const posts = hh.fake.callsTo('POST', new RegExp(`^/channels/${world.channels.modlog}/messages$`));
          for (const p of posts) {
            const body = p.body as { content?: string; nonce?: string; enforce_nonce?: boolean };
            if (body.content?.includes('missing permissions')) {
              expect(body).toMatchObject({ nonce: `tgn${notices[0]?.id}`, enforce_nonce: true });
              reports.push(body.content);
            }
          }
        } finally {
          await hh.stop();
        }
      }
      // The restarted bot failed to delete again, and said nothing more: the database remembers.
      expect(reports).toHaveLength(1);
      expect(reports[0]).toContain('Manage Messages');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('missing permissions in the alert channel itself: logged, not reported into that channel', async () => {
    h.fake.failNext({ method: 'POST', path: new RegExp(`^/channels/${h.world.channels.modlog}/messages$`), status: 403, code: 50013, message: 'Missing Permissions', times: Infinity });
    const from = h.fake.calls.length;
    const m = sendToxic(`${TOXIC} (no alert rights)`);
    const actions = await h.settled((await h.verdict(m)).id);
    expect(actions.find((a) => a.kind === 'alert')).toMatchObject({ status: 'dead', attempts: 1 });
    expect(actions.find((a) => a.kind === 'delete')).toMatchObject({ status: 'done' });
    expect(h.fake.callsTo('POST', new RegExp(`^/channels/${h.world.channels.modlog}/messages$`), from)).toHaveLength(1);
  });

  it('unknown message (10008, already deleted by a moderator) counts as done', async () => {
    h.fake.failNext({ method: 'DELETE', path: /^\/channels\/\d+\/messages\/\d+$/, status: 404, code: 10008, message: 'Unknown Message' });
    const from = h.fake.calls.length;
    const m = sendToxic();
    const actions = await h.settled((await h.verdict(m)).id);
    expect(actions.find((a) => a.kind === 'delete')).toMatchObject({ status: 'done', attempts: 1, result: { alreadyGone: true } });
    expect(h.fake.callsTo('DELETE', /messages/, from)).toHaveLength(1);
    const posts = h.fake.callsTo('POST', /messages$/, from).map((c) => JSON.stringify(c.body));
    expect(posts.some((p) => p.includes('missing permissions'))).toBe(false);
  });

  it('an alert or DM sent again after a crash (the same outbox action) is not posted twice: nonce + enforce_nonce', async () => {
    const m = sendToxic();
    const verdict = await h.verdict(m);
    const [alert] = (await h.settled(verdict.id)).filter((a) => a.kind === 'alert');
    if (!alert) throw new Error('no alert');
    // The worker posted, then "crashed" before marking the action done: after the lease another claim runs it again.
    const from = h.fake.calls.length;
    const claimed = { ...alert, status: 'running' as const, attempts: 2, target: { messageKey: '', platform: 'discord' as const, serverId: verdict.serverId, channelId: verdict.channelId, threadId: null, messageId: verdict.messageId, authorId: verdict.authorId } };
    const again = (await h.bot.executor.execute(claimed, verdict)) as { messageId: string };
    expect(again.messageId).toBe((alert.result as { messageId: string }).messageId);
    const posts = h.fake.callsTo('POST', new RegExp(`^/channels/${h.world.channels.modlog}/messages$`), from);
    expect(posts).toHaveLength(1);
    expect(posts[0]?.body).toMatchObject({ nonce: `tga${alert.id}`, enforce_nonce: true });
    const dm1 = (await h.bot.executor.execute({ ...claimed, id: 424242, kind: 'dm', key: 'dm', payload: null }, verdict)) as { messageId: string };
    const dm2 = (await h.bot.executor.execute({ ...claimed, id: 424242, kind: 'dm', key: 'dm', payload: null }, verdict)) as { messageId: string };
    expect(dm2.messageId).toBe(dm1.messageId);
  });

  it('rate limits (429): a short retry_after is waited out, a long one goes back to the outbox', async () => {
    h.fake.failNext({ method: 'DELETE', path: /^\/channels\/\d+\/messages\/\d+$/, status: 429, retryAfter: 0.3 });
    let from = h.fake.calls.length;
    const short = sendToxic();
    const shortActions = await h.settled((await h.verdict(short)).id);
    const calls = h.fake.callsTo('DELETE', new RegExp(`/messages/${short.id}$`), from);
    expect(calls.map((c) => c.status)).toEqual([429, 204]);
    expect((calls[1]?.at ?? 0) - (calls[0]?.at ?? 0)).toBeGreaterThanOrEqual(280);
    expect(shortActions.find((a) => a.kind === 'delete')).toMatchObject({ status: 'done', attempts: 1 });

    // 1.5 s is over maxRateLimitWaitMs (1 s in the harness): the outbox retries after retry_after.
    h.fake.failNext({ method: 'DELETE', path: /^\/channels\/\d+\/messages\/\d+$/, status: 429, retryAfter: 1.5 });
    from = h.fake.calls.length;
    const long = sendToxic(`${TOXIC}?`);
    const v = await h.verdict(long);
    const failed = await vi.waitFor(
      async () => {
        const a = (await h.store.listActions(v.id)).find((x) => x.kind === 'delete');
        if (a?.status !== 'failed') throw new Error(`delete is ${a?.status}`);
        return a;
      },
      { timeout: 5000, interval: 20 },
    );
    expect(failed.lastError).toContain('rate limited');
    const firstAt = h.fake.callsTo('DELETE', new RegExp(`/messages/${long.id}$`), from)[0]?.at ?? 0;
    expect(Date.parse(failed.nextAttemptAt) - firstAt).toBeGreaterThanOrEqual(1400);
    const done = await h.settled(v.id);
    expect(done.find((a) => a.kind === 'delete')).toMatchObject({ status: 'done', attempts: 2 });
    const retried = h.fake.callsTo('DELETE', new RegExp(`/messages/${long.id}$`), from);
    expect(retried.map((c) => c.status)).toEqual([429, 204]);
    expect((retried[1]?.at ?? 0) - (retried[0]?.at ?? 0)).toBeGreaterThanOrEqual(1400);
  });

  it('reconnect + resume with replayed events: no duplicate verdict, no second action', async () => {
    await h.resetPolicy(); // flag + alert: the edit below re-checks a message that is still there
    const from = h.fake.calls.length;
    const m = sendToxic();
    const v = await h.verdict(m);
    await h.settled(v.id);
    const edit = messagePayload({ id: m.id, author: h.world.alice, content: `${TOXIC}, really`, channelId: m.channel_id, guildId: h.world.guild.id, editedAt: new Date(Date.now() + 1000).toISOString() });
    h.fake.dispatch('MESSAGE_UPDATE', edit);
    const before = await h.settled((await h.verdict(m, 2)).id);

    // Discord re-sends the create and the edit the client already had (at-least-once delivery).
    h.fake.replayOverlap = 2;
    const resumed = h.fake.nextSession();
    h.fake.requestReconnect();
    await resumed;
    h.fake.replayOverlap = 0;
    expect(h.fake.resumes).toBe(1);
    expect(h.fake.identifies).toHaveLength(1);
    expect(h.fake.replayed).toBe(2);

    // A message after the resume: once it is stored, the replays before it have been handled too.
    const after = sendToxic(`${TOXIC} again`);
    await h.settled((await h.verdict(after)).id);
    await h.pipeline.drain();

    // discord.js drops the replayed create (the message is cached); the replayed edit reaches the
    // pipeline and the store recognises the content it already has.
    const processed = h.outcomes.filter((o) => o.message.messageId === m.id);
    expect(processed.map((o) => [o.message.kind, o.record.changed])).toEqual([
      ['new', true],
      ['edit', true],
      ['edit', false],
    ]);
    expect(processed[2]?.record.enqueued).toEqual([]);
    const db = new Database(h.store.file, { readonly: true });
    try {
      expect(db.prepare('SELECT COUNT(*) AS n, MAX(revision) AS revision FROM verdicts WHERE message_id = ?').get(m.id)).toEqual({ n: 1, revision: 2 });
      expect(db.prepare('SELECT COUNT(*) AS n FROM actions WHERE verdict_id = ?').get(v.id)).toEqual({ n: before.length });
    } finally {
      db.close();
    }
    expect(h.fake.callsTo('PUT', new RegExp(`/messages/${m.id}/reactions/`), from)).toHaveLength(1);
    const alerts = h.fake.callsTo('POST', new RegExp(`^/channels/${h.world.channels.modlog}/messages$`), from);
    expect(alerts.filter((c) => JSON.stringify(c.body).includes(`/${m.id})`))).toHaveLength(1);
  });

  it('registers the commands in a server it joins', async () => {
    const other = makeWorld().guild;
    h.fake.joinGuild(other);
    await vi.waitFor(() => expect(h.fake.callsTo('PUT', new RegExp(`^/applications/${h.world.applicationId}/guilds/${other.id}/commands$`))).toHaveLength(1));
  });

  it('purges a removed server’s data (discord.onGuildRemove = purge)', async () => {
    await h.resetPolicy({ 'actions.delete.enabled': 'true' });
    const m = sendToxic();
    const v = await h.verdict(m);
    await h.settled(v.id);
    const guildId = h.world.guild.id;
    expect(await h.store.getPolicy(guildId)).toBeDefined();
    expect((await h.store.listReviews(guildId)).length).toBeGreaterThan(0);

    h.fake.removeGuild(guildId);
    await vi.waitFor(async () => expect(await h.store.getVerdict(v.id)).toBeUndefined());
    expect(await h.store.getPolicy(guildId)).toBeUndefined();
    expect(await h.store.listPolicyAudit(guildId)).toEqual([]);
    expect(await h.store.listReviews(guildId)).toEqual([]);
    expect((await h.store.stats(guildId, new Date(0))).verdicts).toBe(0);
    // The policy cache forgot it too: a re-invite starts from the defaults (log-only).
    expect((await h.policies.get(guildId)).mode).toBe('log-only');
  });
});
