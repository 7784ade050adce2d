// A small typed client for Reddit's Data API over fetch (no maintained Node client exists: snoowrap
// and its forks stopped years ago). It does the four things every call needs: an OAuth2 token
// (script-app password grant, or a refresh token) renewed before it expires; a descriptive
// User-Agent; Reddit's rate limit, read from the X-Ratelimit-Used/Remaining/Reset headers of every
// answer, waited out before the next call (calls are serialised, so the count is exact); and
// retries of 429s (after Retry-After or the reset) and 5xx answers with exponential backoff.
// Secrets are never logged and never appear in an error message.
import PQueue from 'p-queue';
import type { Logger } from 'pino';

export interface RedditCredentials {
  clientId: string;
  clientSecret?: string | undefined;
  username?: string | undefined;
  password?: string | undefined;
  refreshToken?: string | undefined;
}

export interface RedditClientOptions {
  apiUrl: string;
  authUrl: string;
  userAgent: string;
  credentials: RedditCredentials;
  retries?: number;
  /** First retry delay of a 5xx or network error; doubles each time. */
  retryBaseMs?: number;
  maxRateLimitWaitMs?: number;
  requestTimeoutMs?: number;
  logger?: Pick<Logger, 'warn' | 'info' | 'debug'>;
  now?: () => number;
  sleep?: (ms: number) => Promise<void>;
}

/** Credentials Reddit refused, or that are incomplete: the message says which setting to fix. */
export class RedditAuthError extends Error {
  override name = 'RedditAuthError';
}

/** A call that failed after its retries. `retryAfterMs` tells the outbox when trying again makes sense. */
export class RedditApiError extends Error {
  override name = 'RedditApiError';
  constructor(
    message: string,
    readonly status: number,
    /** Retrying cannot help (403, 404, a bad request). */
    readonly permanent: boolean,
    readonly retryAfterMs?: number,
    readonly body?: unknown,
  ) {
    super(message);
  }
}

/** What the last answer's headers said about the rate limit. */
export interface RateLimitState {
  used?: number;
  remaining?: number;
  /** When the window resets (ms since the epoch). */
  resetAt?: number;
}

export interface RedditClientStats {
  requests: number;
  retries: number;
  rateLimitWaits: number;
  rateLimitWaitMs: number;
  tooManyRequests: number;
}

type Query = Record<string, string | number | boolean | undefined>;

const sleepReal = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

/** Which credentials `serve` would use, or why they are incomplete. */
export function credentialsFrom(secrets: {
  redditClientId?: string | undefined;
  redditClientSecret?: string | undefined;
  redditUsername?: string | undefined;
  redditPassword?: string | undefined;
  redditRefreshToken?: string | undefined;
}): RedditCredentials {
  const { redditClientId: clientId, redditClientSecret: clientSecret, redditUsername: username, redditPassword: password, redditRefreshToken: refreshToken } = secrets;
  if (!clientId) throw new RedditAuthError('REDDIT_CLIENT_ID is not set');
  if (!refreshToken && !(username && password)) {
    throw new RedditAuthError('REDDIT_CLIENT_ID is set but neither REDDIT_REFRESH_TOKEN nor REDDIT_USERNAME + REDDIT_PASSWORD is: the adapter needs one of them to log in');
  }
  if (!refreshToken && !clientSecret) throw new RedditAuthError('REDDIT_USERNAME + REDDIT_PASSWORD (the password grant of a "script" app) also need REDDIT_CLIENT_SECRET');
  return { clientId, clientSecret, username, password, refreshToken };
}

export class RedditClient {
  readonly rateLimit: RateLimitState = {};
  readonly stats: RedditClientStats = { requests: 0, retries: 0, rateLimitWaits: 0, rateLimitWaitMs: 0, tooManyRequests: 0 };
  private readonly queue = new PQueue({ concurrency: 1 });
  private token: { value: string; expiresAt: number; scope: string } | undefined;
  private tokenPending: Promise<string> | undefined;
  private readonly now: () => number;
  private readonly sleep: (ms: number) => Promise<void>;
  private userAgent: string;
  private readonly closing = new AbortController();

  constructor(private readonly opts: RedditClientOptions) {
    this.now = opts.now ?? (() => Date.now());
    const sleep = opts.sleep ?? sleepReal;
    // A wait (rate-limit reset, backoff) ends at once when the client is closed.
    this.sleep = (ms) =>
      new Promise<void>((done, fail) => {
        const signal = this.closing.signal;
        if (signal.aborted) return fail(new RedditApiError('Reddit client stopped', 0, false));
        const onAbort = (): void => fail(new RedditApiError('Reddit client stopped', 0, false));
        signal.addEventListener('abort', onAbort, { once: true });
        void sleep(ms).then(() => {
          signal.removeEventListener('abort', onAbort);
          done();
        });
      });
    this.userAgent = opts.userAgent.replace('{username}', opts.credentials.username ?? 'unknown');
  }

  /** Sets the account name in the User-Agent once it is known (refresh-token logins learn it from /api/v1/me). */
  setUsername(name: string): void {
    this.userAgent = this.opts.userAgent.replace('{username}', name);
  }

  /** The scopes the current token grants (after the first call). */
  get scopes(): string[] {
    return this.token?.scope.split(/[\s,]+/).filter(Boolean) ?? [];
  }

  async get<T>(path: string, query: Query = {}): Promise<T> {
    return this.call<T>('GET', path, query);
  }

  /** A form-encoded POST (most of Reddit's write endpoints). */
  async post<T>(path: string, form: Query = {}): Promise<T> {
    return this.call<T>('POST', path, {}, form);
  }

  /** Ends every wait in progress and refuses new calls (shutdown must not wait out a rate-limit reset). */
  close(): void {
    this.closing.abort();
  }

  get closed(): boolean {
    return this.closing.signal.aborted;
  }

  /** Logs in now (instead of at the first call), so wrong credentials fail at start. */
  async authenticate(): Promise<void> {
    await this.accessToken(true);
  }

  private async accessToken(force = false): Promise<string> {
    if (!force && this.token && this.now() < this.token.expiresAt) return this.token.value;
    this.tokenPending ??= this.fetchToken().finally(() => (this.tokenPending = undefined));
    return this.tokenPending;
  }

  private async fetchToken(): Promise<string> {
    const c = this.opts.credentials;
    const form = new URLSearchParams(
      c.refreshToken ? { grant_type: 'refresh_token', refresh_token: c.refreshToken } : { grant_type: 'password', username: c.username ?? '', password: c.password ?? '' },
    );
    const which = c.refreshToken ? 'REDDIT_REFRESH_TOKEN' : 'REDDIT_USERNAME / REDDIT_PASSWORD';
    const url = new URL('/api/v1/access_token', this.opts.authUrl);
    let res: Response;
    try {
      res = await fetch(url, {
        method: 'POST',
        headers: {
          authorization: `Basic ${Buffer.from(`${c.clientId}:${c.clientSecret ?? ''}`).toString('base64')}`,
          'content-type': 'application/x-www-form-urlencoded',
          'user-agent': this.userAgent,
        },
        body: form.toString(),
        signal: AbortSignal.timeout(this.opts.requestTimeoutMs ?? 30_000),
      });
    } catch (err) {
      throw new RedditAuthError(`could not reach Reddit's token endpoint ${url.origin}: ${(err as Error).message}`);
    }
    const text = await res.text();
    let body: Record<string, unknown> = {};
    try {
      body = JSON.parse(text) as Record<string, unknown>;
    } catch {
      // Reddit answers some refusals with HTML; the status says enough.
    }
    if (res.status === 401 || res.status === 403) {
      throw new RedditAuthError(`Reddit refused the app's credentials (HTTP ${res.status} from the token endpoint): check REDDIT_CLIENT_ID and REDDIT_CLIENT_SECRET${c.refreshToken ? '' : ' (the password grant needs an app of type "script")'}`);
    }
    if (res.status === 429 || res.status >= 500) {
      throw new RedditApiError(`Reddit's token endpoint answered HTTP ${res.status}; try again later`, res.status, false, 60_000);
    }
    const error = typeof body.error === 'string' ? body.error : undefined;
    if (error || !res.ok || typeof body.access_token !== 'string') {
      const why = error ?? `HTTP ${res.status}`;
      const hint = c.refreshToken
        ? 'the token was revoked, expired, or belongs to another app: create a new refresh token for this app'
        : 'wrong user name or password, the account is not a developer of this "script" app, or it has two-factor authentication on (use REDDIT_REFRESH_TOKEN then)';
      throw new RedditAuthError(`Reddit refused ${which} (${why}): ${hint}`);
    }
    const expiresIn = typeof body.expires_in === 'number' ? body.expires_in : 3600;
    // Renewed a minute before it runs out.
    this.token = { value: body.access_token, expiresAt: this.now() + Math.max(10, expiresIn - 60) * 1000, scope: typeof body.scope === 'string' ? body.scope : '' };
    this.opts.logger?.debug({ scope: this.token.scope, expiresIn }, 'Reddit: access token obtained');
    return this.token.value;
  }

  private readHeaders(res: Response): void {
    const num = (name: string): number | undefined => {
      const v = res.headers.get(name);
      if (v === null || v === '') return undefined;
      const n = Number(v);
      return Number.isFinite(n) ? n : undefined;
    };
    const used = num('x-ratelimit-used');
    const remaining = num('x-ratelimit-remaining');
    const reset = num('x-ratelimit-reset');
    if (used !== undefined) this.rateLimit.used = used;
    if (remaining !== undefined) this.rateLimit.remaining = remaining;
    if (reset !== undefined) this.rateLimit.resetAt = this.now() + reset * 1000;
  }

  /** Before a call: if the window's requests are used up, wait for its reset. */
  private async waitForWindow(): Promise<void> {
    const { remaining, resetAt } = this.rateLimit;
    if (remaining === undefined || remaining >= 1 || resetAt === undefined) return;
    const wait = resetAt - this.now();
    if (wait <= 0) return;
    if (wait > (this.opts.maxRateLimitWaitMs ?? 600_000)) {
      throw new RedditApiError(`Reddit's rate limit is used up for another ${Math.ceil(wait / 1000)} s`, 429, false, wait);
    }
    this.stats.rateLimitWaits++;
    this.stats.rateLimitWaitMs += wait;
    this.opts.logger?.debug({ waitMs: wait }, 'Reddit: rate limit used up, waiting for the reset');
    await this.sleep(wait + 20);
    // The new window's numbers come with the next answer.
    this.rateLimit.remaining = undefined;
  }

  private async call<T>(method: 'GET' | 'POST', path: string, query: Query, form?: Query): Promise<T> {
    return this.queue.add(() => this.attempt<T>(method, path, query, form)) as Promise<T>;
  }

  private async attempt<T>(method: 'GET' | 'POST', path: string, query: Query, form?: Query): Promise<T> {
    const url = new URL(path.replace(/^\/+/, ''), this.opts.apiUrl.endsWith('/') ? this.opts.apiUrl : `${this.opts.apiUrl}/`);
    url.searchParams.set('raw_json', '1');
    for (const [k, v] of Object.entries(query)) if (v !== undefined) url.searchParams.set(k, String(v));
    const body = form ? new URLSearchParams(Object.entries(form).flatMap(([k, v]): [string, string][] => (v === undefined ? [] : [[k, String(v)]]))) : undefined;
    const retries = this.opts.retries ?? 3;
    const base = this.opts.retryBaseMs ?? 1000;
    let reauthed = false;
    for (let attempt = 0; ; attempt++) {
      if (this.closed) throw new RedditApiError('Reddit client stopped', 0, false);
      await this.waitForWindow();
      const token = await this.accessToken();
      let res: Response;
      this.stats.requests++;
      try {
        res = await fetch(url, {
          method,
          headers: {
            authorization: `Bearer ${token}`,
            'user-agent': this.userAgent,
            ...(body ? { 'content-type': 'application/x-www-form-urlencoded' } : {}),
          },
          ...(body ? { body: body.toString() } : {}),
          signal: AbortSignal.timeout(this.opts.requestTimeoutMs ?? 30_000),
        });
      } catch (err) {
        if (attempt < retries) {
          this.stats.retries++;
          await this.sleep(base * 2 ** attempt);
          continue;
        }
        throw new RedditApiError(`${method} ${url.pathname} failed: ${(err as Error).message}`, 0, false);
      }
      this.readHeaders(res);
      const text = await res.text();
      const parsed = parseBody(text);
      if (res.ok) {
        const errors = jsonErrors(parsed);
        if (errors) throw new RedditApiError(`${method} ${url.pathname}: Reddit said ${errors}`, res.status, true, undefined, parsed);
        return parsed as T;
      }
      if (res.status === 401 && !reauthed) {
        // The token expired early or was revoked: one fresh login, then the same call again.
        reauthed = true;
        await this.accessToken(true);
        attempt--;
        continue;
      }
      if (res.status === 429) {
        this.stats.tooManyRequests++;
        const retryAfter = Number(res.headers.get('retry-after'));
        const reset = this.rateLimit.resetAt !== undefined ? this.rateLimit.resetAt - this.now() : undefined;
        const wait = Number.isFinite(retryAfter) && retryAfter > 0 ? retryAfter * 1000 : Math.max(reset ?? 0, base * 2 ** attempt);
        if (attempt < retries && wait <= (this.opts.maxRateLimitWaitMs ?? 600_000)) {
          this.stats.retries++;
          this.opts.logger?.warn({ path: url.pathname, waitMs: wait }, 'Reddit: 429 Too Many Requests, waiting before retrying');
          await this.sleep(wait);
          continue;
        }
        throw new RedditApiError(`${method} ${url.pathname}: HTTP 429 Too Many Requests`, 429, false, wait, parsed);
      }
      if (res.status >= 500) {
        if (attempt < retries) {
          this.stats.retries++;
          await this.sleep(base * 2 ** attempt);
          continue;
        }
        throw new RedditApiError(`${method} ${url.pathname}: HTTP ${res.status} from Reddit after ${retries + 1} tries`, res.status, false, base * 2 ** (attempt + 1), parsed);
      }
      const why = res.status === 403 ? ' (forbidden: the account must be a moderator of the subreddit with the needed permission, and the token needs the scope)' : res.status === 404 ? ' (not found)' : '';
      throw new RedditApiError(`${method} ${url.pathname}: HTTP ${res.status}${why}`, res.status, true, undefined, parsed);
    }
  }
}

function parseBody(text: string): unknown {
  if (text === '') return {};
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return text;
  }
}

/** Reddit's `{"json": {"errors": [["CODE", "message", "field"]]}}` answers (HTTP 200). */
function jsonErrors(body: unknown): string | undefined {
  const errors = (body as { json?: { errors?: unknown } } | null)?.json?.errors;
  if (!Array.isArray(errors) || errors.length === 0) return undefined;
  return errors.map((e) => (Array.isArray(e) ? e.filter(Boolean).join(': ') : String(e))).join('; ');
}
