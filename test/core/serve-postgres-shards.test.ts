// Done-means of the PostgreSQL scale-out: two `toxguard serve` processes on one PostgreSQL database,
// each running half of the Discord shards of the fake gateway (`discord.sharding.shards` [0] and [1]
// of `totalShards` 2, as on two machines), each with its own outbox that may claim any action. The one
// holding shard 0 is SIGKILLed while a mod-log post it made is unanswered (the fake applied it, the
// outbox does not know), then started again. In the end every message has exactly one verdict, every
// action is done once (posts by nonce at the fake), nothing is left pending.
import type { ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it, vi } from 'vitest';
import pg from 'pg';
import { Store } from '../../src/store/index.js';
import { spawnServe, type SpawnedServe } from '../helpers/cli.js';
import { dmChannelId, FAKE_TOKEN, FakeDiscord } from '../bots/discord/fake-discord.js';
import { makeWorld, messagePayload, type World } from '../bots/discord/fixtures.js';
import { newPgDatabase, pgMissing } from '../store/helpers.js';

const TOXIC = 'you are a worthless stupid idiot';
/** Long enough that the killed process never hears the answer to its post. */
const HOLD_MS = 120_000;
const missing = pgMissing();
if (missing) console.warn(`[toxguard] SKIPPED: two serve processes sharing Discord shards on PostgreSQL: ${missing}`);

const dir = mkdtempSync(join(tmpdir(), 'toxguard-pg-shards-'));
const children: ChildProcess[] = [];
let fake: FakeDiscord | undefined;

afterAll(async () => {
  for (const c of children) if (c.exitCode === null && c.signalCode === null) c.kill('SIGKILL');
  await fake?.close();
  rmSync(dir, { recursive: true, force: true });
});

describe.skipIf(missing !== '')('two serve processes, half of the Discord shards each, one PostgreSQL database', () => {
  it('one SIGKILLed with a post in flight and started again: one verdict per message, every action done once', async () => {
    const url = await newPgDatabase('shards');
    const a = makeWorld({ shard: [0, 2] });
    const b = makeWorld({ bot: a.bot, shard: [1, 2] });
    fake = await FakeDiscord.start({ botUser: a.bot, applicationId: a.applicationId, guilds: [a.guild, b.guild], shards: 2 });
    const discord = fake;
    const store = await Store.open(url);
    for (const w of [a, b]) {
      await store.setPolicy(w.guild.id, { mode: 'active', actions: { delete: { enabled: true } }, alerts: { channelId: w.channels.modlog, maxPerMinute: 600 }, dmAuthor: true }, 'mod', 'test');
    }

    const logs: (() => string)[] = [];
    const serve = (shard: number): SpawnedServe => {
      const cwd = mkdtempSync(join(dir, `serve-${shard}-`));
      writeFileSync(join(cwd, 'toxguard.config.json'), JSON.stringify({ ocr: { enabled: false }, discord: { sharding: { enabled: true, totalShards: 2, shards: [shard] } } }));
      const s = spawnServe(cwd, { DISCORD_TOKEN: FAKE_TOKEN, DISCORD_API_URL: discord.apiUrl, DATABASE_URL: url });
      children.push(s.proc);
      logs.push(s.logs);
      return s;
    };
    const ready = async (s: SpawnedServe, shards: number[]): Promise<void> => {
      await vi.waitFor(() => expect(s.logs()).toContain('Discord shards ready'), { timeout: 120_000, interval: 100 });
      await vi.waitFor(() => expect(discord.connectedShards()).toEqual(shards), { timeout: 30_000, interval: 100 });
    };
    const sent: string[] = [];
    const say = (w: World, n: number, round: number): void => {
      for (let i = 0; i < n; i++) {
        const m = messagePayload({ author: w.alice, content: `${TOXIC} (round ${round}, ${i})`, channelId: w.channels.general, guildId: w.guild.id });
        sent.push(m.id);
        discord.dispatch('MESSAGE_CREATE', m);
      }
    };
    await store.close();
    // Read straight from the database: every row counts, whatever the store would show.
    const db = new pg.Client({ connectionString: url });
    await db.connect();
    const verdicts = async () => (await db.query<{ id: number; message_id: string; server_id: string }>('SELECT id, message_id, server_id FROM verdicts ORDER BY id')).rows;
    const actions = async () => (await db.query<{ id: number; verdict_id: number; kind: string; status: string; attempts: number }>('SELECT id, verdict_id, kind, status, attempts FROM actions ORDER BY id')).rows;
    const modlogPosts = (w: World) => discord.callsTo('POST', new RegExp(`^/channels/${w.channels.modlog}/messages$`)).filter((c) => c.status === 200);

    // Shard 0's process alone, its mod-log posts unanswered: it is killed with a post made and unrecorded.
    discord.holdReplies('POST', new RegExp(`^/channels/${a.channels.modlog}/messages$`), HOLD_MS);
    const first = serve(0);
    await ready(first, [0]);
    say(a, 4, 1);
    await vi.waitFor(async () => expect(await verdicts()).toHaveLength(4), { timeout: 60_000, interval: 100 });
    await vi.waitFor(() => expect(modlogPosts(a).length).toBeGreaterThan(0), { timeout: 60_000, interval: 50 });
    discord.releaseHolds();
    // Shard 1's process joins; both moderate and both run the outbox.
    const other = serve(1);
    await ready(other, [0, 1]);
    say(b, 4, 1);
    await vi.waitFor(async () => expect(await verdicts()).toHaveLength(8), { timeout: 60_000, interval: 100 });

    first.proc.kill('SIGKILL');
    await first.exited;
    const inFlight = (await actions()).filter((x) => x.status === 'running').length;
    // Its shard process leaves with it (no orphan moderating shard 0 unsupervised).
    await vi.waitFor(() => expect(discord.connectedShards()).toEqual([1]), { timeout: 30_000, interval: 100 });
    // Shard 0 is down: only shard 1's server talks (events of a shard with no session are lost, as on Discord).
    say(b, 4, 2);
    const again = serve(0);
    await ready(again, [0, 1]);
    say(a, 4, 3);
    say(b, 4, 3);
    // The killed process's claims come back after their lease (a minute) and are finished by either process.
    await vi.waitFor(
      async () => {
        expect(await verdicts()).toHaveLength(sent.length);
        expect((await actions()).filter((x) => x.status !== 'done' && x.status !== 'dead')).toEqual([]);
      },
      { timeout: 240_000, interval: 500 },
    );
    for (const s of [again, other]) {
      s.proc.kill('SIGTERM');
      await s.exited;
    }

    // One verdict per message, each message's actions once: a delete, a flag, an alert, a DM, all done.
    const recorded = await verdicts();
    expect(recorded.map((v) => v.message_id).sort()).toEqual([...sent].sort());
    const all = await actions();
    await db.end();
    expect(all.filter((x) => x.status !== 'done'), 'nothing dead, nothing pending').toEqual([]);
    for (const v of recorded) expect(all.filter((x) => x.verdict_id === v.id).map((x) => x.kind).sort(), `actions of ${v.message_id}`).toEqual(['alert', 'delete', 'dm', 'flag']);
    expect(discord.undelivered).toBe(0);
    // Every sent message was deleted at the fake.
    for (const id of sent) expect(discord.callsTo('DELETE', new RegExp(`/messages/${id}$`)).length, `DELETE ${id}`).toBeGreaterThan(0);

    // Posts exactly once: one mod-log message per alert, one DM per DM action, each with its action's nonce.
    const of = (kind: string, w: World) => all.filter((x) => x.kind === kind && recorded.find((v) => v.id === x.verdict_id)?.server_id === w.guild.id);
    let repeats = 0;
    for (const w of [a, b]) {
      const modlog = discord.messagesIn(w.channels.modlog);
      expect(modlog.map((m) => m.nonce).sort()).toEqual(of('alert', w).map((x) => `tga${x.id}`).sort());
      const dms = discord.messagesIn(dmChannelId(w.alice.id));
      expect(dms.map((m) => m.nonce).sort()).toEqual(of('dm', w).map((x) => `tgdm${x.id}`).sort());
      repeats += modlogPosts(w).length - modlog.length;
    }
    // The crash path ran: the post made by the killed process was claimed again and absorbed by its nonce.
    expect(inFlight).toBeGreaterThan(0);
    expect(repeats).toBeGreaterThanOrEqual(1);
    expect(all.filter((x) => x.kind === 'alert' && x.attempts > 1).length).toBeGreaterThanOrEqual(1);

    // Each process identified only its own shard: 0, 1, then 0 again after the kill.
    expect(discord.identifies.map((i) => (i as { d: { shard?: [number, number] } }).d.shard)).toEqual([
      [0, 2],
      [1, 2],
      [0, 2],
    ]);
    for (const l of logs) expect(l()).not.toContain(FAKE_TOKEN);
    process.stdout.write(
      `two serve processes on PostgreSQL, shards [0] and [1] of 2: 1 SIGKILL with ${inFlight} actions in flight; ${recorded.length} messages, ${recorded.length} verdicts, ${all.length} actions done once; ` +
        `${repeats} repeated post(s) absorbed by Discord's nonce\n`,
    );
  }, 480_000);
});
