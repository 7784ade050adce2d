// A fake Discord for end-to-end tests: gateway (WebSocket) + REST + CDN on one loopback port.
// The real discord.js Client connects to it unchanged (rest.api = fake.apiUrl). It speaks the
// protocol facts in ../shared/notes/platform-fakes.md: HELLO / IDENTIFY / READY / GUILD_CREATE,
// heartbeats, RECONNECT and RESUME with replay, dispatches; it records every REST call and can
// answer with Discord's real errors (403/50013, 404/10008, 429 with retry_after).
import { randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import {
  GatewayDispatchEvents,
  GatewayOpcodes,
  MessageType,
  type APIChannel,
  type APIGuildMember,
  type APIMessage,
  type APIRole,
  type APIUser,
  type GatewayReceivePayload,
  type GatewaySendPayload,
} from 'discord-api-types/v10';
import { WebSocketServer, type WebSocket } from 'ws';

const DISCORD_EPOCH = 1_420_070_400_000n;
let increment = 0n;

/** A real-looking snowflake (discord.js reads timestamps out of ids). */
export function snowflake(at = Date.now()): string {
  increment = (increment + 1n) & 0xfffn;
  return String(((BigInt(at) - DISCORD_EPOCH) << 22n) | increment);
}

export interface FakeGuild {
  id: string;
  name: string;
  ownerId: string;
  roles: APIRole[];
  channels: APIChannel[];
  threads: APIChannel[];
  members: APIGuildMember[];
}

export interface RecordedCall {
  method: string;
  /** Decoded path after /api/v10, e.g. `/channels/1/messages/2/reactions/🚩/@me`. */
  path: string;
  query: URLSearchParams;
  body: unknown;
  /** X-Audit-Log-Reason, decoded. */
  reason?: string;
  authorized: boolean;
  status: number;
  at: number;
}

export interface ErrorRule {
  method?: string;
  path: RegExp;
  status: number;
  /** Discord's JSON error code (50013, 10008...). */
  code?: number;
  message?: string;
  /** For 429: seconds, sent as Retry-After and retry_after. */
  retryAfter?: number;
  /** How many matching calls get this answer (default 1; Infinity for all). */
  times?: number;
}

interface Dispatched {
  s: number;
  t: string;
  d: unknown;
}

interface Session {
  id: string;
  /** [shard id, shard count], as the client identified. */
  shard: [number, number];
  socket: WebSocket;
  seq: number;
  history: Dispatched[];
}

export interface FakeDiscordOptions {
  botUser: APIUser;
  applicationId: string;
  guilds: FakeGuild[];
  heartbeatIntervalMs?: number;
  /** The shard count GET /gateway/bot recommends (default 1). */
  shards?: number;
}

/** The shard a guild's events go to: (guild_id >> 22) % shard count, Discord's formula. */
export function shardOf(guildId: string, shardCount: number): number {
  return Number((BigInt(guildId) >> 22n) % BigInt(shardCount));
}

export class FakeDiscord {
  readonly calls: RecordedCall[] = [];
  readonly identifies: GatewaySendPayload[] = [];
  resumes = 0;
  /** CDN paths downloaded, in order. */
  readonly cdnHits: string[] = [];
  /** Events re-sent on RESUME. */
  replayed = 0;
  /** On RESUME, also re-send this many events the client already acknowledged (at-least-once delivery). */
  replayOverlap = 0;
  apiUrl = '';
  cdnUrl = '';
  private port = 0;
  private readonly server: Server;
  private readonly wss: WebSocketServer;
  /** One gateway session per shard id (a client that identifies without `shard` is shard 0 of 1). */
  private readonly sessions = new Map<number, Session>();
  /** Events dispatched while their shard had no session: lost, as on Discord (a new session gets no replay). */
  undelivered = 0;
  private readonly rules: ErrorRule[] = [];
  private readonly files = new Map<string, { bytes: Buffer; contentType: string }>();
  private readonly messages = new Map<string, APIMessage>();
  /** nonce -> id of the message posted with it (enforce_nonce). */
  private readonly nonces = new Map<string, string>();
  /** Calls whose answer is held back (the call takes effect at once; the client hears of it later). */
  private readonly holds: { method: string; path: RegExp; ms: number }[] = [];
  private connected: (() => void)[] = [];

  private constructor(readonly opts: FakeDiscordOptions) {
    this.server = createServer((req, res) => void this.onHttp(req, res));
    this.wss = new WebSocketServer({ server: this.server, path: '/gateway' });
    this.wss.on('connection', (ws) => this.onSocket(ws));
  }

  static async start(opts: FakeDiscordOptions): Promise<FakeDiscord> {
    const fake = new FakeDiscord(opts);
    await new Promise<void>((resolve) => fake.server.listen(0, '127.0.0.1', resolve));
    fake.port = (fake.server.address() as AddressInfo).port;
    fake.apiUrl = `http://127.0.0.1:${fake.port}/api`;
    fake.cdnUrl = `http://127.0.0.1:${fake.port}/cdn`;
    return fake;
  }

  async close(): Promise<void> {
    for (const ws of this.wss.clients) ws.terminate();
    await new Promise<void>((resolve) => this.wss.close(() => resolve()));
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  // ---- test controls ----

  /**
   * Calls matching method and path take effect at once but are answered only after `ms`: a client
   * killed in between has done the call without knowing it (a crash between the call and its record).
   */
  holdReplies(method: string, path: RegExp, ms: number): void {
    this.holds.push({ method, path, ms });
  }

  releaseHolds(): void {
    this.holds.length = 0;
  }

  /** The messages the fake holds (each created once, whatever the number of calls that posted it). */
  messagesIn(channelId: string): APIMessage[] {
    return [...this.messages.values()].filter((m) => m.channel_id === channelId);
  }

  /** Removes every error rule not used up yet. */
  clearFailures(): void {
    this.rules.length = 0;
  }

  /** Answer the next matching REST call(s) with an error. */
  failNext(rule: ErrorRule): void {
    this.rules.push({ times: 1, ...rule });
  }

  /** Serves bytes on the CDN; returns the attachment URL. */
  addFile(name: string, bytes: Buffer, contentType: string): string {
    const path = `/attachments/${snowflake()}/${name}`;
    this.files.set(path, { bytes, contentType });
    return `${this.cdnUrl}${path}`;
  }

  /** Calls recorded since `from` (an index into `calls`) matching method and path. */
  callsTo(method: string, path: RegExp, from = 0): RecordedCall[] {
    return this.calls.slice(from).filter((c) => c.method === method && path.test(c.path));
  }

  /** A message dispatched by a test or posted by the bot. */
  message(id: string): APIMessage | undefined {
    return this.messages.get(id);
  }

  /**
   * Sends a dispatch (op 0) on the session of the shard the event's guild belongs to (shard 0 for
   * events without a guild) and keeps it for replays. Returns its sequence number, 0 when no session
   * holds that shard (the event is lost, as on Discord).
   */
  dispatch(t: string, d: unknown): number {
    if (t === GatewayDispatchEvents.MessageCreate) {
      const m = d as APIMessage;
      this.messages.set(m.id, m);
    }
    const session = this.sessionFor(d, t);
    if (!session) {
      this.undelivered++;
      return 0;
    }
    return this.dispatchTo(session, t, d);
  }

  private dispatchTo(session: Session, t: string, d: unknown): number {
    const s = ++session.seq;
    session.history.push({ s, t, d });
    this.send(session, { op: GatewayOpcodes.Dispatch, s, t, d } as GatewayReceivePayload);
    return s;
  }

  private sessionFor(d: unknown, t: string): Session | undefined {
    const event = (d ?? {}) as { guild_id?: string; id?: string };
    const guildId = event.guild_id ?? (t === GatewayDispatchEvents.GuildCreate || t === GatewayDispatchEvents.GuildDelete ? event.id : undefined);
    const count = this.sessions.values().next().value?.shard[1] ?? 1;
    return this.sessions.get(guildId ? shardOf(guildId, count) : 0);
  }

  /** The shard ids whose session has a live connection. */
  connectedShards(): number[] {
    return [...this.sessions.values()]
      .filter((s) => s.socket.readyState === 1)
      .map((s) => s.shard[0])
      .sort((a, b) => a - b);
  }

  /** Op 7: Discord asks every connected client to reconnect and resume. */
  requestReconnect(): void {
    for (const session of this.sessions.values()) this.send(session, { op: GatewayOpcodes.Reconnect, d: null } as unknown as GatewayReceivePayload);
  }

  /** Resolves at the next READY or RESUMED. */
  nextSession(): Promise<void> {
    return new Promise((resolve) => this.connected.push(resolve));
  }

  // ---- gateway ----

  private send(session: Session, payload: GatewayReceivePayload): void {
    if (session.socket.readyState === 1) session.socket.send(JSON.stringify(payload));
  }

  private onSocket(ws: WebSocket): void {
    ws.send(JSON.stringify({ op: GatewayOpcodes.Hello, d: { heartbeat_interval: this.opts.heartbeatIntervalMs ?? 41_250 } }));
    ws.on('message', (raw) => this.onGatewayMessage(ws, JSON.parse(String(raw)) as GatewaySendPayload));
  }

  private onGatewayMessage(ws: WebSocket, payload: GatewaySendPayload): void {
    switch (payload.op) {
      case GatewayOpcodes.Heartbeat:
        ws.send(JSON.stringify({ op: GatewayOpcodes.HeartbeatAck }));
        return;
      case GatewayOpcodes.Identify: {
        this.identifies.push(payload);
        const [id, count] = payload.d.shard ?? [0, 1];
        // A new session replaces the shard's old one (its events are not replayed).
        this.sessions.get(id)?.socket.close(4000, 'replaced by a new session');
        const session: Session = { id: randomBytes(8).toString('hex'), shard: [id, count], socket: ws, seq: 0, history: [] };
        this.sessions.set(id, session);
        const guilds = this.opts.guilds.filter((g) => shardOf(g.id, count) === id);
        this.dispatchTo(session, GatewayDispatchEvents.Ready, {
          v: 10,
          user: this.opts.botUser,
          guilds: guilds.map((g) => ({ id: g.id, unavailable: true })),
          session_id: session.id,
          resume_gateway_url: `ws://127.0.0.1:${this.port}/gateway`,
          application: { id: this.opts.applicationId, flags: 0 },
          shard: [id, count],
        });
        for (const g of guilds) this.dispatchTo(session, GatewayDispatchEvents.GuildCreate, this.guildPayload(g));
        this.sessionReady();
        return;
      }
      case GatewayOpcodes.Resume: {
        const session = [...this.sessions.values()].find((s) => s.id === payload.d.session_id);
        if (!session) {
          ws.send(JSON.stringify({ op: GatewayOpcodes.InvalidSession, d: false }));
          return;
        }
        this.resumes++;
        session.socket = ws;
        // Events after the client's sequence (plus `replayOverlap` it already saw), then RESUMED.
        const from = payload.d.seq - this.replayOverlap;
        for (const e of session.history.filter((h) => h.s > from)) {
          this.replayed++;
          ws.send(JSON.stringify({ op: GatewayOpcodes.Dispatch, s: e.s, t: e.t, d: e.d }));
        }
        this.dispatchTo(session, GatewayDispatchEvents.Resumed, {});
        this.sessionReady();
        return;
      }
      default:
        return;
    }
  }

  private sessionReady(): void {
    const waiting = this.connected;
    this.connected = [];
    for (const resolve of waiting) resolve();
  }

  /** A guild the bot has just joined, after READY (emits guildCreate in discord.js). */
  joinGuild(g: FakeGuild): void {
    this.opts.guilds.push(g);
    this.dispatch(GatewayDispatchEvents.GuildCreate, this.guildPayload(g));
  }

  /** The bot was removed from a guild (not an outage: no `unavailable`). */
  removeGuild(guildId: string): void {
    this.dispatch(GatewayDispatchEvents.GuildDelete, { id: guildId });
  }

  guildPayload(g: FakeGuild): unknown {
    return {
      id: g.id,
      name: g.name,
      owner_id: g.ownerId,
      icon: null,
      splash: null,
      discovery_splash: null,
      afk_channel_id: null,
      afk_timeout: 300,
      verification_level: 0,
      default_message_notifications: 0,
      explicit_content_filter: 0,
      roles: g.roles,
      emojis: [],
      stickers: [],
      features: [],
      mfa_level: 0,
      application_id: null,
      system_channel_id: null,
      system_channel_flags: 0,
      rules_channel_id: null,
      vanity_url_code: null,
      description: null,
      banner: null,
      premium_tier: 0,
      preferred_locale: 'en-US',
      public_updates_channel_id: null,
      nsfw_level: 0,
      premium_progress_bar_enabled: false,
      safety_alerts_channel_id: null,
      joined_at: new Date().toISOString(),
      large: false,
      unavailable: false,
      member_count: g.members.length,
      voice_states: [],
      members: g.members,
      channels: g.channels,
      threads: g.threads,
      presences: [],
      stage_instances: [],
      guild_scheduled_events: [],
      soundboard_sounds: [],
    };
  }

  // ---- REST + CDN ----

  private async onHttp(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://fake');
    const raw = await new Promise<Buffer>((resolve) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => resolve(Buffer.concat(chunks)));
    });
    if (url.pathname.startsWith('/cdn/')) {
      this.cdnHits.push(url.pathname);
      const file = this.files.get(url.pathname.slice('/cdn'.length));
      if (!file) return void res.writeHead(404).end();
      res.writeHead(200, { 'content-type': file.contentType, 'content-length': file.bytes.length }).end(file.bytes);
      return;
    }
    const path = decodeURIComponent(url.pathname.replace(/^\/api\/v\d+/, ''));
    const method = req.method ?? 'GET';
    const type = req.headers['content-type'] ?? '';
    const body: unknown = raw.length === 0 ? undefined : type.includes('application/json') ? JSON.parse(raw.toString('utf8')) : raw.toString('utf8');
    const reasonHeader = req.headers['x-audit-log-reason'];
    const call: RecordedCall = {
      method,
      path,
      query: url.searchParams,
      body,
      ...(typeof reasonHeader === 'string' ? { reason: decodeURIComponent(reasonHeader) } : {}),
      authorized: req.headers.authorization === `Bot ${FAKE_TOKEN}`,
      status: 0,
      at: Date.now(),
    };
    this.calls.push(call);
    const hold = this.holds.find((h) => h.method === method && h.path.test(path));
    const reply = (status: number, json?: unknown, headers: Record<string, string> = {}): void => {
      call.status = status;
      const write = (): void => {
        if (res.destroyed) return;
        if (json === undefined) return void res.writeHead(status, headers).end();
        res.writeHead(status, { 'content-type': 'application/json', ...headers }).end(JSON.stringify(json));
      };
      if (hold) setTimeout(write, hold.ms);
      else write();
    };

    const rule = this.rules.find((r) => (r.method ?? method) === method && r.path.test(path));
    if (rule) {
      rule.times = (rule.times ?? 1) - 1;
      if (rule.times <= 0) this.rules.splice(this.rules.indexOf(rule), 1);
      if (rule.status === 429) {
        const after = rule.retryAfter ?? 1;
        return reply(429, { message: 'You are being rate limited.', retry_after: after, global: false }, { 'retry-after': String(after), 'x-ratelimit-scope': 'user' });
      }
      return reply(rule.status, { code: rule.code ?? 0, message: rule.message ?? `fake error ${rule.code ?? rule.status}` });
    }
    const route = `${method} ${path}`;
    let m: RegExpExecArray | null;
    if (route === 'GET /gateway/bot' || route === 'GET /gateway') {
      return reply(200, {
        url: `ws://127.0.0.1:${this.port}/gateway`,
        shards: this.opts.shards ?? 1,
        session_start_limit: { total: 1000, remaining: 999, reset_after: 0, max_concurrency: 1 },
      });
    }
    if (!call.authorized && !path.startsWith('/interactions/') && !path.startsWith('/webhooks/')) return reply(401, { code: 0, message: '401: Unauthorized' });
    if ((m = /^PUT \/applications\/(\d+)(?:\/guilds\/(\d+))?\/commands$/.exec(route))) {
      const cmds = (Array.isArray(body) ? body : []) as Record<string, unknown>[];
      return reply(200, cmds.map((c) => ({ ...c, id: snowflake(), application_id: m?.[1], ...(m?.[2] ? { guild_id: m[2] } : {}), version: snowflake() })));
    }
    if (/^DELETE \/channels\/\d+\/messages\/\d+$/.test(route)) return reply(204);
    if (/^(PUT|DELETE) \/channels\/\d+\/messages\/\d+\/reactions\/[^/]+\/@me$/.test(route)) return reply(204);
    if ((m = /^GET \/channels\/(\d+)\/messages\/(\d+)$/.exec(route))) {
      const stored = this.messages.get(m[2] ?? '');
      return stored ? reply(200, stored) : reply(404, { code: 10008, message: 'Unknown Message' });
    }
    if ((m = /^(POST|PATCH) \/channels\/(\d+)\/messages(?:\/(\d+))?$/.exec(route))) {
      // Like Discord: with enforce_nonce, a nonce the bot already used (recently) returns that message.
      const { nonce, enforce_nonce: enforce } = (body ?? {}) as { nonce?: string; enforce_nonce?: boolean };
      const earlier = m[1] === 'POST' && enforce && nonce !== undefined ? this.nonces.get(nonce) : undefined;
      if (earlier) return reply(200, this.messages.get(earlier) ?? {});
      const posted = this.botMessage(m[2] ?? '', body, m[3]);
      if (m[1] === 'POST' && enforce && nonce !== undefined) this.nonces.set(nonce, posted.id);
      this.messages.set(posted.id, posted);
      return reply(200, posted);
    }
    if ((m = /^PATCH \/guilds\/(\d+)\/members\/(\d+)$/.exec(route))) {
      const member = this.opts.guilds.find((g) => g.id === m?.[1])?.members.find((x) => x.user.id === m?.[2]);
      if (!member) return reply(404, { code: 10007, message: 'Unknown Member' });
      return reply(200, { ...member, ...(body as object) });
    }
    if (route === 'POST /users/@me/channels') {
      const recipient = (body as { recipient_id: string }).recipient_id;
      return reply(200, { id: dmChannelId(recipient), type: 1, recipients: [{ id: recipient, username: 'member', discriminator: '0', global_name: null, avatar: null }] });
    }
    if ((m = /^POST \/interactions\/(\d+)\/[^/]+\/callback$/.exec(route))) {
      if (url.searchParams.get('with_response') !== 'true') return reply(204);
      return reply(200, { interaction: { id: m[1], type: 2, activity_instance_id: null, response_message_id: null, response_message_loading: false, response_message_ephemeral: true } });
    }
    if ((m = /^(PATCH|POST|GET) \/webhooks\/\d+\/[^/]+(?:\/messages\/(@original|\d+))?$/.exec(route))) {
      return reply(200, this.botMessage('0', body, m[2] === '@original' ? snowflake() : m[2]));
    }
    return reply(404, { code: 0, message: `404: fake has no route for ${route}` });
  }

  private botMessage(channelId: string, body: unknown, id = snowflake()): APIMessage {
    const b = (body ?? {}) as Partial<APIMessage>;
    return {
      id,
      channel_id: channelId,
      author: this.opts.botUser,
      content: b.content ?? '',
      timestamp: new Date().toISOString(),
      edited_timestamp: null,
      tts: false,
      mention_everyone: false,
      mentions: [],
      mention_roles: [],
      attachments: [],
      embeds: b.embeds ?? [],
      ...(b.nonce !== undefined ? { nonce: b.nonce } : {}),
      components: b.components ?? [],
      pinned: false,
      type: MessageType.Default,
      ...(b.flags ? { flags: b.flags } : {}),
    };
  }
}

export const FAKE_TOKEN = 'fake-token.not-a-secret';

/** The DM channel the fake opens with a user (stable per user). */
export function dmChannelId(userId: string): string {
  return String(BigInt(userId) + 1n);
}
