// "Try it": a moderator pastes a text or drops an image and sees what the model makes of it, with
// the same OCR engine, scorer and per-label maximum over sources as the pipeline, and what the
// chosen server's policy would do. Nothing is recorded: test phrases must not show up in the
// statistics, the review queue or the drift figures.
import { LABELS, type Label, type Scores, type Span } from '../classifier/labels.js';
import type { Prediction, Scorer } from '../classifier/scorer.js';
import type { OcrEngine } from '../core/ocr.js';
import { MAX_TEXT_CHARS } from '../core/pipeline.js';
import type { PolicyService } from '../core/policies.js';
import { decide } from '../policy/decide.js';

export interface TryImage {
  name: string;
  contentType: string;
  data: Buffer;
}

export type TrySource =
  | { name: string; scanned: true; text: string; rawText: string; watermarks: string[]; confidence: number; scores: Scores; spans: Span[]; ms: number }
  | { name: string; scanned: false; reason: string };

export interface TryResult {
  text: string;
  scores: Scores;
  /** Which input drove each label: the text or image n (0-based). */
  labelSources: Partial<Record<Label, 'text' | `image:${number}`>>;
  spans: Span[];
  reasons: Prediction['reasons'];
  sources: TrySource[];
  thresholds: Scores;
  /** What the server's policy would do with these scores (an ordinary member writing in an ordinary channel). */
  policy: { serverId: string; logOnly: boolean; wouldAct: string[]; triggered: { action: string; labels: { label: Label; score: number; threshold: number }[] }[] };
  ms: number;
}

const EMPTY: Scores = { toxic: 0, severe_toxic: 0, obscene: 0, threat: 0, insult: 0, identity_hate: 0 };

export async function tryIt(
  deps: { scorer: Scorer; policies: PolicyService; ocr?: OcrEngine; timeoutMs?: number },
  input: { text: string; images: TryImage[]; serverId: string },
): Promise<TryResult> {
  const started = performance.now();
  const text = input.text.slice(0, MAX_TEXT_CHARS);
  const signal = AbortSignal.timeout(deps.timeoutMs ?? 15_000);
  const read = await Promise.all(
    input.images.map(async (img) => {
      if (!deps.ocr) return { name: img.name, ok: false as const, reason: 'no OCR engine configured (ocr.enabled is false)' };
      try {
        const r = await deps.ocr.read({ url: `upload:${img.name}`, name: img.name, contentType: img.contentType, size: img.data.length, data: img.data }, signal);
        return r.ok ? { name: img.name, ok: true as const, result: r } : { name: img.name, ok: false as const, reason: r.reason };
      } catch (err) {
        return { name: img.name, ok: false as const, reason: signal.aborted ? 'timed out' : `OCR failed: ${(err as Error).message}` };
      }
    }),
  );
  const texts = [text, ...read.map((r) => (r.ok ? r.result.text : ''))];
  const toScore = texts.map((t, i) => ({ t, i })).filter((x) => x.t.trim() !== '');
  const predictions: Prediction[] = texts.map(() => ({ scores: { ...EMPTY }, spans: [] }));
  if (toScore.length) {
    const scored = await deps.scorer.scoreBatch(
      toScore.map((x) => x.t),
      { explain: true },
    );
    toScore.forEach((x, k) => (predictions[x.i] = scored[k] ?? { scores: { ...EMPTY } }));
  }
  const scores = { ...EMPTY };
  const labelSources: TryResult['labelSources'] = {};
  predictions.forEach((p, i) => {
    for (const label of LABELS) {
      if (p.scores[label] > scores[label] || (i === 0 && labelSources[label] === undefined)) {
        scores[label] = p.scores[label];
        labelSources[label] = i === 0 ? 'text' : `image:${i - 1}`;
      }
    }
  });
  const sources: TrySource[] = read.map((r, k) =>
    r.ok
      ? {
          name: r.name,
          scanned: true,
          text: r.result.text,
          rawText: r.result.rawText ?? r.result.text,
          watermarks: r.result.watermarks ?? [],
          confidence: r.result.confidence,
          scores: predictions[k + 1]?.scores ?? { ...EMPTY },
          spans: predictions[k + 1]?.spans ?? [],
          ms: r.result.ms,
        }
      : { name: r.name, scanned: false, reason: r.reason },
  );
  const policy = deps.policies.get(input.serverId);
  const decision = decide({
    policy,
    scores,
    strikesInWindow: 0,
    message: {
      platform: 'api',
      serverId: input.serverId,
      channelId: 'dashboard-try-it',
      messageId: 'try-it',
      author: { id: 'dashboard-try-it', roleIds: [], isModerator: false, isBot: false },
      text,
      attachments: [],
      kind: 'new',
      sentAt: new Date().toISOString(),
    },
  });
  return {
    text,
    scores,
    labelSources,
    spans: predictions[0]?.spans ?? [],
    reasons: predictions[0]?.reasons,
    sources,
    thresholds: deps.scorer.thresholds,
    policy: {
      serverId: input.serverId,
      logOnly: decision.logOnly,
      wouldAct: decision.triggered.map((t) => t.action),
      triggered: decision.triggered.map((t) => ({ action: t.action, labels: t.labels })),
    },
    ms: Math.round(performance.now() - started),
  };
}
