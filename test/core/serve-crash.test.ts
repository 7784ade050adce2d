// Done-means of the action catalogue: `toxguard serve` (Discord and Slack adapters, against the
// fakes) is SIGKILLed while alerts, alert summaries and author DMs are in flight, and started again on
// the same SQLite file. The fakes apply a post at once but answer it only seconds later, so the kill
// lands between "the platform did it" and "the outbox recorded it" for the posts in flight. In the
// end every post exists exactly once at the platform, every batch of held-back alerts is summarised,
// and nothing is left pending.
import type { ChildProcess } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it, vi } from 'vitest';
import { Store, type ActionRecord } from '../../src/store/index.js';
import { spawnServe, type SpawnedServe } from '../helpers/cli.js';
import { dmChannelId, FAKE_TOKEN, FakeDiscord } from '../bots/discord/fake-discord.js';
import { makeWorld, messagePayload } from '../bots/discord/fixtures.js';
import { FakeSlack } from '../bots/slack/fake-slack.js';
import { ADMIN, ADMIN_TOKEN, BOT_ID, BOT_TOKEN, BOT_USER, GENERAL, MEMBER, MODS, nextTs, nowSeconds, sign, SIGNING_SECRET, TEAM } from '../bots/slack/harness.js';

const TOXIC = 'you are a worthless stupid idiot';
/** How long the fakes sit on the answer to a post (the post itself is made at once). */
const HOLD_MS = 15_000;

const world = makeWorld();
const slack = new FakeSlack();
let discord: FakeDiscord | undefined;
const cwd = mkdtempSync(join(tmpdir(), 'toxguard-serve-crash-'));
const dbFile = join(cwd, 'data', 'toxguard.sqlite');
const children: ChildProcess[] = [];
const logsOf: (() => string)[] = [];

afterAll(async () => {
  for (const c of children) if (c.exitCode === null && c.signalCode === null) c.kill('SIGKILL');
  await discord?.close();
  await slack.stop();
  rmSync(cwd, { recursive: true, force: true });
});

interface Serve extends SpawnedServe {
  /** The Slack app's events port, once it listens. */
  slackPort: () => number | undefined;
}

function serve(): Serve {
  const spawned = spawnServe(cwd, {
    DISCORD_TOKEN: FAKE_TOKEN,
    DISCORD_API_URL: discord?.apiUrl ?? '',
    SLACK_BOT_TOKEN: BOT_TOKEN,
    SLACK_ADMIN_TOKEN: ADMIN_TOKEN,
    SLACK_SIGNING_SECRET: SIGNING_SECRET,
    SLACK_API_URL: slack.apiUrl,
  });
  children.push(spawned.proc);
  logsOf.push(spawned.logs);
  return {
    ...spawned,
    slackPort: () => {
      const m = /"port":(\d+)[^\n]*Slack: receiving events over HTTP/.exec(spawned.logs());
      return m?.[1] ? Number(m[1]) : undefined;
    },
  };
}

async function ready(s: Serve): Promise<number> {
  await vi.waitFor(
    () => {
      expect(s.logs()).toContain('Discord bot ready');
      expect(s.slackPort()).toBeDefined();
    },
    { timeout: 60_000, interval: 100 },
  );
  return s.slackPort() ?? 0;
}

async function kill(s: Serve): Promise<void> {
  s.proc.kill('SIGKILL');
  await s.exited;
  expect(s.proc.signalCode).toBe('SIGKILL');
}

let slackSeq = 0;
/** A member's message in Slack's #general, as a signed Events API request to the app. */
async function slackSays(port: number, text: string): Promise<void> {
  const ts = nextTs();
  slack.addMessage(GENERAL, ts, MEMBER, text);
  slackSeq += 1;
  const body = JSON.stringify({
    token: 'legacy-verification-token',
    team_id: TEAM,
    api_app_id: 'A0TOXGUARD',
    type: 'event_callback',
    event_id: `EvCrash${slackSeq}`,
    event_time: nowSeconds(),
    event: { type: 'message', channel: GENERAL, channel_type: 'channel', user: MEMBER, text, ts, event_ts: ts, team: TEAM },
    authorizations: [{ enterprise_id: null, team_id: TEAM, user_id: BOT_USER, is_bot: true, is_enterprise_install: false }],
    is_ext_shared_channel: false,
  });
  const res = await fetch(`http://127.0.0.1:${port}/slack/events`, { method: 'POST', headers: { 'content-type': 'application/json', ...sign(body, nowSeconds()) }, body });
  expect(res.status).toBe(200);
}

function discordSays(text: string): void {
  discord?.dispatch('MESSAGE_CREATE', messagePayload({ author: world.alice, content: text, channelId: world.channels.general, guildId: world.guild.id }));
}

/** Both platforms get `n` toxic messages. */
async function raid(port: number, n: number, round: number): Promise<void> {
  for (let i = 0; i < n; i++) {
    discordSays(`${TOXIC} (round ${round}, ${i})`);
    await slackSays(port, `${TOXIC} (round ${round}, ${i})`);
  }
}

async function readActions(): Promise<{ actions: (ActionRecord & { platform: string })[]; verdicts: number }> {
  const store = await Store.open(dbFile);
  try {
    const actions: (ActionRecord & { platform: string })[] = [];
    let verdicts = 0;
    // Every verdict's actions (verdict ids are dense from 1).
    for (let id = 1; ; id++) {
      const v = await store.getVerdict(id);
      if (!v) break;
      verdicts++;
      for (const a of await store.listActions(id)) actions.push({ ...a, platform: v.platform });
    }
    return { actions, verdicts };
  } finally {
    await store.close();
  }
}

const discordPosts = (channel: string) => (discord?.callsTo('POST', new RegExp(`^/channels/${channel}/messages$`)) ?? []).filter((c) => c.status === 200);
const slackPosts = () => slack.okCalls('chat.postMessage').filter((c) => c.params.channel === MODS);
const actionIdOf = (metadata: string | undefined): number => Number((JSON.parse(metadata ?? '{}') as { event_payload?: { action_id?: number } }).event_payload?.action_id);

describe('toxguard serve killed with SIGKILL while posts are in flight', () => {
  it('posts every alert, summary and DM exactly once on Discord and Slack, summarises every held-back alert, leaves nothing pending', async () => {
    discord = await FakeDiscord.start({ botUser: world.bot, applicationId: world.applicationId, guilds: [world.guild] });
    await slack.start();
    slack.addUser({ id: MEMBER, teamId: TEAM, name: 'member' });
    slack.addUser({ id: ADMIN, teamId: TEAM, name: 'admin', isAdmin: true });
    slack.addUser({ id: BOT_USER, teamId: TEAM, name: 'toxguard', isBot: true });
    slack.addToken(BOT_TOKEN, { kind: 'bot', teamId: TEAM, userId: BOT_USER, botId: BOT_ID });
    slack.addToken(ADMIN_TOKEN, { kind: 'user', teamId: TEAM, userId: ADMIN });

    mkdirSync(join(cwd, 'data'));
    writeFileSync(join(cwd, 'toxguard.config.json'), JSON.stringify({ ocr: { enabled: false }, slack: { port: 0, host: '127.0.0.1', retries: 0 } }));
    // Both servers act, alert (at most 1 a minute: a raid is held back and summarised) and tell the author.
    const store = await Store.open(dbFile);
    await store.setPolicy(world.guild.id, { mode: 'active', actions: { delete: { enabled: true } }, alerts: { channelId: world.channels.modlog, maxPerMinute: 1 }, dmAuthor: true }, 'mod', 'test');
    await store.setPolicy(TEAM, { mode: 'active', actions: { delete: { enabled: true } }, alerts: { channelId: MODS, maxPerMinute: 1 }, dmAuthor: true }, 'mod', 'test');
    await store.close();
    const dmChannel = dmChannelId(world.alice.id);
    const kills: { target: string; live: Record<string, number> }[] = [];
    const live = async (): Promise<Record<string, number>> => {
      const counts: Record<string, number> = {};
      for (const a of (await readActions()).actions) if (a.status !== 'done' && a.status !== 'dead') counts[`${a.platform} ${a.kind}`] = (counts[`${a.platform} ${a.kind}`] ?? 0) + 1;
      return counts;
    };

    // Round 1: a raid beyond alerts.maxPerMinute on both platforms; killed once the summaries of the
    // held-back alerts are scheduled (not yet posted: they are due at the end of their minute).
    // Rounds 2-5: more messages; the fake sits on the answer to one kind of post, and the process is
    // killed as soon as such a post has been made (the platform did it, the outbox does not know).
    const summariesLive = async (): Promise<number> => {
      const l = await live();
      return Math.min(l['discord alert-summary'] ?? 0, l['slack alert-summary'] ?? 0);
    };
    const rounds: { target: string; hold: () => void; made: () => number | Promise<number> }[] = [
      { target: 'summaries', hold: () => undefined, made: summariesLive },
      { target: 'Discord alert', hold: () => discord?.holdReplies('POST', new RegExp(`^/channels/${world.channels.modlog}/messages$`), HOLD_MS), made: () => discordPosts(world.channels.modlog).length },
      { target: 'Slack alert', hold: () => slack.holdReplies('chat.postMessage', HOLD_MS), made: () => slackPosts().length },
      { target: 'Discord DM', hold: () => discord?.holdReplies('POST', new RegExp(`^/channels/${dmChannel}/messages$`), HOLD_MS), made: () => discordPosts(dmChannel).length },
      { target: 'Slack notice', hold: () => slack.holdReplies('chat.postEphemeral', HOLD_MS), made: () => slack.okCalls('chat.postEphemeral').length },
    ];
    for (const [i, round] of rounds.entries()) {
      discord.releaseHolds();
      slack.releaseHolds();
      round.hold();
      const before = await round.made();
      const s = serve();
      await raid(await ready(s), 3, i + 1);
      // Gateway events are not replayed to a new session: the round's verdicts are recorded first.
      await vi.waitFor(async () => expect((await readActions()).verdicts).toBe(6 * (i + 1)), { timeout: 60_000, interval: 100 });
      await vi.waitFor(async () => expect(await round.made()).toBeGreaterThan(before), { timeout: 120_000, interval: 10 });
      await kill(s);
      kills.push({ target: round.target, live: await live() });
    }

    // Round 6: answers come at once, and a last raid; runs until every action has finished (crashed
    // claims come back after their lease, summaries at the end of their batch's minute).
    discord.releaseHolds();
    slack.releaseHolds();
    const last = serve();
    await raid(await ready(last), 3, 6);
    await vi.waitFor(
      async () => {
        const { actions } = await readActions();
        expect(actions.filter((a) => a.status !== 'done' && a.status !== 'dead')).toEqual([]);
      },
      { timeout: 240_000, interval: 500 },
    );
    last.proc.kill('SIGTERM');
    await last.exited;

    const { actions, verdicts } = await readActions();
    expect(verdicts).toBe(36);
    // Each kill left the post it targeted, and a scheduled summary, in the outbox.
    const at = (target: string) => kills.find((k) => k.target === target)?.live ?? {};
    expect(at('Discord alert')['discord alert']).toBeGreaterThan(0);
    expect(at('Slack alert')['slack alert']).toBeGreaterThan(0);
    expect(at('Discord DM')['discord dm']).toBeGreaterThan(0);
    expect(at('Slack notice')['slack dm']).toBeGreaterThan(0);
    expect(at('summaries')['discord alert-summary']).toBeGreaterThan(0);
    expect(at('summaries')['slack alert-summary']).toBeGreaterThan(0);
    expect(actions.filter((a) => a.status !== 'done'), 'nothing dead, nothing pending').toEqual([]);
    const of = (platform: string, kind: string) => actions.filter((a) => a.platform === platform && a.kind === kind);
    const result = (a: ActionRecord) => (a.result ?? {}) as Record<string, unknown>;

    // Discord: one message per alert and per summary in the mod-log, each carrying its action's
    // nonce; a post repeated after a crash got the first message back.
    const dAlerts = of('discord', 'alert');
    const dSummaries = of('discord', 'alert-summary');
    const dPosted = [...dAlerts, ...dSummaries].filter((a) => typeof result(a).messageId === 'string');
    const modlog = discord.messagesIn(world.channels.modlog);
    expect(modlog.map((m) => m.nonce).sort()).toEqual(dPosted.map((a) => `tg${a.kind === 'alert' ? 'a' : 's'}${a.id}`).sort());
    for (const a of dPosted) expect(modlog.find((m) => m.nonce === `tg${a.kind === 'alert' ? 'a' : 's'}${a.id}`)?.id).toBe(result(a).messageId);
    const dDms = of('discord', 'dm').filter((a) => result(a).sent === true);
    expect(dDms.length).toBe(18);
    expect(discord.messagesIn(dmChannel).map((m) => m.nonce).sort()).toEqual(dDms.map((a) => `tgdm${a.id}`).sort());
    const nonceRepeats = [...discordPosts(world.channels.modlog), ...discordPosts(dmChannel)].length - modlog.length - dDms.length;

    // Slack: one message per alert and per summary in the moderators' channel (found by its metadata
    // on a retry instead of posted again).
    const sAlerts = of('slack', 'alert');
    const sSummaries = of('slack', 'alert-summary');
    const sPosted = [...sAlerts, ...sSummaries].filter((a) => typeof result(a).ts === 'string');
    const mods = slackPosts();
    expect(mods.map((c) => actionIdOf(c.params.metadata)).sort((a, b) => a - b)).toEqual(sPosted.map((a) => a.id).sort((a, b) => a - b));
    const recovered = sPosted.filter((a) => result(a).recovered === true).length;
    // Ephemeral notices cannot be looked up: a repeat is possible only for a notice claimed again.
    const sDms = of('slack', 'dm').filter((a) => result(a).notified === true);
    expect(sDms.length).toBe(18);
    const ephemeral = slack.okCalls('chat.postEphemeral').length;
    expect(ephemeral).toBeGreaterThanOrEqual(sDms.length);
    expect(ephemeral).toBeLessThanOrEqual(sDms.reduce((n, a) => n + a.attempts, 0));

    // The crash path was exercised: the posts the platform had made when the process died were
    // claimed again after their lease (an alert and a DM on Discord, an alert on Slack).
    expect(nonceRepeats).toBeGreaterThanOrEqual(2);
    expect(recovered).toBeGreaterThanOrEqual(1);

    // Every held-back alert is counted in a posted summary of its batch.
    for (const [platform, summaries, alerts] of [['discord', dSummaries, dAlerts], ['slack', sSummaries, sAlerts]] as const) {
      const held = alerts.filter((a) => result(a).batched === true);
      expect(held.length, `${platform}: alerts held back`).toBeGreaterThan(0);
      for (const batch of new Set(held.map((a) => String(result(a).batchedIn)))) {
        const summary = summaries.find((s) => (s.payload as { batchStart: string }).batchStart === batch);
        expect(result(summary ?? ({} as ActionRecord)).count, `${platform}: summary of batch ${batch}`).toBe(held.filter((a) => result(a).batchedIn === batch).length);
      }
    }
    // Five crashed processes and one stopped: no token or secret in any of their logs.
    expect(logsOf).toHaveLength(6);
    for (const logs of logsOf) for (const secret of [FAKE_TOKEN, BOT_TOKEN, ADMIN_TOKEN, SIGNING_SECRET]) expect(logs()).not.toContain(secret);
    const summariesPosted = dSummaries.filter((a) => result(a).messageId).length + sSummaries.filter((a) => result(a).ts).length;
    process.stdout.write(
      `serve crash test: ${kills.length} SIGKILLs (${kills.map((k) => `${k.target}: ${Object.values(k.live).reduce((a, b) => a + b, 0)} live`).join(', ')}), ${verdicts} verdicts, ${actions.length} actions; ` +
        `Discord ${dPosted.length} mod-log posts + ${dDms.length} DMs, Slack ${sPosted.length} posts + ${sDms.length} notices (${ephemeral} ephemeral calls); ` +
        `${summariesPosted} summaries; repeats after a kill: ${nonceRepeats} absorbed by Discord's nonce, ${recovered} found by Slack metadata\n`,
    );
  }, 420_000);
});
