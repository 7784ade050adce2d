// Prometheus metrics (prom-client), one registry per server instance so tests stay independent.
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';
import { LABELS, type Label } from '../classifier/labels.js';
import type { Outcome } from '../core/pipeline.js';
import type { DriftRecord } from '../store/index.js';

export class Metrics {
  readonly registry = new Registry();
  readonly messages = new Counter({ name: 'toxguard_messages_total', help: 'Messages moderated', labelNames: ['platform'], registers: [this.registry] });
  readonly verdicts = new Counter({
    name: 'toxguard_verdicts_total',
    help: 'Verdicts by label that triggered and action decided',
    labelNames: ['label', 'action'],
    registers: [this.registry],
  });
  readonly latency = new Histogram({
    name: 'toxguard_pipeline_seconds',
    help: 'Time from a message entering the pipeline to its verdict being recorded',
    buckets: [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 15],
    registers: [this.registry],
  });
  readonly requestLatency = new Histogram({
    name: 'toxguard_http_request_seconds',
    help: 'HTTP API request latency',
    labelNames: ['route', 'status'],
    buckets: [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5],
    registers: [this.registry],
  });
  readonly actions = new Counter({ name: 'toxguard_actions_total', help: 'Actions executed by outcome', labelNames: ['kind', 'outcome'], registers: [this.registry] });
  readonly queueDepth = new Gauge({ name: 'toxguard_queue_depth', help: 'Messages queued or running in the pipeline', registers: [this.registry] });
  readonly model = new Gauge({ name: 'toxguard_model_info', help: 'The active model', labelNames: ['name', 'version'], registers: [this.registry] });
  // Drift of the latest computed day, all servers together (per-server rows stay in SQLite: one
  // series per server would grow without bound).
  readonly driftPsi = new Gauge({
    name: 'toxguard_drift_psi',
    help: 'Population stability index of the latest computed day against the model training reference (metric score per label, or length)',
    labelNames: ['metric', 'label'],
    registers: [this.registry],
  });
  readonly driftShare = new Gauge({
    name: 'toxguard_drift_share',
    help: 'Latest computed day: share of messages without text (no_text) and of images that could not be read (ocr_failure)',
    labelNames: ['metric'],
    registers: [this.registry],
  });
  readonly driftOver = new Gauge({
    name: 'toxguard_drift_over_bound',
    help: '1 when the latest drift value is over its configured bound (monitoring.*)',
    labelNames: ['metric', 'label'],
    registers: [this.registry],
  });
  readonly driftDay = new Gauge({ name: 'toxguard_drift_day_timestamp_seconds', help: 'Start (UTC) of the day the drift gauges describe', registers: [this.registry] });

  constructor(options: { defaults?: boolean } = {}) {
    if (options.defaults !== false) collectDefaultMetrics({ register: this.registry });
  }

  /** Replaces the drift gauges with one day's all-servers rows (from DriftMonitor). */
  setDrift(rows: readonly DriftRecord[]): void {
    this.driftPsi.reset();
    this.driftShare.reset();
    this.driftOver.reset();
    let day = '';
    for (const r of rows) {
      if (r.serverId !== null) continue;
      const label = r.label ?? '';
      if (r.metric === 'score' || r.metric === 'length') this.driftPsi.set({ metric: r.metric, label }, r.value);
      else this.driftShare.set({ metric: r.metric }, r.value);
      this.driftOver.set({ metric: r.metric, label }, r.over ? 1 : 0);
      if (r.day > day) day = r.day;
    }
    if (day) this.driftDay.set(Date.parse(`${day}T00:00:00.000Z`) / 1000);
  }

  recordOutcome(outcome: Outcome): void {
    this.recordSample(verdictSample(outcome));
  }

  /** Counts one verdict, from this process's pipeline or reported by a shard process. */
  recordSample(sample: VerdictSample): void {
    this.messages.inc({ platform: sample.platform });
    this.latency.observe(sample.latencyMs / 1000);
    const labels = new Set(sample.labels);
    for (const label of LABELS) {
      if (!labels.has(label)) continue;
      for (const action of sample.actions) this.verdicts.inc({ label, action });
    }
  }

  private readonly depths = new Map<string, number>();

  /** Queue depth of one pipeline ('serve', 'shard 0', ...); the gauge shows their sum. */
  setQueueDepth(source: string, depth: number): void {
    this.depths.set(source, depth);
    let total = 0;
    for (const d of this.depths.values()) total += d;
    this.queueDepth.set(total);
  }
}

/** What the metrics need from a verdict: small and serialisable, so a shard process can send it over IPC. */
export interface VerdictSample {
  platform: string;
  latencyMs: number;
  /** The actions decided, or ['log-only'] / ['none']. */
  actions: string[];
  /** The labels that triggered. */
  labels: Label[];
}

export function verdictSample(outcome: Outcome): VerdictSample {
  const d = outcome.decision;
  return {
    platform: outcome.message.platform,
    latencyMs: outcome.latencyMs,
    actions: d.actions.length ? [...d.actions] : [d.logOnly ? 'log-only' : 'none'],
    labels: [...new Set(d.triggered.flatMap((t) => t.labels.map((l) => l.label)))],
  };
}

export function isVerdictSample(value: unknown): value is VerdictSample {
  const v = value as Partial<VerdictSample> | null;
  return (
    typeof v === 'object' &&
    v !== null &&
    typeof v.platform === 'string' &&
    typeof v.latencyMs === 'number' &&
    Array.isArray(v.actions) &&
    v.actions.every((a) => typeof a === 'string') &&
    Array.isArray(v.labels) &&
    v.labels.every((l) => (LABELS as readonly string[]).includes(l as string))
  );
}
