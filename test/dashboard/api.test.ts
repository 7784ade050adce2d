// The dashboard's HTTP surface without a browser: login, sessions, the refusals (no login, other
// origin, no CSRF token, too many failed logins), bad input, and the aggregates against the store,
// on SQLite and on PostgreSQL (which must give the same figures for the same traffic).
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import type { FastifyInstance } from 'fastify';
import { LABELS } from '../../src/classifier/labels.js';
import { LoginLimiter } from '../../src/dashboard/auth.js';
import { renderMarkdown } from '../../src/dashboard/markdown.js';
import { BACKENDS, describeBackends, pgMissing } from '../store/helpers.js';
import { computeDrift, login, PASSWORD, seed, sessionCookie, startDashboard, TOXIC, type Harness } from './harness.js';

const ORIGIN = 'http://localhost:80';

// Every route once per backend: the same answers from a SQLite file and from PostgreSQL.
describeBackends('dashboard API', (backend) => {
  let h: Harness;
  let app: FastifyInstance;
  let auth: { cookie: string; csrf: string };

  beforeAll(async () => {
    h = await startDashboard({ listen: false, backend });
    app = h.app;
    await seed(h);
    auth = await login(app);
  });
  afterAll(async () => h?.close());

  const form = (fields: Record<string, string>) => new URLSearchParams(fields).toString();
  const FORM = 'application/x-www-form-urlencoded';

  describe('without a login', () => {
    it('redirects every page to the login form and answers 401 on every API route', async () => {
      for (const path of ['/dashboard', '/dashboard/', '/dashboard/review', '/dashboard/policies', '/dashboard/model', '/dashboard/try']) {
        const res = await app.inject({ method: 'GET', url: path });
        expect(res.statusCode, path).toBe(302);
        expect(res.headers.location).toBe(`/dashboard/login?next=${encodeURIComponent(path)}`);
      }
      for (const path of ['servers', 'overview', 'reviews?server=g1', 'policy?server=g1', 'model']) {
        const res = await app.inject({ method: 'GET', url: `/dashboard/api/${path}` });
        expect(res.statusCode, path).toBe(401);
        expect(res.json()).toEqual({ error: expect.stringMatching(/not logged in/) });
      }
      const post = await app.inject({ method: 'POST', url: '/dashboard/api/reviews/1/decision', headers: { origin: ORIGIN }, payload: { decision: 'confirmed' } });
      expect(post.statusCode).toBe(401);
      // Code and styles are public (no data in them); the login page too.
      expect((await app.inject({ method: 'GET', url: '/dashboard/login' })).statusCode).toBe(200);
      expect((await app.inject({ method: 'GET', url: '/dashboard/static/common.js' })).statusCode).toBe(200);
      const chart = await app.inject({ method: 'GET', url: '/dashboard/vendor/chart.umd.min.js' });
      expect(chart.statusCode).toBe(200);
      expect(chart.body.length).toBeGreaterThan(100_000);
      expect((await app.inject({ method: 'GET', url: '/dashboard/vendor/..%2F..%2Fpackage.json' })).statusCode).toBe(404);
    });

    it('a forged or tampered cookie is no login', async () => {
      const tampered = auth.cookie.slice(0, -4) + (auth.cookie.endsWith('AAAA') ? 'BBBB' : 'AAAA');
      expect((await app.inject({ method: 'GET', url: '/dashboard/api/servers', headers: { cookie: tampered } })).statusCode).toBe(401);
      expect((await app.inject({ method: 'GET', url: '/dashboard/api/servers', headers: { cookie: 'toxguard_dashboard=hello' } })).statusCode).toBe(401);
    });

    it('from another machine the dashboard asks for its login, not the API bearer token, and the API keeps its token', async () => {
      const remote = { remoteAddress: '203.0.113.9' };
      const page = await app.inject({ method: 'GET', url: '/dashboard/', ...remote });
      expect(page.statusCode).toBe(302);
      const api = await app.inject({ method: 'GET', url: '/dashboard/api/servers', ...remote });
      expect(api.statusCode).toBe(401);
      expect(api.json().error).toMatch(/not logged in/);
      const predict = await app.inject({ method: 'POST', url: '/predict', payload: { inputs: ['x'] }, ...remote });
      expect(predict.statusCode).toBe(401);
      expect(predict.json().error).toMatch(/bearer token/);
      // The dashboard prefix is no way around the token.
      const sneaky = await app.inject({ method: 'POST', url: '/dashboard/../predict', payload: { inputs: ['x'] }, ...remote });
      expect(sneaky.statusCode).not.toBe(200);
      const withSession = await app.inject({ method: 'GET', url: '/dashboard/api/servers', headers: { cookie: auth.cookie }, ...remote });
      expect(withSession.statusCode).toBe(200);
    });
  });

  describe('login', () => {
    it('sets an encrypted, httpOnly, SameSite=strict session cookie scoped to /dashboard, and redirects only inside the dashboard', async () => {
      const res = await app.inject({
        method: 'POST',
        url: '/dashboard/login',
        headers: { origin: ORIGIN, 'content-type': FORM },
        payload: form({ password: PASSWORD, name: 'bob <script>', next: 'https://evil.example/steal' }),
      });
      expect(res.statusCode).toBe(303);
      expect(res.headers.location).toBe('/dashboard/');
      const raw = String(res.headers['set-cookie']);
      expect(raw).toMatch(/HttpOnly/i);
      expect(raw).toMatch(/SameSite=Strict/i);
      expect(raw).toMatch(/Path=\/dashboard/);
      expect(raw).not.toMatch(/;\s*Secure/i); // 'auto' over plain http
      expect(raw).not.toContain('bob');
      const page = await app.inject({ method: 'GET', url: '/dashboard/', headers: { cookie: sessionCookie(res) } });
      expect(page.statusCode).toBe(200);
      expect(page.body).toContain('bob script'); // the name, cleaned and escaped
      expect(page.headers['content-security-policy']).toContain("script-src 'self'");
      expect(page.headers['x-frame-options']).toBe('DENY');
      expect(page.headers['referrer-policy']).toBe('same-origin');
      expect(page.headers['cache-control']).toBe('no-store');
      const next = await app.inject({ method: 'POST', url: '/dashboard/login', headers: { origin: ORIGIN, 'content-type': FORM }, payload: form({ password: PASSWORD, next: '/dashboard/review?server=g1' }) });
      expect(next.headers.location).toBe('/dashboard/review?server=g1');
    });

    it('refuses a wrong password, a login posted from another site, and a guesser after 5 failures (even with the right password)', async () => {
      const from = { remoteAddress: '198.51.100.7' };
      const wrong = await app.inject({ method: 'POST', url: '/dashboard/login', headers: { origin: ORIGIN, 'content-type': FORM }, payload: form({ password: 'nope' }), ...from });
      expect(wrong.statusCode).toBe(401);
      expect(wrong.body).toContain('Wrong password');
      expect(wrong.cookies.find((c) => c.name === 'toxguard_dashboard')).toBeUndefined();
      const crossSite = await app.inject({ method: 'POST', url: '/dashboard/login', headers: { origin: 'https://evil.example', 'content-type': FORM }, payload: form({ password: PASSWORD }), ...from });
      expect(crossSite.statusCode).toBe(403);
      for (let i = 0; i < 4; i++) {
        await app.inject({ method: 'POST', url: '/dashboard/login', headers: { origin: ORIGIN, 'content-type': FORM }, payload: form({ password: `guess${i}` }), ...from });
      }
      const blocked = await app.inject({ method: 'POST', url: '/dashboard/login', headers: { origin: ORIGIN, 'content-type': FORM }, payload: form({ password: PASSWORD }), ...from });
      expect(blocked.statusCode).toBe(429);
      expect(Number(blocked.headers['retry-after'])).toBeGreaterThan(0);
      // Another address is not blocked by this one's failures.
      const other = await app.inject({ method: 'POST', url: '/dashboard/login', headers: { origin: ORIGIN, 'content-type': FORM }, payload: form({ password: PASSWORD }), remoteAddress: '198.51.100.8' });
      expect(other.statusCode).toBe(303);
    });

    it('the limiter forgets failures after its window and caps all addresses together', async () => {
      vi.useFakeTimers({ now: 0 });
      try {
        const limiter = new LoginLimiter(3, 60_000, 5);
        for (let i = 0; i < 3; i++) await limiter.fail('a');
        expect(await limiter.retryAfter('a')).toBe(60);
        expect(await limiter.retryAfter('b')).toBe(0);
        await limiter.fail('b');
        await limiter.fail('c');
        expect(await limiter.retryAfter('d')).toBeGreaterThan(0); // 5 failures overall
        await limiter.succeed('b');
        expect(await limiter.retryAfter('d')).toBeGreaterThan(0); // a success clears its address only
        vi.advanceTimersByTime(60_001);
        expect(await limiter.retryAfter('a')).toBe(0);
        expect(await limiter.retryAfter('d')).toBe(0);
      } finally {
        vi.useRealTimers();
      }
    });

    it('logging out ends the session', async () => {
      const mine = await login(app, 'carol');
      const out = await app.inject({ method: 'POST', url: '/dashboard/logout', headers: { origin: ORIGIN, cookie: mine.cookie, 'content-type': FORM }, payload: form({ _csrf: mine.csrf }) });
      expect(out.statusCode).toBe(303);
      const cleared = sessionCookie(out);
      expect(cleared).toBe('toxguard_dashboard=');
      expect((await app.inject({ method: 'GET', url: '/dashboard/api/servers', headers: { cookie: cleared } })).statusCode).toBe(401);
    });
  });

  describe('mutations need this origin and the CSRF token', () => {
    const decide = (id: number, headers: Record<string, string>, decision = 'confirmed') =>
      app.inject({ method: 'POST', url: `/dashboard/api/reviews/${id}/decision`, headers: { cookie: auth.cookie, ...headers }, payload: { decision } });

    it('checks origin and token before the body: a cross-site or tokenless request with a bad body is refused (403), a good request with a bad body is told why (400)', async () => {
      expect((await decide(1, { origin: 'https://evil.example', 'x-csrf-token': auth.csrf }, 'maybe')).statusCode).toBe(403);
      expect((await decide(1, { origin: ORIGIN }, 'maybe')).statusCode).toBe(403);
      const bad = await decide(1, { origin: ORIGIN, 'x-csrf-token': auth.csrf }, 'maybe');
      expect(bad.statusCode).toBe(400);
      expect(bad.json()).toEqual({ error: '"decision" must be one of confirmed, overturned, dismissed' });
      const badId = await app.inject({ method: 'POST', url: '/dashboard/api/reviews/abc/decision', headers: { cookie: auth.cookie, origin: ORIGIN, 'x-csrf-token': auth.csrf }, payload: { decision: 'confirmed' } });
      expect(badId.json()).toEqual({ error: 'review id must be a positive whole number' });
    });

    it('the dashboard\'s JSON API is described in /openapi.json with its request schemas; its pages are not', async () => {
      const doc = (await app.inject({ method: 'GET', url: '/openapi.json' })).json<{ paths: Record<string, Record<string, { parameters?: { name: string }[] }>> }>();
      expect(Object.keys(doc.paths)).toEqual(expect.arrayContaining(['/predict', '/dashboard/api/reviews', '/dashboard/api/reviews/{id}/decision', '/dashboard/api/policy']));
      expect(Object.keys(doc.paths).filter((p) => p.startsWith('/dashboard/') && !p.startsWith('/dashboard/api/'))).toEqual([]);
      expect(doc.paths['/dashboard/api/reviews']?.get?.parameters?.map((p) => p.name).sort()).toEqual(['limit', 'offset', 'server', 'status']);
    });

    it('refuses a missing or wrong token, another origin, and no origin at all; accepts the page\'s own request', async () => {
      const [item] = await h.store.listReviews('g1', { status: 'pending', limit: 1 });
      if (!item) throw new Error('the seed produced no review item');
      expect((await decide(item.id, { origin: ORIGIN })).statusCode).toBe(403);
      expect((await decide(item.id, { origin: ORIGIN, 'x-csrf-token': 'x'.repeat(auth.csrf.length) })).statusCode).toBe(403);
      expect((await decide(item.id, { origin: 'https://evil.example', 'x-csrf-token': auth.csrf })).statusCode).toBe(403);
      expect((await decide(item.id, { referer: 'https://evil.example/page', 'x-csrf-token': auth.csrf })).statusCode).toBe(403);
      expect((await decide(item.id, { 'x-csrf-token': auth.csrf })).statusCode).toBe(403);
      expect((await h.store.getReview(item.id))?.status).toBe('pending');
      const ok = await decide(item.id, { origin: ORIGIN, 'x-csrf-token': auth.csrf });
      expect(ok.statusCode).toBe(200);
      const history = await h.store.reviewHistory(item.id);
      expect(history).toHaveLength(1);
      expect(history[0]).toMatchObject({ decision: 'confirmed', source: 'dashboard', moderatorId: 'alice' });
      // Another moderator's token does not work with this session.
      const other = await login(app, 'dave');
      expect((await decide(item.id, { origin: ORIGIN, 'x-csrf-token': other.csrf }, 'overturned')).statusCode).toBe(403);
    });

    it('an allowed origin (a reverse proxy\'s public name) is accepted', async () => {
      const proxied = await startDashboard({ listen: false, backend, config: { allowedOrigins: ['https://mod.example.org'] } });
      try {
        await seed(proxied);
        const me = await login(proxied.app);
        const [item] = await proxied.store.listReviews('g1', { status: 'pending', limit: 1 });
        const res = await proxied.app.inject({
          method: 'POST',
          url: `/dashboard/api/reviews/${item?.id}/decision`,
          headers: { cookie: me.cookie, origin: 'https://mod.example.org', 'x-csrf-token': me.csrf },
          payload: { decision: 'dismissed' },
        });
        expect(res.statusCode).toBe(200);
      } finally {
        await proxied.close();
      }
    });
  });

  describe('loopback without login (configured)', () => {
    it('serves 127.0.0.1 without a password, still needs the CSRF token for changes, and refuses other addresses', async () => {
      const local = await startDashboard({ listen: false, backend, password: null, config: { allowLoopbackWithoutLogin: true, secureCookie: true } });
      try {
        const page = await local.app.inject({ method: 'GET', url: '/dashboard/' });
        expect(page.statusCode).toBe(200);
        expect(page.body).toContain('loopback');
        expect(String(page.headers['set-cookie'])).toMatch(/;\s*Secure/i);
        expect((await local.app.inject({ method: 'GET', url: '/dashboard/api/servers', remoteAddress: '203.0.113.9' })).statusCode).toBe(401);
        const noToken = await local.app.inject({ method: 'POST', url: '/dashboard/api/policy', headers: { origin: ORIGIN }, payload: { server: 'g1', set: { mode: 'active' } } });
        expect(noToken.statusCode).toBe(403);
        const csrf = /<meta name="csrf-token" content="([^"]+)">/.exec(page.body)?.[1] ?? '';
        const ok = await local.app.inject({ method: 'POST', url: '/dashboard/api/policy', headers: { origin: ORIGIN, cookie: sessionCookie(page), 'x-csrf-token': csrf }, payload: { server: 'g1', set: { mode: 'active' } } });
        expect(ok.statusCode).toBe(200);
        expect((await local.store.listPolicyAudit('g1'))[0]).toMatchObject({ actor: 'loopback', source: 'dashboard' });
        // No password: the login form says how to set one.
        const form = await local.app.inject({ method: 'GET', url: '/dashboard/login', remoteAddress: '203.0.113.9' });
        expect(form.body).toContain('TOXGUARD_DASHBOARD_PASSWORD');
      } finally {
        await local.close();
      }
    });
  });

  describe('API answers', () => {
    const get = (path: string) => app.inject({ method: 'GET', url: `/dashboard/api/${path}`, headers: { cookie: auth.cookie } });
    const post = (path: string, payload: unknown) => app.inject({ method: 'POST', url: `/dashboard/api/${path}`, headers: { cookie: auth.cookie, origin: ORIGIN, 'x-csrf-token': auth.csrf }, payload: payload as Record<string, unknown> });

    it('overview: the timeline adds up to the store\'s own counts', async () => {
      for (const server of ['g1', 'g2', undefined]) {
        const res = await get(`overview?period=24h${server ? `&server=${server}` : ''}`);
        expect(res.statusCode).toBe(200);
        const body = res.json();
        const stats = await h.store.stats(server, body.timeline.since);
        expect(body.timeline.buckets).toHaveLength(25);
        expect(body.timeline.total.reduce((a: number, b: number) => a + b, 0)).toBe(stats.verdicts);
        for (const l of LABELS) expect(body.timeline.byLabel[l].reduce((a: number, b: number) => a + b, 0), `${server} ${l}`).toBe(stats.flaggedByLabel[l]);
        expect(stats.flaggedVerdicts).toBeGreaterThan(0);
      }
      const g1 = (await get('overview?period=7d&server=g1')).json();
      const flagCount = g1.timeline.byAction.flag.reduce((a: number, b: number) => a + b, 0);
      expect(flagCount).toBe(g1.stats.actions.flag.pending + g1.stats.actions.flag.done + g1.stats.actions.flag.failed + g1.stats.actions.flag.dead + g1.stats.actions.flag.running);
      const g2 = (await get('overview?period=7d&server=g2')).json();
      expect(g2.timeline.byAction['log-only'].reduce((a: number, b: number) => a + b, 0)).toBeGreaterThan(0);
      expect(g2.timeline.byAction.flag).toBeUndefined();
      // Terms are words from the flagged messages' spans; channels ranked by flagged count.
      const terms = new Map<string, number>(g1.terms);
      expect(terms.size).toBeGreaterThan(3);
      const flaggedTexts = (await h.store.listReviews('g1', { limit: 200 })).map((r) => (r.verdict.text ?? '').toLowerCase());
      for (const term of terms.keys()) expect(flaggedTexts.some((t) => t.includes(term)), term).toBe(true);
      expect(g1.channels.map((c: { channelId: string }) => c.channelId).sort()).toEqual(['general', 'memes', 'offtopic']);
      const flaggedByChannel = g1.channels.reduce((a: number, c: { flagged: number }) => a + c.flagged, 0);
      expect(flaggedByChannel).toBe(g1.stats.flaggedVerdicts);
    });

    it('review queue: items carry the text, spans, scores and thresholds', async () => {
      const res = await get('reviews?server=g1&status=all');
      const body = res.json();
      expect(body.items.length).toBe((await h.store.listReviews('g1', { limit: 200 })).length);
      const item = body.items.find((i: { verdict: { text: string } }) => i.verdict.text === 'you are a stupid idiot');
      expect(item.verdict.spans.length).toBeGreaterThan(0);
      expect(item.verdict.scores.insult).toBeGreaterThan(0.5);
      expect(body.thresholds).toEqual(h.scorer.thresholds);
    });

    it('review queue of a log-only server: items marked with what would have been done', async () => {
      const body = (await get('reviews?server=g2&status=all')).json();
      // The four toxic messages sent to g2 are there (the real model may flag a clean one too).
      const texts = body.items.map((i: { verdict: { text: string } }) => i.verdict.text);
      for (const t of TOXIC.slice(0, 4)) expect(texts).toContain(`${t}!!`);
      for (const item of body.items) {
        expect(item.verdict).toMatchObject({ logOnly: true, actions: [] });
        expect(item.verdict.wouldAct).toContain('flag');
      }
    });

    it('refuses bad input with a message that says what is wrong', async () => {
      const cases: [string, number, RegExp][] = [
        ['overview?period=1y', 400, /period/],
        ['overview?server=%3Cscript%3E', 400, /server/],
        ['reviews', 400, /server.*required/],
        ['reviews?server=g1&status=maybe', 400, /status/],
        ['reviews?server=g1&limit=0', 400, /limit/],
        ['policy', 400, /server/],
      ];
      for (const [path, status, message] of cases) {
        const res = await get(path);
        expect(res.statusCode, path).toBe(status);
        expect(res.json().error, path).toMatch(message);
      }
      expect((await post('reviews/1/decision', { decision: 'maybe' })).statusCode).toBe(400);
      expect((await post('reviews/abc/decision', { decision: 'confirmed' })).statusCode).toBe(400);
      const missing = await post('reviews/999999/decision', { decision: 'confirmed' });
      expect(missing.statusCode).toBe(404);
      expect(missing.json().error).toMatch(/no review item 999999/);
      expect((await post('try', {})).statusCode).toBe(400);
      expect((await post('try', { text: 5 })).statusCode).toBe(400);
    });

    it('policy edits are validated as a whole: one bad key changes nothing and adds no audit entry', async () => {
      const before = (await h.store.listPolicyAudit('g1')).length;
      const policyBefore = await h.policies.get('g1');
      const bad = await post('policy', { server: 'g1', set: { 'actions.delete.thresholds.insult': '0.95', 'actions.delete.thresholds.insutl': '0.9' } });
      expect(bad.statusCode).toBe(400);
      expect(bad.json().error).toMatch(/insutl/);
      expect(bad.json().issues[0].path).toBe('actions.delete.thresholds.insutl');
      const range = await post('policy', { server: 'g1', set: { 'actions.alert.thresholds.toxic': '1.5' } });
      expect(range.statusCode).toBe(400);
      expect(range.json().error).toMatch(/from 0 to 1/);
      expect(await h.store.listPolicyAudit('g1')).toHaveLength(before);
      expect(await h.policies.get('g1')).toEqual(policyBefore);
      const good = await post('policy', { server: 'g1', set: { 'actions.delete.thresholds.insult': '0.95', 'channels.memes.mode': 'log-only', 'exemptions.roleIds': '+42' } });
      expect(good.statusCode).toBe(200);
      const audit = await h.store.listPolicyAudit('g1');
      expect(audit).toHaveLength(before + 1);
      expect(audit[0]).toMatchObject({ actor: 'alice', source: 'dashboard' });
      const view = (await get('policy?server=g1')).json();
      expect(view.audit[0].changes.map((c: { path: string }) => c.path).sort()).toEqual(['actions.delete.thresholds.insult', 'channels.memes.mode', 'exemptions.roleIds']);
      // The first stored policy is shown against the defaults a new server starts from.
      expect(view.audit.at(-1)).toMatchObject({ fromDefaults: true, actor: 'test-setup', changes: [{ path: 'mode', before: 'log-only', after: 'active' }] });
      expect(view.policy.channels.memes.mode).toBe('log-only');
    });

    it('Try it scores like the model and records nothing', async () => {
      const verdicts = (await h.store.stats(undefined, '0000')).verdicts;
      const res = await post('try', { text: 'you are a stupid idiot', server: 'g1' });
      expect(res.statusCode).toBe(200);
      const body = res.json();
      const [direct] = await h.scorer.scoreBatch(['you are a stupid idiot'], { explain: true });
      expect(body.scores).toEqual(direct?.scores);
      expect(body.spans).toEqual(direct?.spans);
      expect(body.policy.wouldAct).toContain('flag');
      expect(body.policy.logOnly).toBe(false);
      expect((await h.store.stats(undefined, '0000')).verdicts).toBe(verdicts);
    });

    it('model: card, metrics, thresholds and the agreement computed from decided review items', async () => {
      const body = (await get('model')).json();
      expect(body.name).toBe('builtin');
      expect(body.thresholds).toEqual(h.scorer.thresholds);
      expect(body.cardHtml).toContain(`<h2>Model card: builtin ${h.scorer.version}</h2>`);
      expect(body.metrics.macro.rocAuc).toBeGreaterThan(0.5);
      expect(body.drift.rows).toEqual([]); // the monitor has not computed a day yet
      const decided = (await h.store.listReviews('g1', { limit: 200 })).filter((r) => r.status === 'confirmed' || r.status === 'overturned');
      for (const row of body.agreement as { label: string; confirmed: number; overturned: number; rate: number | null }[]) {
        const forLabel = decided.filter((r) => r.verdict.decision.triggered.some((t) => t.label === row.label && r.verdict.scores[t.label] >= t.threshold));
        expect(row.confirmed + row.overturned, row.label).toBe(forLabel.length);
        expect(row.confirmed).toBe(forLabel.filter((r) => r.status === 'confirmed').length);
      }
      // Once the monitor has computed a day, the page gets its rows: all servers, or one server's.
      const stored = await computeDrift(h);
      expect(stored.length).toBeGreaterThan(0);
      for (const server of [undefined, 'g1']) {
        const drift = (await get(`model${server ? `?server=${server}` : ''}`)).json().drift;
        const expected = stored.filter((r) => r.serverId === (server ?? null));
        expect(expected.length, String(server)).toBeGreaterThan(0);
        const key = (r: { metric: string; label?: string | null }) => `${r.metric}:${r.label ?? ''}`;
        const byKey = (a: { metric: string; label?: string | null }, b: { metric: string; label?: string | null }) => (key(a) < key(b) ? -1 : 1);
        expect(drift.rows.sort(byKey).map((r: { metric: string; label: string | null; value: number; over: boolean }) => [key(r), r.value, r.over])).toEqual(
          [...expected].sort(byKey).map((r) => [key(r), r.value, r.over]),
        );
      }
    });
  });
});

// The same traffic and the same decisions on both backends, on the same clock: every figure the pages
// draw (and the store's own counts next to them) must come out the same.
const pgAbsent = pgMissing();
if (pgAbsent) console.warn(`[toxguard] SKIPPED: dashboard figures compared across SQLite and PostgreSQL: ${pgAbsent}`);

describe.skipIf(pgAbsent !== '')('the same figures on SQLite and PostgreSQL', () => {
  type Series = Record<string, number[]>;
  /** A series as its non-empty buckets: the bucket keys themselves move with the time of the request. */
  const nonEmpty = (buckets: string[], values: number[]) => Object.fromEntries(buckets.flatMap((b, i) => (values[i] ? [[b, values[i]]] : [])));

  async function figures(d: Harness, cookie: string): Promise<Record<string, unknown>> {
    const get = async (path: string) => {
      const res = await d.app.inject({ method: 'GET', url: `/dashboard/api/${path}`, headers: { cookie } });
      expect(res.statusCode, path).toBe(200);
      return res.json();
    };
    const out: Record<string, unknown> = { servers: await get('servers') };
    for (const period of ['24h', '7d']) {
      for (const server of ['', 'g1', 'g2']) {
        const o = await get(`overview?period=${period}&server=${server}`);
        const t = o.timeline as { buckets: string[]; total: number[]; byLabel: Series; byAction: Series };
        const series = (all: Series) => Object.fromEntries(Object.entries(all).map(([k, v]) => [k, nonEmpty(t.buckets, v)]));
        out[`overview ${period} ${server}`] = {
          total: nonEmpty(t.buckets, t.total),
          byLabel: series(t.byLabel),
          byAction: series(t.byAction),
          stats: { ...o.stats, since: undefined },
          terms: o.terms,
          channels: o.channels,
        };
      }
    }
    for (const server of ['', 'g1', 'g2']) out[`agreement ${server}`] = (await get(`model?server=${server}`)).agreement;
    return out;
  }

  it('servers, overview (timeline, stats, terms, channels) and agreement per label are identical', async () => {
    // A fixed clock: every verdict and decision carries the same time on both backends.
    const at = new Date(Date.now() - 60_000);
    const harnesses = await Promise.all(BACKENDS.map((backend) => startDashboard({ listen: false, backend, now: () => at })));
    try {
      const answers: Record<string, unknown>[] = [];
      for (const d of harnesses) {
        await seed(d);
        const me = await login(d.app);
        // The same decisions on both: items taken in the order of their text (ids may differ).
        const items = (await d.store.listReviews('g1', { limit: 200 })).sort((a, b) => ((a.verdict.text ?? '') < (b.verdict.text ?? '') ? -1 : 1));
        const decisions = ['confirmed', 'overturned', 'dismissed', 'confirmed', 'overturned'];
        for (const [i, decision] of decisions.entries()) {
          const res = await d.app.inject({
            method: 'POST',
            url: `/dashboard/api/reviews/${items[i]?.id}/decision`,
            headers: { cookie: me.cookie, origin: ORIGIN, 'x-csrf-token': me.csrf },
            payload: { decision },
          });
          expect(res.statusCode).toBe(200);
        }
        answers.push(await figures(d, me.cookie));
      }
      const [onSqlite, onPostgres] = answers;
      expect(onPostgres).toEqual(onSqlite);
      // Not the same because both are empty: the seed shows up in every figure.
      const all = onSqlite?.['overview 24h '] as { total: Record<string, number>; channels: unknown[]; terms: unknown[]; stats: { verdicts: number; flaggedVerdicts: number } };
      expect(Object.values(all.total).reduce((a, b) => a + b, 0)).toBe(all.stats.verdicts);
      expect(all.stats.flaggedVerdicts).toBeGreaterThan(5);
      expect(all.channels.length).toBe(4);
      expect(all.terms.length).toBeGreaterThan(3);
      const agreement = onSqlite?.['agreement '] as { confirmed: number; overturned: number; dismissed: number }[];
      expect(agreement.some((r) => r.confirmed > 0 && r.overturned > 0)).toBe(true);
      expect(agreement.some((r) => r.dismissed > 0)).toBe(true);
    } finally {
      for (const d of harnesses) await d.close();
    }
  });
});

describe('model card rendering', () => {
  it('escapes everything in the card', () => {
    const html = renderMarkdown('# Card <script>alert(1)</script>\n\n| a | b |\n|---|---:|\n| <img src=x onerror=alert(1)> | `x` |\n\n- **bold** item');
    expect(html).not.toMatch(/<script|<img/);
    expect(html).toContain('&#60;script&#62;');
    expect(html).toContain('<td class="num"><code>x</code></td>');
    expect(html).toContain('<li><strong>bold</strong> item</li>');
  });
});
