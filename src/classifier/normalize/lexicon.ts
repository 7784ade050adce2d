/**
 * The words seen in training with their counts. The normaliser uses it to decide whether a
 * de-obfuscated form ("sh1t" -> "shit", "f*ck" -> "fuck") is a real word.
 */
export class Lexicon {
  private readonly counts: Map<string, number>;
  private readonly lengths = new Map<number, string[]>();
  /** Sum of all counts (for word probabilities). */
  readonly total: number;

  constructor(entries: Iterable<[string, number]>) {
    this.counts = new Map(entries);
    let total = 0;
    for (const c of this.counts.values()) total += c;
    this.total = total;
    for (const w of this.counts.keys()) {
      const list = this.lengths.get(w.length) ?? [];
      list.push(w);
      this.lengths.set(w.length, list);
    }
  }

  has(word: string): boolean {
    return this.counts.has(word);
  }

  frequency(word: string): number {
    return this.counts.get(word) ?? 0;
  }

  byLength(length: number): readonly string[] {
    return this.lengths.get(length) ?? [];
  }

  get size(): number {
    return this.counts.size;
  }

  /** Most frequent first, for storage in the model file. */
  toJSON(): [string, number][] {
    return [...this.counts].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1));
  }

  /** Builds the lexicon from raw texts: alphabetic words of 2+ letters seen at least `minCount` times. */
  static fromTexts(texts: Iterable<string>, fold: (text: string) => string, options: { minCount?: number; maxWords?: number } = {}): Lexicon {
    const minCount = options.minCount ?? 3;
    const maxWords = options.maxWords ?? 80_000;
    const counts = new Map<string, number>();
    for (const text of texts) {
      for (const w of fold(text).split(' ')) {
        const bare = w.replace(/^[^\p{L}]+|[^\p{L}]+$/gu, '');
        if (bare.length >= 2 && bare.length <= 24 && /^\p{L}+$/u.test(bare)) counts.set(bare, (counts.get(bare) ?? 0) + 1);
      }
    }
    const kept = [...counts].filter(([, c]) => c >= minCount).sort((a, b) => b[1] - a[1]).slice(0, maxWords);
    return new Lexicon(kept);
  }
}
