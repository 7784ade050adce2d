// The moderation pipeline, the same for every platform:
// OCR each image -> classify the text and each OCR text (micro-batched) -> per-label maximum over
// sources, remembering which source drove it -> decide with the server's policy -> record the
// verdict, its planned actions (outbox) and review item in one transaction. The outbox worker then
// acts through the adapter. Bounded concurrency with backpressure; a time limit per message.
import DataLoader from 'dataloader';
import PQueue from 'p-queue';
import type { Logger } from 'pino';
import { LABELS, type Label, type Scores, type Span } from '../classifier/labels.js';
import type { Prediction, Scorer } from '../classifier/scorer.js';
import { decide, type Decision as PolicyDecision } from '../policy/decide.js';
import type { ActionKind, LabelSource, PlannedAction, RecordResult, SourceInput, Store } from '../store/index.js';
import type { IncomingMessage } from './message.js';
import { isImage, type OcrEngine } from './ocr.js';
import type { PolicyService } from './policies.js';

/** Texts longer than this are cut before scoring (the verdict records that it was cut). */
export const MAX_TEXT_CHARS = 20_000;

export interface PipelineOptions {
  scorer: Scorer;
  store: Store;
  policies: PolicyService;
  ocr?: OcrEngine;
  logger?: Logger;
  concurrency?: number;
  queueLimit?: number;
  timeoutMs?: number;
  batchSize?: number;
  batchWaitMs?: number;
  /** Called after each verdict (metrics). */
  onVerdict?: (outcome: Outcome) => void;
  clock?: () => Date;
}

export interface Outcome {
  message: IncomingMessage;
  scores: Scores;
  labelSources: Partial<Record<Label, LabelSource>>;
  spans: Span[];
  sources: SourceInput[];
  decision: PolicyDecision;
  record: RecordResult;
  latencyMs: number;
}

const EMPTY: Scores = { toxic: 0, severe_toxic: 0, obscene: 0, threat: 0, insult: 0, identity_hate: 0 };

export class ModerationPipeline {
  private readonly queue: PQueue;
  private readonly loader: DataLoader<string, Prediction>;
  private readonly queueLimit: number;
  private readonly timeoutMs: number;
  private readonly clock: () => Date;

  constructor(private readonly opts: PipelineOptions) {
    this.queue = new PQueue({ concurrency: opts.concurrency ?? 8 });
    this.queueLimit = opts.queueLimit ?? 1000;
    this.timeoutMs = opts.timeoutMs ?? 15_000;
    this.clock = opts.clock ?? (() => new Date());
    const wait = opts.batchWaitMs ?? 2;
    // With no wait, a batch is whatever arrived in the same tick (DataLoader's default).
    this.loader = new DataLoader((texts) => this.scoreTexts(texts), {
      cache: false,
      maxBatchSize: opts.batchSize ?? 64,
      ...(wait > 0 ? { batchScheduleFn: (run: () => void) => setTimeout(run, wait) } : {}),
    });
  }

  /** Messages queued or running. */
  get depth(): number {
    return this.queue.size + this.queue.pending;
  }

  /** Queues a message; waits first while the queue is full (backpressure on the adapter). */
  async submit(message: IncomingMessage): Promise<Outcome> {
    if (this.queue.size >= this.queueLimit) await this.queue.onSizeLessThan(this.queueLimit);
    return (await this.queue.add(() => this.process(message))) as Outcome;
  }

  async drain(): Promise<void> {
    await this.queue.onIdle();
  }

  /** Scores texts in one model call; explanations only for texts that reach a threshold. */
  private async scoreTexts(texts: readonly string[]): Promise<Prediction[]> {
    const { scorer } = this.opts;
    const predictions = await scorer.scoreBatch(texts);
    const flagged = predictions.map((p, i) => (LABELS.some((l) => p.scores[l] >= scorer.thresholds[l]) ? i : -1)).filter((i) => i >= 0);
    if (flagged.length) {
      const explained = await scorer.scoreBatch(flagged.map((i) => texts[i] as string), { explain: true });
      flagged.forEach((i, k) => (predictions[i] = explained[k] as Prediction));
    }
    return predictions;
  }

  /** The whole pipeline for one message (also used directly by the HTTP API). */
  async process(message: IncomingMessage): Promise<Outcome> {
    const started = performance.now();
    const signal = AbortSignal.timeout(this.timeoutMs);
    const policy = this.opts.policies.get(message.serverId);
    const text = message.text.length > MAX_TEXT_CHARS ? message.text.slice(0, MAX_TEXT_CHARS) : message.text;

    const read = await this.readAttachments(message, policy.scanImages, signal);
    const sources = read.map((r) => r.source);
    // OCR text is classified without its watermark lines; the record keeps everything read.
    const texts = [text, ...read.map((r) => r.classify)];
    const predictions = await Promise.all(texts.map((t) => (t.trim() ? this.loader.load(t) : Promise.resolve<Prediction>({ scores: EMPTY }))));

    // Per label, the strongest source decides; remember which one it was.
    const scores = { ...EMPTY };
    const labelSources: Partial<Record<Label, LabelSource>> = {};
    predictions.forEach((p, i) => {
      for (const label of LABELS) {
        if (p.scores[label] > scores[label] || (i === 0 && labelSources[label] === undefined)) {
          scores[label] = p.scores[label];
          labelSources[label] = i === 0 ? 'text' : `attachment:${sources[i - 1]?.attachment ?? i - 1}`;
        }
      }
    });
    sources.forEach((s, i) => {
      if (s.scanned) s.scores = predictions[i + 1]?.scores;
    });
    const spans = predictions[0]?.spans ?? [];

    // Strikes are only looked up when this message is itself a strike and could escalate.
    let decision = decide({ policy, message, scores, strikesInWindow: 0 });
    if (decision.strike && policy.escalation.enabled) {
      const windowStart = new Date(this.clock().getTime() - policy.escalation.windowMinutes * 60_000).toISOString();
      const strikesInWindow = this.opts.store.countStrikes(message.serverId, message.author.id, windowStart);
      decision = decide({ policy, message, scores, strikesInWindow });
    }
    // The HTTP API only answers what the policy would do; it has no platform to act on.
    const planned = message.platform === 'api' ? [] : planActions(decision, message, policy.alerts.channelId);
    const latencyMs = performance.now() - started;
    const record = this.opts.store.recordVerdict(
      {
        message,
        scores,
        labelSources,
        spans,
        sources,
        model: { name: this.opts.scorer.name, version: this.opts.scorer.version },
        decision: {
          actions: decision.actions as ActionKind[],
          triggered: flattenTriggered(decision),
          exemption: decision.exempt ?? null,
          logOnly: decision.logOnly,
        },
        latencyMs,
      },
      planned,
    );
    if (decision.strike && record.changed && !record.stale) {
      this.opts.store.addStrike(message.serverId, message.author.id, record.verdictId);
    }
    const outcome: Outcome = { message, scores, labelSources, spans, sources, decision, record, latencyMs };
    this.opts.onVerdict?.(outcome);
    return outcome;
  }

  private async readAttachments(message: IncomingMessage, scanImages: boolean, signal: AbortSignal): Promise<{ source: SourceInput; classify: string }[]> {
    return Promise.all(
      message.attachments.map(async (a, i): Promise<{ source: SourceInput; classify: string }> => {
        const base = { attachment: i, name: a.name, url: a.url };
        const skip = (reason: string) => ({ source: { ...base, scanned: false as const, reason }, classify: '' });
        if (!isImage(a)) return skip('not an image');
        if (!scanImages) return skip('image scanning is off for this channel');
        if (!this.opts.ocr) return skip('no OCR engine configured');
        try {
          const r = await this.opts.ocr.read(a, signal);
          if (!r.ok) return skip(r.reason);
          return { source: { ...base, scanned: true, text: r.rawText ?? r.text, confidence: r.confidence }, classify: r.text };
        } catch (err) {
          const reason = signal.aborted ? `timed out after ${this.timeoutMs} ms` : `OCR failed: ${(err as Error).message}`;
          this.opts.logger?.warn({ attachment: a.name, reason }, 'attachment not scanned');
          return skip(reason);
        }
      }),
    );
  }
}

/** The labels that triggered any action, each with the lowest threshold it reached. */
function flattenTriggered(decision: PolicyDecision): { label: Label; score: number; threshold: number }[] {
  const byLabel = new Map<Label, { label: Label; score: number; threshold: number }>();
  for (const t of decision.triggered) {
    for (const l of t.labels) {
      const seen = byLabel.get(l.label);
      if (!seen || l.threshold < seen.threshold) byLabel.set(l.label, { ...l });
    }
  }
  return [...byLabel.values()];
}

function planActions(decision: PolicyDecision, message: IncomingMessage, alertChannelId: string | undefined): PlannedAction[] {
  return decision.actions.map((kind): PlannedAction => {
    switch (kind) {
      case 'timeout':
        return { kind, payload: { minutes: decision.timeoutMinutes ?? 10, userId: message.author.id } };
      case 'alert':
        return { kind, payload: { channelId: alertChannelId } };
      default:
        return { kind };
    }
  });
}
