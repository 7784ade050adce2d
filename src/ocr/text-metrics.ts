// Character and word error rates for OCR, after the normalisation both sides need: lowercase,
// Penn Treebank splits rejoined ("do n't" -> "don't"), punctuation stripped, whitespace collapsed.
import { distance } from 'fastest-levenshtein';

export function normaliseForScoring(text: string): string {
  return text
    .normalize('NFKC')
    .toLowerCase()
    .replace(/``|''/g, ' ')
    .replace(/[’‘`]/g, "'")
    .replace(/\s+(n't|'s|'re|'ve|'ll|'d|'m)\b/g, '$1')
    .replace(/'/g, '')
    .replace(/[^\p{L}\p{N}]+/gu, ' ')
    .trim();
}

/** Edit distance between two word sequences (words mapped to single code points, then Levenshtein). */
function wordDistance(a: string[], b: string[]): number {
  const codes = new Map<string, string>();
  const encode = (words: string[]): string =>
    words
      .map((w) => {
        let c = codes.get(w);
        if (c === undefined) {
          c = String.fromCharCode(0x3400 + codes.size); // one UTF-16 unit per word (CJK block, 27k codes)
          codes.set(w, c);
        }
        return c;
      })
      .join('');
  return distance(encode(a), encode(b));
}

export interface ErrorCounts {
  charErrors: number;
  chars: number;
  wordErrors: number;
  words: number;
}

export function errorCounts(hypothesis: string, reference: string): ErrorCounts {
  const h = normaliseForScoring(hypothesis);
  const r = normaliseForScoring(reference);
  const hw = h ? h.split(' ') : [];
  const rw = r ? r.split(' ') : [];
  return { charErrors: distance(h, r), chars: r.length, wordErrors: wordDistance(hw, rw), words: rw.length };
}

/** Corpus rates: total edits over total reference length (long texts weigh more, as they should). */
export function corpusRates(counts: readonly ErrorCounts[]): { cer: number; wer: number } {
  const sum = (k: keyof ErrorCounts): number => counts.reduce((s, c) => s + c[k], 0);
  return { cer: sum('charErrors') / Math.max(1, sum('chars')), wer: sum('wordErrors') / Math.max(1, sum('words')) };
}
