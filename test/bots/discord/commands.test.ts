// Moderators' side end to end: /toxicity check, config, review, stats, the "Check toxicity" context
// menu, the alert's buttons and the author's appeal by DM. Permissions are re-checked on every use.
import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import type { APIMessage } from 'discord-api-types/v10';
import type { Scorer } from '../../../src/classifier/scorer.js';
import { wordScorer } from '../../helpers/word-scorer.js';
import { dmChannelId } from './fake-discord.js';
import { MEMBER_PERMISSIONS, MOD_PERMISSIONS, buttonClick, messageCommand, modalSubmit, slashCommand } from './fixtures.js';
import { startHarness, type Harness } from './harness.js';
import { dashboardOn } from '../../dashboard/harness.js';

const TOXIC = 'you are a worthless stupid idiot';
const EPHEMERAL = 64;

interface Callback {
  type: number;
  data?: { content?: string; flags?: number; embeds?: { title?: string; description?: string; fields?: { name: string; value: string }[] }[]; components?: { components: { custom_id?: string }[] }[]; custom_id?: string };
}

let scorer: Scorer;
let h: Harness;

beforeAll(async () => {
  scorer = wordScorer();
  h = await startHarness({ scorer });
});
afterAll(async () => {
  await h?.stop();
});
beforeEach(() => h.resetPolicy());

const asMod = () => ({ world: h.world, user: h.world.mod, permissions: MOD_PERMISSIONS });
const asMember = () => ({ world: h.world, user: h.world.alice, permissions: MEMBER_PERMISSIONS });

/** Dispatches an interaction and waits for the bot's callback to it. */
async function interact(payload: Record<string, unknown>): Promise<Callback> {
  return (await h.interact(payload)) as Callback;
}

/** A toxic message through the pipeline; returns its verdict and the alert message as posted. */
async function alerted(): Promise<{ verdictId: number; reviewId: number; alert: APIMessage }> {
  const m = h.send({ author: h.world.alice, content: TOXIC, channelId: h.world.channels.general });
  const v = await h.verdict(m);
  const actions = await h.settled(v.id);
  const result = actions.find((a) => a.kind === 'alert')?.result as { messageId: string };
  const alert = h.fake.message(result.messageId);
  const review = await h.store.reviewForVerdict(v.id);
  if (!alert || !review) throw new Error('no alert or review');
  return { verdictId: v.id, reviewId: review.id, alert };
}

describe('Discord adapter: commands and buttons', () => {
  it('/toxicity check answers ephemerally with the scores and the words behind them, without recording', async () => {
    const verdictsBefore = (await h.store.stats(h.world.guild.id, new Date(0))).verdicts;
    const reply = await interact(slashCommand(asMod(), 'check', { text: 'you are a complete moron' }));
    expect(reply.type).toBe(4);
    expect(reply.data?.flags).toBe(EPHEMERAL);
    const embed = reply.data?.embeds?.[0];
    expect(embed?.description).toContain('**moron**');
    const fields = Object.fromEntries((embed?.fields ?? []).map((f) => [f.name, f.value]));
    expect(Object.keys(fields)).toContain('Toxic: toxic, insult');
    expect(fields['Toxic: toxic, insult']).toMatch(/\*\*insult 0\.\d\d \(threshold 0\.\d\d\)\*\*/);
    expect(fields['Words behind the score']).toContain('`moron`');

    const clean = await interact(slashCommand(asMod(), 'check', { text: 'thanks for the help with the build' }));
    expect(clean.data?.embeds?.[0]?.fields?.[0]?.name).toBe('Not toxic');
    expect((await h.store.stats(h.world.guild.id, new Date(0))).verdicts).toBe(verdictsBefore);
  });

  it('/toxicity config: a moderator sets a key (audited); a member without Manage Messages is refused', async () => {
    const refused = await interact(slashCommand(asMember(), 'config', { key: 'actions.delete.enabled', value: 'true' }));
    expect(refused).toMatchObject({ type: 4, data: { flags: EPHEMERAL } });
    expect(refused.data?.content).toContain('Manage Messages');
    expect((await h.policies.get(h.world.guild.id)).actions.delete.enabled).toBe(false);
    expect((await h.store.listPolicyAudit(h.world.guild.id))[0]?.actor).not.toBe(h.world.alice.id);

    const set = await interact(slashCommand(asMod(), 'config', { key: 'actions.delete.enabled', value: 'true' }));
    expect(set.data?.content).toBe('Set `actions.delete.enabled` to `true`.');
    expect((await h.policies.get(h.world.guild.id)).actions.delete.enabled).toBe(true);
    const [audit] = await h.store.listPolicyAudit(h.world.guild.id);
    expect(audit).toMatchObject({ actor: h.world.mod.id, source: 'discord' });

    const bad = await interact(slashCommand(asMod(), 'config', { key: 'actions.delete.thresholds.insutl', value: '0.5' }));
    expect(bad.data?.content).toContain('unknown key "insutl"');

    const shown = await interact(slashCommand(asMod(), 'config', {}));
    expect(shown.data?.content).toContain('Mode: active');
    expect(shown.data?.content).toContain('Delete (also alerts): on');

    // Every subcommand re-checks, not only config.
    const check = await interact(slashCommand(asMember(), 'check', { text: 'hello' }));
    expect(check.data?.content).toContain('Manage Messages');
    expect(check.data?.embeds).toBeUndefined();
  });

  it('review buttons on the alert: confirm is stored and the alert updated; a member’s click is refused', async () => {
    const { verdictId, reviewId, alert } = await alerted();
    expect(alert.components?.[0]).toBeDefined();

    const refused = await interact(buttonClick(asMember(), `tg:overturn:${reviewId}`, alert));
    expect(refused).toMatchObject({ type: 4, data: { flags: EPHEMERAL } });
    expect((await h.store.getReview(reviewId))?.status).toBe('pending');

    const update = await interact(buttonClick(asMod(), `tg:confirm:${reviewId}`, alert));
    expect(update.type).toBe(7); // UPDATE_MESSAGE: the alert itself changes
    const fields = Object.fromEntries((update.data?.embeds?.[0]?.fields ?? []).map((f) => [f.name, f.value]));
    expect(fields.Decision).toContain(`confirmed by <@${h.world.mod.id}>`);
    expect(update.data?.embeds?.[0]?.description).toMatch(/\*\*stupid\*\* \*\*idiot\*\*/); // the word-list scorer marks each word
    const review = await h.store.getReview(reviewId);
    expect(review?.status).toBe('confirmed');
    expect(await h.store.reviewHistory(reviewId)).toEqual([expect.objectContaining({ decision: 'confirmed', moderatorId: h.world.mod.id, source: 'discord' })]);
    expect(review?.verdictId).toBe(verdictId);
  });

  it('"Time out author" times the member out with an audit reason and records the decision', async () => {
    const { verdictId, reviewId, alert } = await alerted();
    const from = h.fake.calls.length;
    const update = await interact(buttonClick(asMod(), `tg:timeout:${verdictId}`, alert));
    expect(update.type).toBe(7);
    const [patch] = h.fake.callsTo('PATCH', new RegExp(`^/guilds/${h.world.guild.id}/members/${h.world.alice.id}$`), from);
    const until = Date.parse((patch?.body as { communication_disabled_until: string }).communication_disabled_until);
    expect(until - Date.now()).toBeGreaterThan(9 * 60_000); // escalation.timeoutMinutes, 10 by default
    expect(until - Date.now()).toBeLessThanOrEqual(10 * 60_000);
    expect(patch?.reason).toContain(`verdict ${verdictId}`);
    expect(await h.store.reviewHistory(reviewId)).toEqual([expect.objectContaining({ decision: 'confirmed', note: 'timed out the author for 10 min' })]);
  });

  it('a decision on the dashboard updates the alert posted in Discord (refresh-alert through the outbox)', async () => {
    const { verdictId, reviewId, alert } = await alerted();
    const from = h.fake.calls.length;
    const dashboard = await dashboardOn({ store: h.store, policies: h.policies, scorer, pipeline: h.pipeline });
    try {
      expect(await dashboard.decide(reviewId, 'overturned')).toBe(200);
    } finally {
      await dashboard.close();
    }
    const patched = await vi.waitFor(() => {
      const [c] = h.fake.callsTo('PATCH', new RegExp(`^/channels/${h.world.channels.modlog}/messages/${alert.id}$`), from);
      if (!c) throw new Error('alert not updated yet');
      return c.body as NonNullable<Callback['data']>;
    });
    expect(patched.embeds?.[0]?.fields?.find((f) => f.name === 'Decision')?.value).toMatch(/^overturned by alice \(dashboard\)/);
    await vi.waitFor(async () => expect((await h.store.listActions(verdictId)).find((a) => a.kind === 'refresh-alert')?.status).toBe('done'));
  });

  it('/toxicity review lists the pending queue; a decision there is stored and the page re-rendered', async () => {
    const { reviewId, alert } = await alerted();
    const from = h.fake.calls.length;
    const list = await interact(slashCommand(asMod(), 'review'));
    expect(list.data?.flags).toBe(EPHEMERAL);
    const ids = (list.data?.components ?? []).flatMap((r) => r.components.map((c) => c.custom_id));
    expect(ids).toContain(`tg:overturn:${reviewId}:0`);
    expect(list.data?.embeds?.[0]?.fields?.map((f) => f.name)).toContain(`#${reviewId} (flag, alert)`);

    // The ephemeral list message the buttons sit on.
    const listMessage = { id: '1', channel_id: h.world.channels.general, author: h.world.bot, content: '', flags: EPHEMERAL, embeds: list.data?.embeds ?? [], components: list.data?.components ?? [] } as unknown as APIMessage;
    const after = await interact(buttonClick(asMod(), `tg:overturn:${reviewId}:0`, listMessage));
    expect(after.type).toBe(7);
    expect((await h.store.getReview(reviewId))?.status).toBe('overturned');
    const remaining = (after.data?.embeds?.[0]?.fields ?? []).map((f) => f.name);
    expect(remaining).not.toContain(`#${reviewId} (flag, alert)`);
    // The alert in #mod-log is updated with the decision as well.
    const patched = await vi.waitFor(() => {
      const [c] = h.fake.callsTo('PATCH', new RegExp(`^/channels/${h.world.channels.modlog}/messages/${alert.id}$`), from);
      if (!c) throw new Error('alert not updated yet');
      return c.body as NonNullable<Callback['data']>;
    });
    const decision = patched.embeds?.[0]?.fields?.find((f) => f.name === 'Decision');
    expect(decision?.value).toContain(`overturned by <@${h.world.mod.id}>`);
  });

  it('/toxicity stats counts by label and action', async () => {
    await alerted();
    const reply = await interact(slashCommand(asMod(), 'stats', { days: 1 }));
    const embed = reply.data?.embeds?.[0];
    const s = await h.store.stats(h.world.guild.id, new Date(Date.now() - 86_400_000));
    expect(embed?.description).toContain(`${s.verdicts} messages checked`);
    const fields = Object.fromEntries((embed?.fields ?? []).map((f) => [f.name, f.value]));
    expect(fields['Flagged by label']).toContain(`insult: ${s.flaggedByLabel.insult}`);
    expect(s.flaggedByLabel.insult).toBeGreaterThan(0);
    expect(fields.Actions).toContain(`alert: ${s.actions.alert.done} done`);
  });

  it('"Check toxicity" on a message defers, then edits the reply with the scores', async () => {
    const target = h.send({ author: h.world.alice, content: 'fuck you, you are a stupid piece of shit', channelId: h.world.channels.general });
    await h.verdict(target);
    const payload = messageCommand(asMod(), target);
    const deferred = await interact(payload);
    expect(deferred).toMatchObject({ type: 5, data: { flags: EPHEMERAL } });
    const edit = await vi.waitFor(() => {
      const [c] = h.fake.callsTo('PATCH', new RegExp(`^/webhooks/${h.world.applicationId}/${String(payload.token)}/messages/@original$`));
      if (!c) throw new Error('no edit yet');
      return c.body as NonNullable<Callback['data']>;
    });
    expect(edit.embeds?.[0]?.fields?.[0]?.name).toContain('obscene');
  });

  it('DMs the author after a delete; the appeal button opens a form and the appeal lands in the queue', async () => {
    await h.resetPolicy({ 'actions.delete.enabled': 'true', dmAuthor: 'true' });
    const from = h.fake.calls.length;
    const { verdictId, reviewId } = await alerted();
    await h.store.decideReview(reviewId, 'confirmed', h.world.mod.id, 'discord');
    const dmChannel = dmChannelId(h.world.alice.id);
    const [open] = h.fake.callsTo('POST', /^\/users\/@me\/channels$/, from);
    expect(open?.body).toEqual({ recipient_id: h.world.alice.id });
    const dm = await vi.waitFor(() => {
      const [c] = h.fake.callsTo('POST', new RegExp(`^/channels/${dmChannel}/messages$`), from);
      if (!c) throw new Error('no DM yet');
      return c.body as { content: string; components: { components: { custom_id?: string }[] }[] };
    });
    expect(dm.content).toContain('was removed');
    // The DM is an outbox action of its own, planned because dmAuthor is on, run after the delete.
    const del = (await h.store.listActions(verdictId)).find((a) => a.kind === 'delete');
    expect(del?.result).toEqual({ deleted: true });
    const dmAction = await vi.waitFor(async () => {
      const a = (await h.store.listActions(verdictId)).find((x) => x.kind === 'dm' && x.status === 'done');
      if (!a) throw new Error('dm action not done yet');
      return a;
    });
    expect(dmAction.result).toMatchObject({ sent: true, channelId: dmChannel });
    expect(dmAction.id).toBeGreaterThan(del?.id ?? Infinity);
    expect(dm.components[0]?.components[0]?.custom_id).toBe(`tg:appeal:${verdictId}`);

    // Someone else cannot appeal it.
    const posted = { id: '1', channel_id: dmChannel, author: h.world.bot, content: dm.content, components: dm.components } as unknown as APIMessage;
    const other = await interact(buttonClick({ world: h.world, user: h.world.mod, permissions: 0n }, `tg:appeal:${verdictId}`, posted, true));
    expect(other.data?.content).toContain('Only the author');

    const modal = await interact(buttonClick({ world: h.world, user: h.world.alice, permissions: 0n }, `tg:appeal:${verdictId}`, posted, true));
    expect(modal.type).toBe(9); // MODAL
    expect(modal.data?.custom_id).toBe(`tg:appeal-modal:${verdictId}`);

    const thanks = await interact(modalSubmit({ world: h.world, user: h.world.alice, permissions: 0n }, `tg:appeal-modal:${verdictId}`, 'reason', 'I was quoting a film', dmChannel));
    expect(thanks.data?.content).toContain('review queue');
    const review = await h.store.getReview(reviewId);
    expect(review).toMatchObject({ status: 'pending', appealNote: 'I was quoting a film', appealAuthorId: h.world.alice.id });
  });

  it('autocompletes /toxicity config keys', async () => {
    const payload = slashCommand(asMod(), 'config', { key: 'delete.thr' });
    payload.type = 4; // APPLICATION_COMMAND_AUTOCOMPLETE
    const data = payload.data as { options: { options: { name: string; focused?: boolean }[] }[] };
    const keyOption = data.options[0]?.options[0];
    if (keyOption) keyOption.focused = true;
    const answer = await interact(payload);
    expect(answer.type).toBe(8);
    const choices = (answer.data as { choices: { name: string; value: string }[] }).choices;
    const labels = ['toxic', 'severe_toxic', 'obscene', 'threat', 'insult', 'identity_hate'];
    expect(choices.map((c) => c.value)).toEqual([
      ...labels.map((l) => `actions.delete.thresholds.${l}`),
      ...labels.map((l) => `channels.${h.world.channels.general}.actions.delete.thresholds.${l}`),
    ]);
    expect(choices[6]?.name).toBe('channels.<this channel>.actions.delete.thresholds.toxic');
  });
});
