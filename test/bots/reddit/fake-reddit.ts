// A fake Reddit on loopback for end-to-end tests of the adapter. It copies the Reddit rules the
// adapter depends on:
// - tokens from POST /api/v1/access_token with HTTP Basic client id:secret (401 when wrong); the
//   password grant answers HTTP 200 {"error":"invalid_grant"} for a wrong password, like Reddit;
// - every API call needs `Authorization: Bearer <token>` (401 otherwise) and a User-Agent;
// - a rate limit per window with X-Ratelimit-Used/Remaining/Reset on every answer and 429 beyond;
// - listings newest first, `limit` (25 by default, 100 at most), `after`/`before` fullnames;
// - moderator endpoints (report, remove, modmail, ban) refuse with 403 in subreddits the account
//   does not moderate.
// Every call is recorded, so tests assert exactly what the adapter sent.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { RedditItem } from '../../../src/bots/reddit/things.js';

/** An item as Reddit lists it, plus what moderators did to it. */
export interface FakeItem extends RedditItem {
  permalink: string;
  /** Reports by moderators: [reason, moderator]. */
  mod_reports?: [string, string][];
  removed?: boolean;
}

export interface RecordedCall {
  method: string;
  path: string;
  query: Record<string, string>;
  form: Record<string, string>;
  token: string | undefined;
  userAgent: string | undefined;
  status: number;
  at: number;
}

interface Sub {
  name: string;
  moderators: string[];
  approved: string[];
  items: FakeItem[];
}

interface Failure {
  path: RegExp;
  status: number;
  retryAfter?: number;
  times: number;
}

export class FakeReddit {
  readonly calls: RecordedCall[] = [];
  readonly subs = new Map<string, Sub>();
  readonly users = new Map<string, string>();
  readonly refreshTokens = new Map<string, string>();
  readonly accessTokens = new Map<string, string>();
  readonly images = new Map<string, { bytes: Buffer; type: string }>();
  readonly imageHits: string[] = [];
  clientId = 'fake-client-id';
  clientSecret = 'fake-client-secret';
  /** Requests allowed per window, and the window. */
  rate = { limit: 600, windowMs: 60_000 };
  /** Calls answered 429 because the window was used up (a client that honours the headers never causes one). */
  overLimit = 0;
  tokenExpiresIn = 3600;
  private window = { start: Date.now(), used: 0 };
  private readonly failures: Failure[] = [];
  private seq = parseInt('100000', 36);
  private tokenSeq = 0;
  private server: Server | undefined;
  private clock = Math.floor(Date.now() / 1000) - 3600;

  get baseUrl(): string {
    return `http://127.0.0.1:${(this.server?.address() as AddressInfo).port}`;
  }

  async start(): Promise<void> {
    this.server = createServer((req, res) => void this.handle(req, res));
    await new Promise<void>((r) => this.server?.listen(0, '127.0.0.1', r));
  }

  async stop(): Promise<void> {
    this.server?.closeAllConnections();
    await new Promise<void>((r) => (this.server ? this.server.close(() => r()) : r()));
  }

  addSubreddit(name: string, moderators: string[], approved: string[] = []): void {
    this.subs.set(name.toLowerCase(), { name, moderators, approved, items: [] });
  }

  private sub(name: string): Sub {
    const s = this.subs.get(name.toLowerCase());
    if (!s) throw new Error(`fake: no subreddit ${name}`);
    return s;
  }

  /** Creation time of the next item: one second after the previous (ids and times both grow). */
  private nextTime(at?: number): number {
    this.clock = at ?? this.clock + 1;
    return this.clock;
  }

  addPost(subreddit: string, p: { author: string; title: string; selftext?: string; url?: string; post_hint?: string; gallery?: { id: string; url: string; type: string }[]; at?: number; distinguished?: string }): FakeItem {
    const id = (this.seq++).toString(36);
    const item: FakeItem = {
      id,
      name: `t3_${id}`,
      subreddit: this.sub(subreddit).name,
      author: p.author,
      created_utc: this.nextTime(p.at),
      edited: false,
      title: p.title,
      selftext: p.selftext ?? '',
      is_self: !p.url && !p.gallery,
      permalink: `/r/${subreddit}/comments/${id}/post/`,
      ...(p.url ? { url: p.url } : {}),
      ...(p.post_hint ? { post_hint: p.post_hint } : {}),
      ...(p.distinguished ? { distinguished: p.distinguished } : {}),
    };
    if (p.gallery) {
      item.is_gallery = true;
      item.url = `https://www.reddit.com/gallery/${id}`;
      item.gallery_data = { items: p.gallery.map((g) => ({ media_id: g.id })) };
      item.media_metadata = Object.fromEntries(p.gallery.map((g) => [g.id, { status: 'valid', e: 'Image', m: g.type, s: { u: g.url, x: 600, y: 600 } }]));
    }
    this.sub(subreddit).items.push(item);
    return item;
  }

  addComment(subreddit: string, c: { author: string; body: string; post?: FakeItem; at?: number; distinguished?: string }): FakeItem {
    const id = (this.seq++).toString(36);
    const link = c.post?.name ?? 't3_000001';
    const item: FakeItem = {
      id,
      name: `t1_${id}`,
      subreddit: this.sub(subreddit).name,
      author: c.author,
      created_utc: this.nextTime(c.at),
      edited: false,
      body: c.body,
      link_id: link,
      parent_id: link,
      permalink: `/r/${subreddit}/comments/${link.slice(3)}/post/${id}/`,
      ...(c.distinguished ? { distinguished: c.distinguished } : {}),
    };
    this.sub(subreddit).items.push(item);
    return item;
  }

  edit(name: string, text: string): FakeItem {
    for (const s of this.subs.values()) {
      const item = s.items.find((i) => i.name === name);
      if (!item) continue;
      if (item.body !== undefined) item.body = text;
      else item.selftext = text;
      item.edited = this.nextTime();
      return item;
    }
    throw new Error(`fake: no item ${name}`);
  }

  addImage(name: string, bytes: Buffer, type = 'image/png'): string {
    this.images.set(`/img/${name}`, { bytes, type });
    return `${this.baseUrl}/img/${name}`;
  }

  /** The next `times` calls whose path matches answer `status` (429 with Retry-After seconds). */
  failNext(path: RegExp, status: number, options: { times?: number; retryAfter?: number } = {}): void {
    this.failures.push({ path, status, times: options.times ?? 1, ...(options.retryAfter !== undefined ? { retryAfter: options.retryAfter } : {}) });
  }

  callsTo(method: string, path: RegExp | string): RecordedCall[] {
    return this.calls.filter((c) => c.method === method && (typeof path === 'string' ? c.path === path : path.test(c.path)) && c.status === 200);
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    const raw = Buffer.concat(chunks).toString('utf8');
    const url = new URL(req.url ?? '/', 'http://fake');
    const path = url.pathname;
    const query = Object.fromEntries(url.searchParams);
    const form = (req.headers['content-type'] ?? '').includes('x-www-form-urlencoded') ? Object.fromEntries(new URLSearchParams(raw)) : {};
    const auth = req.headers.authorization;
    const call: RecordedCall = { method: req.method ?? 'GET', path, query, form, token: auth?.replace(/^Bearer /, ''), userAgent: req.headers['user-agent'], status: 200, at: Date.now() };
    this.calls.push(call);
    const send = (status: number, body: unknown, headers: Record<string, string> = {}): void => {
      call.status = status;
      const data = Buffer.isBuffer(body) ? body : Buffer.from(JSON.stringify(body));
      res.writeHead(status, { 'content-type': Buffer.isBuffer(body) ? headers['content-type'] ?? 'application/octet-stream' : 'application/json', ...headers });
      res.end(data);
    };

    if (path.startsWith('/img/')) {
      const img = this.images.get(path);
      this.imageHits.push(path);
      return img ? send(200, img.bytes, { 'content-type': img.type }) : send(404, { error: 404 });
    }
    if (path === '/api/v1/access_token' && req.method === 'POST') return this.token(auth, form, send);

    // Every API call: a known bearer token, then the rate limit.
    const user = call.token ? this.accessTokens.get(call.token) : undefined;
    if (!user) return send(401, { message: 'Unauthorized', error: 401 });
    const now = Date.now();
    if (now - this.window.start >= this.rate.windowMs) this.window = { start: now, used: 0 };
    const resetSeconds = Math.max(1, Math.ceil((this.window.start + this.rate.windowMs - now) / 1000));
    if (this.window.used >= this.rate.limit) {
      this.overLimit++;
      return send(429, { message: 'Too Many Requests', error: 429 }, { 'x-ratelimit-used': String(this.window.used), 'x-ratelimit-remaining': '0', 'x-ratelimit-reset': String(resetSeconds) });
    }
    this.window.used++;
    const rl = { 'x-ratelimit-used': String(this.window.used), 'x-ratelimit-remaining': String(this.rate.limit - this.window.used), 'x-ratelimit-reset': String(resetSeconds) };
    const failure = this.failures.find((f) => f.times > 0 && f.path.test(path));
    if (failure) {
      failure.times--;
      return send(failure.status, { message: 'scripted failure', error: failure.status }, { ...rl, ...(failure.retryAfter !== undefined ? { 'retry-after': String(failure.retryAfter) } : {}) });
    }
    const ok = (body: unknown): void => send(200, body, rl);
    const forbidden = (): void => send(403, { message: 'Forbidden', error: 403 }, rl);
    const isMod = (sub: Sub): boolean => sub.moderators.some((m) => m.toLowerCase() === user.toLowerCase());

    if (path === '/api/v1/me') return ok({ name: user });
    if (path === '/api/info') {
      const ids = (query.id ?? '').split(',');
      const children = [...this.subs.values()].flatMap((s) => s.items.filter((i) => ids.includes(i.name))).map((data) => ({ kind: data.name.slice(0, 2), data: { ...data } }));
      return ok({ kind: 'Listing', data: { after: null, before: null, children } });
    }
    if (path === '/subreddits/mine/moderator') {
      const children = [...this.subs.values()].filter(isMod).map((s) => ({ kind: 't5', data: { display_name: s.name } }));
      return ok({ kind: 'Listing', data: { after: null, before: null, children } });
    }
    const m = /^\/r\/(\w+)\/(comments|new|about\/edited|about\/moderators|about\/contributors|api\/friend)$/.exec(path);
    if (m) {
      const sub = this.subs.get((m[1] as string).toLowerCase());
      if (!sub) return send(404, { message: 'Not Found', error: 404 }, rl);
      const what = m[2] as string;
      if (what === 'about/moderators') return ok({ kind: 'UserList', data: { children: sub.moderators.map((name) => ({ name })) } });
      if (what.startsWith('about/') || what === 'api/friend') {
        if (!isMod(sub)) return forbidden();
        if (what === 'about/contributors') return ok({ kind: 'UserList', data: { after: null, children: sub.approved.map((name) => ({ name })) } });
        if (what === 'api/friend') return ok({ json: { errors: [] } });
      }
      let items: FakeItem[];
      if (what === 'comments') items = sub.items.filter((i) => i.name.startsWith('t1_')).reverse();
      else if (what === 'new') items = sub.items.filter((i) => i.name.startsWith('t3_')).reverse();
      else items = sub.items.filter((i) => i.edited !== false).sort((a, b) => (b.edited as number) - (a.edited as number));
      return ok(this.listing(items, query));
    }
    if (req.method === 'POST') {
      const thing = form.thing_id ?? form.id;
      const subOf = (name: string | undefined): Sub | undefined => [...this.subs.values()].find((s) => s.items.some((i) => i.name === name));
      if (path === '/api/report' || path === '/api/remove') {
        const sub = subOf(thing);
        if (!sub) return send(404, { message: 'Not Found', error: 404 }, rl);
        if (path === '/api/remove' && !isMod(sub)) return forbidden();
        const item = sub.items.find((i) => i.name === thing) as FakeItem;
        if (path === '/api/remove') {
          item.removed = true;
          return ok({});
        }
        if (isMod(sub)) (item.mod_reports ??= []).push([form.reason ?? '', user]);
        return ok({ json: { errors: [] } });
      }
      if (path === '/api/v1/modactions/removal_reasons') {
        const body = JSON.parse(form.json ?? '{}') as { item_ids?: string[]; reason_id?: string };
        const sub = subOf(body.item_ids?.[0]);
        if (!sub || !body.reason_id) return send(400, { message: 'Bad Request', error: 400 }, rl);
        return isMod(sub) ? ok({}) : forbidden();
      }
      if (path === '/api/mod/conversations') {
        const sub = this.subs.get((form.srName ?? '').toLowerCase());
        if (!sub) return send(404, { message: 'Not Found', error: 404 }, rl);
        if (!isMod(sub)) return forbidden();
        return ok({ conversation: { id: `conv${this.calls.length}` } });
      }
    }
    return send(404, { message: 'Not Found', error: 404 }, rl);
  }

  private listing(items: FakeItem[], query: Record<string, string>): unknown {
    const limit = Math.min(100, Math.max(1, Number(query.limit ?? 25)));
    let start = 0;
    let end: number;
    if (query.after) {
      const i = items.findIndex((x) => x.name === query.after);
      start = i < 0 ? items.length : i + 1;
      end = Math.min(items.length, start + limit);
    } else if (query.before) {
      const i = items.findIndex((x) => x.name === query.before);
      end = i < 0 ? 0 : i;
      start = Math.max(0, end - limit);
    } else {
      end = Math.min(items.length, limit);
    }
    const page = items.slice(start, end);
    return {
      kind: 'Listing',
      data: {
        after: end < items.length && page.length ? (page[page.length - 1] as FakeItem).name : null,
        before: start > 0 && page.length ? (page[0] as FakeItem).name : null,
        dist: page.length,
        children: page.map((data) => ({ kind: data.name.slice(0, 2), data: { ...data } })),
      },
    };
  }

  private token(auth: string | undefined, form: Record<string, string>, send: (status: number, body: unknown) => void): void {
    const expected = `Basic ${Buffer.from(`${this.clientId}:${this.clientSecret}`).toString('base64')}`;
    if (auth !== expected) return send(401, { message: 'Unauthorized', error: 401 });
    let user: string | undefined;
    if (form.grant_type === 'password') {
      if (this.users.get(form.username ?? '') === form.password) user = form.username;
    } else if (form.grant_type === 'refresh_token') {
      user = this.refreshTokens.get(form.refresh_token ?? '');
    } else {
      return send(400, { error: 'unsupported_grant_type' });
    }
    if (!user) return send(200, { error: 'invalid_grant' });
    const token = `fake-access-${++this.tokenSeq}`;
    this.accessTokens.set(token, user);
    send(200, { access_token: token, token_type: 'bearer', expires_in: this.tokenExpiresIn, scope: '*' });
  }
}
