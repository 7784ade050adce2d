// Group splits: texts that are twins (a contrast pair, a paraphrase, a near-duplicate) land in the
// same split, so validation is never flattered by a sentence whose twin was trained on.
import { hashSplit } from './io.js';

export interface GroupItem {
  /** Unique key of the row inside its corpus. */
  key: string;
  text: string;
  /** Keys of rows this one is explicitly paired with (e.g. DynaHate's `acl.id.matched`). */
  links?: readonly string[];
}

const TOKEN = /[\p{L}\p{N}]+|[^\s\p{L}\p{N}\p{P}]/gu;

/** Lower-cased word tokens (emoji count as tokens: in Hatemoji they carry the meaning). */
export function tokens(text: string): string[] {
  return text.toLowerCase().match(TOKEN) ?? [];
}

class UnionFind {
  private readonly parent: Int32Array;
  constructor(n: number) {
    this.parent = Int32Array.from({ length: n }, (_, i) => i);
  }
  find(i: number): number {
    let r = i;
    while (this.parent[r] !== r) r = this.parent[r] as number;
    while (this.parent[i] !== r) {
      const next = this.parent[i] as number;
      this.parent[i] = r;
      i = next;
    }
    return r;
  }
  union(a: number, b: number): void {
    const ra = this.find(a);
    const rb = this.find(b);
    if (ra !== rb) this.parent[Math.max(ra, rb)] = Math.min(ra, rb);
  }
}

/**
 * Clusters rows by explicit links and by near-duplicate text (word-set Jaccard >= `jaccard`, found
 * through an inverted index of the tokens rarer than `maxDf`), then splits whole clusters by a
 * hash of the cluster's first key. Returns the split of every item, in order.
 */
export function groupSplit(
  corpus: string,
  items: readonly GroupItem[],
  options: { valPercent?: number; jaccard?: number; maxDf?: number } = {},
): ('train' | 'val')[] {
  const { valPercent = 15, jaccard = 0.6, maxDf = 200 } = options;
  const uf = new UnionFind(items.length);
  const byKey = new Map<string, number>();
  items.forEach((item, i) => byKey.set(item.key, i));
  items.forEach((item, i) => {
    for (const link of item.links ?? []) {
      const j = byKey.get(link);
      if (j !== undefined) uf.union(i, j);
    }
  });

  const sets = items.map((item) => [...new Set(tokens(item.text))]);
  const postings = new Map<string, number[]>();
  sets.forEach((set, i) => {
    for (const t of set) {
      let list = postings.get(t);
      if (!list) postings.set(t, (list = []));
      list.push(i);
    }
  });
  const overlap = new Map<number, number>();
  sets.forEach((set, i) => {
    if (set.length === 0) return;
    overlap.clear();
    // Candidates share at least one token that is not common; exact duplicates share them all.
    for (const t of set) {
      const list = postings.get(t) as number[];
      if (list.length > maxDf) continue;
      for (const j of list) if (j < i) overlap.set(j, (overlap.get(j) ?? 0) + 1);
    }
    const mine = new Set(set);
    for (const [j] of overlap) {
      const other = sets[j] as string[];
      // Only sets of similar size can reach the bound.
      if (Math.min(set.length, other.length) < jaccard * Math.max(set.length, other.length)) continue;
      let shared = 0;
      for (const t of other) if (mine.has(t)) shared++;
      const union = set.length + other.length - shared;
      if (shared / union >= jaccard) uf.union(i, j);
    }
  });
  return items.map((_, i) => hashSplit(corpus, (items[uf.find(i)] as GroupItem).key, valPercent));
}
