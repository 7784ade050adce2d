// Turns tesseract's words into lines of plausible text. On memes, tesseract "reads" hair, bricks
// and faces as strings like "~~ ww Sie y -"; a word survives if it is a dictionary word read with
// some confidence, or a non-dictionary word (a name, a handle, a number) read with high confidence.
// How much plausible text a pass produced is also how passes are compared.
import { readFileSync } from 'node:fs';
import wordListPath from 'word-list';

export interface RecognisedWord {
  text: string;
  confidence: number;
}

export interface CleanText {
  lines: string[];
  /** Characters of plausible words minus characters of junk: higher is a better reading. */
  score: number;
  /** Mean confidence (0-1) of the kept words, weighted by length. */
  confidence: number;
  /** Share of the recognised characters that were kept. */
  keptShare: number;
}

let dictionary: Set<string> | undefined;
function isWord(w: string): boolean {
  dictionary ??= new Set(readFileSync(wordListPath, 'utf8').split('\n'));
  return dictionary.has(w) || WORDS_MISSING_FROM_LIST.has(w);
}
/** Short everyday words the dictionary leaves out. */
const WORDS_MISSING_FROM_LIST = new Set(['a', 'i', 'im', 'u', 'ur', 'ok', 'lol', 'omg', 'wtf', 'dont', 'cant', 'wont', 'didnt', 'isnt', 'doesnt', 'youre', 'thats', 'ive', 'ill', 'id']);

/** A word's letters for the dictionary check: lowercase, apostrophes and edge punctuation dropped. */
function core(word: string): string {
  return word.toLowerCase().replace(/['’]/g, '').replace(/^[^\p{L}\p{N}]+|[^\p{L}\p{N}]+$/gu, '');
}

function judge(word: RecognisedWord): 'word' | 'plausible' | 'junk' {
  const c = core(word.text);
  if (!c) return word.text.length <= 2 && word.confidence >= 60 ? 'plausible' : 'junk';
  if (/^\d+([.,:/-]\d+)*$/.test(c)) return word.confidence >= 60 ? 'plausible' : 'junk';
  const inner = c.replace(/[-/]/g, '');
  if (!/[^\p{L}]/u.test(inner) && (c.length > 1 || c === 'a' || c === 'i') && (isWord(c) || c.split(/[-/]/).every((p) => p && isWord(p)))) {
    return word.confidence >= 30 ? 'word' : 'junk';
  }
  // Names, handles, slang: kept only when tesseract is sure and the shape is word-like.
  if (word.confidence >= 80 && c.length >= 2 && /^[@#]?[\p{L}][\p{L}\p{N}'’._-]*$/u.test(word.text.replace(/[.,!?;:"”“)]+$/u, ''))) return 'plausible';
  return 'junk';
}

export function cleanLines(lines: readonly RecognisedWord[][]): CleanText {
  const out: string[] = [];
  let score = 0;
  let confSum = 0;
  let keptChars = 0;
  let allChars = 0;
  for (const line of lines) {
    const kept: RecognisedWord[] = [];
    let lineScore = 0;
    for (const w of line) {
      const verdict = judge(w);
      allChars += w.text.length;
      if (verdict === 'junk') {
        lineScore -= w.text.length * 0.7;
        continue;
      }
      lineScore += verdict === 'word' ? w.text.length : w.text.length * 0.5;
      kept.push(w);
    }
    // A line made mostly of junk is noise even if a short "word" hides in it ("ww Sie y").
    const keptLen = kept.reduce((s, w) => s + w.text.length, 0);
    if (!kept.length || (keptLen < 4 && lineScore <= 0)) {
      score += Math.min(0, lineScore);
      continue;
    }
    score += lineScore;
    for (const w of kept) {
      confSum += w.confidence * w.text.length;
      keptChars += w.text.length;
    }
    out.push(kept.map((w) => w.text).join(' '));
  }
  return { lines: out, score, confidence: keptChars ? confSum / keptChars / 100 : 0, keptShare: allChars ? keptChars / allChars : 0 };
}
