// Puts back the spaces the recogniser dropped between words ("BlacknurseinConnecticut" -> "Black
// nurse in Connecticut"). A letter run that is not a word is split where a unigram model likes it
// much better: word costs are -log frequencies from the built-in model's lexicon (English as the
// corpora write it, slurs and slang included), words only in the `word-list` dictionary cost like the
// rarest lexicon words, and every extra word costs a penalty, so a name like "Sanders" is not cut into
// "sand ers". Punctuation glued between words ("No,son.We") gets its space back too.
import { readFileSync } from 'node:fs';
import { gunzipSync } from 'node:zlib';
import wordListPath from 'word-list';

const LEXICON = new URL('../../models/builtin/lexicon.txt.gz', import.meta.url);

interface Costs {
  word: Map<string, number>;
  /** Cost of a word known only to the dictionary. */
  rare: number;
  longest: number;
}

let costs: Costs | undefined;

function load(): Costs {
  const counts = new Map<string, number>();
  for (const line of gunzipSync(readFileSync(LEXICON)).toString('utf8').split('\n')) {
    const tab = line.indexOf('\t');
    if (tab <= 0) continue;
    const w = line.slice(0, tab).toLowerCase();
    if (!/^\p{L}+$/u.test(w)) continue;
    counts.set(w, (counts.get(w) ?? 0) + Number(line.slice(tab + 1)));
  }
  // The corpora's tokeniser dropped the one-letter words; "I" and "a" are about as common as "is".
  for (const w of ['i', 'a']) counts.set(w, Math.max(counts.get(w) ?? 0, counts.get('is') ?? 1));
  let total = 0;
  for (const c of counts.values()) total += c;
  const word = new Map<string, number>();
  // Only "a" and "i" stand alone as one letter; other single letters in the corpora are noise.
  const rare = -Math.log(1 / total);
  const dictionary = new Set(readFileSync(wordListPath, 'utf8').split('\n'));
  for (const [w, c] of counts) {
    if (w.length === 1 && w !== 'a' && w !== 'i') continue;
    // A handful of sightings of a long non-word is a hashtag or a typo ("ihate", "thankyou"): not a word here.
    if (c < MIN_COUNT && w.length > 4 && !dictionary.has(w)) continue;
    // Counts this small are noise (other languages, typos): such a word costs like a dictionary-only word.
    word.set(w, c < RELIABLE_COUNT ? rare : -Math.log(c / total));
  }
  for (const w of dictionary) if (w.length > 2 && !word.has(w)) word.set(w, rare);
  let longest = 0;
  for (const w of word.keys()) longest = Math.max(longest, w.length);
  return { word, rare, longest: Math.min(longest, 24) };
}

/** Loads the word costs now (a second or two) rather than on the first image. */
export function loadSegmenter(): void {
  costs ??= load();
}

/** Each word after the first in a split costs this much more (nats). */
const SPLIT_PENALTY = 2.5;
/** An unknown run costs like a rare word plus this much per letter: long unknown runs get split. */
const UNKNOWN_PER_LETTER = 2.5;
/** Lexicon words seen fewer times than this must also be in the dictionary to count as words. */
const MIN_COUNT = 5;
/** A split must beat leaving the run whole by this much (nats): two rare pieces do not make a name ("mir anda"). */
const SPLIT_MARGIN = 6;
/** Lexicon counts below this say little about how common a word is. */
const RELIABLE_COUNT = 20;
/** Runs shorter than this are left alone. */
const MIN_RUN = 4;
/**
 * A run this long that is no lexicon word is glued words, whatever the margin says: hardly any
 * English word has 16 letters, but a glued line of short words ("iknowwereinadebate") costs a split
 * penalty per word and so never clears the margin a name needs.
 */
const ALWAYS_SPLIT = 16;

/** Cost of a run of letters that is no known word (a name, a misread word). */
function unknownCost(length: number, c: Costs): number {
  return c.rare + UNKNOWN_PER_LETTER * length;
}

/** The cheapest split of a lowercase letter run into words (known, or unknown at a price), with its cost. */
function bestSplit(run: string, c: Costs): { words: number[]; cost: number } {
  const n = run.length;
  const best = new Float64Array(n + 1).fill(Infinity);
  const from = new Int32Array(n + 1).fill(-1);
  best[0] = 0;
  for (let end = 1; end <= n; end++) {
    for (let start = 0; start < end; start++) {
      if (best[start] === Infinity) continue;
      const piece = end - start <= c.longest ? c.word.get(run.slice(start, end)) : undefined;
      const cost = piece ?? unknownCost(end - start, c);
      const total = (best[start] as number) + cost + (start > 0 ? SPLIT_PENALTY : 0);
      if (total < (best[end] as number)) {
        best[end] = total;
        from[end] = start;
      }
    }
  }
  const cuts: number[] = [];
  for (let end = n; end > 0; end = from[end] as number) cuts.unshift(end);
  return { words: cuts, cost: best[n] as number };
}

/**
 * Segments one run of letters (apostrophes inside allowed: "that'sbecause"), keeping its characters
 * and case; only spaces are added.
 */
export function segmentRun(run: string): string {
  const c = (costs ??= load());
  // Positions in the run of each letter (apostrophes are not looked up: "that's" is "thats").
  const letters: number[] = [];
  for (let i = 0; i < run.length; i++) if (!APOSTROPHE.test(run[i] as string)) letters.push(i);
  const lower = letters.map((i) => run[i]).join('').toLowerCase();
  if (lower.length < MIN_RUN || c.word.has(lower)) return run;
  const split = bestSplit(lower, c);
  if (split.words.length < 2) return run;
  if (lower.length < ALWAYS_SPLIT && split.cost > unknownCost(lower.length, c) - SPLIT_MARGIN) return run;
  let out = '';
  let start = 0;
  for (const end of split.words) {
    const from = start ? (letters[start] as number) : 0;
    const to = end < lower.length ? (letters[end] as number) : run.length;
    out += (start ? ' ' : '') + run.slice(from, to);
    start = end;
  }
  return out;
}

const APOSTROPHE = /['’]/;
const TLD = /^(com|net|org|co|io|me|ly|gg|tv|fm|us|uk|ru)\b/i;
const WEB_ADDRESS = /\.(com|net|org|co|io|me|ly|gg|tv|fm|us|uk|ru)\b/i;

/** Words that precede a number ("in1580", "of2016"); longer words must be known and of 4+ letters ("mp3", "covid19" stay). */
const BEFORE_NUMBER = new Set(['in', 'of', 'on', 'at', 'by', 'to', 'is', 'was', 'for', 'and', 'the', 'than']);
/** Names that start with a digit, not a number and a word. */
const NUMBERED_NAMES = /^(4chan|8chan|9gag|2pac|4kids|7up)$/i;

function isWord(letters: string): boolean {
  return (costs ??= load()).word.has(letters.toLowerCase());
}

/** Contractions whose apostrophe the recogniser read as a space (or dropped and the segmenter split): "DON T" -> "DON'T". */
const CONTRACTION = /\b(\p{L}+n|i|you|we|they|he|she|it|that|there|what|who|let|\p{L}+) (t|m|re|ve|ll|d|s)\b/giu;
const CONTRACTS: Record<string, RegExp> = {
  t: /n$/i,
  m: /^i$/i,
  re: /^(you|we|they|who|what)$/i,
  ve: /^(i|you|we|they|could|would|should|must|might|who)$/i,
  ll: /^(i|you|we|they|he|she|it|that|there|who)$/i,
  d: /^(i|you|we|they|he|she|it|who)$/i,
  s: /^\p{L}{2,}$/u,
};

function restoreApostrophes(line: string): string {
  return line.replace(CONTRACTION, (m, word: string, suffix: string) => (CONTRACTS[suffix.toLowerCase()]?.test(word) ? `${word}'${suffix}` : m));
}

/**
 * Restores spaces in a recognised line: after sentence punctuation glued to a word, between a word
 * and a number ("in1580", "14years"), and inside glued letter runs. Web addresses are left as written.
 */
export function restoreSpaces(line: string): string {
  return restoreApostrophes(line)
    .replace(/(\p{L}[,.!?;:]+)(?=\p{L})/gu, (m, _p, offset: number, all: string) => (TLD.test(all.slice(offset + m.length)) && m.endsWith('.') ? m : `${m} `))
    .split(' ')
    .map((token) => (WEB_ADDRESS.test(token) ? token : token.replace(/\p{L}+(?:['’]\p{L}+)*/gu, (run) => segmentRun(run))))
    .join(' ')
    .replace(/(?<=\b)(\p{L}{2,})(?=\d)/gu, (m) => (BEFORE_NUMBER.has(m.toLowerCase()) || (m.length >= 4 && isWord(m)) ? `${m} ` : m))
    .replace(/\b(\d+)(\p{L}{3,})\b/gu, (m, digits: string, letters: string) => (!NUMBERED_NAMES.test(m) && isWord(letters) ? `${digits} ${letters}` : m))
    .replace(CONTRACTION, (m, word: string, suffix: string) => (CONTRACTS[suffix.toLowerCase()]?.test(word) ? `${word}'${suffix}` : m));
}
