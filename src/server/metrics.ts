// Prometheus metrics (prom-client), one registry per server instance so tests stay independent.
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';
import { LABELS } from '../classifier/labels.js';
import type { Outcome } from '../core/pipeline.js';

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

  constructor(options: { defaults?: boolean } = {}) {
    if (options.defaults !== false) collectDefaultMetrics({ register: this.registry });
  }

  recordOutcome(outcome: Outcome): void {
    this.messages.inc({ platform: outcome.message.platform });
    this.latency.observe(outcome.latencyMs / 1000);
    const actions = outcome.decision.actions.length ? outcome.decision.actions : [outcome.decision.logOnly ? 'log-only' : 'none'];
    const labels = new Set(outcome.decision.triggered.flatMap((t) => t.labels.map((l) => l.label)));
    for (const label of LABELS) {
      if (!labels.has(label)) continue;
      for (const action of actions) this.verdicts.inc({ label, action });
    }
  }
}
