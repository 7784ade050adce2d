// The model registry: `models/<name>/model.json` (+ weight files). A model is chosen by name,
// by folder path, as `hf:<dir>` for a Hugging Face ONNX export, or as `a+b` to average several.
import { existsSync, readdirSync, readFileSync, writeFileSync, mkdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { LABELS, isLabel, type Scores } from './labels.js';
import type { Scorer } from './scorer.js';
import { LinearModel, type LinearModelParams } from './linear/model.js';
import { LinearScorer } from './linear/scorer.js';
import { loadLinearModel, saveLinearModel, type LinearModelJson } from './linear/io.js';
import { modelsDir } from '../paths.js';
import { CnnStage, type CnnStageJson } from './cnn/stage.js';
import { loadCnn, saveCnn } from './cnn/io.js';

export const DEFAULT_MODEL = 'builtin';

export interface ModelManifest {
  name: string;
  version: string;
  description: string;
  labels: string[];
  /** Per-label decision thresholds: F1-optimal on validation where it had enough positives (see thresholdBasis). */
  thresholds: Scores;
  /** How each threshold was chosen, and from how many validation positives (absent in models before 2.0). */
  thresholdBasis?: Record<string, ThresholdBasis>;
  createdAt: string;
  /** The training run that produced it (see `toxguard runs`). */
  run?: string;
  dataFingerprint?: string;
  metrics?: unknown;
  linear: LinearModelJson;
  /** The CNN second stage (models from 2.1 on); its weights are in cnn.bin.gz. */
  cnn?: CnnStageJson;
}

export interface ThresholdBasis {
  /** `max-f1`: the F1-optimal threshold on validation; `fallback`: too few positives, even odds (0.5) instead. */
  method: 'max-f1' | 'fallback';
  /** Validation positives of the label (pooled over corpora). */
  positives: number;
}

export function defaultModelName(): string {
  return process.env.TOXGUARD_MODEL || DEFAULT_MODEL;
}

export function readManifest(dir: string): ModelManifest {
  const file = join(dir, 'model.json');
  if (!existsSync(file)) throw new Error(`no model.json in ${dir}`);
  let json: ModelManifest;
  try {
    json = JSON.parse(readFileSync(file, 'utf8')) as ModelManifest;
  } catch (err) {
    throw new Error(`${file} is not valid JSON: ${(err as Error).message}`);
  }
  if (!json.name || !json.version || !json.linear || !json.thresholds) {
    throw new Error(`${file} lacks name, version, thresholds or linear`);
  }
  for (const label of LABELS) {
    if (typeof json.thresholds[label] !== 'number') throw new Error(`${file}: thresholds.${label} is missing`);
  }
  for (const key of Object.keys(json.thresholds)) if (!isLabel(key)) throw new Error(`${file}: unknown label ${key}`);
  return json;
}

export function saveModel(
  dir: string,
  manifest: Omit<ModelManifest, 'linear' | 'labels' | 'cnn'>,
  params: LinearModelParams,
  stage?: CnnStage,
): ModelManifest {
  mkdirSync(dir, { recursive: true });
  const linear = saveLinearModel(dir, params);
  if (stage) saveCnn(dir, stage.params);
  const full: ModelManifest = { ...manifest, labels: [...LABELS], linear, ...(stage ? { cnn: stage.json } : {}) };
  writeFileSync(join(dir, 'model.json'), JSON.stringify(full, null, 2) + '\n');
  return full;
}

/** The folder of a model given by name or path. */
export function resolveModelDir(nameOrPath: string): string {
  const asPath = resolve(nameOrPath);
  if (existsSync(join(asPath, 'model.json'))) return asPath;
  const named = join(modelsDir(), nameOrPath);
  if (existsSync(join(named, 'model.json'))) return named;
  const known = listModels().map((m) => m.name);
  throw new Error(`unknown model "${nameOrPath}": not a folder with model.json, nor one of [${known.join(', ')}] in ${modelsDir()}`);
}

export function listModels(): (ModelManifest & { dir: string })[] {
  const root = modelsDir();
  if (!existsSync(root)) return [];
  return readdirSync(root, { withFileTypes: true })
    .filter((d) => d.isDirectory() && existsSync(join(root, d.name, 'model.json')))
    .map((d) => ({ ...readManifest(join(root, d.name)), dir: join(root, d.name) }));
}

export function loadLinearScorer(dir: string): LinearScorer {
  const manifest = readManifest(dir);
  const params = loadLinearModel(dir, manifest.linear);
  const stage = manifest.cnn ? new CnnStage(loadCnn(dir, manifest.cnn.shape), manifest.cnn) : undefined;
  return new LinearScorer(new LinearModel(params), manifest.name, manifest.version, manifest.thresholds, stage);
}

/** Loads a scorer from a model spec: `builtin`, `./path`, `hf:<dir>`, or `a+b` (averaged). */
export async function loadScorer(spec: string = defaultModelName()): Promise<Scorer> {
  const parts = spec.split('+').map((s) => s.trim()).filter(Boolean);
  if (parts.length === 0) throw new Error('empty model spec');
  if (parts.length > 1) {
    const { averageScorers } = await import('./ensemble.js');
    return averageScorers(await Promise.all(parts.map((p) => loadScorer(p))));
  }
  const one = parts[0] as string;
  if (one.startsWith('hf:')) {
    const { loadHfScorer } = await import('./hf/hf-scorer.js');
    return loadHfScorer(one.slice(3));
  }
  return loadLinearScorer(resolveModelDir(one));
}
