// Runs drift: fills in the days not yet computed, alerts for rows over their bound (once per row:
// the row is marked alerted in the same transaction that enqueues its `notice` for the server's
// moderators, so the outbox posts it exactly once even across a crash), and keeps the Prometheus
// gauges on the latest computed day. `serve` runs it at start and then daily, a few minutes after
// midnight UTC; `toxguard drift` runs it by hand.
import type { Logger } from 'pino';
import type { Metrics } from '../server/metrics.js';
import type { DriftRecord, Store } from '../store/index.js';
import type { MonitoringConfig } from './config.js';
import { computeDayDrift } from './drift.js';
import type { ModelReference } from './reference.js';

const DAY_MS = 86_400_000;
/** Verdicts written just before midnight are committed by then. */
const AFTER_MIDNIGHT_MS = 5 * 60_000;

export interface DriftAlert {
  record: DriftRecord;
  /** One line for moderators, e.g. "toxic score distribution drifted: PSI 0.34 over 0.2 (2026-11-20, all servers, 1200 messages)". */
  message: string;
  /** The outbox notices enqueued for the server's moderators (none for an all-servers row: the log has it). */
  notices: number[];
}

export type DriftAlertListener = (alert: DriftAlert) => void | Promise<void>;

export interface DriftMonitorOptions {
  store: Store;
  /** The active model's training reference; without one only the no-text share and the OCR failure rate are computed. */
  reference: ModelReference | undefined;
  /** name@version of the active model (recorded with each row). */
  model: string;
  config: MonitoringConfig;
  metrics?: Metrics;
  logger?: Pick<Logger, 'error' | 'info' | 'warn'>;
  /** Called for each row over its bound once it is alerted (its notice is already in the outbox). */
  onDriftAlert?: DriftAlertListener;
  now?: () => Date;
}

const WHAT: Record<DriftRecord['metric'], string> = {
  score: 'score distribution',
  length: 'message length distribution',
  no_text: 'share of messages without text',
  ocr_failure: 'share of images that could not be read',
};

export function describeDrift(r: DriftRecord): string {
  const what = `${r.label ? `${r.label} ` : ''}${WHAT[r.metric]}`;
  const value = r.metric === 'score' || r.metric === 'length' ? `PSI ${r.value.toFixed(3)}` : `${(r.value * 100).toFixed(1)}%`;
  const bound = r.metric === 'score' || r.metric === 'length' ? r.bound.toFixed(3) : `${(r.bound * 100).toFixed(1)}%`;
  const unit = r.metric === 'ocr_failure' ? 'images' : 'messages';
  return `${what} ${r.over ? 'drifted' : 'ok'}: ${value} ${r.over ? 'over' : 'within'} ${bound} (${r.day}, ${r.serverId ? `server ${r.serverId}` : 'all servers'}, ${r.n} ${unit})`;
}

function utcDay(t: Date): string {
  return t.toISOString().slice(0, 10);
}

function addDays(day: string, n: number): string {
  return utcDay(new Date(new Date(`${day}T00:00:00.000Z`).getTime() + n * DAY_MS));
}

export class DriftMonitor {
  private readonly listeners: DriftAlertListener[] = [];
  private timer: NodeJS.Timeout | undefined;
  private readonly now: () => Date;

  constructor(private readonly opts: DriftMonitorOptions) {
    this.now = opts.now ?? (() => new Date());
    if (opts.onDriftAlert) this.listeners.push(opts.onDriftAlert);
  }

  /** Observers of alerts (posting is the outbox's job: the notice is enqueued before they are called). */
  addAlertListener(listener: DriftAlertListener): void {
    this.listeners.push(listener);
  }

  /** Computes (or recomputes) one complete UTC day and stores its rows. */
  async computeDay(day: string): Promise<DriftRecord[]> {
    const { store, reference, model, config } = this.opts;
    const samples = await store.driftSamples(day);
    const rows = computeDayDrift(day, samples, reference, model, config);
    const stored = rows.length ? await store.recordDrift(rows) : [];
    await store.recordDriftDay(day, samples.messages.length, model);
    return stored;
  }

  /**
   * Complete days of the last `days` (yesterday back) that have verdicts and no drift yet (all of
   * them with `recompute`). Returns the days computed.
   */
  async fillDays(days: number, options: { recompute?: boolean; onDay?: (day: string) => void } = {}): Promise<string[]> {
    const today = utcDay(this.now());
    const first = addDays(today, -days);
    const withVerdicts = await this.opts.store.verdictDays(`${first}T00:00:00.000Z`, `${today}T00:00:00.000Z`);
    const done = new Set(options.recompute ? [] : await this.opts.store.driftDaysComputed(first, addDays(today, -1)));
    const todo = withVerdicts.filter((d) => !done.has(d));
    for (const day of todo) {
      await this.computeDay(day);
      options.onDay?.(day);
    }
    return todo;
  }

  /** Alerts for every row of the last `days` over its bound that has not alerted yet. */
  async alertPending(days: number): Promise<DriftAlert[]> {
    const since = addDays(utcDay(this.now()), -days);
    const pending = (await this.opts.store.listDrift({ since, allServers: true })).filter((r) => r.over && !r.alerted);
    const sent: DriftAlert[] = [];
    for (const record of pending) {
      const described = describeDrift(record);
      const message = `Model drift: ${described}`;
      // Marked and the server's notice enqueued in one transaction; another process may have done it first.
      const { marked, notices } = await this.opts.store.alertDrift(record.id, `⚠️ toxguard model drift: ${described}`);
      if (!marked) continue;
      const alert: DriftAlert = { record: { ...record, alerted: true }, message, notices };
      // The structured error line is the alert of last resort: it reaches whoever watches the logs.
      this.opts.logger?.error(
        { drift: { day: record.day, serverId: record.serverId, metric: record.metric, label: record.label ?? null, value: record.value, bound: record.bound, n: record.n, model: record.model } },
        alert.message,
      );
      for (const listener of this.listeners) {
        try {
          await listener(alert);
        } catch (err) {
          this.opts.logger?.warn({ err, drift: record.id }, 'a drift alert listener failed');
        }
      }
      sent.push(alert);
    }
    return sent;
  }

  /** Sets the gauges to the latest computed day's all-servers rows. */
  async updateGauges(): Promise<void> {
    const { metrics, store, config } = this.opts;
    if (!metrics) return;
    const rows = await store.listDrift({ since: addDays(utcDay(this.now()), -Math.max(config.lookbackDays, 1) - 1) });
    const latest = rows.reduce((max, r) => (r.day > max ? r.day : max), '');
    metrics.setDrift(rows.filter((r) => r.day === latest));
  }

  /** Fill in missing days, alert, refresh the gauges. */
  async runOnce(): Promise<{ days: string[]; alerts: DriftAlert[] }> {
    const days = await this.fillDays(this.opts.config.lookbackDays);
    const alerts = await this.alertPending(this.opts.config.lookbackDays);
    await this.updateGauges();
    if (days.length) this.opts.logger?.info({ days, alerts: alerts.length }, 'drift computed');
    return { days, alerts };
  }

  /** Runs now, then every day shortly after midnight UTC. */
  start(): void {
    this.running = true;
    // A second after start: serve is listening by then (filling in a week of days reads every verdict of it).
    this.timer = setTimeout(() => this.tick(), 1000);
    this.timer.unref();
  }

  stop(): void {
    this.running = false;
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
  }

  private running = false;

  private tick(): void {
    this.runOnce()
      .catch((err: unknown) => this.opts.logger?.error({ err }, 'drift computation failed'))
      .finally(() => {
        if (!this.running) return;
        const now = this.now().getTime();
        const next = Math.floor(now / DAY_MS) * DAY_MS + DAY_MS + AFTER_MIDNIGHT_MS;
        this.timer = setTimeout(() => this.tick(), next - now);
        // The timer alone must not keep a stopping process alive.
        this.timer.unref();
      });
  }
}
