// Runs the behavioural suite (./cases.ts) against any Scorer and formats a per-group report.

import { isLabel } from '../labels.js';
import type { Scores } from '../labels.js';
import type { Scorer } from '../scorer.js';
import { BEHAVIOUR_CASES } from './cases.js';
import type { BehaviourCase, Expectation } from './cases.js';

export interface BehaviourFailure {
  text: string;
  /** Which expectations did not hold, with the actual scores, e.g. `toxic=0.734 (want < 0.5)`. */
  why: string;
}

export interface BehaviourGroupResult {
  group: string;
  total: number;
  passed: number;
  /** passed / total, in [0, 1]. */
  passRate: number;
  failures: BehaviourFailure[];
}

export interface BehaviourResult {
  /** In order of first appearance in the cases. */
  groups: BehaviourGroupResult[];
  /** Passed cases / all cases (case-weighted, not the mean of the group rates); 0 for no cases. */
  overall: number;
}

export interface BehaviourRunOptions {
  /** Texts per `scoreBatch` call. Default 32. */
  batchSize?: number;
}

const DEFAULT_BATCH_SIZE = 32;

function describeBound(e: Expectation): string {
  const parts: string[] = [];
  if (e.above !== undefined) parts.push(`> ${e.above}`);
  if (e.below !== undefined) parts.push(`< ${e.below}`);
  return parts.join(' and ');
}

function formatScore(score: number | undefined): string {
  if (typeof score !== 'number') return 'missing';
  return Number.isNaN(score) ? 'NaN' : score.toFixed(3);
}

/** Bounds are strict; a missing or NaN score never satisfies anything. */
function holds(e: Expectation, scores: Scores): boolean {
  const score: unknown = scores[e.label];
  if (typeof score !== 'number' || Number.isNaN(score)) return false;
  if (e.above !== undefined && !(score > e.above)) return false;
  if (e.below !== undefined && !(score < e.below)) return false;
  return true;
}

function describe(e: Expectation, scores: Scores): string {
  return `${e.label}=${formatScore(scores[e.label] as number | undefined)} (want ${describeBound(e)})`;
}

function validateCase(c: BehaviourCase, index: number): void {
  const where = `behaviour case #${index} (${JSON.stringify(c.text)})`;
  if (typeof c.text !== 'string') throw new Error(`${where}: text must be a string`);
  const all = [...c.expect, ...(c.anyOf ?? [])];
  if (all.length === 0) throw new Error(`${where}: has no expectations`);
  for (const e of all) {
    if (!isLabel(e.label)) throw new Error(`${where}: unknown label ${JSON.stringify(e.label)}`);
    if (e.above === undefined && e.below === undefined) {
      throw new Error(`${where}: expectation on ${e.label} has neither 'above' nor 'below'`);
    }
    for (const bound of [e.above, e.below]) {
      if (bound !== undefined && !(Number.isFinite(bound) && bound >= 0 && bound <= 1)) {
        throw new Error(`${where}: bound ${bound} on ${e.label} is not a number in [0, 1]`);
      }
    }
  }
}

/**
 * Check one case against its scores. Returns undefined when it passes, otherwise the reason:
 * every failed `expect` entry, and, if no `anyOf` entry held, all of the `anyOf` entries.
 */
export function checkCase(c: BehaviourCase, scores: Scores): string | undefined {
  const reasons: string[] = [];
  for (const e of c.expect) {
    if (!holds(e, scores)) reasons.push(describe(e, scores));
  }
  const anyOf = c.anyOf ?? [];
  if (anyOf.length > 0 && !anyOf.some((e) => holds(e, scores))) {
    reasons.push(`none of: ${anyOf.map((e) => describe(e, scores)).join(', ')}`);
  }
  return reasons.length > 0 ? reasons.join('; ') : undefined;
}

/** Score every case with `scorer` (in batches) and tally the passes per group. */
export async function runBehaviourSuite(
  scorer: Scorer,
  cases: readonly BehaviourCase[] = BEHAVIOUR_CASES,
  options: BehaviourRunOptions = {},
): Promise<BehaviourResult> {
  const batchSize = options.batchSize ?? DEFAULT_BATCH_SIZE;
  if (!Number.isInteger(batchSize) || batchSize < 1) {
    throw new Error(`batchSize must be a positive integer, got ${batchSize}`);
  }
  cases.forEach(validateCase);

  const scores: Scores[] = [];
  for (let start = 0; start < cases.length; start += batchSize) {
    const texts = cases.slice(start, start + batchSize).map((c) => c.text);
    const predictions = await scorer.scoreBatch(texts);
    if (predictions.length !== texts.length) {
      throw new Error(
        `scorer ${scorer.name} returned ${predictions.length} predictions for ${texts.length} texts`,
      );
    }
    for (const p of predictions) scores.push(p.scores);
  }

  const byGroup = new Map<string, BehaviourGroupResult>();
  let passedAll = 0;
  cases.forEach((c, i) => {
    let g = byGroup.get(c.group);
    if (!g) {
      g = { group: c.group, total: 0, passed: 0, passRate: 0, failures: [] };
      byGroup.set(c.group, g);
    }
    g.total += 1;
    const s = scores[i];
    const why = s ? checkCase(c, s) : 'no prediction';
    if (why === undefined) {
      g.passed += 1;
      passedAll += 1;
    } else {
      g.failures.push({ text: c.text, why });
    }
  });

  const groups = [...byGroup.values()];
  for (const g of groups) g.passRate = g.total > 0 ? g.passed / g.total : 0;
  return { groups, overall: cases.length > 0 ? passedAll / cases.length : 0 };
}

export interface BehaviourReportOptions {
  /** Failures listed per group before "... and N more". Default 5. */
  maxFailuresPerGroup?: number;
  /** Longer texts are cut with an ellipsis. Default 90 characters. */
  maxTextLength?: number;
}

function percent(rate: number): string {
  return `${(rate * 100).toFixed(1)}%`;
}

/** Quote a text for one report line: JSON escapes newlines, tabs and invisible control chars. */
function quote(text: string, max: number): string {
  const chars = [...text];
  const cut = chars.length > max ? `${chars.slice(0, max - 1).join('')}…` : text;
  // Also make zero-width and other format characters visible; they are what evasion tests use.
  return JSON.stringify(cut).replace(/[\u200b-\u200f\u2060\ufeff]/g, (ch) => {
    return `\\u${ch.charCodeAt(0).toString(16).padStart(4, '0')}`;
  });
}

/** A plain-text table of pass rates per group, then up to a few failures per group. */
export function formatBehaviourReport(result: BehaviourResult, options: BehaviourReportOptions = {}): string {
  const maxFailures = options.maxFailuresPerGroup ?? 5;
  const maxText = options.maxTextLength ?? 90;

  const total = result.groups.reduce((n, g) => n + g.total, 0);
  const passed = result.groups.reduce((n, g) => n + g.passed, 0);
  type Row = [string, string, string, string];
  const header: Row = ['group', 'passed', 'total', 'rate'];
  const body: Row[] = result.groups.map((g): Row => [g.group, String(g.passed), String(g.total), percent(g.passRate)]);
  const footer: Row = ['overall', String(passed), String(total), percent(result.overall)];
  const all = [header, ...body, footer];
  const widths = header.map((_, col) => Math.max(...all.map((r) => (r[col] ?? '').length)));
  const line = (r: Row): string =>
    r.map((cell, col) => (col === 0 ? cell.padEnd(widths[col] ?? 0) : cell.padStart(widths[col] ?? 0))).join('  ');
  const rule = widths.map((w) => '-'.repeat(w)).join('  ');

  const out: string[] = ['Behaviour suite', '', line(header), rule, ...body.map(line), rule, line(footer)];

  const failing = result.groups.filter((g) => g.failures.length > 0);
  if (failing.length === 0) {
    out.push('');
    out.push(total > 0 ? 'All cases passed.' : 'No cases.');
  }
  for (const g of failing) {
    out.push('');
    out.push(`${g.group}: ${g.failures.length} failing`);
    for (const f of g.failures.slice(0, Math.max(0, maxFailures))) {
      out.push(`  - ${quote(f.text, maxText)}: ${f.why}`);
    }
    const more = g.failures.length - Math.max(0, maxFailures);
    if (more > 0) out.push(`  ... and ${more} more`);
  }
  return out.join('\n') + '\n';
}
