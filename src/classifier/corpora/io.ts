import { readFileSync } from 'node:fs';
import { createHash } from 'node:crypto';
import { parse } from 'csv-parse/sync';
import { LABELS, type Label } from '../labels.js';
import type { Gold } from './types.js';

export function readCsv(path: string, options: { delimiter?: string; quote?: boolean } = {}): Record<string, string>[] {
  return parse(readFileSync(path), {
    columns: true,
    delimiter: options.delimiter ?? ',',
    quote: options.quote === false ? false : '"',
    bom: true,
    relax_quotes: true,
    relax_column_count: true,
    skip_empty_lines: true,
  }) as Record<string, string>[];
}

/** Tab-split lines without quoting (some corpora contain bare quotes that a CSV parser would merge). */
export function readTsvLines(path: string): string[][] {
  return readFileSync(path, 'utf8')
    .replace(/^\uFEFF/, '')
    .split(/\r?\n/)
    .filter((line) => line.trim() !== '')
    .map((line) => line.split('\t'));
}

export function readJsonl(path: string): Record<string, unknown>[] {
  return readFileSync(path, 'utf8')
    .split(/\r?\n/)
    .filter((line) => line.trim() !== '')
    .map((line) => JSON.parse(line) as Record<string, unknown>);
}

/** Builds a label vector: every label null (no evidence) unless given. */
export function gold(values: Partial<Record<Label, 0 | 1>>): Gold[] {
  return LABELS.map((label) => values[label] ?? null);
}

/** All six labels absent: a text the corpus judged clean says there is no insult, threat, ... in it. */
export const CLEAN: Gold[] = LABELS.map(() => 0);

/**
 * Deterministic validation split for corpora without an official dev set: a hash of the corpus
 * and id, so it never changes between runs or machines.
 */
export function hashSplit(corpus: string, id: string, valPercent = 15): 'train' | 'val' {
  const digest = createHash('sha1').update(`${corpus}\u0000${id}`).digest();
  return digest.readUInt32BE(0) % 100 < valPercent ? 'val' : 'train';
}
