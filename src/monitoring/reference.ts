// The training reference a model's traffic is compared with: per-label score histograms, the text
// length histogram and the share of messages without text, all on the model's validation texts.
// Written next to the model as reference.json (by the trainer, or by `toxguard models reference`).
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { z } from 'zod';
import { LABELS, type Label } from '../classifier/labels.js';
import { resolveModelDir } from '../classifier/registry.js';
import { codePoints, histogram, LENGTH_EDGES, SCORE_EDGES } from './psi.js';

export const REFERENCE_FILE = 'reference.json';

export interface ModelReference extends ReferenceHistograms {
  /** The model whose scores these are (drift compares only verdicts it produced). */
  model: { name: string; version: string };
}

/** The histograms alone (the trainer makes them before the model has a name). */
export interface ReferenceHistograms {
  version: 1;
  createdAt: string;
  /** Where the texts came from, e.g. "validation split of olid, trac2 (28410 texts)". */
  source: string;
  texts: number;
  scoreEdges: number[];
  /** Per label, counts over scoreEdges. */
  scores: Record<Label, number[]>;
  /** Length edges in code points; the last one is Infinity, stored as null in JSON. */
  lengthEdges: number[];
  /** Counts over lengthEdges, texts that have text only. */
  length: number[];
  noTextShare: number;
}

/** Histograms of validation texts and their scores (probabilities, one row per text in LABELS order). */
export function computeReference(
  texts: readonly string[],
  probs: readonly ArrayLike<number>[],
  meta: { source: string; createdAt?: string },
): ReferenceHistograms {
  if (texts.length !== probs.length) throw new RangeError(`${texts.length} texts but ${probs.length} score rows`);
  const withText: number[] = [];
  texts.forEach((t, i) => {
    if (t.trim() !== '') withText.push(i);
  });
  const scores = Object.fromEntries(
    LABELS.map((label, l) => [label, histogram(withText.map((i) => (probs[i] as ArrayLike<number>)[l] ?? 0), SCORE_EDGES)]),
  ) as Record<Label, number[]>;
  return {
    version: 1,
    createdAt: meta.createdAt ?? new Date().toISOString(),
    source: meta.source,
    texts: texts.length,
    scoreEdges: [...SCORE_EDGES],
    scores,
    lengthEdges: [...LENGTH_EDGES],
    length: histogram(withText.map((i) => codePoints(texts[i] as string)), LENGTH_EDGES),
    noTextShare: texts.length ? (texts.length - withText.length) / texts.length : 0,
  };
}

const counts = z.array(z.number().int().min(0));
const ReferenceSchema = z.object({
  version: z.literal(1),
  model: z.object({ name: z.string(), version: z.string() }),
  createdAt: z.string(),
  source: z.string(),
  texts: z.number().int().min(0),
  scoreEdges: z.array(z.number()),
  scores: z.object(Object.fromEntries(LABELS.map((l) => [l, counts])) as Record<Label, typeof counts>),
  lengthEdges: z.array(z.number().nullable()),
  length: counts,
  noTextShare: z.number().min(0).max(1),
});

export function saveReference(modelDir: string, reference: ModelReference): string {
  const file = join(modelDir, REFERENCE_FILE);
  // JSON has no Infinity: the open last edge is written as null.
  const json = { ...reference, lengthEdges: reference.lengthEdges.map((e) => (Number.isFinite(e) ? e : null)) };
  writeFileSync(file, JSON.stringify(json, null, 1) + '\n');
  return file;
}

/** The model folder's reference, or undefined when it has none. Throws on a malformed file, naming it. */
export function loadReference(modelDir: string): ModelReference | undefined {
  const file = join(modelDir, REFERENCE_FILE);
  if (!existsSync(file)) return undefined;
  let raw: unknown;
  try {
    raw = JSON.parse(readFileSync(file, 'utf8'));
  } catch (err) {
    throw new Error(`${file} is not valid JSON: ${(err as Error).message}`);
  }
  const parsed = ReferenceSchema.safeParse(raw);
  if (!parsed.success) throw new Error(`${file} is not a drift reference: ${parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`);
  const r = parsed.data;
  const lengthEdges = r.lengthEdges.map((e) => e ?? Number.POSITIVE_INFINITY);
  for (const label of LABELS) {
    if (r.scores[label].length !== r.scoreEdges.length - 1) throw new Error(`${file}: scores.${label} has ${r.scores[label].length} bins for ${r.scoreEdges.length} edges`);
  }
  if (r.length.length !== lengthEdges.length - 1) throw new Error(`${file}: length has ${r.length.length} bins for ${lengthEdges.length} edges`);
  return { ...r, lengthEdges };
}

/**
 * The reference of a model spec as `serve` and `drift` load it: only a single model folder can have
 * one (an `hf:` model or an `a+b` average has none until someone writes it).
 */
export function referenceForSpec(spec: string): { reference: ModelReference | undefined; dir: string | undefined } {
  if (spec.includes('+') || spec.startsWith('hf:')) return { reference: undefined, dir: undefined };
  const dir = resolveModelDir(spec);
  return { reference: loadReference(dir), dir };
}
