// Message events end to end: signed Events API requests into the real Bolt app, the real pipeline,
// actions through the real OutboxWorker into the fake Web API, rows in a real SQLite file. Scores
// come from the word-list test scorer, so retraining the built-in model never changes them.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeAll, beforeEach, expect, it, vi } from 'vitest';
import type { Scorer } from '../../../src/classifier/scorer.js';
import { wordScorer } from '../../helpers/word-scorer.js';
import { NO_ADMIN_TOKEN_NOTICE } from '../../../src/bots/slack/actions/delete.js';
import { noticePlatform } from '../../../src/bots/index.js';
import { describeBackends, newPgDatabase } from '../../store/helpers.js';
import { ADMIN, ADMIN_TOKEN, APP_TOKEN, BOT_TOKEN, BOT_USER, GENERAL, Harness, MEMBER, MODS, TEAM, blocksOf, nextTs, nowSeconds, sign } from './harness.js';

const TOXIC = 'you are a stupid worthless idiot';
const CLEAN = 'thanks for the help with the release notes';
const ACTIVE = { mode: 'active', 'alerts.channelId': MODS };

let scorer: Scorer;
let h: Harness | undefined;

beforeAll(async () => {
  scorer = wordScorer();
});

afterEach(async () => {
  await h?.close();
  h = undefined;
});

/** Where the next app's data goes: a new SQLite file (undefined) or a new PostgreSQL database (set per backend below). */
let newDatabase: () => Promise<{ databaseUrl?: string }> = () => Promise.resolve({});

async function start(opts: Partial<Parameters<typeof Harness.start>[0]> = {}): Promise<Harness> {
  h = await Harness.start({ scorer, policy: ACTIVE, ...(await newDatabase()), ...opts });
  return h;
}

type ActionRow = { kind: string; status: string; attempts: number; last_error: string | null; result_json: string | null };
function actionRows(hh: Harness, ts: string): Promise<ActionRow[]> {
  return hh.query<ActionRow>(`SELECT a.kind, a.status, a.attempts, a.last_error, a.result_json FROM actions a JOIN verdicts v ON v.id = a.verdict_id WHERE v.message_id = ? ORDER BY a.id`, ts);
}

const settled = (rows: { status: string }[]): boolean => rows.length > 0 && rows.every((r) => r.status === 'done' || r.status === 'dead');

// Every scenario once per store backend: SQLite, and a fresh PostgreSQL database per app.
describeBackends('Slack app: messages', (backend) => {
  beforeEach(() => {
    newDatabase = async () => (backend === 'postgres' ? { databaseUrl: await newPgDatabase('slack') } : {});
  });

  it('posts a notice (a drift alert) from the outbox to its own workspace\'s moderators\' channel; takes only its workspaces\' notices', async () => {
    const hh = await start();
    await expect(noticePlatform([hh.bot], TEAM)).resolves.toBe('slack');
    await expect(noticePlatform([hh.bot], '123456789012345678')).resolves.toBeUndefined();
    const id = await hh.store.enqueueNotice({ platform: 'slack', serverId: TEAM, key: 'drift:test', text: 'model drift: toxic PSI 0.340 over 0.200' });
    await vi.waitFor(async () => expect((await hh.store.getAction(id ?? -1))?.status).toBe('done'), { timeout: 10_000, interval: 25 });
    const posts = hh.fake.callsTo('chat.postMessage').filter((c) => c.params.channel === MODS);
    expect(posts.map((c) => [c.params.text, c.token])).toEqual([['model drift: toxic PSI 0.340 over 0.200', BOT_TOKEN]]);
    expect(JSON.parse(posts[0]?.params.metadata ?? '{}')).toMatchObject({ event_type: 'toxguard_notice', event_payload: { action_id: id } });
    expect(hh.fake.callsTo('chat.postMessage')).toHaveLength(1);
  });

  it('flags and alerts on a toxic message; without an admin token the delete falls back to a flag and says so once', async () => {
    const hh = await start({ policy: { ...ACTIVE, 'actions.delete.enabled': 'true' } });
    const first = await hh.memberSays(TOXIC);
    expect(first.status).toBe(200);

    await vi.waitFor(async () => expect(settled((await actionRows(hh, first.ts)))).toBe(true), { timeout: 10_000, interval: 25 });

    // SQLite: the verdict, its actions (all done) and a pending review item.
    const verdict = await hh.store.getVerdict(`slack:${TEAM}:${GENERAL}:${first.ts}`);
    expect(verdict).toMatchObject({ platform: 'slack', authorId: MEMBER, kind: 'new', text: TOXIC });
    expect(verdict?.scores.insult).toBeGreaterThanOrEqual(0.9);
    expect(verdict?.decision.actions).toEqual(['flag', 'alert', 'delete']);
    expect((await actionRows(hh, first.ts)).map((a) => [a.kind, a.status])).toEqual([['flag', 'done'], ['alert', 'done'], ['delete', 'done']]);
    const deleteResult = JSON.parse((await actionRows(hh, first.ts))[2]?.result_json ?? 'null') as Record<string, unknown>;
    expect(deleteResult).toMatchObject({ deleted: false, fallback: 'flag', reason: 'no admin token' });
    expect((await hh.store.reviewForVerdict(verdict?.id ?? -1))?.status).toBe('pending');

    // Web API: the author looked up, a reaction on the message, the alert in the moderators' channel,
    // the one-time notice; no chat.delete (a bot token cannot delete a member's message).
    expect(hh.fake.callsTo('users.info').map((c) => c.params.user)).toContain(MEMBER);
    expect(hh.fake.okCalls('reactions.add').map((c) => c.params)).toEqual([expect.objectContaining({ channel: GENERAL, timestamp: first.ts, name: 'warning' })]);
    expect(hh.fake.callsTo('reactions.add').every((c) => c.token === BOT_TOKEN)).toBe(true);
    expect(hh.fake.callsTo('chat.delete')).toHaveLength(0);
    const posts = hh.fake.okCalls('chat.postMessage');
    const alert = posts.find((c) => c.params.blocks);
    expect(alert?.params.channel).toBe(MODS);
    const blocks = JSON.stringify(blocksOf(alert?.params ?? {}));
    expect(blocks).toMatch(/\*stupid[^*]*\*/); // the spans, marked
    expect(blocks).toMatch(/\*[^*]*idiot\*/);
    expect(blocks).toContain('not deleted');
    expect(blocks).toContain(`"value":"${(await hh.store.reviewForVerdict(verdict?.id ?? -1))?.id}"`);
    // The one-time notice is the workspace's outbox notice (once per database, not per process),
    // posted with the action in its metadata so a retry after a crash finds it instead of posting again.
    const [notice] = await vi.waitFor(
      async () => {
        const list = await hh.store.listServerActions('slack', TEAM);
        if (list.length !== 1 || list[0]?.status !== 'done') throw new Error('notice not posted yet');
        return list;
      },
      { timeout: 10_000, interval: 25 },
    );
    expect(notice).toMatchObject({ kind: 'notice', key: 'notice:no-admin-token', verdictId: null });
    const told = hh.fake.okCalls('chat.postMessage').filter((c) => c.params.text === NO_ADMIN_TOKEN_NOTICE);
    expect(told).toHaveLength(1);
    expect(told[0]?.params).toMatchObject({ channel: MODS });
    expect(JSON.stringify(told[0]?.params.metadata)).toContain('toxguard_notice');

    // A second toxic message: flagged and alerted again, the notice is NOT repeated.
    const second = await hh.memberSays('shut up you stupid moron');
    await vi.waitFor(async () => expect(settled((await actionRows(hh, second.ts)))).toBe(true), { timeout: 10_000, interval: 25 });
    expect(hh.fake.okCalls('reactions.add')).toHaveLength(2);
    expect(hh.fake.okCalls('chat.postMessage').filter((c) => c.params.text === NO_ADMIN_TOKEN_NOTICE)).toHaveLength(1);
    expect(hh.fake.okCalls('chat.postMessage').filter((c) => c.params.blocks)).toHaveLength(2);
  });

  it('says "cannot delete without an admin token" once per workspace, not again after a restart on the same database', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'toxguard-slack-restart-'));
    let told = 0;
    const database = await newDatabase();
    try {
      for (const run of [1, 2]) {
        const hh = await Harness.start({ scorer, policy: { ...ACTIVE, 'actions.delete.enabled': 'true' }, dir, ...database });
        try {
          const { ts } = await hh.memberSays(`${TOXIC} (run ${run})`);
          await vi.waitFor(async () => expect(settled((await actionRows(hh, ts)))).toBe(true), { timeout: 10_000, interval: 25 });
          expect(JSON.parse((await actionRows(hh, ts)).find((a) => a.kind === 'delete')?.result_json ?? 'null')).toMatchObject({ fallback: 'flag' });
          await vi.waitFor(async () => expect((await hh.store.listServerActions('slack', TEAM)).map((n) => n.status)).toEqual(['done']), { timeout: 10_000, interval: 25 });
          told += hh.fake.okCalls('chat.postMessage').filter((c) => c.params.text === NO_ADMIN_TOKEN_NOTICE).length;
        } finally {
          await hh.close();
        }
      }
      expect(told).toBe(1);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('deletes a toxic message with the admin user token when one is configured', async () => {
    const hh = await start({ adminToken: true, policy: { ...ACTIVE, 'actions.delete.enabled': 'true' } });
    const { ts } = await hh.memberSays(TOXIC);
    await vi.waitFor(async () => expect(settled((await actionRows(hh, ts)))).toBe(true), { timeout: 10_000, interval: 25 });

    const deletes = hh.fake.okCalls('chat.delete');
    expect(deletes).toHaveLength(1);
    expect(deletes[0]).toMatchObject({ token: ADMIN_TOKEN, params: { channel: GENERAL, ts } });
    expect(hh.fake.messages.has(`${GENERAL}:${ts}`)).toBe(false);
    expect((await actionRows(hh, ts)).map((a) => [a.kind, a.status, a.result_json])).toContainEqual(['delete', 'done', JSON.stringify({ deleted: true })]);
    // No fallback notice when deletes work.
    expect(hh.fake.okCalls('chat.postMessage').filter((c) => c.params.text === NO_ADMIN_TOKEN_NOTICE)).toHaveLength(0);
    expect(JSON.stringify(blocksOf(hh.fake.okCalls('chat.postMessage')[0]?.params ?? {}))).toContain('Action: flagged for review; being deleted (admin token).');
  });

  it('records a clean message and does nothing in Slack', async () => {
    const hh = await start();
    const { ts } = await hh.memberSays(CLEAN);
    await vi.waitFor(async () => expect((await hh.countRows('verdicts', 'message_id = ?', ts))).toBe(1), { timeout: 10_000, interval: 25 });
    const v = await hh.store.getVerdict(`slack:${TEAM}:${GENERAL}:${ts}`);
    expect(v?.decision.actions).toEqual([]);
    expect(v?.scores.toxic).toBeLessThan(0.5);
    expect((await hh.countRows('actions'))).toBe(0);
    expect((await hh.countRows('review_items'))).toBe(0);
    await hh.pipeline.drain();
    // Only the start-up auth.test and the author lookup (admin? in the moderator group?).
    expect(hh.fake.calls.map((c) => c.method).sort()).toEqual(['auth.test', 'usergroups.users.list', 'users.info']);
  });

  it("never moderates the app's own messages, and exempts admins", async () => {
    const hh = await start();
    const own = nextTs();
    await hh.sendEvent({ type: 'message', channel: GENERAL, user: BOT_USER, bot_id: 'B0BOT', text: TOXIC, ts: own, team: TEAM });
    const admin = await hh.memberSays(TOXIC, {}, 'U0ADMIN');
    await vi.waitFor(async () => expect((await hh.countRows('verdicts', 'message_id = ?', admin.ts))).toBe(1), { timeout: 10_000, interval: 25 });
    expect((await hh.countRows('verdicts', 'message_id = ?', own))).toBe(0);
    expect((await hh.store.getVerdict(`slack:${TEAM}:${GENERAL}:${admin.ts}`))?.decision).toMatchObject({ actions: [], exemption: 'moderator' });
  });

  it('re-checks an edited message (message_changed) and acts on the new text', async () => {
    const hh = await start();
    const { ts } = await hh.memberSays(CLEAN);
    await vi.waitFor(async () => expect((await hh.countRows('verdicts', 'message_id = ?', ts))).toBe(1), { timeout: 10_000, interval: 25 });
    const editTs = nextTs();
    await hh.sendEvent({
      type: 'message',
      subtype: 'message_changed',
      channel: GENERAL,
      hidden: true,
      ts: editTs,
      event_ts: editTs,
      message: { type: 'message', user: MEMBER, text: TOXIC, ts, edited: { user: MEMBER, ts: editTs } },
      previous_message: { type: 'message', user: MEMBER, text: CLEAN, ts },
    });
    await vi.waitFor(async () => expect(settled((await actionRows(hh, ts)))).toBe(true), { timeout: 10_000, interval: 25 });
    const v = await hh.store.getVerdict(`slack:${TEAM}:${GENERAL}:${ts}`);
    expect(v).toMatchObject({ kind: 'edit', revision: 2, text: TOXIC });
    expect((await hh.countRows('verdicts'))).toBe(1);
    expect((await actionRows(hh, ts)).map((a) => [a.kind, a.status])).toEqual([['flag', 'done'], ['alert', 'done']]);
    expect(hh.fake.okCalls('reactions.add')[0]?.params).toMatchObject({ channel: GENERAL, timestamp: ts });
    expect(JSON.stringify(blocksOf(hh.fake.okCalls('chat.postMessage')[0]?.params ?? {}))).toContain('Toxic message (edited)');
  });

  it('refuses a bad signature and a stale timestamp with 401 and records nothing', async () => {
    const hh = await start();
    const rejected: string[] = [];
    const attempt = async (headersFor: (body: string) => Record<string, string>, tamper = false): Promise<number> => {
      const ts = nextTs();
      rejected.push(ts);
      const body = hh.envelope({ type: 'message', channel: GENERAL, user: MEMBER, text: TOXIC, ts, team: TEAM });
      return (await hh.post(tamper ? body.replace('stupid', 'stuPid') : body, 'application/json', headersFor(body))).status;
    };
    expect(await attempt((b) => sign(b, nowSeconds(), 'not-the-signing-secret'))).toBe(401);
    expect(await attempt((b) => sign(b, nowSeconds() - 6 * 60))).toBe(401); // stale: over five minutes old
    expect(await attempt((b) => sign(b, nowSeconds()), true)).toBe(401); // body changed after signing
    expect(await attempt(() => ({}))).toBe(401); // no signature at all

    // A correctly signed request right after is accepted and moderated: the 401s were the signature's doing.
    const good = await hh.memberSays(TOXIC);
    expect(good.status).toBe(200);
    await vi.waitFor(async () => expect(settled((await actionRows(hh, good.ts)))).toBe(true), { timeout: 10_000, interval: 25 });
    await hh.pipeline.drain();
    expect((await hh.countRows('verdicts'))).toBe(1);
    for (const ts of rejected) expect((await hh.countRows('verdicts', 'message_id = ?', ts))).toBe(0);
    expect(hh.fake.okCalls('reactions.add').map((c) => c.params.timestamp)).toEqual([good.ts]);
    expect(hh.fake.okCalls('chat.postMessage')).toHaveLength(1);
  });

  it('handles Web API errors without losing an action: 429 with Retry-After, ok:false transient and permanent', async () => {
    const hh = await start();
    hh.fake.fail('reactions.add', { rateLimitSeconds: 1 });
    hh.fake.fail('chat.postMessage', { error: 'internal_error' });
    const { ts } = await hh.memberSays(TOXIC);

    // First attempts fail; the flag waits for Retry-After (1 s), the alert retries with backoff;
    // both end done, each exactly once more.
    await vi.waitFor(async () => expect(settled((await actionRows(hh, ts)))).toBe(true), { timeout: 10_000, interval: 25 });
    expect((await actionRows(hh, ts)).map((a) => [a.kind, a.status, a.attempts])).toEqual([['flag', 'done', 2], ['alert', 'done', 2]]);
    const reactions = hh.fake.callsTo('reactions.add');
    expect(reactions.map((c) => c.status)).toEqual([429, 200]);
    expect((reactions[1]?.at ?? 0) - (reactions[0]?.at ?? 0)).toBeGreaterThanOrEqual(950);
    expect(hh.fake.callsTo('chat.postMessage').map((c) => c.response.ok)).toEqual([false, true]);
    expect(hh.fake.okCalls('reactions.add')[0]?.params).toMatchObject({ channel: GENERAL, timestamp: ts });

    // A permanent error (missing scope) gives up at once, loudly, instead of retrying for hours.
    hh.fake.fail('chat.postMessage', { error: 'missing_scope' });
    const other = await hh.memberSays('shut up you stupid moron');
    await vi.waitFor(async () => expect(settled((await actionRows(hh, other.ts)))).toBe(true), { timeout: 10_000, interval: 25 });
    const alert = (await actionRows(hh, other.ts)).find((a) => a.kind === 'alert');
    expect(alert).toMatchObject({ status: 'dead', attempts: 1 });
    expect(alert?.last_error).toMatch(/missing_scope/);
    expect((await actionRows(hh, other.ts)).find((a) => a.kind === 'flag')?.status).toBe('done');
  });

  it('counts a delete of a message that is already gone as done', async () => {
    const hh = await start({ adminToken: true, policy: { ...ACTIVE, 'actions.delete.enabled': 'true' } });
    const { ts } = await hh.memberSays(TOXIC);
    hh.fake.messages.delete(`${GENERAL}:${ts}`); // the author deleted it first
    await vi.waitFor(async () => expect(settled((await actionRows(hh, ts)))).toBe(true), { timeout: 10_000, interval: 25 });
    expect(hh.fake.callsTo('chat.delete').map((c) => c.response.error)).toEqual(['message_not_found']);
    expect((await actionRows(hh, ts)).find((a) => a.kind === 'delete')).toMatchObject({ status: 'done', attempts: 1, result_json: JSON.stringify({ deleted: false, skipped: 'message_not_found' }) });
  });

  it('batches alerts beyond alerts.maxPerMinute into one summary, so a raid cannot flood the channel', async () => {
    const hh = await start({ policy: { ...ACTIVE, 'alerts.maxPerMinute': '1' }, start: { alertWindowMs: 2000 } });
    const raid = ['you are a stupid worthless idiot', 'shut up you stupid moron', 'you are an idiot'];
    const sent: string[] = [];
    for (const text of raid) sent.push((await hh.memberSays(text)).ts);
    await vi.waitFor(async () => expect((await Promise.all(sent.map((ts) => actionRows(hh, ts)))).every(settled)).toBe(true), { timeout: 10_000, interval: 25 });
    // The summary is an outbox action due at the end of the batch's window (2 s here) plus 2 s of grace.
    await vi.waitFor(() => expect(hh.fake.okCalls('chat.postMessage').filter((c) => /held back/.test(c.params.text ?? ''))).toHaveLength(1), { timeout: 20_000, interval: 50 });

    const posts = hh.fake.okCalls('chat.postMessage');
    expect(posts.filter((c) => c.params.blocks)).toHaveLength(1);
    const summary = posts.find((c) => /held back/.test(c.params.text ?? ''));
    expect(summary?.params).toMatchObject({ channel: MODS, text: expect.stringMatching(/^toxguard held back 2 more alerts .*insult 2.* in <#C0GENERAL>/) });
    const alertResults = await Promise.all(sent.map(async (ts) => (await actionRows(hh, ts)).find((a) => a.kind === 'alert')?.result_json));
    expect(alertResults.filter((r) => (JSON.parse(r ?? 'null') as { batched?: boolean } | null)?.batched === true)).toHaveLength(2);
    // Every message was still flagged and queued for review: batching hides nothing.
    expect(hh.fake.okCalls('reactions.add')).toHaveLength(3);
    expect((await hh.countRows('review_items', "status = 'pending'"))).toBe(3);
  });

  it('Socket Mode: events and commands arrive over the WebSocket and are acknowledged', async () => {
    const hh = await start({ socket: true });
    expect(hh.bot.port).toBeUndefined();
    expect(hh.fake.okCalls('apps.connections.open')[0]?.token).toBe(APP_TOKEN);
    await vi.waitFor(() => expect(hh.fake.socketConnected).toBe(true), { timeout: 5000, interval: 25 });

    const ts = nextTs();
    hh.fake.addMessage(GENERAL, ts, MEMBER, TOXIC);
    const eventId = hh.fake.sendOverSocket('events_api', JSON.parse(hh.envelope({ type: 'message', channel: GENERAL, user: MEMBER, text: TOXIC, ts, team: TEAM })));
    await vi.waitFor(() => expect(hh.fake.socketAcks.has(eventId)).toBe(true), { timeout: 5000, interval: 25 });
    await vi.waitFor(async () => expect(settled((await actionRows(hh, ts)))).toBe(true), { timeout: 10_000, interval: 25 });
    expect((await actionRows(hh, ts)).map((a) => [a.kind, a.status])).toEqual([['flag', 'done'], ['alert', 'done']]);
    expect(hh.fake.okCalls('reactions.add')[0]?.params).toMatchObject({ channel: GENERAL, timestamp: ts });

    const cmdId = hh.fake.sendOverSocket('slash_commands', {
      token: 'legacy', team_id: TEAM, channel_id: GENERAL, user_id: ADMIN, command: '/toxicity', text: 'check you are an idiot',
      api_app_id: 'A0TOXGUARD', response_url: `${hh.fake.baseUrl}/response/x`, trigger_id: 'trigger-x',
    });
    await vi.waitFor(() => expect(hh.fake.socketAcks.has(cmdId)).toBe(true), { timeout: 5000, interval: 25 });
    expect(hh.fake.socketAcks.get(cmdId)).toMatchObject({ payload: { response_type: 'ephemeral', text: expect.stringMatching(/^Toxic: /) } });
  });
});
