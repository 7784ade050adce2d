// Each server's policy: stored in SQLite, defaulting to the model's calibrated thresholds in
// log-only mode, cached in memory (a policy is read for every message, written rarely).
//
// Several processes may share the SQLite file (Discord shard processes next to `serve`): with `ttlMs`
// a cached policy is re-read once it is older than that, so a change made in one process reaches the
// others within ttlMs. Changes are read-modify-write in one database transaction, so an edit made
// in another process is never overwritten by a stale cached copy.
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
  /** Bounded (LRU) and, with `ttlMs`, expiring: lru-cache. */
  private readonly cache: LRUCache<string, ServerPolicy>;
  private readonly defaults: ServerPolicy;

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

  private parse(stored: unknown): ServerPolicy {
    return stored === undefined ? this.defaults : parseServerPolicy(stored, this.defaults);
  }

  get(serverId: string): ServerPolicy {
    const cached = this.cache.get(serverId);
    if (cached) return cached;
    const policy = this.parse(this.store.getPolicy(serverId));
    this.cache.set(serverId, policy);
    return policy;
  }

  /** Replaces a server's policy (validated), with an audit entry naming who and from where. */
  replace(serverId: string, policy: unknown, actor: string, source: string): ServerPolicy {
    const parsed = parseServerPolicy(policy, this.defaults);
    this.store.setPolicy(serverId, parsed, actor, source);
    this.cache.set(serverId, parsed);
    return parsed;
  }

  /** Drops a server's cached policy (after its stored data was purged). */
  forget(serverId: string): void {
    this.cache.delete(serverId);
  }

  /** Sets one key (`actions.delete.thresholds.insult`, `mode`, ...) from its string form. */
  set(serverId: string, path: string, value: string, actor: string, source: string): ServerPolicy {
    return this.setMany(serverId, [[path, value]], actor, source);
  }

  /**
   * Sets several keys at once on the policy as stored now (not a cached copy): each key is applied to
   * a copy, the result is validated once and stored with ONE audit entry, in one transaction. One bad
   * key and nothing is saved (the PolicyError names the key).
   */
  setMany(serverId: string, entries: Iterable<readonly [string, string]>, actor: string, source: string): ServerPolicy {
    const list = [...entries];
    const saved = this.store.updatePolicy(
      serverId,
      (stored) => {
        let policy = this.parse(stored);
        for (const [path, value] of list) policy = setPolicyValue(policy, path, value);
        return parseServerPolicy(policy, this.defaults);
      },
      actor,
      source,
    );
    this.cache.set(serverId, saved);
    return saved;
  }
}
