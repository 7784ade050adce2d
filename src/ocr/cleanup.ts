// Judges how plausible a pass's reading is, and drops the lines that are only noise. On memes,
// tesseract "reads" hair, bricks and faces as strings like "~~ ww Sie y -". A line is kept when
// enough of it is word-like; within a kept line every word stays as read (a near-miss like
// "INEXISTENGE" is closer to the truth than nothing, which is what character error rate measures).
// The score (dictionary characters minus noise) is how passes are compared.
import { readFileSync } from 'node:fs';
import wordListPath from 'word-list';

export interface RecognisedWord {
  text: string;
  confidence: number;
}

export interface CleanText {
  lines: string[];
  /** Characters of dictionary words minus penalties for noise: higher is a better reading. */
  score: number;
  /** All recognised characters, noise included. */
  rawChars: number;
  /** Mean confidence (0-1) of the kept words, weighted by length. */
  confidence: number;
}

let dictionary: Set<string> | undefined;
/** Short everyday words the dictionary leaves out. */
const MISSING_FROM_LIST = ['a', 'i', 'im', 'u', 'ur', 'ok', 'lol', 'omg', 'wtf', 'dont', 'cant', 'wont', 'didnt', 'isnt', 'doesnt', 'youre', 'thats', 'ive', 'id'];
function isWord(w: string): boolean {
  dictionary ??= new Set([...readFileSync(wordListPath, 'utf8').split('\n'), ...MISSING_FROM_LIST]);
  return dictionary.has(w);
}

function letterCount(s: string): number {
  return (s.match(/\p{L}/gu) ?? []).length;
}

/** A word's letters for the dictionary check: lowercase, apostrophes and edge punctuation dropped. */
function core(word: string): string {
  return word.toLowerCase().replace(/['’]/g, '').replace(/^[^\p{L}\p{N}]+|[^\p{L}\p{N}]+$/gu, '');
}

/** Share of a line's characters that must be word-like for the line to be kept. */
const MIN_LINE_SHARE = 0.4;

/**
 * `keepConfidence`: a line whose words all reach this confidence (0-100) is kept even when it is not
 * word-like (a recogniser that is rarely confidently wrong reads numbers, names and handles right).
 */
export function cleanLines(lines: readonly RecognisedWord[][], options: { keepConfidence?: number } = {}): CleanText {
  const out: string[] = [];
  let score = 0;
  let rawChars = 0;
  let confSum = 0;
  let keptChars = 0;
  for (const line of lines) {
    let all = 0;
    let wordLike = 0;
    let dictionaryChars = 0;
    for (const w of line) {
      const t = w.text;
      all += t.length;
      const c = core(t);
      const inDictionary = c.length > 0 && isWord(c);
      const plausible = inDictionary ? w.confidence >= 20 : (letterCount(t) >= 2 || /^\d+$/.test(c)) && letterCount(t) / t.length >= 0.5;
      if (plausible) wordLike += t.length;
      if (plausible && inDictionary) dictionaryChars += t.length;
    }
    rawChars += all;
    const confident = options.keepConfidence !== undefined && line.every((w) => w.confidence >= (options.keepConfidence as number));
    if (!confident && (!wordLike || wordLike / Math.max(1, all) < MIN_LINE_SHARE)) {
      score -= all * 0.5;
      continue;
    }
    score += dictionaryChars - (all - wordLike) * 0.5 - (wordLike - dictionaryChars) * 0.2;
    for (const w of line) {
      confSum += w.confidence * w.text.length;
      keptChars += w.text.length;
    }
    out.push(line.map((w) => w.text).join(' '));
  }
  return { lines: out, score, rawChars, confidence: keptChars ? confSum / keptChars / 100 : 0 };
}
