// Each server's policy: stored in the database, defaulting to the model's calibrated thresholds in
// log-only mode, cached in memory (a policy is read for every message, written rarely).
//
// Several processes may share the database (Discord shard processes next to `serve`, replicas on
// PostgreSQL). On PostgreSQL every policy change is announced with NOTIFY when it commits and each
// process drops its cached copy at once (`listen()`). On SQLite there are no notifications: with
// `ttlMs` a cached policy is re-read once it is older than that, so a change made in one process
// reaches the others within ttlMs. Changes are read-modify-write in one database transaction, so an
// edit made in another process is never overwritten by a stale cached copy. The cache is bounded
// (least recently used dropped first) and expiring: lru-cache.
import { LRUCache } from 'lru-cache';
import type { Scores } from '../classifier/labels.js';
import { defaultPolicy, parseServerPolicy, type ServerPolicy } from '../policy/schema.js';
import { setPolicyValue } from '../policy/config-keys.js';
import type { Store } from '../store/index.js';

export interface PolicyServiceOptions {
  /** Re-read a cached policy older than this (other processes write too). Default: cache forever. */
  ttlMs?: number;
  clock?: () => number;
  /** Most policies kept in memory (least recently used dropped first). Default 10 000. */
  maxCached?: number;
}

export class PolicyService {
  private readonly cache: LRUCache<string, ServerPolicy>;
  private readonly defaults: ServerPolicy;
  /** Listening for NOTIFY: cached policies never expire (a change drops them). */
  private listening = false;
  /** Bumped on every invalidation, so a read that started before it does not cache what it read. */
  private generation = 0;
  private unlisten: (() => Promise<void>) | undefined;

  constructor(
    private readonly store: Store,
    modelThresholds: Scores,
    options: PolicyServiceOptions = {},
  ) {
    this.defaults = defaultPolicy(modelThresholds);
    const ttlMs = options.ttlMs ?? Infinity;
    const clock = options.clock ?? Date.now;
    // lru-cache's ttl 0 means "never expires"; a ttlMs of 0 means "re-read unless read this very millisecond".
    this.cache = new LRUCache({ max: options.maxCached ?? 10_000, ttl: Number.isFinite(ttlMs) ? Math.max(1, ttlMs) : 0, ttlResolution: 0, perf: { now: clock } });
  }

  /** Caches a policy: until it expires, or until a NOTIFY drops it when listening. */
  private remember(serverId: string, policy: ServerPolicy): void {
    this.cache.set(serverId, policy, this.listening ? { ttl: 0 } : undefined);
  }

  /**
   * PostgreSQL: drop a server's cached policy as soon as any process commits a change to it (LISTEN/
   * NOTIFY), and cache forever otherwise (no polling). Returns false on SQLite (the TTL stays in force).
   */
  async listen(): Promise<boolean> {
    if (this.unlisten) return true;
    const stop = await this.store.onPolicyChange((serverId) => this.invalidate(serverId));
    if (!stop) return false;
    this.unlisten = stop;
    this.listening = true;
    this.cache.clear();
    return true;
  }

  /** Stops listening for changes (before the store closes). */
  async close(): Promise<void> {
    const stop = this.unlisten;
    this.unlisten = undefined;
    await stop?.();
  }

  /** Drops one server's cached policy ('*': every server's). */
  invalidate(serverId: string): void {
    this.generation++;
    if (serverId === '*') this.cache.clear();
    else this.cache.delete(serverId);
  }

  private parse(stored: unknown): ServerPolicy {
    return stored === undefined ? this.defaults : parseServerPolicy(stored, this.defaults);
  }

  async get(serverId: string): Promise<ServerPolicy> {
    const cached = this.cache.get(serverId);
    if (cached) return cached;
    const generation = this.generation;
    const policy = this.parse(await this.store.getPolicy(serverId));
    if (generation === this.generation) this.remember(serverId, policy);
    return policy;
  }

  /** Replaces a server's policy (validated), with an audit entry naming who and from where. */
  async replace(serverId: string, policy: unknown, actor: string, source: string): Promise<ServerPolicy> {
    const parsed = parseServerPolicy(policy, this.defaults);
    await this.store.setPolicy(serverId, parsed, actor, source);
    this.remember(serverId, parsed);
    return parsed;
  }

  /** Drops a server's cached policy (after its stored data was purged). */
  forget(serverId: string): void {
    this.invalidate(serverId);
  }

  /** Sets one key (`actions.delete.thresholds.insult`, `mode`, ...) from its string form. */
  async set(serverId: string, path: string, value: string, actor: string, source: string): Promise<ServerPolicy> {
    return await this.setMany(serverId, [[path, value]], actor, source);
  }

  /**
   * Sets several keys at once on the policy as stored now (not a cached copy): each key is applied to
   * a copy, the result is validated once and stored with ONE audit entry, in one transaction. One bad
   * key and nothing is saved (the PolicyError names the key).
   */
  async setMany(serverId: string, entries: Iterable<readonly [string, string]>, actor: string, source: string): Promise<ServerPolicy> {
    const list = [...entries];
    const saved = await this.store.updatePolicy(
      serverId,
      (stored) => {
        let policy = this.parse(stored);
        for (const [path, value] of list) policy = setPolicyValue(policy, path, value);
        return parseServerPolicy(policy, this.defaults);
      },
      actor,
      source,
    );
    this.remember(serverId, saved);
    return saved;
  }
}
