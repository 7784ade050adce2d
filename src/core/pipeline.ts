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
import type { ServerPolicy } from '../policy/schema.js';
import type { ActionKind, LabelSource, PlannedAction, RecordResult, SourceInput, Store } from '../store/index.js';
import type { IncomingMessage, Platform } from './message.js';
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

/** What the pipeline makes of a message, recorded or not. */
export interface Evaluation {
  message: IncomingMessage;
  /** The text that was scored (cut at MAX_TEXT_CHARS). */
  text: string;
  scores: Scores;
  labelSources: Partial<Record<Label, LabelSource>>;
  spans: Span[];
  /** Per flagged label, the words behind it (the message text only). */
  reasons?: Prediction['reasons'];
  sources: SourceInput[];
  /** What was read from each attachment, with the spans of its OCR text (same order as `sources`). */
  images: ImageReading[];
  decision: PolicyDecision;
  latencyMs: number;
}

export type ImageReading =
  | { name: string; scanned: true; text: string; rawText: string; watermarks: string[]; confidence: number; scores: Scores; spans: Span[]; ms: number }
  | { name: string; scanned: false; reason: string };

/** A recorded evaluation: the verdict, its planned actions and review item are in the store. */
export interface Outcome extends Evaluation {
  record: RecordResult;
}

export interface EvaluateOptions {
  /**
   * false: a dry run (Try it, Check toxicity): nothing is recorded, no strike, no metrics.
   * Default true.
   */
  record?: boolean;
  /**
   * false: record the verdict (and review item) but plan no platform action (batch scans: an export's
   * rows are not live messages the adapters could act on). Default true.
   */
  act?: boolean;
}

/** Sources of messages no adapter can act on: the HTTP API and batch scans never get actions planned. */
const NOT_ACTIONABLE: ReadonlySet<Platform> = new Set<Platform>(['api', 'scan']);

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

  /** Messages waiting in the queue (not yet running); at most queueLimit. */
  get queued(): number {
    return this.queue.size;
  }

  /** Messages queued or running. */
  get depth(): number {
    return this.queue.size + this.queue.pending;
  }

  /** Queues a message and records its verdict; waits first while the queue is full (backpressure on the adapter). */
  async submit(message: IncomingMessage, options: { act?: boolean } = {}): Promise<Outcome> {
    return this.evaluate(message, { ...options, record: true });
  }

  /**
   * The one way to score a message: through the same queue, limits (text cut, time limit, OCR) and
   * decision as every recorded message. With `{ record: false }` nothing is written anywhere.
   */
  evaluate(message: IncomingMessage, options: EvaluateOptions & { record: false }): Promise<Evaluation>;
  evaluate(message: IncomingMessage, options?: EvaluateOptions): Promise<Outcome>;
  async evaluate(message: IncomingMessage, options: EvaluateOptions = {}): Promise<Evaluation | Outcome> {
    // Re-check after every wake-up: all waiters wake together when one slot frees, and only as many
    // as there are free slots may enter, so the queue never holds more than queueLimit messages.
    while (this.queue.size >= this.queueLimit) await this.queue.onSizeLessThan(this.queueLimit);
    return (await this.queue.add(() => this.run(message, options))) as Evaluation | Outcome;
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

  /** The whole pipeline for one message, recorded, without queueing. */
  async process(message: IncomingMessage): Promise<Outcome> {
    return (await this.run(message, {})) as Outcome;
  }

  private async run(message: IncomingMessage, options: EvaluateOptions): Promise<Evaluation | Outcome> {
    const started = performance.now();
    const signal = AbortSignal.timeout(this.timeoutMs);
    const policy = await this.opts.policies.get(message.serverId);
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
    const images = read.map((r, i): ImageReading => {
      const s = r.source;
      if (!s.scanned) return { name: s.name ?? `attachment ${i}`, scanned: false, reason: s.reason };
      const p = predictions[i + 1];
      return { name: s.name ?? `attachment ${i}`, scanned: true, text: r.classify, rawText: s.text, watermarks: r.watermarks, confidence: s.confidence, scores: p?.scores ?? { ...EMPTY }, spans: p?.spans ?? [], ms: r.ms };
    });

    // Strikes are only looked up when this message is itself a strike and could escalate.
    let decision = decide({ policy, message, scores, strikesInWindow: 0 });
    if (decision.strike && policy.escalation.enabled) {
      const windowStart = new Date(this.clock().getTime() - policy.escalation.windowMinutes * 60_000).toISOString();
      const strikesInWindow = await this.opts.store.countStrikes(message.serverId, message.author.id, windowStart);
      decision = decide({ policy, message, scores, strikesInWindow });
    }
    const evaluation: Evaluation = { message, text, scores, labelSources, spans, reasons: predictions[0]?.reasons, sources, images, decision, latencyMs: 0 };
    if (options.record === false) {
      evaluation.latencyMs = performance.now() - started;
      return evaluation;
    }
    // Only live platform messages get actions: the HTTP API only answers what the policy would do, and
    // a batch scan (act: false, platform 'scan') records verdicts without acting on anything.
    const act = options.act !== false && !NOT_ACTIONABLE.has(message.platform);
    const planned = act ? planActions(decision, message, policy) : [];
    const latencyMs = performance.now() - started;
    const record = await this.opts.store.recordVerdict(
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
          ...(decision.wouldAct ? { wouldAct: decision.wouldAct as ActionKind[] } : {}),
        },
        latencyMs,
      },
      planned,
    );
    if (decision.strike && record.changed && !record.stale) {
      await this.opts.store.addStrike(message.serverId, message.author.id, record.verdictId);
    }
    const outcome: Outcome = { ...evaluation, record, latencyMs };
    this.opts.onVerdict?.(outcome);
    return outcome;
  }

  private async readAttachments(message: IncomingMessage, scanImages: boolean, signal: AbortSignal): Promise<Reading[]> {
    return Promise.all(
      message.attachments.map(async (a, i): Promise<Reading> => {
        const base = { attachment: i, name: a.name, url: a.url };
        const skip = (reason: string): Reading => ({ source: { ...base, scanned: false as const, reason }, classify: '', watermarks: [], ms: 0 });
        if (!isImage(a)) return skip('not an image');
        if (!scanImages) return skip('image scanning is off for this channel');
        if (!this.opts.ocr) return skip('no OCR engine configured');
        try {
          const r = await this.opts.ocr.read(a, signal);
          if (!r.ok) return skip(r.reason);
          return { source: { ...base, scanned: true, text: r.rawText ?? r.text, confidence: r.confidence }, classify: r.text, watermarks: r.watermarks ?? [], ms: r.ms };
        } catch (err) {
          const reason = signal.aborted ? `timed out after ${this.timeoutMs} ms` : `OCR failed: ${(err as Error).message}`;
          this.opts.logger?.warn({ attachment: a.name, reason }, 'attachment not scanned');
          return skip(reason);
        }
      }),
    );
  }
}

interface Reading {
  source: SourceInput;
  /** The OCR text to classify (watermark lines removed); '' when not scanned. */
  classify: string;
  watermarks: string[];
  ms: number;
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

function planActions(decision: PolicyDecision, message: IncomingMessage, policy: ServerPolicy): PlannedAction[] {
  const planned = decision.actions.map((kind): PlannedAction => {
    switch (kind) {
      case 'timeout':
        return { kind, payload: { minutes: decision.timeoutMinutes ?? 10, userId: message.author.id } };
      case 'alert':
        return { kind, payload: { channelId: policy.alerts.channelId } };
      default:
        return { kind };
    }
  });
  // Telling the author (policy dmAuthor) is an action of its own, after the others: each platform's
  // executor waits for the delete / timeout it reports on, and says what was actually done.
  if (policy.dmAuthor && decision.actions.some((a) => a === 'flag' || a === 'delete' || a === 'timeout')) planned.push({ kind: 'dm' });
  return planned;
}
