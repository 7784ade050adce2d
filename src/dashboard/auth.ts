// Dashboard login: one shared password (TOXGUARD_DASHBOARD_PASSWORD), encrypted cookie sessions,
// failed-login limits, and the checks every mutation passes (same origin + the session's CSRF token).
import { createHash, randomBytes, scryptSync, timingSafeEqual } from 'node:crypto';
import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import type { FastifyRequest } from 'fastify';
import { RateLimiterMemory } from 'rate-limiter-flexible';

declare module '@fastify/secure-session' {
  interface SessionData {
    /** Who is logged in: the name given at login (recorded with review decisions and policy edits). */
    user: string;
    /** Sent back by the pages in the x-csrf-token header (or a hidden form field) with every mutation. */
    csrf: string;
  }
}

export const SESSION_KEY_BYTES = 32;

/**
 * The session encryption key: from `keyFile` (created with a random key when missing), else derived
 * from the password with scrypt (slow on purpose: a stolen cookie must not make the password cheap
 * to guess offline), else random for this process only (loopback-only use: sessions end on restart).
 */
export function sessionKey(keyFile: string | undefined, password: string | undefined): Buffer {
  if (keyFile) {
    if (!existsSync(keyFile)) {
      mkdirSync(dirname(keyFile), { recursive: true });
      writeFileSync(keyFile, randomBytes(SESSION_KEY_BYTES), { mode: 0o600 });
      chmodSync(keyFile, 0o600);
    }
    const raw = readFileSync(keyFile);
    if (raw.length === SESSION_KEY_BYTES) return raw;
    const hex = raw.toString('utf8').trim();
    if (/^[0-9a-f]{64}$/i.test(hex)) return Buffer.from(hex, 'hex');
    throw new Error(`dashboard.sessionKeyFile ${keyFile} must hold ${SESSION_KEY_BYTES} bytes (raw, or ${SESSION_KEY_BYTES * 2} hex characters)`);
  }
  if (password) return scryptSync(password, 'toxguard-dashboard-session-v1', SESSION_KEY_BYTES, { N: 2 ** 15, r: 8, p: 1, maxmem: 64 * 1024 * 1024 });
  return randomBytes(SESSION_KEY_BYTES);
}

/** Constant-time comparison whatever the lengths (both sides hashed first). */
export function passwordMatches(given: string, expected: string): boolean {
  const a = createHash('sha256').update(given).digest();
  const b = createHash('sha256').update(expected).digest();
  return timingSafeEqual(a, b);
}

export function newCsrfToken(): string {
  return randomBytes(24).toString('base64url');
}

export function tokenMatches(given: unknown, expected: string | undefined): boolean {
  if (typeof given !== 'string' || !expected) return false;
  const a = Buffer.from(given);
  const b = Buffer.from(expected);
  return a.length === b.length && timingSafeEqual(a, b);
}

const LOOPBACK = /^(127\.\d+\.\d+\.\d+|::1|::ffff:127\.\d+\.\d+\.\d+)$/;

export function isLoopback(req: FastifyRequest): boolean {
  return LOOPBACK.test(req.socket.remoteAddress ?? '');
}

/** The name recorded for decisions: what the moderator typed at login, cut to something log-safe. */
export function cleanUserName(raw: unknown): string {
  const name = typeof raw === 'string' ? raw.replace(/[^\p{L}\p{N} ._@-]/gu, '').trim().slice(0, 64) : '';
  return name || 'dashboard';
}

/**
 * A mutation must come from a page of this server: its Origin (or, when a browser sends none, its
 * Referer) must name this host or an allowed origin. A request with neither is refused too (browsers
 * always send Origin on cross-site POSTs; tools can send it explicitly).
 */
export function sameOrigin(req: FastifyRequest, allowedOrigins: readonly string[]): boolean {
  const header = req.headers.origin ?? req.headers.referer;
  if (typeof header !== 'string' || header === 'null') return false;
  let origin: URL;
  try {
    origin = new URL(header);
  } catch {
    return false;
  }
  if (allowedOrigins.some((o) => new URL(o).origin === origin.origin)) return true;
  const host = req.headers.host;
  if (typeof host !== 'string' || (origin.protocol !== 'http:' && origin.protocol !== 'https:')) return false;
  try {
    // Through URL so that "localhost:80" and "localhost" compare equal for http.
    return new URL(`${origin.protocol}//${host}`).host === origin.host;
  } catch {
    return false;
  }
}

/**
 * Failed logins per client address in a window, plus a cap over all addresses (a password guessed
 * from many addresses). Successful logins clear the address's count. Counting is rate-limiter-flexible's
 * (in memory: expired entries are dropped, so a stream of addresses cannot grow it without end).
 */
export class LoginLimiter {
  private readonly byAddress: RateLimiterMemory;
  private readonly everyone: RateLimiterMemory;

  constructor(
    private readonly perAddress: number,
    windowMs = 15 * 60_000,
    private readonly overall = perAddress * 20,
  ) {
    const duration = Math.max(1, Math.ceil(windowMs / 1000));
    this.byAddress = new RateLimiterMemory({ keyPrefix: 'login', points: perAddress, duration });
    this.everyone = new RateLimiterMemory({ keyPrefix: 'login-all', points: overall, duration });
  }

  /** Seconds to wait before the next attempt from this address, or 0 when it may try now. */
  async retryAfter(address: string): Promise<number> {
    const [mine, all] = await Promise.all([this.byAddress.get(address), this.everyone.get(ALL)]);
    const waits = [mine && mine.consumedPoints >= this.perAddress ? mine.msBeforeNext : 0, all && all.consumedPoints >= this.overall ? all.msBeforeNext : 0];
    const ms = Math.max(...waits);
    return ms > 0 ? Math.max(1, Math.ceil(ms / 1000)) : 0;
  }

  async fail(address: string): Promise<void> {
    // penalty() counts without refusing: refusing is retryAfter's job, before the password is checked.
    await Promise.all([this.byAddress.penalty(address, 1), this.everyone.penalty(ALL, 1)]);
  }

  async succeed(address: string): Promise<void> {
    await this.byAddress.delete(address);
  }
}

const ALL = 'all';
