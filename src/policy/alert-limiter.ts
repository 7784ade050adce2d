// Keeps a raid from flooding the moderators' alert channel: at most `maxPerMinute` alerts a server
// are sent in any sliding minute; the rest are held back in a batch. The first alert of a batch
// schedules ONE summary for the end of the batch's minute ("37 more alerts: insult 30, toxic 37, in
// #general, #memes"), as an outbox action, so a restart does not lose it; the summary is built from
// the held-back alerts recorded in the store (summaryOf).
//
// In-memory and clock-free: callers pass `now` (ms since the epoch), so it is deterministic to test.
import { LABELS } from '../classifier/labels.js';
import type { Label } from '../classifier/labels.js';

/** `send`: post the alert (counted). Otherwise it is held back in the batch that started at `batchStart`; `first` = it opened that batch. */
export type OfferResult = { send: true } | { send: false; batchStart: number; first: boolean };

export interface AlertSummary {
  serverId: string;
  /** How many alerts were held back. */
  count: number;
  /** For each label, how many held-back alerts it triggered (every label present, 0 if none). */
  labels: Record<Label, number>;
  /** Channels the held-back alerts came from, first seen first. */
  channelIds: string[];
}

export interface AlertLimiterOptions {
  /** Alerts sent per server per window: a number, or per server (e.g. from `policy.alerts.maxPerMinute`). Default 5. */
  maxPerMinute?: number | ((serverId: string) => number | Promise<number>);
  /** The window length in ms. Default 60 000. */
  windowMs?: number;
}

interface ServerState {
  /** When each alert in the current window was sent, oldest first. */
  sent: number[];
  /** When the current batch of held-back alerts started. */
  batchStart?: number;
}

export class AlertLimiter {
  private readonly servers = new Map<string, ServerState>();
  private readonly limit: (serverId: string) => number | Promise<number>;
  readonly windowMs: number;

  constructor(options: AlertLimiterOptions = {}) {
    const max = options.maxPerMinute ?? 5;
    this.limit = typeof max === 'function' ? max : () => max;
    this.windowMs = options.windowMs ?? 60_000;
    if (!(this.windowMs > 0)) throw new RangeError('windowMs must be positive');
  }

  /** The limit is looked up first (it may come from the store); the count is then checked and updated with no await in between. */
  async offer(serverId: string, now: number): Promise<OfferResult> {
    const max = Math.max(0, Math.floor(await this.limit(serverId)));
    const state = this.state(serverId);
    this.prune(state, now);
    if (state.sent.length < max) {
      state.sent.push(now);
      return { send: true };
    }
    // A batch covers one window from its first held-back alert; a later one opens a new batch.
    const first = state.batchStart === undefined || now - state.batchStart >= this.windowMs;
    if (first) state.batchStart = now;
    return { send: false, batchStart: state.batchStart ?? now, first };
  }

  /** When a batch that started at `batchStart` is summarised: the end of its window. */
  summaryAt(batchStart: number): number {
    return batchStart + this.windowMs;
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

/** The summary of held-back alerts (each: the channel it came from and the labels that triggered it). */
export function summaryOf(serverId: string, held: readonly { channelId: string; labels: readonly Label[] }[]): AlertSummary {
  const labels = Object.fromEntries(LABELS.map((l) => [l, 0])) as Record<Label, number>;
  const channelIds: string[] = [];
  for (const h of held) {
    for (const l of new Set(h.labels)) labels[l] += 1;
    if (!channelIds.includes(h.channelId)) channelIds.push(h.channelId);
  }
  return { serverId, count: held.length, labels, channelIds };
}
