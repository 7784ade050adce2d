// What the Model page shows about the active model: its card, validation metrics, calibrated
// thresholds and the recorded training runs. Read from disk on request (cards and runs are small,
// and a new run shows up without a restart).
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Scores } from '../classifier/labels.js';
import { readManifest, resolveModelDir } from '../classifier/registry.js';
import { listRuns } from '../classifier/runs.js';
import type { Scorer } from '../classifier/scorer.js';
import type { EvalReport } from '../classifier/evaluate.js';
import { renderMarkdown } from './markdown.js';

export interface RunSummary {
  id: string;
  startedAt: string;
  seconds: number;
  iterations: number;
  dataFingerprint: string;
  macro: EvalReport['macro'] | null;
  thresholds: Record<string, number | undefined>;
  /** The active model came from this run. */
  active: boolean;
}

export interface ModelInfo {
  name: string;
  version: string;
  thresholds: Scores;
  description: string | null;
  createdAt: string | null;
  run: string | null;
  /** The model card rendered to HTML (escaped), or null when the model folder has none. */
  cardHtml: string | null;
  metrics: Pick<EvalReport, 'macro' | 'calibration' | 'pairs'> | null;
  runs: RunSummary[];
}

function isReport(v: unknown): v is EvalReport {
  return typeof v === 'object' && v !== null && 'macro' in v && 'pairs' in v;
}

export function modelInfo(scorer: Scorer, runsLimit = 10): ModelInfo {
  let dir: string | undefined;
  try {
    dir = resolveModelDir(scorer.name);
  } catch {
    dir = undefined; // an hf: model or an ensemble: no manifest of ours
  }
  const manifest = dir ? readManifest(dir) : undefined;
  const card = dir && existsSync(join(dir, 'MODEL_CARD.md')) ? readFileSync(join(dir, 'MODEL_CARD.md'), 'utf8') : undefined;
  const validation = (manifest?.metrics as { validation?: unknown } | undefined)?.validation;
  const runs = listRuns()
    .reverse()
    .slice(0, runsLimit)
    .map(
      (r): RunSummary => ({
        id: r.id,
        startedAt: r.startedAt,
        seconds: r.seconds,
        iterations: r.iterations,
        dataFingerprint: r.dataFingerprint,
        macro: isReport(r.report) ? r.report.macro : null,
        thresholds: r.thresholds,
        active: r.id === manifest?.run,
      }),
    );
  return {
    name: scorer.name,
    version: scorer.version,
    thresholds: scorer.thresholds,
    description: manifest?.description ?? null,
    createdAt: manifest?.createdAt ?? null,
    run: manifest?.run ?? null,
    cardHtml: card ? renderMarkdown(card) : null,
    metrics: isReport(validation) ? { macro: validation.macro, calibration: validation.calibration, pairs: validation.pairs } : null,
    runs,
  };
}
