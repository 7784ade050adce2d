// One day's drift: the day's traffic (verdicts in SQLite) against the model's training reference.
// Score and length distributions are compared by PSI over the reference's fixed bins; the share of
// messages without text and the OCR failure rate are shares with their own bounds.
import { LABELS } from '../classifier/labels.js';
import type { DriftImageSample, DriftInput, DriftMessageSample } from '../store/index.js';
import type { MonitoringConfig } from './config.js';
import { EXCERPT_LENGTH_EDGE, histogram, mergeTail, psi } from './psi.js';
import type { ModelReference } from './reference.js';

export type DriftBounds = Pick<MonitoringConfig, 'psiBound' | 'noTextMargin' | 'ocrFailureBound' | 'minMessages' | 'minImages' | 'perServer'>;

/**
 * An image that was meant to be read but could not be (download, format, size, time limits, OCR
 * errors). Not failures: attachments that are not images, and images not scanned because scanning
 * is off (for the channel, or no OCR engine configured).
 */
export function isOcrFailure(image: Pick<DriftImageSample, 'scanned' | 'reason'>): boolean {
  if (image.scanned) return false;
  const reason = image.reason ?? '';
  return !(reason === 'not an image' || /scanning is off|no OCR engine/i.test(reason));
}

function modelKey(reference: ModelReference): string {
  return `${reference.model.name}@${reference.model.version}`;
}

/** Drift rows for one scope (all servers, or one server) of one day. */
function scopeDrift(
  day: string,
  serverId: string | null,
  messages: readonly DriftMessageSample[],
  images: readonly DriftImageSample[],
  reference: ModelReference | undefined,
  model: string,
  bounds: DriftBounds,
): DriftInput[] {
  const rows: DriftInput[] = [];
  const base = { day, serverId, model };
  if (messages.length >= bounds.minMessages) {
    const withText = messages.filter((m) => m.hasText);
    if (reference) {
      // Scores mean something only against the reference of the model that produced them.
      const own = withText.filter((m) => m.model === modelKey(reference));
      if (own.length >= bounds.minMessages) {
        for (const label of LABELS) {
          const actual = histogram(
            own.map((m) => m.scores[label] ?? 0),
            reference.scoreEdges,
          );
          rows.push({ ...base, metric: 'score', label, value: psi(reference.scores[label], actual), bound: bounds.psiBound, n: own.length });
        }
      }
      if (withText.length >= bounds.minMessages) {
        let expected = reference.length;
        // Excerpt-mode rows only tell "120 or longer": compare with the bins from 120 on merged.
        const excerptOnly = withText.some((m) => m.length === null);
        const lengths = withText.map((m) => m.length ?? EXCERPT_LENGTH_EDGE);
        let actual = histogram(lengths, reference.lengthEdges);
        if (excerptOnly) {
          const from = reference.lengthEdges.indexOf(EXCERPT_LENGTH_EDGE);
          if (from >= 0) {
            expected = mergeTail(expected, from);
            actual = mergeTail(actual, from);
          }
        }
        rows.push({ ...base, metric: 'length', value: psi(expected, actual), bound: bounds.psiBound, n: withText.length });
      }
    }
    const share = (messages.length - withText.length) / messages.length;
    const ref = reference?.noTextShare ?? 0;
    rows.push({ ...base, metric: 'no_text', value: share, reference: ref, bound: Math.min(1, ref + bounds.noTextMargin), n: messages.length });
  }
  const attempted = images.filter((i) => i.scanned || isOcrFailure(i));
  if (attempted.length >= bounds.minImages) {
    const failed = attempted.filter((i) => isOcrFailure(i)).length;
    rows.push({ ...base, metric: 'ocr_failure', value: failed / attempted.length, bound: bounds.ocrFailureBound, n: attempted.length });
  }
  return rows.filter((r) => Number.isFinite(r.value));
}

/** All of one day's drift rows: all servers together, then each server with enough traffic. */
export function computeDayDrift(
  day: string,
  samples: { messages: readonly DriftMessageSample[]; images: readonly DriftImageSample[] },
  reference: ModelReference | undefined,
  model: string,
  bounds: DriftBounds,
): DriftInput[] {
  const rows = scopeDrift(day, null, samples.messages, samples.images, reference, model, bounds);
  if (!bounds.perServer) return rows;
  const servers = [...new Set(samples.messages.map((m) => m.serverId))].sort();
  for (const server of servers) {
    rows.push(
      ...scopeDrift(
        day,
        server,
        samples.messages.filter((m) => m.serverId === server),
        samples.images.filter((i) => i.serverId === server),
        reference,
        model,
        bounds,
      ),
    );
  }
  return rows;
}
