// What every template-row generator uses: a seeded pick, gold labels written as "these labels
// are 1 (or 0), the rest unknown (or 0)", and the row itself.
import { LABELS, type Label } from '../labels.js';
import type { Example, Gold } from '../corpora/index.js';
import type { Rng } from '../../util/rng.js';

/** One of `items`, drawn with `rng`. */
export function pick<T>(rng: Rng, items: readonly T[]): T {
  return items[Math.floor(rng() * items.length)] as T;
}

/** Gold labels in LABELS order: `values` where given, `rest` elsewhere (null: the row says nothing). */
export function labels(values: Partial<Record<Label, 0 | 1>>, rest: Gold = null): Gold[] {
  return LABELS.map((l) => values[l] ?? rest);
}

/** A template row: corpus "augment", training split only (templates never reach validation). */
export function templateRow(id: string, text: string, gold: Gold[], weight = 1): Example {
  return { id, corpus: 'augment', text, labels: gold, split: 'train', weight };
}
