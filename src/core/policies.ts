// Each server's policy: stored in SQLite, defaulting to the model's calibrated thresholds in
// log-only mode, cached in memory (a policy is read for every message, written rarely).
import type { Scores } from '../classifier/labels.js';
import { defaultPolicy, parseServerPolicy, type ServerPolicy } from '../policy/schema.js';
import { setPolicyValue } from '../policy/config-keys.js';
import type { Store } from '../store/index.js';

export class PolicyService {
  private readonly cache = new Map<string, ServerPolicy>();
  private readonly defaults: ServerPolicy;

  constructor(
    private readonly store: Store,
    modelThresholds: Scores,
  ) {
    this.defaults = defaultPolicy(modelThresholds);
  }

  get(serverId: string): ServerPolicy {
    let policy = this.cache.get(serverId);
    if (!policy) {
      const stored = this.store.getPolicy(serverId);
      policy = stored === undefined ? this.defaults : parseServerPolicy(stored, this.defaults);
      this.cache.set(serverId, policy);
    }
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
   * Sets several keys at once: each is applied to a copy, the result is validated once and stored with
   * ONE audit entry. One bad key and nothing is saved (the PolicyError names the key).
   */
  setMany(serverId: string, entries: Iterable<readonly [string, string]>, actor: string, source: string): ServerPolicy {
    let policy = this.get(serverId);
    for (const [path, value] of entries) policy = setPolicyValue(policy, path, value);
    return this.replace(serverId, policy, actor, source);
  }
}
