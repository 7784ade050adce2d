// With sharding, several processes read and write policies in the same SQLite file, while
// PolicyService caches them per process forever. This one re-reads a server's policy when its cached
// copy is older than `ttlMs`, so a `/toxicity config` change in one process reaches the others.
import type { Scores } from '../../classifier/labels.js';
import { PolicyService } from '../../core/policies.js';
import type { ServerPolicy } from '../../policy/schema.js';
import type { Store } from '../../store/index.js';

export class ExpiringPolicyService extends PolicyService {
  private readonly readAt = new Map<string, number>();

  constructor(
    store: Store,
    modelThresholds: Scores,
    private readonly ttlMs = 2_000,
  ) {
    super(store, modelThresholds);
  }

  override get(serverId: string): ServerPolicy {
    const now = Date.now();
    const at = this.readAt.get(serverId);
    if (at === undefined || now - at > this.ttlMs) {
      this.forget(serverId);
      this.readAt.set(serverId, now);
    }
    return super.get(serverId);
  }
}
