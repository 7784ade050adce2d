// `/toxicity`, the review buttons, the "Check toxicity" shortcut and the OAuth install, end to end
// against the real Bolt app, the fake Web API and a real SQLite file.
import { afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { SHORTCUT_CHECK, ACTION_CONFIRM, ACTION_OVERTURN } from '../../../src/bots/slack/blocks.js';
import type { Scorer } from '../../../src/classifier/scorer.js';
import { wordScorer } from '../../helpers/word-scorer.js';
import {
  ADMIN,
  BOT_ID,
  BOT_TOKEN,
  BOT_USER,
  CLIENT_ID,
  CLIENT_SECRET,
  GENERAL,
  GROUP_MOD,
  Harness,
  MEMBER,
  MODS,
  TEAM,
  blocksOf,
  nextTs,
} from './harness.js';

const TOXIC = 'you are a stupid worthless idiot';

let scorer: Scorer;
let h: Harness | undefined;

beforeAll(async () => {
  scorer = wordScorer();
});

afterEach(async () => {
  await h?.close();
  h = undefined;
});

function blockText(body: Record<string, unknown>): string {
  return JSON.stringify(body.blocks ?? []);
}

describe('Slack app: /toxicity', () => {
  it('check: scores a text for a workspace admin, with the spans, recording nothing', async () => {
    h = await Harness.start({ scorer });
    const res = await h.command(`check ${TOXIC}`, ADMIN);
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ response_type: 'ephemeral', text: expect.stringMatching(/^Toxic: .*insult/) });
    const blocks = blockText(res.body);
    expect(blocks).toMatch(/\*stupid[^*]*\*/); // the words that drove the score, marked
    expect(blocks).toMatch(/\*[^*]*idiot\*/);
    expect(blocks).toMatch(/:red_circle: `insult` 0\.90/); // the word-list scorer's "idiot"
    expect(blocks).toMatch(/:white_circle: `threat` 0\.01/);
    // The permission check went to Slack, fresh; nothing was written.
    expect(h.fake.callsTo('users.info').map((c) => c.params.user)).toEqual([ADMIN]);
    expect(h.count('verdicts')).toBe(0);

    const clean = await h.command('check have a nice day', ADMIN);
    expect(clean.body.text).toBe('Not toxic');
  });

  it('config: refused for a member (nothing written), allowed for the moderator group (policy + audit row)', async () => {
    h = await Harness.start({ scorer });
    const refused = await h.command('config mode active', MEMBER);
    expect(refused.status).toBe(200);
    expect(String(refused.body.text)).toMatch(/^Only workspace admins and owners, and members of <!subteam\^S0MODS> can use \/toxicity\.$/);
    expect(h.count('policies')).toBe(0);
    expect(h.count('policy_audit')).toBe(0);
    expect(h.fake.callsTo('usergroups.users.list')).toHaveLength(1);

    const allowed = await h.command('config mode active', GROUP_MOD);
    expect(String(allowed.body.text)).toMatch(/^Set `mode` to `active`\./);
    expect(h.count('policies', 'server_id = ?', TEAM)).toBe(1);
    const audit = await h.store.listPolicyAudit(TEAM);
    expect(audit).toHaveLength(1);
    expect(audit[0]).toMatchObject({ actor: GROUP_MOD, source: 'slack', after: expect.objectContaining({ mode: 'active' }) });

    const typo = await h.command('config actions.delete.thresholds.insutl 0.5', GROUP_MOD);
    expect(String(typo.body.text)).toMatch(/unknown key "insutl"/);
    expect(h.count('policy_audit')).toBe(1);

    // Slack escapes a #channel mention in the command text; the id is what gets stored.
    const channel = await h.command(`config alerts.channelId <#${MODS}|mods>`, ADMIN);
    expect(String(channel.body.text)).toMatch(/^Set `alerts.channelId` to `C0MODS`\./);
    expect((await h.policies.get(TEAM)).alerts.channelId).toBe(MODS);
    expect(h.count('policy_audit')).toBe(2);

    const show = await h.command('config', ADMIN);
    expect(String(show.body.text)).toMatch(/^Mode: active\./);
  });

  it('review and stats list what the pipeline recorded; a decision from the review list replaces it', async () => {
    h = await Harness.start({ scorer, policy: { mode: 'active', 'alerts.channelId': MODS } });
    const { ts } = await h.memberSays(TOXIC);
    await vi.waitFor(() => expect(h?.count('review_items')).toBe(1), { timeout: 10_000, interval: 25 });
    const review = await h.command('review', ADMIN);
    expect(review.body.text).toBe('1 pending review');
    expect(blockText(review.body)).toContain(ACTION_CONFIRM);
    expect(blockText(review.body)).toContain(`<@${MEMBER}> in <#${GENERAL}>`);
    const stats = await h.command('stats 1', ADMIN);
    expect(blockText(stats.body)).toContain('Messages checked: 1; over a threshold: 1');

    // Overturn from the (ephemeral) review list: recorded, and the list is replaced via response_url.
    const hh = h;
    const listBlocks = review.body.blocks as { type: string; elements?: { action_id: string; value: string }[] }[];
    const reviewId = Number(listBlocks.find((b) => b.type === 'actions')?.elements?.find((e) => e.action_id === ACTION_OVERTURN)?.value);
    expect((await hh.store.getReview(reviewId))?.verdictId).toBe((await hh.store.getVerdict(`slack:${TEAM}:${GENERAL}:${ts}`))?.id);
    const responseUrl = `${hh.fake.baseUrl}/response/review-list`;
    await hh.interaction({
      type: 'block_actions',
      user: { id: ADMIN, username: 'admin', team_id: TEAM },
      api_app_id: 'A0TOXGUARD',
      token: 'legacy',
      container: { type: 'message', message_ts: nextTs(), channel_id: GENERAL, is_ephemeral: true },
      trigger_id: 'trigger-r',
      team: { id: TEAM, domain: 'team' },
      channel: { id: GENERAL, name: 'general' },
      message: { type: 'message', ts: nextTs(), text: '1 pending review', blocks: listBlocks },
      response_url: responseUrl,
      actions: [{ type: 'button', action_id: ACTION_OVERTURN, block_id: `toxguard_review_${reviewId}`, value: String(reviewId), text: { type: 'plain_text', text: 'x' }, action_ts: nextTs() }],
    });
    await vi.waitFor(() => expect(hh.fake.responses).toHaveLength(1), { timeout: 5000, interval: 25 });
    expect(hh.fake.responses[0]).toMatchObject({ path: '/response/review-list', body: { replace_original: true } });
    expect(JSON.stringify(hh.fake.responses[0]?.body.blocks)).toContain(`Overturned (not toxic) by <@${ADMIN}>`);
    expect((await hh.store.getReview(reviewId))?.status).toBe('overturned');
    // The alert posted in the moderators' channel shows the decision too (the refresh-alert action).
    await vi.waitFor(() => expect(hh.fake.okCalls('chat.update')).toHaveLength(1), { timeout: 5000, interval: 25 });
    const alertPost = hh.fake.okCalls('chat.postMessage').find((c) => c.params.channel === MODS);
    expect(hh.fake.okCalls('chat.update')[0]?.params).toMatchObject({ channel: MODS, ts: alertPost?.response.ts });
    expect(JSON.stringify(blocksOf(hh.fake.okCalls('chat.update')[0]?.params ?? {}))).toContain(`Overturned (not toxic) by <@${ADMIN}>`);
  });
});

describe('Slack app: review buttons and shortcut', () => {
  it('a moderator confirms from the alert: decision recorded, alert updated; a member is refused', async () => {
    h = await Harness.start({ scorer, policy: { mode: 'active', 'alerts.channelId': MODS } });
    const hh = h;
    const { ts } = await hh.memberSays(TOXIC);
    await vi.waitFor(() => expect(hh.fake.okCalls('chat.postMessage')).toHaveLength(1), { timeout: 10_000, interval: 25 });
    const alert = hh.fake.okCalls('chat.postMessage')[0];
    const alertTs = String(alert?.response.ts);
    const blocks = blocksOf(alert?.params ?? {});
    const actions = blocks.find((b) => b.type === 'actions') as unknown as { elements: { action_id: string; value: string; text: unknown }[]; block_id: string };
    const confirm = actions.elements.find((e) => e.action_id === ACTION_CONFIRM);
    const reviewId = Number(confirm?.value);
    expect((await hh.store.getReview(reviewId))?.verdictId).toBe((await hh.store.getVerdict(`slack:${TEAM}:${GENERAL}:${ts}`))?.id);

    const click = (user: string, actionId: string) =>
      hh.interaction({
        type: 'block_actions',
        user: { id: user, username: user.toLowerCase(), team_id: TEAM },
        api_app_id: 'A0TOXGUARD',
        token: 'legacy',
        container: { type: 'message', message_ts: alertTs, channel_id: MODS, is_ephemeral: false },
        trigger_id: `trigger-${nextTs()}`,
        team: { id: TEAM, domain: 'team' },
        channel: { id: MODS, name: 'mods' },
        message: { type: 'message', user: BOT_USER, bot_id: BOT_ID, ts: alertTs, text: alert?.params.text, blocks },
        response_url: `${hh.fake.baseUrl}/response/${nextTs()}`,
        actions: [{ type: 'button', action_id: actionId, block_id: actions.block_id, value: String(reviewId), text: { type: 'plain_text', text: 'x' }, action_ts: nextTs() }],
      });

    expect((await click(MEMBER, ACTION_OVERTURN)).status).toBe(200);
    await vi.waitFor(() => expect(hh.fake.okCalls('chat.postEphemeral')).toHaveLength(1), { timeout: 5000, interval: 25 });
    expect(hh.fake.okCalls('chat.postEphemeral')[0]?.params).toMatchObject({ channel: MODS, user: MEMBER, text: expect.stringMatching(/^Only .* can review\.$/) });
    expect(hh.count('review_decisions')).toBe(0);
    expect((await hh.store.getReview(reviewId))?.status).toBe('pending');

    expect((await click(ADMIN, ACTION_CONFIRM)).status).toBe(200);
    // Updated by the button's handler, and again (the same blocks) by the refresh-alert action.
    await vi.waitFor(() => expect(hh.fake.okCalls('chat.update')).toHaveLength(2), { timeout: 5000, interval: 25 });
    for (const u of hh.fake.okCalls('chat.update')) expect(JSON.stringify(blocksOf(u.params))).toContain(`Confirmed as toxic by <@${ADMIN}>`);
    expect((await hh.store.getReview(reviewId))?.status).toBe('confirmed');
    expect(await hh.store.reviewHistory(reviewId)).toEqual([expect.objectContaining({ decision: 'confirmed', moderatorId: ADMIN, source: 'slack' })]);
    const update = hh.fake.okCalls('chat.update')[0];
    expect(update?.params).toMatchObject({ channel: MODS, ts: alertTs });
    const updated = blocksOf(update?.params ?? {});
    expect(updated.some((b) => b.type === 'actions')).toBe(false);
    expect(JSON.stringify(updated)).toContain(`Confirmed as toxic by <@${ADMIN}>`);
    // The update of our own alert comes back as a message_changed event: it must not be moderated.
    await hh.sendEvent({ type: 'message', subtype: 'message_changed', channel: MODS, ts: nextTs(), message: { type: 'message', user: BOT_USER, bot_id: BOT_ID, text: TOXIC, ts: alertTs, edited: { user: BOT_USER, ts: nextTs() } } });
    await hh.pipeline.drain();
    expect(hh.count('verdicts')).toBe(1);
  });

  it('"Check toxicity" answers the moderator with an ephemeral check, recording nothing', async () => {
    h = await Harness.start({ scorer });
    const hh = h;
    const msgTs = nextTs();
    const res = await hh.interaction({
      type: 'message_action',
      callback_id: SHORTCUT_CHECK,
      trigger_id: `trigger-${nextTs()}`,
      response_url: `${hh.fake.baseUrl}/response/${nextTs()}`,
      team: { id: TEAM, domain: 'team' },
      channel: { id: GENERAL, name: 'general' },
      user: { id: ADMIN, name: 'admin', team_id: TEAM },
      message: { type: 'message', user: MEMBER, ts: msgTs, text: TOXIC },
      message_ts: msgTs,
      token: 'legacy',
      action_ts: nextTs(),
    });
    expect(res.status).toBe(200);
    await vi.waitFor(() => expect(hh.fake.okCalls('chat.postEphemeral')).toHaveLength(1), { timeout: 5000, interval: 25 });
    const call = hh.fake.okCalls('chat.postEphemeral')[0];
    expect(call?.params).toMatchObject({ channel: GENERAL, user: ADMIN, text: expect.stringMatching(/^Toxic: /) });
    expect(JSON.stringify(blocksOf(call?.params ?? {}))).toMatch(/\*[^*]*idiot\*/);
    expect(hh.count('verdicts')).toBe(0);
  });
});

describe('Slack app: OAuth install', () => {
  it('installs into a workspace through /slack/install and the redirect, stores it in SQLite, then moderates there with its token', async () => {
    h = await Harness.start({ scorer, oauth: true, policy: { mode: 'active', 'alerts.channelId': MODS } });
    const hh = h;
    const installedToken = 'xoxb-installed-by-oauth';
    hh.fake.oauth = {
      clientId: CLIENT_ID,
      clientSecret: CLIENT_SECRET,
      codes: new Map([['code-123', { teamId: TEAM, teamName: 'Team', installerId: ADMIN, botToken: installedToken, botUserId: BOT_USER, botId: BOT_ID }]]),
    };
    // Before install, events for the workspace cannot be authorised: nothing recorded.
    expect(hh.count('installations')).toBe(0);

    const install = await fetch(`${hh.url}/slack/install`, { redirect: 'manual' });
    expect(install.status).toBe(302);
    const location = new URL(install.headers.get('location') ?? '');
    expect(`${location.origin}${location.pathname}`).toBe(`${hh.fake.baseUrl}/oauth/v2/authorize`);
    expect(location.searchParams.get('client_id')).toBe(CLIENT_ID);
    expect(location.searchParams.get('scope')?.split(',')).toEqual(expect.arrayContaining(['channels:history', 'chat:write', 'reactions:write', 'files:read', 'users:read', 'commands']));
    const state = location.searchParams.get('state') ?? '';
    const cookie = (install.headers.get('set-cookie') ?? '').split(';')[0] ?? '';
    expect(cookie).toBe(`slack-app-oauth-state=${state}`);

    // A forged state is refused and stores nothing.
    const forged = await fetch(`${hh.url}/slack/oauth_redirect?code=code-123&state=forged`, { headers: { cookie: 'slack-app-oauth-state=forged' } });
    expect(forged.status).toBeGreaterThanOrEqual(400);
    expect(hh.count('installations')).toBe(0);

    const done = await fetch(`${hh.url}/slack/oauth_redirect?code=code-123&state=${encodeURIComponent(state)}`, { headers: { cookie } });
    expect(done.status).toBe(200);
    expect(hh.fake.okCalls('oauth.v2.access')[0]?.params).toMatchObject({ client_id: CLIENT_ID, client_secret: CLIENT_SECRET, code: 'code-123' });
    expect(hh.fake.okCalls('auth.test').map((c) => c.token)).toContain(installedToken);

    const row = hh.db().prepare('SELECT platform, install_key, team_id, is_enterprise, installed_by, installation_json FROM installations').get() as Record<string, unknown>;
    expect(row).toMatchObject({ platform: 'slack', install_key: `team:${TEAM}`, team_id: TEAM, is_enterprise: 0, installed_by: ADMIN });
    expect(JSON.parse(String(row.installation_json))).toMatchObject({ team: { id: TEAM }, bot: { token: installedToken, userId: BOT_USER, id: BOT_ID } });

    // Events for the installed workspace now run with the installed bot token.
    const { ts } = await hh.memberSays(TOXIC);
    await vi.waitFor(() => expect(hh.fake.okCalls('reactions.add')).toHaveLength(1), { timeout: 10_000, interval: 25 });
    expect(hh.fake.okCalls('reactions.add')[0]).toMatchObject({ token: installedToken, params: { timestamp: ts } });
    expect(hh.fake.calls.some((c) => c.token === BOT_TOKEN)).toBe(false);

    // The workspace removes the app: its installation (and bot token) is deleted from SQLite.
    expect((await hh.sendEvent({ type: 'app_uninstalled', event_ts: nextTs() })).status).toBe(200);
    expect(hh.count('installations')).toBe(0);
    expect(hh.count('verdicts')).toBe(1);
  });
});
