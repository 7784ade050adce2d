import type { Label } from '../labels.js';

/** How a model's output columns become our six labels. */
export interface LabelMap {
  /** Per model output index: the label it feeds, or null when we ignore that column. */
  byIndex: (Label | null)[];
  /** True: independent sigmoid per column. False: softmax across the columns. */
  multiLabel: boolean;
  /** The model's own names, in output order (for error messages and logs). */
  names: string[];
}

// unitary/toxic-bert names map one to one; Detoxify uses the longer spellings.
const DIRECT: Record<string, Label> = {
  toxic: 'toxic',
  toxicity: 'toxic',
  severe_toxic: 'severe_toxic',
  severe_toxicity: 'severe_toxic',
  obscene: 'obscene',
  threat: 'threat',
  insult: 'insult',
  identity_hate: 'identity_hate',
  identity_attack: 'identity_hate',
  // Detoxify's `sexual_explicit` has no Jigsaw counterpart: deliberately left out (ignored).
};

// The "clean" class of a binary classifier; whatever the other class is called, it means toxic.
const NEGATIVE =
  /^(label_0|neutral|normal|clean|safe|none|negative|acceptable|appropriate|(non|not|no)_?(toxic|toxicity|offensive|hate|hateful|hate_speech|abusive|abuse|harmful|insult|insulting))$/;

/** Lower-case and unify separators so `Identity-Attack`, `identity attack` and `identity_attack` agree. */
export function normalizeLabelName(name: string): string {
  return name.trim().toLowerCase().replace(/[\s-]+/g, '_');
}

/** Reads config.json's `id2label` ({"0": "toxic", ...}) into names ordered by output index. */
export function labelNames(config: Record<string, unknown>): string[] {
  const raw = config.id2label;
  if (typeof raw !== 'object' || raw === null) return [];
  const entries = Object.entries(raw as Record<string, unknown>)
    .map(([k, v]) => [Number(k), String(v)] as const)
    .filter(([k]) => Number.isInteger(k) && k >= 0)
    .sort((a, b) => a[0] - b[0]);
  // Output columns are indexed 0..n-1; a gap would mean we misread the config.
  if (entries.some(([k], i) => k !== i)) return [];
  return entries.map(([, v]) => v);
}

/**
 * Decides which output column feeds which of our labels, and sigmoid vs softmax.
 * Returns null when no column maps onto any of the six labels.
 */
export function mapLabels(names: string[], problemType: unknown): LabelMap | null {
  const norm = names.map(normalizeLabelName);

  // A two-class single-label model (toxic vs clean): softmax, positive class -> toxic.
  if (norm.length === 2 && problemType !== 'multi_label_classification') {
    const negatives = norm.map((n) => NEGATIVE.test(n));
    if (negatives.filter(Boolean).length === 1) {
      return { byIndex: negatives.map((neg) => (neg ? null : 'toxic')), multiLabel: false, names };
    }
  }

  const byIndex: (Label | null)[] = [];
  const seen = new Set<Label>();
  for (const n of norm) {
    const label = DIRECT[n];
    // First column wins if a model repeats a label under two spellings.
    if (label !== undefined && !seen.has(label)) {
      seen.add(label);
      byIndex.push(label);
    } else {
      byIndex.push(null);
    }
  }
  if (seen.size === 0) return null;

  // Several Jigsaw labels can all be true at once, so they are independent sigmoids unless the
  // config explicitly says single-label; a one-column head is a sigmoid by construction.
  const multiLabel =
    problemType === 'multi_label_classification' ||
    norm.length === 1 ||
    (problemType !== 'single_label_classification' && seen.size >= 2);
  return { byIndex, multiLabel, names };
}
