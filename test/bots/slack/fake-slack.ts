// A fake Slack Web API on loopback, for end-to-end tests of the real Bolt app. It copies the Slack
// rules the app depends on (../shared/notes/platform-fakes.md):
// - every call needs a known token (Authorization: Bearer, or a `token` param), else invalid_auth;
// - errors are HTTP 200 with `ok: false`; rate limits are HTTP 429 with Retry-After;
// - chat.delete: a bot token deletes only the bot's own messages (cant_delete_message otherwise),
//   an admin user token deletes anyone's, an unknown message is message_not_found;
// - url_private bytes only with a valid token of the file's workspace; otherwise 200 + an HTML
//   login page, as real Slack answers.
// Every call is recorded with its form-decoded params, so tests assert exactly what the app sent.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { WebSocketServer, type WebSocket } from 'ws';

export interface FakeToken {
  kind: 'bot' | 'user';
  teamId: string;
  userId: string;
  botId?: string;
  scopes?: string[];
}

export interface FakeUser {
  id: string;
  teamId: string;
  name: string;
  isAdmin?: boolean;
  isOwner?: boolean;
  isBot?: boolean;
}

export interface RecordedCall {
  method: string;
  params: Record<string, string>;
  /** The token the call was made with (to tell bot from admin calls). */
  token: string | undefined;
  status: number;
  response: Record<string, unknown>;
  /** When the fake answered (ms since the epoch). */
  at: number;
}

export interface Failure {
  /** `ok: false` with this error (HTTP 200), or... */
  error?: string;
  /** ...HTTP 429 with this Retry-After (seconds). */
  rateLimitSeconds?: number;
  /** How many calls fail (default 1). */
  times?: number;
}

interface StoredMessage {
  channel: string;
  ts: string;
  user: string;
  text: string;
  blocks?: string;
  /** Message metadata (JSON), as chat.postMessage got it. */
  metadata?: string;
}

interface StoredFile {
  teamId: string;
  bytes: Buffer;
  mimetype: string;
}

export interface OAuthApp {
  clientId: string;
  clientSecret: string;
  /** The codes the authorize step hands out, each giving this installation. */
  codes: Map<string, { teamId: string; teamName: string; installerId: string; botToken: string; botUserId: string; botId: string }>;
}

const LOGIN_PAGE = '<!DOCTYPE html><html><head><title>Slack</title></head><body><form action="/signin">Sign in to your workspace</form></body></html>';

export class FakeSlack {
  readonly calls: RecordedCall[] = [];
  /** Calls to response_url. */
  readonly responses: { path: string; body: Record<string, unknown> }[] = [];
  readonly tokens = new Map<string, FakeToken>();
  readonly users = new Map<string, FakeUser>();
  readonly usergroups = new Map<string, string[]>();
  readonly messages = new Map<string, StoredMessage>();
  readonly reactions = new Map<string, Set<string>>();
  readonly files = new Map<string, StoredFile>();
  /** Every url_private download: which file, and whether it came with a valid token of the file's workspace. */
  readonly downloads: { fileId: string; token: string | undefined; authorized: boolean }[] = [];
  oauth: OAuthApp | undefined;
  /** App-level tokens (xapp-...) accepted by apps.connections.open for Socket Mode. */
  readonly appTokens = new Set<string>();
  /** Socket Mode: envelopes sent to the app, and the acks it sent back (by envelope id). */
  readonly socketAcks = new Map<string, Record<string, unknown>>();
  private socket: WebSocket | undefined;
  private wss: WebSocketServer | undefined;
  private readonly failures = new Map<string, Failure[]>();
  private server: Server | undefined;
  private seq = 0;
  port = 0;

  get baseUrl(): string {
    return `http://127.0.0.1:${this.port}`;
  }

  /** With the trailing slash Bolt's `slackApiUrl` needs. */
  get apiUrl(): string {
    return `${this.baseUrl}/api/`;
  }

  async start(): Promise<void> {
    this.server = createServer((req, res) => {
      this.handle(req, res).catch((err: unknown) => {
        res.writeHead(500, { 'content-type': 'application/json' });
        res.end(JSON.stringify({ ok: false, error: 'fake_internal_error', detail: (err as Error).message }));
      });
    });
    this.wss = new WebSocketServer({ server: this.server, path: '/link' });
    this.wss.on('connection', (ws) => {
      this.socket = ws;
      ws.on('message', (data: Buffer) => {
        const msg = JSON.parse(data.toString('utf8')) as { envelope_id?: string };
        if (msg.envelope_id) this.socketAcks.set(msg.envelope_id, msg as Record<string, unknown>);
      });
      ws.send(JSON.stringify({ type: 'hello', num_connections: 1, debug_info: { host: 'fake' }, connection_info: { app_id: 'A0TOXGUARD' } }));
    });
    await new Promise<void>((resolve) => this.server?.listen(0, '127.0.0.1', resolve));
    this.port = (this.server.address() as AddressInfo).port;
  }

  get socketConnected(): boolean {
    return this.socket?.readyState === 1;
  }

  /** Sends one Socket Mode envelope (`events_api`, `slash_commands`, `interactive`); returns its id. */
  sendOverSocket(type: string, payload: unknown): string {
    if (!this.socket) throw new Error('no Socket Mode connection');
    this.seq += 1;
    const envelopeId = `env-${this.seq}`;
    this.socket.send(JSON.stringify({ envelope_id: envelopeId, type, payload, accepts_response_payload: type !== 'events_api', retry_attempt: 0, retry_reason: '' }));
    return envelopeId;
  }

  async stop(): Promise<void> {
    for (const client of this.wss?.clients ?? []) client.terminate();
    this.wss?.close();
    this.server?.closeAllConnections();
    await new Promise<void>((resolve) => (this.server ? this.server.close(() => resolve()) : resolve()));
  }

  addToken(token: string, info: FakeToken): void {
    this.tokens.set(token, info);
  }

  addUser(user: FakeUser): void {
    this.users.set(user.id, user);
  }

  /** A member's message the app will be told about (so chat.delete can find it). */
  addMessage(channel: string, ts: string, user: string, text: string): void {
    this.messages.set(`${channel}:${ts}`, { channel, ts, user, text });
  }

  /** A private file; returns its url_private. */
  addFile(teamId: string, id: string, name: string, bytes: Buffer, mimetype: string): string {
    this.files.set(id, { teamId, bytes, mimetype });
    return `${this.baseUrl}/files-pri/${teamId}-${id}/${encodeURIComponent(name)}`;
  }

  /** The next `times` calls of `method` fail as described. */
  fail(method: string, failure: Failure): void {
    const list = this.failures.get(method) ?? [];
    list.push({ times: 1, ...failure });
    this.failures.set(method, list);
  }

  callsTo(method: string): RecordedCall[] {
    return this.calls.filter((c) => c.method === method);
  }

  /** Successful calls only. */
  okCalls(method: string): RecordedCall[] {
    return this.callsTo(method).filter((c) => c.response.ok === true);
  }

  private nextTs(): string {
    this.seq += 1;
    return `${Math.floor(Date.now() / 1000)}.${String(this.seq).padStart(6, '0')}`;
  }

  /** Web API methods whose answer is held back `ms` (the call takes effect at once; the client hears of it later). */
  private readonly holds = new Map<string, number>();

  /**
   * Calls of `method` take effect at once but are answered only after `ms`: a client killed in
   * between has done the call without knowing it (a crash between the call and its record).
   */
  holdReplies(method: string, ms: number): void {
    this.holds.set(method, ms);
  }

  releaseHolds(): void {
    this.holds.clear();
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', this.baseUrl);
    if (req.method === 'GET' && url.pathname.startsWith('/files-pri/')) return this.serveFile(req, res, url);
    const raw = await readBody(req);
    if (url.pathname.startsWith('/response/')) {
      this.responses.push({ path: url.pathname, body: JSON.parse(raw || '{}') as Record<string, unknown> });
      return send(res, 200, { ok: true });
    }
    if (!url.pathname.startsWith('/api/')) return send(res, 404, { ok: false, error: 'unknown_path' });
    const method = url.pathname.slice('/api/'.length);
    const params = parseParams(req.headers['content-type'] ?? '', raw);
    const auth = req.headers.authorization;
    const token = auth?.startsWith('Bearer ') ? auth.slice('Bearer '.length) : params.token;
    const hold = this.holds.get(method);
    const record = (status: number, response: Record<string, unknown>): void => {
      this.calls.push({ method, params, token, status, response, at: Date.now() });
      const answer = (): void => {
        if (!res.destroyed) send(res, status, response, status === 429 ? { 'retry-after': String(response.retry_after ?? 1) } : {});
      };
      if (hold !== undefined) setTimeout(answer, hold);
      else answer();
    };

    const failure = this.takeFailure(method);
    if (failure?.rateLimitSeconds !== undefined) return record(429, { ok: false, error: 'ratelimited', retry_after: failure.rateLimitSeconds });
    if (failure?.error) return record(200, { ok: false, error: failure.error });

    if (method === 'oauth.v2.access') return record(200, this.oauthAccess(params));
    if (method === 'apps.connections.open') {
      if (!token || !this.appTokens.has(token)) return record(200, { ok: false, error: 'invalid_auth' });
      return record(200, { ok: true, url: `ws://127.0.0.1:${this.port}/link?ticket=t${this.seq}` });
    }
    const who = token ? this.tokens.get(token) : undefined;
    if (!who) return record(200, { ok: false, error: token ? 'invalid_auth' : 'not_authed' });
    record(200, this.call(method, params, who));
  }

  private takeFailure(method: string): Failure | undefined {
    const list = this.failures.get(method);
    const first = list?.[0];
    if (!list || !first) return undefined;
    first.times = (first.times ?? 1) - 1;
    if (first.times <= 0) list.shift();
    return first;
  }

  private call(method: string, p: Record<string, string>, who: FakeToken): Record<string, unknown> {
    switch (method) {
      case 'auth.test':
        return {
          ok: true,
          url: `https://team-${who.teamId.toLowerCase()}.slack.com/`,
          team: `Team ${who.teamId}`,
          user: this.users.get(who.userId)?.name ?? who.userId,
          team_id: who.teamId,
          user_id: who.userId,
          ...(who.botId ? { bot_id: who.botId } : {}),
        };
      case 'chat.postMessage': {
        if (!p.channel) return { ok: false, error: 'channel_not_found' };
        if (!p.text && !p.blocks) return { ok: false, error: 'no_text' };
        const ts = this.nextTs();
        const msg: StoredMessage = { channel: p.channel, ts, user: who.userId, text: p.text ?? '' };
        if (p.blocks) msg.blocks = p.blocks;
        if (p.metadata) msg.metadata = p.metadata;
        this.messages.set(`${p.channel}:${ts}`, msg);
        return { ok: true, channel: p.channel, ts, message: { type: 'message', user: who.userId, bot_id: who.botId, text: msg.text, ts } };
      }
      case 'conversations.history': {
        // Newest first, from `oldest` on; metadata only with include_all_metadata (as Slack does).
        const oldest = Number(p.oldest ?? 0);
        const withMeta = p.include_all_metadata === 'true';
        const found = [...this.messages.values()]
          .filter((m) => m.channel === p.channel && Number(m.ts) >= oldest)
          .sort((a, b) => Number(b.ts) - Number(a.ts))
          .slice(0, Number(p.limit ?? 100))
          .map((m) => ({ type: 'message', user: m.user, text: m.text, ts: m.ts, ...(withMeta && m.metadata ? { metadata: JSON.parse(m.metadata) as unknown } : {}) }));
        return { ok: true, messages: found, has_more: false };
      }
      case 'chat.update': {
        const msg = this.messages.get(`${p.channel}:${p.ts}`);
        if (!msg) return { ok: false, error: 'message_not_found' };
        if (msg.user !== who.userId) return { ok: false, error: 'cant_update_message' };
        msg.text = p.text ?? msg.text;
        if (p.blocks) msg.blocks = p.blocks;
        return { ok: true, channel: p.channel, ts: p.ts, text: msg.text };
      }
      case 'chat.delete': {
        const key = `${p.channel}:${p.ts}`;
        const msg = this.messages.get(key);
        if (!msg) return { ok: false, error: 'message_not_found' };
        const admin = who.kind === 'user' && (this.users.get(who.userId)?.isAdmin === true || this.users.get(who.userId)?.isOwner === true);
        // Slack: a bot token may delete only its own messages; an admin user token any message.
        if (msg.user !== who.userId && !admin) return { ok: false, error: 'cant_delete_message' };
        this.messages.delete(key);
        return { ok: true, channel: p.channel, ts: p.ts };
      }
      case 'chat.postEphemeral':
        if (!p.channel || !p.user) return { ok: false, error: 'channel_not_found' };
        return { ok: true, message_ts: this.nextTs() };
      case 'reactions.add': {
        const key = `${p.channel}:${p.timestamp}`;
        if (!this.messages.has(key)) return { ok: false, error: 'message_not_found' };
        const set = this.reactions.get(key) ?? new Set<string>();
        const id = `${p.name}:${who.userId}`;
        if (set.has(id)) return { ok: false, error: 'already_reacted' };
        set.add(id);
        this.reactions.set(key, set);
        return { ok: true };
      }
      case 'users.info': {
        const u = p.user ? this.users.get(p.user) : undefined;
        if (!u || u.teamId !== who.teamId) return { ok: false, error: 'user_not_found' };
        return {
          ok: true,
          user: { id: u.id, team_id: u.teamId, name: u.name, real_name: u.name, is_admin: u.isAdmin === true, is_owner: u.isOwner === true, is_primary_owner: false, is_bot: u.isBot === true, profile: { display_name: u.name } },
        };
      }
      case 'usergroups.users.list': {
        const members = p.usergroup ? this.usergroups.get(p.usergroup) : undefined;
        if (!members) return { ok: false, error: 'no_such_subteam' };
        return { ok: true, users: members };
      }
      case 'views.open':
        return { ok: true, view: { id: `V${this.nextTs()}` } };
      default:
        return { ok: false, error: 'unknown_method' };
    }
  }

  private oauthAccess(p: Record<string, string>): Record<string, unknown> {
    const app = this.oauth;
    if (!app || p.client_id !== app.clientId || p.client_secret !== app.clientSecret) return { ok: false, error: 'invalid_client_id' };
    const grant = p.code ? app.codes.get(p.code) : undefined;
    if (!grant) return { ok: false, error: 'invalid_code' };
    app.codes.delete(p.code as string); // a code works once
    this.addToken(grant.botToken, { kind: 'bot', teamId: grant.teamId, userId: grant.botUserId, botId: grant.botId });
    return {
      ok: true,
      app_id: 'A0TOXGUARD',
      authed_user: { id: grant.installerId },
      scope: 'channels:history,chat:write,reactions:write,files:read,users:read,usergroups:read,commands',
      token_type: 'bot',
      access_token: grant.botToken,
      bot_user_id: grant.botUserId,
      team: { id: grant.teamId, name: grant.teamName },
      enterprise: null,
      is_enterprise_install: false,
    };
  }

  private serveFile(req: IncomingMessage, res: ServerResponse, url: URL): void {
    const [, , folder] = url.pathname.split('/');
    const id = folder?.slice(folder.indexOf('-') + 1) ?? '';
    const file = this.files.get(id);
    const auth = req.headers.authorization;
    const who = auth?.startsWith('Bearer ') ? this.tokens.get(auth.slice('Bearer '.length)) : undefined;
    if (!file) {
      res.writeHead(404).end();
      return;
    }
    const authorized = who !== undefined && who.teamId === file.teamId;
    this.downloads.push({ fileId: id, token: auth?.slice('Bearer '.length), authorized });
    if (!authorized) {
      // Real Slack: 200 with the sign-in page, not an error status.
      res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' }).end(LOGIN_PAGE);
      return;
    }
    res.writeHead(200, { 'content-type': file.mimetype, 'content-length': String(file.bytes.length) }).end(file.bytes);
  }
}

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}

function parseParams(contentType: string, raw: string): Record<string, string> {
  if (contentType.includes('application/json')) {
    const obj = JSON.parse(raw || '{}') as Record<string, unknown>;
    return Object.fromEntries(Object.entries(obj).map(([k, v]) => [k, typeof v === 'string' ? v : JSON.stringify(v)]));
  }
  return Object.fromEntries(new URLSearchParams(raw));
}

function send(res: ServerResponse, status: number, body: Record<string, unknown>, headers: Record<string, string> = {}): void {
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', ...headers });
  res.end(JSON.stringify(body));
}
