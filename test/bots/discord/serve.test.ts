// `toxguard serve` with DISCORD_TOKEN and DISCORD_API_URL set starts the bot (the wiring in
// src/bots/index.ts and serve.ts): it connects to the fake, moderates, and its outbox deletes.
import { mkdirSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startServe } from '../../helpers/cli.js';
import { afterAll, describe, expect, it, vi } from 'vitest';
import { Store } from '../../../src/store/index.js';
import { FAKE_TOKEN, FakeDiscord } from './fake-discord.js';
import { makeWorld, messagePayload } from './fixtures.js';

let fake: FakeDiscord | undefined;

afterAll(async () => {
  await fake?.close();
});

describe('toxguard serve with DISCORD_TOKEN', () => {
  it('starts the Discord bot against DISCORD_API_URL, acts through the outbox, never logs the token', async () => {
    const world = makeWorld();
    fake = await FakeDiscord.start({ botUser: world.bot, applicationId: world.applicationId, guilds: [world.guild] });
    const cwd = mkdtempSync(join(tmpdir(), 'toxguard-serve-discord-'));
    mkdirSync(join(cwd, 'data'));
    // The server's policy, as a moderator would have set it before.
    const store = await Store.open(join(cwd, 'data', 'toxguard.sqlite'));
    await store.setPolicy(world.guild.id, { mode: 'active', actions: { delete: { enabled: true } }, alerts: { channelId: world.channels.modlog } }, world.mod.id, 'test');
    await store.close();

    const serve = await startServe(cwd, { DISCORD_TOKEN: FAKE_TOKEN, DISCORD_API_URL: fake.apiUrl, SLACK_BOT_TOKEN: '', SLACK_SIGNING_SECRET: '' });
    const m = messagePayload({ author: world.alice, content: 'you are a worthless stupid idiot', channelId: world.channels.general, guildId: world.guild.id });
    try {
      await vi.waitFor(() => expect(serve.logs()).toContain('Discord bot ready'), { timeout: 30_000, interval: 50 });
      expect(fake.identifies).toHaveLength(1);

      fake.dispatch('MESSAGE_CREATE', m);
      await vi.waitFor(() => expect(fake?.callsTo('DELETE', new RegExp(`^/channels/${world.channels.general}/messages/${m.id}$`))).toHaveLength(1), { timeout: 15_000, interval: 50 });
      await vi.waitFor(() => expect(fake?.callsTo('POST', new RegExp(`^/channels/${world.channels.modlog}/messages$`))).toHaveLength(1), { timeout: 5_000, interval: 50 });
    } finally {
      await serve.stop();
    }
    const after = await Store.open(join(cwd, 'data', 'toxguard.sqlite'));
    try {
      const verdict = await after.getVerdict(`discord:${world.guild.id}:${world.channels.general}:${m.id}`);
      expect(verdict?.decision.actions).toEqual(['flag', 'alert', 'delete']);
      expect((await after.listActions(verdict?.id ?? -1)).map((a) => a.status)).toEqual(['done', 'done', 'done']);
    } finally {
      await after.close();
    }
    expect(serve.logs()).toContain('Discord bot stopped');
    expect(serve.logs()).not.toContain(FAKE_TOKEN);
  }, 60_000);
});
