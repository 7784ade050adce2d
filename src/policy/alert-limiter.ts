// Keeps a raid from flooding the moderators' alert channel: at most `maxPerMinute` alerts a server
// are sent in any sliding minute; the rest are batched, and once a batch's minute has passed it is
// drained as ONE summary ("37 more alerts: insult 30, toxic 37, in #general, #memes").
//
// In-memory and clock-free: callers pass `now` (ms since the epoch), so it is deterministic to test.
import { LABELS } from '../classifier/labels.js';
import type { Label } from '../classifier/labels.js';

/** What the limiter needs to know about one alert. */
export interface LimitedAlert {
  channelId: string;
  /** The labels that triggered it. */
  labels: readonly Label[];
}

export type OfferResult = 'send' | 'batched';

export interface AlertSummary {
  serverId: string;
  /** How many alerts were held back. */
  count: number;
  /** For each label, how many held-back alerts it triggered (every label present, 0 if none). */
  labels: Record<Label, number>;
  /** Channels the held-back alerts came from, first seen first. */
  channelIds: string[];
  /** When the first and last held-back alerts were offered (ms). */
  firstAt: number;
  lastAt: number;
}

export interface AlertLimiterOptions {
  /** Alerts sent per server per window: a number, or per server (e.g. from `policy.alerts.maxPerMinute`). Default 5. */
  maxPerMinute?: number | ((serverId: string) => number);
  /** The window length in ms. Default 60 000. */
  windowMs?: number;
}

interface Batch {
  count: number;
  labels: Record<Label, number>;
  channelIds: Set<string>;
  firstAt: number;
  lastAt: number;
}

interface ServerState {
  /** When each alert in the current window was sent, oldest first. */
  sent: number[];
  batch?: Batch;
}

function zeroLabels(): Record<Label, number> {
  return Object.fromEntries(LABELS.map((l) => [l, 0])) as Record<Label, number>;
}

export class AlertLimiter {
  private readonly servers = new Map<string, ServerState>();
  private readonly limit: (serverId: string) => number;
  private readonly windowMs: number;

  constructor(options: AlertLimiterOptions = {}) {
    const max = options.maxPerMinute ?? 5;
    this.limit = typeof max === 'function' ? max : () => max;
    this.windowMs = options.windowMs ?? 60_000;
    if (!(this.windowMs > 0)) throw new RangeError('windowMs must be positive');
  }

  /** `'send'` if the server is under its limit (the send is counted), else `'batched'`. */
  offer(serverId: string, alert: LimitedAlert, now: number): OfferResult {
    const state = this.state(serverId);
    this.prune(state, now);
    const max = Math.max(0, Math.floor(this.limit(serverId)));
    if (state.sent.length < max) {
      state.sent.push(now);
      return 'send';
    }
    let batch = state.batch;
    if (!batch) {
      batch = { count: 0, labels: zeroLabels(), channelIds: new Set(), firstAt: now, lastAt: now };
      state.batch = batch;
    }
    batch.count += 1;
    batch.lastAt = now;
    for (const label of new Set(alert.labels)) batch.labels[label] += 1;
    batch.channelIds.add(alert.channelId);
    return 'batched';
  }

  /**
   * One summary per server whose batch is at least one window old (counting from its first
   * held-back alert); those batches are cleared. Call it on a timer, e.g. every 10 seconds.
   */
  drainSummaries(now: number): AlertSummary[] {
    const out: AlertSummary[] = [];
    for (const [serverId, state] of this.servers) {
      const batch = state.batch;
      if (batch && now - batch.firstAt >= this.windowMs) {
        out.push({
          serverId,
          count: batch.count,
          labels: { ...batch.labels },
          channelIds: [...batch.channelIds],
          firstAt: batch.firstAt,
          lastAt: batch.lastAt,
        });
        delete state.batch;
      }
      this.prune(state, now);
      if (!state.batch && state.sent.length === 0) this.servers.delete(serverId);
    }
    return out;
  }

  /** Alerts held back for a server and not yet drained. */
  pending(serverId: string): number {
    return this.servers.get(serverId)?.batch?.count ?? 0;
  }

  private state(serverId: string): ServerState {
    let state = this.servers.get(serverId);
    if (!state) {
      state = { sent: [] };
      this.servers.set(serverId, state);
    }
    return state;
  }

  private prune(state: ServerState, now: number): void {
    let drop = 0;
    while (drop < state.sent.length && now - (state.sent[drop] ?? now) >= this.windowMs) drop++;
    if (drop > 0) state.sent.splice(0, drop);
  }
}
