// "Try it": a moderator pastes a text or drops an image and sees what the model makes of it, and what
// the chosen server's policy would do. It is the pipeline's own dry run (pipeline.evaluate with
// record: false): the same OCR engine, text cut, time limit and per-label maximum over sources as
// every recorded message. Nothing is recorded: test phrases must not show up in the statistics, the
// review queue or the drift figures.
import type { Label, Scores, Span } from '../classifier/labels.js';
import type { Prediction } from '../classifier/scorer.js';
import { dryRunMessage } from '../core/message.js';
import type { ImageReading, ModerationPipeline } from '../core/pipeline.js';

export interface TryImage {
  name: string;
  contentType: string;
  data: Buffer;
}

export type TrySource = ImageReading;

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

export async function tryIt(deps: { pipeline: ModerationPipeline; thresholds: Scores }, input: { text: string; images: TryImage[]; serverId: string }): Promise<TryResult> {
  const started = performance.now();
  const message = dryRunMessage({
    platform: 'api',
    serverId: input.serverId,
    channelId: 'dashboard-try-it',
    text: input.text,
    attachments: input.images.map((img) => ({ url: `upload:${img.name}`, name: img.name, contentType: img.contentType, size: img.data.length, data: img.data })),
  });
  const e = await deps.pipeline.evaluate(message, { record: false });
  const labelSources: TryResult['labelSources'] = {};
  for (const [label, source] of Object.entries(e.labelSources) as [Label, string][]) {
    labelSources[label] = source === 'text' ? 'text' : `image:${Number(source.split(':')[1])}`;
  }
  const d = e.decision;
  return {
    text: e.text,
    scores: e.scores,
    labelSources,
    spans: e.spans,
    reasons: e.reasons,
    sources: e.images,
    thresholds: deps.thresholds,
    policy: {
      serverId: input.serverId,
      logOnly: d.logOnly,
      wouldAct: d.logOnly ? (d.wouldAct ?? []) : d.actions,
      triggered: d.triggered.map((t) => ({ action: t.action, labels: t.labels })),
    },
    ms: Math.round(performance.now() - started),
  };
}
