// Messages end to end: the real discord.js Client on the fake gateway, the real pipeline, SQLite
// and outbox, and the deterministic word-list scorer (retraining the model never changes these).
// Each scenario asserts the REST calls the bot made and the rows it wrote.
import { afterAll, beforeAll, beforeEach, expect, it, vi } from 'vitest';
import { wordScorer } from '../../helpers/word-scorer.js';
import type { Scorer } from '../../../src/classifier/scorer.js';
import { noticePlatform } from '../../../src/bots/index.js';
import { messagePayload } from './fixtures.js';
import { startHarness, type Harness } from './harness.js';
import { describeBackends, newPgDatabase } from '../../store/helpers.js';

const TOXIC = 'you are a worthless stupid idiot';
const CLEAN = 'what a lovely day, see you at the meetup';

let scorer: Scorer;
let h: Harness;

beforeAll(async () => {
  scorer = wordScorer();
});

const messageCalls = (from: number) => h.fake.calls.slice(from).filter((c) => c.path.startsWith('/channels/') || c.path.startsWith('/guilds/'));

// Every scenario once per store backend: SQLite, and a fresh PostgreSQL database.
describeBackends('Discord adapter: messages', (backend) => {
  beforeAll(async () => {
    h = await startHarness({ scorer, ...(backend === 'postgres' ? { databaseUrl: await newPgDatabase('discord') } : {}) });
  });
  afterAll(async () => {
    await h?.stop();
  });
  beforeEach(() => h.resetPolicy());

  it("posts a notice (a drift alert) from the outbox to its own server's #mod-log, with a nonce; takes only its servers' notices", async () => {
    const from = h.fake.calls.length;
    await expect(noticePlatform([h.bot], h.world.guild.id)).resolves.toBe('discord');
    await expect(noticePlatform([h.bot], 'T0SLACKTEAM')).resolves.toBeUndefined();
    const id = await h.store.enqueueNotice({ platform: 'discord', serverId: h.world.guild.id, key: 'drift:test', text: 'model drift: toxic PSI 0.340 over 0.200' });
    await vi.waitFor(async () => expect((await h.store.getAction(id ?? -1))?.status).toBe('done'), { timeout: 10_000, interval: 20 });
    const posts = h.fake.callsTo('POST', new RegExp(`^/channels/${h.world.channels.modlog}/messages$`), from);
    expect(posts.map((c) => c.body)).toEqual([{ content: 'model drift: toxic PSI 0.340 over 0.200', nonce: `tgn${id}`, enforce_nonce: true }]);
    expect(await h.store.getAction(id ?? -1)).toMatchObject({ result: { channelId: h.world.channels.modlog, messageId: expect.any(String) } });
  });

  it('connects with the minimal intents and registers /toxicity in the server', async () => {
    const identify = h.fake.identifies[0] as { d: { intents: number; token: string } };
    // Guilds (1) | GuildMessages (512) | MessageContent (32768); no DMs unless configured.
    expect(identify.d.intents).toBe(1 | 512 | 32768);
    await vi.waitFor(() => expect(h.fake.callsTo('PUT', new RegExp(`^/applications/${h.world.applicationId}/guilds/${h.world.guild.id}/commands$`))).toHaveLength(1));
    const [put] = h.fake.callsTo('PUT', /\/guilds\/\d+\/commands$/);
    const commands = put?.body as { name: string; default_member_permissions?: string; options?: { name: string }[] }[];
    const toxicity = commands.find((c) => c.name === 'toxicity');
    expect(toxicity?.default_member_permissions).toBe(String(1n << 13n)); // Manage Messages
    expect(toxicity?.options?.map((o) => o.name).sort()).toEqual(['check', 'config', 'review', 'stats']);
    expect(commands.map((c) => c.name)).toContain('Check toxicity');
  });

  // Runs before any other alert: the limiter counts every alert of the server in the last minute.
  it('batches alerts beyond alerts.maxPerMinute (a raid cannot flood #mod-log)', async () => {
    await h.resetPolicy({ 'alerts.maxPerMinute': '2' });
    const from = h.fake.calls.length;
    const sent = Array.from({ length: 4 }, (_, i) => h.send({ author: h.world.alice, content: `${TOXIC} ${i}`, channelId: h.world.channels.general }));
    const verdicts = await Promise.all(sent.map((m) => h.verdict(m)));
    const actions = (await Promise.all(verdicts.map((v) => h.settled(v.id)))).flat().filter((a) => a.kind === 'alert');
    expect(actions).toHaveLength(4);
    expect(actions.filter((a) => (a.result as { batched?: boolean }).batched)).toHaveLength(2);
    expect(h.fake.callsTo('POST', new RegExp(`^/channels/${h.world.channels.modlog}/messages$`), from)).toHaveLength(2);

    // The first held-back alert scheduled ONE summary in the outbox, due at the end of the batch's minute.
    const summaries = (await Promise.all(verdicts.map((v) => h.store.listActions(v.id)))).flat().filter((a) => a.kind === 'alert-summary');
    expect(summaries).toHaveLength(1);
    const [scheduled] = summaries;
    if (!scheduled) throw new Error('no summary scheduled');
    expect(scheduled.status).toBe('pending');
    expect(Date.parse(scheduled.nextAttemptAt) - Date.now()).toBeGreaterThan(50_000);
    // Run it as the outbox will once it is due (the test does not wait a minute).
    const owner = verdicts.find((v) => v.id === scheduled.verdictId);
    if (!owner) throw new Error('no verdict for the summary');
    const target = { messageKey: '', platform: 'discord' as const, serverId: owner.serverId, channelId: owner.channelId, threadId: null, messageId: owner.messageId, authorId: owner.authorId };
    const result = await h.bot.executor.execute({ ...scheduled, status: 'running', attempts: 1, target }, owner);
    expect(result).toMatchObject({ count: 2 });
    await h.store.completeAction(scheduled.id, result);
    const posts = h.fake.callsTo('POST', new RegExp(`^/channels/${h.world.channels.modlog}/messages$`), from);
    expect(posts).toHaveLength(3);
    const summary = (posts[2]?.body as { content: string }).content;
    expect(summary).toContain('**2 more alerts** held back');
    expect(summary).toContain('insult 2');
    expect(summary).toContain(`<#${h.world.channels.general}>`);
  });

  it('deletes a toxic message (delete enabled), alerts #mod-log, flags it and stores the verdict', async () => {
    await h.resetPolicy({ 'actions.delete.enabled': 'true' });
    const from = h.fake.calls.length;
    const m = h.send({ author: h.world.alice, content: TOXIC, channelId: h.world.channels.general });
    const verdict = await h.verdict(m);
    const actions = await h.settled(verdict.id);

    expect(verdict.scores.insult).toBeGreaterThanOrEqual(0.9);
    expect(verdict.decision.actions).toEqual(['flag', 'alert', 'delete']);
    expect(verdict.authorId).toBe(h.world.alice.id);
    expect(verdict.text).toBe(TOXIC);
    expect(actions.map((a) => [a.kind, a.status])).toEqual(expect.arrayContaining([['flag', 'done'], ['alert', 'done'], ['delete', 'done']]));
    expect((await h.store.reviewForVerdict(verdict.id))?.status).toBe('pending');

    const del = h.fake.callsTo('DELETE', new RegExp(`^/channels/${h.world.channels.general}/messages/${m.id}$`), from);
    expect(del).toHaveLength(1);
    expect(del[0]?.reason).toContain(`verdict ${verdict.id}`);
    expect(del[0]?.reason).toContain('insult');
    expect(del[0]?.authorized).toBe(true);
    expect(h.fake.callsTo('PUT', new RegExp(`^/channels/${h.world.channels.general}/messages/${m.id}/reactions/🚩/@me$`), from)).toHaveLength(1);

    const alerts = h.fake.callsTo('POST', new RegExp(`^/channels/${h.world.channels.modlog}/messages$`), from);
    expect(alerts).toHaveLength(1);
    const body = alerts[0]?.body as { embeds: { title: string; description: string; fields: { name: string; value: string }[] }[]; components: { components: { custom_id?: string }[] }[]; allowed_mentions?: unknown };
    const embed = body.embeds[0];
    expect(embed?.title).toBe('Message deleted');
    // The scorer's spans (each listed word) are bold in the alert.
    expect(embed?.description).toBe('you are a **worthless** **stupid** **idiot**');
    const fields = Object.fromEntries((embed?.fields ?? []).map((f) => [f.name, f.value]));
    expect(fields.Author).toContain(`<@${h.world.alice.id}>`);
    expect(fields.Channel).toBe(`<#${h.world.channels.general}>`);
    expect(fields.Message).toContain(`https://discord.com/channels/${h.world.guild.id}/${h.world.channels.general}/${m.id}`);
    expect(fields.Scores).toMatch(/\*\*insult 0\.90\*\* \(threshold 0\.50\)/);
    const review = await h.store.reviewForVerdict(verdict.id);
    expect(body.components[0]?.components.map((c) => c.custom_id)).toEqual([`tg:confirm:${review?.id}`, `tg:overturn:${review?.id}`, `tg:timeout:${verdict.id}`]);
    const alert = actions.find((a) => a.kind === 'alert');
    expect(alert?.result).toMatchObject({ channelId: h.world.channels.modlog });
  });

  it('flags (no delete) with the default actions and posts the alert', async () => {
    const from = h.fake.calls.length;
    const m = h.send({ author: h.world.alice, content: 'you are a complete moron', channelId: h.world.channels.general });
    const verdict = await h.verdict(m);
    await h.settled(verdict.id);
    expect(verdict.decision.actions).toEqual(['flag', 'alert']);
    expect(h.fake.callsTo('DELETE', /messages/, from)).toHaveLength(0);
    expect(h.fake.callsTo('PUT', new RegExp(`/messages/${m.id}/reactions/`), from)).toHaveLength(1);
    const [alert] = h.fake.callsTo('POST', new RegExp(`^/channels/${h.world.channels.modlog}/messages$`), from);
    expect((alert?.body as { embeds: { title: string }[] }).embeds[0]?.title).toBe('Message flagged for review');
  });

  it('makes no call for a clean message, and records it', async () => {
    const from = h.fake.calls.length;
    const m = h.send({ author: h.world.alice, content: CLEAN, channelId: h.world.channels.general });
    const verdict = await h.verdict(m);
    expect(verdict.decision.actions).toEqual([]);
    expect(verdict.decision.triggered).toEqual([]);
    expect(await h.store.listActions(verdict.id)).toEqual([]);
    expect(await h.store.reviewForVerdict(verdict.id)).toBeUndefined();
    expect(messageCalls(from)).toEqual([]);
  });

  it('never acts on an exempt role, a moderator, bots or DMs', async () => {
    await h.resetPolicy({ 'actions.delete.enabled': 'true', 'exemptions.roleIds': `+${h.world.roles.trusted}` });
    const from = h.fake.calls.length;
    const trusted = h.send({ author: h.world.alice, roles: [h.world.roles.trusted], content: TOXIC, channelId: h.world.channels.general });
    const mod = h.send({ author: h.world.mod, roles: [h.world.roles.mod], content: TOXIC, channelId: h.world.channels.general });
    const owner = h.send({ author: h.world.owner, content: TOXIC, channelId: h.world.channels.general });
    const bot = h.send({ author: h.world.otherBot, content: TOXIC, channelId: h.world.channels.general });
    const dm = h.send({ author: h.world.alice, content: TOXIC, channelId: '4242', dm: true });
    const sentinel = h.send({ author: h.world.alice, content: CLEAN, channelId: h.world.channels.general });

    expect((await h.verdict(trusted)).decision).toMatchObject({ exemption: `role:${h.world.roles.trusted}`, actions: [] });
    expect((await h.verdict(mod)).decision).toMatchObject({ exemption: 'moderator', actions: [] });
    expect((await h.verdict(owner)).decision).toMatchObject({ exemption: 'moderator', actions: [] });
    await h.verdict(sentinel);
    await h.pipeline.drain();
    expect(await h.store.getVerdict(`discord:${h.world.guild.id}:${bot.channel_id}:${bot.id}`)).toBeUndefined();
    expect(await h.store.getVerdict(`discord:dm:${dm.channel_id}:${dm.id}`)).toBeUndefined();
    expect(messageCalls(from)).toEqual([]);
  });

  it('applies a forum channel override to its posts (threads)', async () => {
    await h.resetPolicy({ 'actions.delete.enabled': 'true', [`channels.${h.world.channels.forum}.exempt`]: 'true' });
    const from = h.fake.calls.length;
    const m = h.send({ author: h.world.alice, content: TOXIC, channelId: h.world.channels.post });
    const verdict = await h.verdict(m);
    expect(verdict.channelId).toBe(h.world.channels.post);
    expect(verdict.threadId).toBe(h.world.channels.post);
    expect(verdict.decision).toMatchObject({ exemption: `channel:${h.world.channels.forum}`, actions: [] });
    expect(messageCalls(from)).toEqual([]);

    await h.resetPolicy({ 'actions.delete.enabled': 'true' });
    const m2 = h.send({ author: h.world.alice, content: TOXIC, channelId: h.world.channels.post });
    await h.settled((await h.verdict(m2)).id);
    expect(h.fake.callsTo('DELETE', new RegExp(`^/channels/${h.world.channels.post}/messages/${m2.id}$`), from)).toHaveLength(1);
  });

  it('log-only mode records what would happen and does nothing', async () => {
    await h.resetPolicy({ mode: 'log-only', 'actions.delete.enabled': 'true' });
    const from = h.fake.calls.length;
    const m = h.send({ author: h.world.alice, content: TOXIC, channelId: h.world.channels.general });
    const verdict = await h.verdict(m);
    expect(verdict.decision.logOnly).toBe(true);
    expect(verdict.decision.actions).toEqual([]);
    expect(verdict.decision.triggered.map((t) => t.label)).toContain('insult');
    expect(await h.store.listActions(verdict.id)).toEqual([]);
    expect(messageCalls(from)).toEqual([]);
  });

  it('re-checks an edit that turns a clean message toxic', async () => {
    await h.resetPolicy({ 'actions.delete.enabled': 'true' });
    const from = h.fake.calls.length;
    const m = h.send({ author: h.world.alice, content: CLEAN, channelId: h.world.channels.general });
    const first = await h.verdict(m);
    expect(first.decision.actions).toEqual([]);

    const edited = messagePayload({ id: m.id, author: h.world.alice, content: `${CLEAN}. ${TOXIC}`, channelId: m.channel_id, guildId: h.world.guild.id, editedAt: new Date(Date.now() + 1000).toISOString() });
    h.fake.dispatch('MESSAGE_UPDATE', edited);
    const second = await h.verdict(m, 2);
    await h.settled(second.id);
    expect(second.id).toBe(first.id);
    expect(second.kind).toBe('edit');
    expect(second.text).toContain(TOXIC);
    expect(second.decision.actions).toContain('delete');
    expect(h.fake.callsTo('DELETE', new RegExp(`/messages/${m.id}$`), from)).toHaveLength(1);
    const [alert] = h.fake.callsTo('POST', new RegExp(`^/channels/${h.world.channels.modlog}/messages$`), from);
    expect(JSON.stringify(alert?.body)).toContain('revision 2');
  });

  it('re-checks an edit of a message it never saw (sent before a restart: not cached)', async () => {
    await h.resetPolicy({ 'actions.delete.enabled': 'true' });
    const from = h.fake.calls.length;
    const old = messagePayload({ author: h.world.alice, content: TOXIC, channelId: h.world.channels.general, guildId: h.world.guild.id, editedAt: new Date().toISOString() });
    h.fake.dispatch('MESSAGE_UPDATE', old);
    const verdict = await h.verdict(old);
    await h.settled(verdict.id);
    expect(verdict).toMatchObject({ kind: 'edit', revision: 1, text: TOXIC });
    expect(h.fake.callsTo('DELETE', new RegExp(`/messages/${old.id}$`), from)).toHaveLength(1);
  });

  it('escalates repeated strikes to a timeout through the outbox', async () => {
    await h.resetPolicy({ 'escalation.enabled': 'true', 'escalation.strikes': '2', 'escalation.timeoutMinutes': '15' });
    const author = h.world.alice;
    const from = h.fake.calls.length;
    // Two strikes in the window (earlier tests may have given alice more): the second one escalates.
    const first = h.send({ author, content: `${TOXIC} (strike 1)`, channelId: h.world.channels.general });
    await h.settled((await h.verdict(first)).id);
    const m = h.send({ author, content: `${TOXIC} (strike 2)`, channelId: h.world.channels.general });
    const verdict = await h.verdict(m);
    const actions = await h.settled(verdict.id);
    expect(verdict.decision.actions).toContain('timeout');
    expect(actions.find((a) => a.kind === 'timeout')).toMatchObject({ status: 'done', payload: { minutes: 15, userId: author.id } });
    const patch = h.fake.callsTo('PATCH', new RegExp(`^/guilds/${h.world.guild.id}/members/${author.id}$`), from).find((c) => c.reason?.includes(`verdict ${verdict.id}`));
    const until = Date.parse((patch?.body as { communication_disabled_until: string }).communication_disabled_until);
    expect(until - Date.now()).toBeGreaterThan(14 * 60_000);
    expect(until - Date.now()).toBeLessThanOrEqual(15 * 60_000);
    expect(patch?.reason).toContain(`verdict ${verdict.id}`);
  });
});
