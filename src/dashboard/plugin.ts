// The moderator dashboard, registered on toxguard's fastify app under /dashboard:
//
//   await app.register(dashboardPlugin, { prefix: '/dashboard', store, policies, scorer, pipeline, config, password });
//
// Everything in it is behind the login (pages redirect to /dashboard/login, the API answers 401)
// except the login page itself and the static assets (code and styles, no data). Every mutation
// must come from a page of this server (Origin/Referer check) and carry the session's CSRF token;
// the session cookie is encrypted, httpOnly, SameSite=strict and path-scoped to /dashboard.
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import formbody from '@fastify/formbody';
import helmet from '@fastify/helmet';
import secureSession from '@fastify/secure-session';
import fastifyStatic from '@fastify/static';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Scorer } from '../classifier/scorer.js';
import type { ModerationPipeline } from '../core/pipeline.js';
import type { PolicyService } from '../core/policies.js';
import { PACKAGE_ROOT } from '../paths.js';
import type { Store } from '../store/index.js';
import { registerApi } from './api.js';
import { cleanUserName, isLoopback, LoginLimiter, newCsrfToken, passwordMatches, sameOrigin, sessionKey, tokenMatches } from './auth.js';
import { DashboardConfigSchema, type DashboardConfig } from './config.js';
import { BODIES } from './pages/bodies.js';
import { layout, loginPage, NAV, type PageId } from './pages/layout.js';
import { DashboardQueries } from './queries.js';

export interface DashboardOptions {
  store: Store;
  policies: PolicyService;
  scorer: Scorer;
  /** The moderation pipeline: Try it is its dry run (the same OCR engine and limits, nothing recorded). */
  pipeline: ModerationPipeline;
  /** The `dashboard` config section (defaults apply when omitted). */
  config?: Partial<DashboardConfig>;
  /** TOXGUARD_DASHBOARD_PASSWORD. Without it only loopback can get in, and only when allowed. */
  password?: string;
  /** Largest image Try it accepts (the server's multipart limit applies too). */
  maxImageBytes?: number;
}

const PREFIX = '/dashboard';
/** The dashboard's Content-Security-Policy (set by @fastify/helmet with the other security headers). */
const CSP_DIRECTIVES = {
  defaultSrc: ["'self'"],
  scriptSrc: ["'self'"],
  styleSrc: ["'self'"],
  // Review thumbnails are the platforms' own image links (Discord CDN); never sent a referrer.
  imgSrc: ["'self'", 'data:', 'blob:', 'https:', 'http:'],
  connectSrc: ["'self'"],
  objectSrc: ["'none'"],
  baseUri: ["'none'"],
  formAction: ["'self'"],
  frameAncestors: ["'none'"],
};

/** src/dashboard/public next to this module (tsx), else the source tree's copy (dist/: tsc copies no assets). */
export function publicDir(): string {
  const here = join(dirname(fileURLToPath(import.meta.url)), 'public');
  return existsSync(join(here, 'dashboard.css')) ? here : resolve(PACKAGE_ROOT, 'src/dashboard/public');
}

/** Browser builds of the chart libraries, served from node_modules (no CDN: toxguard runs offline). */
function vendorFiles(): Map<string, string> {
  const require = createRequire(import.meta.url);
  const pkgDir = (name: string): string => {
    try {
      return dirname(require.resolve(`${name}/package.json`));
    } catch {
      return resolve(PACKAGE_ROOT, 'node_modules', name); // packages whose exports hide package.json
    }
  };
  return new Map([
    ['chart.umd.min.js', join(pkgDir('chart.js'), 'dist/chart.umd.min.js')],
    ['wordcloud2.js', join(pkgDir('wordcloud'), 'src/wordcloud2.js')],
  ]);
}

function safeNext(raw: unknown): string {
  // Only a path inside the dashboard: never an absolute URL or a protocol-relative //host.
  return typeof raw === 'string' && raw.startsWith(`${PREFIX}`) && !raw.startsWith('//') && !/[\\\r\n]/.test(raw) ? raw : `${PREFIX}/`;
}

export async function dashboardPlugin(app: FastifyInstance, opts: DashboardOptions): Promise<void> {
  const config = DashboardConfigSchema.parse(opts.config ?? {});
  const password = opts.password || undefined;
  const hours = config.sessionHours;
  // The charts are queries on the store itself (SQLite or PostgreSQL), not a connection of their own.
  const queries = new DashboardQueries(opts.store);
  const limiter = new LoginLimiter(config.maxLoginFailures);

  await app.register(secureSession, {
    key: sessionKey(config.sessionKeyFile, password),
    cookieName: 'toxguard_dashboard',
    expiry: Math.round(hours * 3600),
    cookie: { path: PREFIX, httpOnly: true, sameSite: 'strict', secure: config.secureCookie, maxAge: Math.round(hours * 3600) },
  });
  await app.register(formbody);
  await app.register(fastifyStatic, { root: publicDir(), prefix: '/static/', decorateReply: false, index: false, maxAge: 0 });

  const vendor = vendorFiles();
  app.get('/vendor/:file', async (req, reply) => {
    const path = vendor.get((req.params as { file: string }).file);
    if (!path || !existsSync(path)) return reply.status(404).send({ error: 'no such file' });
    return reply.type('text/javascript; charset=utf-8').send(readFileSync(path));
  });

  const isPublic = (url: string): boolean => url.startsWith(`${PREFIX}/static/`) || url.startsWith(`${PREFIX}/vendor/`) || url === `${PREFIX}/login` || url.startsWith(`${PREFIX}/login?`);
  const isApi = (url: string): boolean => url.startsWith(`${PREFIX}/api/`);
  const userOf = (req: FastifyRequest): string => req.session.get('user') ?? 'dashboard';

  await app.register(helmet, {
    contentSecurityPolicy: { useDefaults: false, directives: CSP_DIRECTIVES },
    frameguard: { action: 'deny' },
    // same-origin, not no-referrer: with no-referrer Chromium sends "Origin: null" on form posts, which the origin check refuses.
    referrerPolicy: { policy: 'same-origin' },
    // Served over plain http on loopback too: HSTS is the reverse proxy's to set.
    strictTransportSecurity: false,
  });
  app.addHook('onSend', async (req, reply, payload) => {
    if (!req.url.startsWith(`${PREFIX}/static/`) && !req.url.startsWith(`${PREFIX}/vendor/`)) reply.header('cache-control', 'no-store');
    return payload;
  });

  // Authentication: a session, or (when configured) a loopback client, which gets a session of its
  // own so that its mutations carry a CSRF token like everyone else's.
  app.addHook('onRequest', async (req, reply) => {
    if (isPublic(req.url)) return;
    if (req.session.get('user')) return;
    if (config.allowLoopbackWithoutLogin && isLoopback(req)) {
      req.session.set('user', 'loopback');
      req.session.set('csrf', newCsrfToken());
      return;
    }
    if (isApi(req.url)) return reply.status(401).send({ error: 'not logged in: log in at /dashboard/login' });
    if (req.method === 'GET' || req.method === 'HEAD') return reply.redirect(`${PREFIX}/login?next=${encodeURIComponent(req.url)}`, 302);
    return reply.status(401).send({ error: 'not logged in' });
  });

  // Mutations: same origin, then (except the login form, which has no session yet) the CSRF token,
  // before the body is checked against the route's schema.
  app.addHook('preValidation', async (req, reply) => {
    if (req.method === 'GET' || req.method === 'HEAD' || req.method === 'OPTIONS') return;
    if (!sameOrigin(req, config.allowedOrigins)) {
      return reply.status(403).send({ error: 'cross-origin request refused (Origin/Referer must be this server or dashboard.allowedOrigins)' });
    }
    if (req.url === `${PREFIX}/login`) return;
    const body = req.body as Record<string, unknown> | undefined;
    const given = req.headers['x-csrf-token'] ?? (typeof body === 'object' && body !== null ? body._csrf : undefined);
    if (!tokenMatches(given, req.session.get('csrf'))) return reply.status(403).send({ error: 'missing or wrong CSRF token (reload the page)' });
  });

  app.get('/login', async (req, reply) => {
    if (req.session.get('user')) return reply.redirect(safeNext((req.query as Record<string, unknown>).next), 302);
    return reply.type('text/html; charset=utf-8').send(loginPage({ next: safeNext((req.query as Record<string, unknown>).next), passwordSet: Boolean(password) }));
  });

  app.post('/login', async (req, reply) => {
    const body = (req.body ?? {}) as Record<string, unknown>;
    const next = safeNext(body.next);
    const html = (status: number, error: string): FastifyReply => reply.status(status).type('text/html; charset=utf-8').send(loginPage({ error, next, passwordSet: Boolean(password) }));
    const wait = await limiter.retryAfter(req.ip);
    if (wait > 0) {
      reply.header('retry-after', String(wait));
      return html(429, `Too many failed logins. Try again in ${Math.ceil(wait / 60)} minute(s).`);
    }
    if (!password) return html(503, 'No dashboard password is set on the server.');
    if (typeof body.password !== 'string' || !passwordMatches(body.password, password)) {
      await limiter.fail(req.ip);
      return html(401, 'Wrong password.');
    }
    await limiter.succeed(req.ip);
    // A fresh session (and CSRF token) at every login: a session planted before login is worthless.
    req.session.regenerate();
    req.session.set('user', cleanUserName(body.name));
    req.session.set('csrf', newCsrfToken());
    return reply.redirect(next, 303);
  });

  app.post('/logout', async (req, reply) => {
    req.session.delete();
    return reply.redirect(`${PREFIX}/login`, 303);
  });

  const page = (id: PageId) => async (req: FastifyRequest, reply: FastifyReply) => {
    const { body, vendor: scripts } = BODIES[id];
    const csrf = req.session.get('csrf') ?? '';
    return reply.type('text/html; charset=utf-8').send(layout({ page: id, user: userOf(req), csrf, body, vendor: scripts }));
  };
  for (const n of NAV) app.get(n.path === `${PREFIX}/` ? '/' : n.path.slice(PREFIX.length), page(n.id));

  registerApi(
    app,
    { store: opts.store, policies: opts.policies, scorer: opts.scorer, pipeline: opts.pipeline, queries, maxImageBytes: opts.maxImageBytes ?? 8 * 1024 * 1024 },
    userOf,
  );
}
