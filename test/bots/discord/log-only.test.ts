// Log-only mode (a new server's default) still fills the review queue, so moderators can measure how
// often they agree with the model before turning actions on; nothing is deleted, reacted to or posted.
// Scores come from the deterministic word-list scorer.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MOD_PERMISSIONS, slashCommand } from './fixtures.js';
import { startHarness, type Harness } from './harness.js';
import { wordScorer } from '../../helpers/word-scorer.js';

let h: Harness;
beforeAll(async () => {
  h = await startHarness({ scorer: wordScorer() });
});
afterAll(async () => {
  await h?.stop();
});

describe('Discord adapter: log-only mode', () => {
  it('queues the message for review marked "would have acted", and does nothing on Discord', async () => {
    await h.policies.replace(h.world.guild.id, { mode: 'log-only', alerts: { channelId: h.world.channels.modlog } }, h.world.mod.id, 'test');
    const from = h.fake.calls.length;
    const m = h.send({ author: h.world.alice, content: 'you are a worthless idiot', channelId: h.world.channels.general });
    const v = await h.verdict(m);
    expect(v.decision).toMatchObject({ logOnly: true, actions: [], wouldAct: ['flag', 'alert'] });
    const review = await h.store.reviewForVerdict(v.id);
    expect(review?.status).toBe('pending');
    expect(await h.store.listActions(v.id)).toEqual([]);

    const payload = slashCommand({ world: h.world, user: h.world.mod, permissions: MOD_PERMISSIONS }, 'review');
    const body = (await h.interact(payload)) as { data?: { embeds?: { fields?: { name: string }[] }[] } };
    const path = new RegExp(`^/interactions/${String(payload.id)}/`);
    expect(body.data?.embeds?.[0]?.fields?.map((f) => f.name)).toContain(`#${review?.id} (would have acted: flag, alert)`);
    // Nothing reached Discord besides the answer to the command (and the start-up command registration):
    // no reaction, no alert, no delete.
    const others = h.fake.calls.slice(from).filter((c) => !path.test(c.path) && !c.path.startsWith('/applications/'));
    expect(others.filter((c) => c.method !== 'GET').map((c) => `${c.method} ${c.path}`)).toEqual([]);
  });
});
