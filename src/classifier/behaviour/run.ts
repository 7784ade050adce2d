// Runs the behavioural suite (./cases.ts) against any Scorer and formats a per-group report.
//
// Every case is scored once and judged twice:
// - at 0.5: the bounds exactly as written in the case;
// - at the calibrated thresholds: every bound of exactly 0.5 (the "flagged" cut) is replaced by
//   that label's decision threshold, so `above: 0.5` on identity_hate becomes
//   `above: thresholds.identity_hate`. Other bounds (e.g. plain_toxic's 0.3 on the specific labels)
//   were chosen for their case and are kept as written. Bounds stay strict in both readings.

import { LABELS, isLabel } from '../labels.js';
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

/** Pass counts per group for one reading of the bounds. */
export interface BehaviourTally {
  /** In order of first appearance in the cases. */
  groups: BehaviourGroupResult[];
  /** Passed cases / all cases (case-weighted, not the mean of the group rates); 0 for no cases. */
  overall: number;
}

/** `groups` and `overall` are at the bounds as written (0.5); `atThresholds` at the calibrated thresholds. */
export interface BehaviourResult extends BehaviourTally {
  /** The per-label thresholds used for `atThresholds` (the scorer's own unless overridden). */
  thresholds: Scores;
  /** The same cases and scores, judged with every 0.5 bound replaced by its label's threshold. */
  atThresholds: BehaviourTally;
}

export interface BehaviourRunOptions {
  /** Texts per `scoreBatch` call. Default 32. */
  batchSize?: number;
  /** Per-label thresholds for the second reading. Default: `scorer.thresholds`. */
  thresholds?: Scores;
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

/** A copy of `thresholds` after checking that every label has one in [0, 1]. */
export function validateThresholds(thresholds: Scores, where = 'thresholds'): Scores {
  const out = {} as Scores;
  for (const l of LABELS) {
    const t: unknown = (thresholds as Partial<Scores> | undefined)?.[l];
    if (typeof t !== 'number' || !(Number.isFinite(t) && t >= 0 && t <= 1)) {
      throw new Error(`${where}: the ${l} threshold ${String(t)} is not a number in [0, 1]`);
    }
    out[l] = t;
  }
  return out;
}

/** The case as read at `thresholds`: every bound of exactly 0.5 becomes its label's threshold. */
export function caseAtThresholds(c: BehaviourCase, thresholds: Scores): BehaviourCase {
  const map = (e: Expectation): Expectation => ({
    ...e,
    ...(e.above === 0.5 ? { above: thresholds[e.label] } : {}),
    ...(e.below === 0.5 ? { below: thresholds[e.label] } : {}),
  });
  return { ...c, expect: c.expect.map(map), ...(c.anyOf ? { anyOf: c.anyOf.map(map) } : {}) };
}

/** Pass counts per group of `cases` against their `scores` (same order). */
export function tallyCases(cases: readonly BehaviourCase[], scores: readonly Scores[]): BehaviourTally {
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

/** Score `texts` with `scorer` in batches of `batchSize`, checking that every text got its prediction. */
export async function scoreTexts(scorer: Scorer, texts: readonly string[], batchSize = DEFAULT_BATCH_SIZE): Promise<Scores[]> {
  if (!Number.isInteger(batchSize) || batchSize < 1) {
    throw new Error(`batchSize must be a positive integer, got ${batchSize}`);
  }
  const scores: Scores[] = [];
  for (let start = 0; start < texts.length; start += batchSize) {
    const batch = texts.slice(start, start + batchSize);
    const predictions = await scorer.scoreBatch(batch);
    if (predictions.length !== batch.length) {
      throw new Error(`scorer ${scorer.name} returned ${predictions.length} predictions for ${batch.length} texts`);
    }
    for (const p of predictions) scores.push(p.scores);
  }
  return scores;
}

/**
 * Score every case with `scorer` (in batches) and tally the passes per group, at the bounds as
 * written (0.5) and at the calibrated thresholds (`options.thresholds`, else the scorer's own).
 */
export async function runBehaviourSuite(
  scorer: Scorer,
  cases: readonly BehaviourCase[] = BEHAVIOUR_CASES,
  options: BehaviourRunOptions = {},
): Promise<BehaviourResult> {
  const batchSize = options.batchSize ?? DEFAULT_BATCH_SIZE;
  cases.forEach(validateCase);
  const thresholds = validateThresholds(options.thresholds ?? scorer.thresholds, `scorer ${scorer.name}`);
  const scores = await scoreTexts(
    scorer,
    cases.map((c) => c.text),
    batchSize,
  );
  return {
    ...tallyCases(cases, scores),
    thresholds,
    atThresholds: tallyCases(
      cases.map((c) => caseAtThresholds(c, thresholds)),
      scores,
    ),
  };
}

export interface BehaviourReportOptions {
  /** Failures listed per group before "... and N more". Default 5. */
  maxFailuresPerGroup?: number;
  /** Longer texts are cut with an ellipsis. Default 90 characters. */
  maxTextLength?: number;
  /** When given, a last column shows each group's goal pass rate at 0.5 (e.g. ISSUE_11_GOALS). */
  goals?: Partial<Record<string, number>>;
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

function alignedTable(rows: string[][], ruleAfter: number[]): string[] {
  const widths = (rows[0] ?? []).map((_, col) => Math.max(...rows.map((r) => (r[col] ?? '').length)));
  const line = (r: string[]): string =>
    r.map((cell, col) => (col === 0 ? cell.padEnd(widths[col] ?? 0) : cell.padStart(widths[col] ?? 0))).join('  ');
  const rule = widths.map((w) => '-'.repeat(w)).join('  ');
  const out: string[] = [];
  rows.forEach((r, i) => {
    out.push(line(r));
    if (ruleAfter.includes(i)) out.push(rule);
  });
  return out;
}

function formatFailures(tally: BehaviourTally, title: string, maxFailures: number, maxText: number): string[] {
  const out: string[] = [];
  const failing = tally.groups.filter((g) => g.failures.length > 0);
  if (failing.length === 0) return out;
  out.push('', `Failures ${title}`);
  for (const g of failing) {
    out.push('');
    out.push(`${g.group}: ${g.failures.length} failing`);
    for (const f of g.failures.slice(0, Math.max(0, maxFailures))) {
      out.push(`  - ${quote(f.text, maxText)}: ${f.why}`);
    }
    const more = g.failures.length - Math.max(0, maxFailures);
    if (more > 0) out.push(`  ... and ${more} more`);
  }
  return out;
}

/** The thresholds as one line, e.g. `toxic 0.382, severe_toxic 0.019, ...`. */
export function formatThresholds(thresholds: Scores): string {
  return LABELS.map((l) => `${l} ${thresholds[l].toFixed(3)}`).join(', ');
}

/**
 * A plain-text table of pass rates per group, at 0.5 and at the calibrated thresholds, then up to
 * a few failures per group for each reading.
 */
export function formatBehaviourReport(result: BehaviourResult, options: BehaviourReportOptions = {}): string {
  const maxFailures = options.maxFailuresPerGroup ?? 5;
  const maxText = options.maxTextLength ?? 90;

  const total = result.groups.reduce((n, g) => n + g.total, 0);
  const passed = result.groups.reduce((n, g) => n + g.passed, 0);
  const atThr = new Map(result.atThresholds.groups.map((g) => [g.group, g]));
  const passedThr = result.atThresholds.groups.reduce((n, g) => n + g.passed, 0);
  const goals = options.goals;
  const goal = (group: string): string[] => {
    if (!goals) return [];
    const g = goals[group];
    return [g === undefined ? '' : percent(g)];
  };
  const rows: string[][] = [
    ['group', 'total', 'passed@0.5', 'rate@0.5', 'passed@thr', 'rate@thr', ...(goals ? ['goal@0.5'] : [])],
    ...result.groups.map((g) => {
      const t = atThr.get(g.group);
      return [
        g.group,
        String(g.total),
        String(g.passed),
        percent(g.passRate),
        String(t?.passed ?? '-'),
        t ? percent(t.passRate) : '-',
        ...goal(g.group),
      ];
    }),
    [
      'overall',
      String(total),
      String(passed),
      percent(result.overall),
      String(passedThr),
      percent(result.atThresholds.overall),
      ...(goals ? [''] : []),
    ],
  ];
  const out: string[] = [
    'Behaviour suite',
    '',
    `thr = the model's calibrated thresholds: ${formatThresholds(result.thresholds)}`,
    '',
    ...alignedTable(rows, [0, rows.length - 2]),
  ];

  const anyFailure = [...result.groups, ...result.atThresholds.groups].some((g) => g.failures.length > 0);
  if (!anyFailure) {
    out.push('');
    out.push(total > 0 ? 'All cases passed.' : 'No cases.');
  }
  out.push(...formatFailures(result, 'at 0.5', maxFailures, maxText));
  out.push(...formatFailures(result.atThresholds, 'at the calibrated thresholds', maxFailures, maxText));
  return out.join('\n') + '\n';
}
