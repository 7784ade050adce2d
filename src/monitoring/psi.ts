// Histograms over fixed bin edges and the population stability index (PSI) between two of them.
// PSI = sum over bins of (actual - expected) * ln(actual / expected), on shares. Rules of thumb:
// < 0.1 no real change, 0.1-0.25 moderate, > 0.25 a different population.

/** Fixed score bins: fine near 0 and 1, where calibrated toxicity scores pile up. */
export const SCORE_EDGES: readonly number[] = [0, 0.01, 0.02, 0.05, 0.1, 0.2, 0.3, 0.5, 0.7, 0.9, 0.98, 1];

/**
 * Text length bins, in code points, for messages that have text. 120 is an edge on purpose: a store
 * in excerpt mode only keeps the first 120 characters, so longer messages are known only as ">= 120".
 */
export const LENGTH_EDGES: readonly number[] = [1, 8, 16, 32, 64, 120, 250, 500, Number.POSITIVE_INFINITY];

/** Where excerpt-mode rows lose the exact length (see LENGTH_EDGES). */
export const EXCERPT_LENGTH_EDGE = 120;

/**
 * Index of the bin [edges[i], edges[i+1]) holding `value`; the last bin is closed on the right so a
 * score of exactly 1 counts. Values outside the edges go to the nearest end bin.
 */
export function binOf(value: number, edges: readonly number[]): number {
  const bins = edges.length - 1;
  for (let i = 1; i < bins; i++) if (value < (edges[i] as number)) return i - 1;
  return bins - 1;
}

export function histogram(values: Iterable<number>, edges: readonly number[]): number[] {
  const counts = new Array<number>(edges.length - 1).fill(0);
  for (const v of values) {
    const b = binOf(v, edges);
    counts[b] = (counts[b] as number) + 1;
  }
  return counts;
}

/** Adds the bins from index `from` on into one (e.g. the lengths an excerpt-mode store cannot tell apart). */
export function mergeTail(counts: readonly number[], from: number): number[] {
  if (from >= counts.length - 1) return [...counts];
  const tail = counts.slice(from).reduce((a, b) => a + b, 0);
  return [...counts.slice(0, from), tail];
}

/**
 * PSI of `actual` against `expected` (both counts over the same bins). Each share gets half a count of
 * smoothing so an empty bin gives a large but finite term instead of infinity.
 */
export function psi(expected: readonly number[], actual: readonly number[]): number {
  if (expected.length !== actual.length) throw new RangeError(`bins differ: ${expected.length} vs ${actual.length}`);
  const bins = expected.length;
  const totalE = expected.reduce((a, b) => a + b, 0);
  const totalA = actual.reduce((a, b) => a + b, 0);
  if (totalE === 0 || totalA === 0) return Number.NaN;
  let sum = 0;
  for (let i = 0; i < bins; i++) {
    const e = ((expected[i] as number) + 0.5) / (totalE + 0.5 * bins);
    const a = ((actual[i] as number) + 0.5) / (totalA + 0.5 * bins);
    sum += (a - e) * Math.log(a / e);
  }
  return sum;
}

/** Length in code points, as SQLite's length() counts it (an emoji is one character in both). */
export function codePoints(text: string): number {
  let n = 0;
  for (const _ of text) n++;
  return n;
}
