// Config options that change how the bot connects: DMs on (the DirectMessages intent; DMs scored and
// recorded under the server id `dm`), global command registration, keeping a removed server's data.
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { wordScorer } from '../../helpers/word-scorer.js';
import { DM_SERVER_ID } from '../../../src/bots/discord/to-message.js';
import { startHarness, type Harness } from './harness.js';

let h: Harness;

beforeAll(async () => {
  h = await startHarness({ scorer: wordScorer(), discord: { dms: true, commands: 'global', onGuildRemove: 'keep' } });
});
afterAll(async () => {
  await h?.stop();
});

describe('Discord adapter: options', () => {
  it('registers the commands globally only, and asks for the DirectMessages intent', async () => {
    const identify = h.fake.identifies[0] as { d: { intents: number } };
    expect(identify.d.intents).toBe(1 | 512 | 4096 | 32768);
    await vi.waitFor(() => expect(h.fake.callsTo('PUT', new RegExp(`^/applications/${h.world.applicationId}/commands$`))).toHaveLength(1));
    expect(h.fake.callsTo('PUT', /\/guilds\/\d+\/commands$/)).toEqual([]);
  });

  it('scores DMs under the server id "dm" (log-only: nothing to act with)', async () => {
    const from = h.fake.calls.length;
    const m = h.send({ author: h.world.alice, content: 'you are a worthless stupid idiot', channelId: '4242', dm: true });
    const verdict = await vi.waitFor(async () => {
      const v = await h.store.getVerdict(`discord:${DM_SERVER_ID}:4242:${m.id}`);
      if (!v) throw new Error('no verdict yet');
      return v;
    });
    expect(verdict.decision.logOnly).toBe(true);
    expect(verdict.decision.triggered.length).toBeGreaterThan(0);
    expect(await h.store.listActions(verdict.id)).toEqual([]);
    expect(h.fake.calls.slice(from)).toEqual([]);
  });

  it('keeps a removed server’s data (discord.onGuildRemove = keep)', async () => {
    await h.resetPolicy();
    const m = h.send({ author: h.world.alice, content: 'see you tomorrow', channelId: h.world.channels.general });
    const v = await h.verdict(m);
    h.fake.removeGuild(h.world.guild.id);
    // A later event proves the removal was handled before we look.
    const sentinel = h.send({ author: h.world.alice, content: 'hello', channelId: '4242', dm: true });
    await vi.waitFor(async () => expect(await h.store.getVerdict(`discord:${DM_SERVER_ID}:4242:${sentinel.id}`)).toBeDefined());
    expect(await h.store.getVerdict(v.id)).toBeDefined();
    expect(await h.store.getPolicy(h.world.guild.id)).toBeDefined();
  });
});
