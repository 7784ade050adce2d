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
  for (const [w, c] of counts) if (w.length > 1 || w === 'a' || w === 'i') word.set(w, -Math.log(c / total));
  const rare = -Math.log(1 / total);
  for (const w of readFileSync(wordListPath, 'utf8').split('\n')) if (w.length > 2 && !word.has(w)) word.set(w, rare);
  let longest = 0;
  for (const w of word.keys()) longest = Math.max(longest, w.length);
  return { word, rare, longest: Math.min(longest, 24) };
}

/** Each word after the first in a split costs this much more (nats). */
const SPLIT_PENALTY = 2.5;
/** An unknown run costs like a rare word plus this much per letter: long unknown runs get split. */
const UNKNOWN_PER_LETTER = 2.5;
/** Runs shorter than this are left alone. */
const MIN_RUN = 4;

/** The cheapest split of a lowercase letter run into known words, or undefined. */
function bestSplit(run: string, c: Costs): { words: number[]; cost: number } | undefined {
  const n = run.length;
  const best = new Float64Array(n + 1).fill(Infinity);
  const from = new Int32Array(n + 1).fill(-1);
  best[0] = 0;
  for (let end = 1; end <= n; end++) {
    for (let start = Math.max(0, end - c.longest); start < end; start++) {
      if (best[start] === Infinity) continue;
      const cost = c.word.get(run.slice(start, end));
      if (cost === undefined) continue;
      const total = (best[start] as number) + cost + (start > 0 ? SPLIT_PENALTY : 0);
      if (total < (best[end] as number)) {
        best[end] = total;
        from[end] = start;
      }
    }
  }
  if (best[n] === Infinity) return undefined;
  const cuts: number[] = [];
  for (let end = n; end > 0; end = from[end] as number) cuts.unshift(end);
  return { words: cuts, cost: best[n] as number };
}

/** Segments one letter run, keeping its letters and case; only spaces are added. */
export function segmentRun(run: string): string {
  const c = (costs ??= load());
  const lower = run.toLowerCase();
  if (run.length < MIN_RUN || c.word.has(lower)) return run;
  const split = bestSplit(lower, c);
  if (!split || split.cost >= c.rare + UNKNOWN_PER_LETTER * run.length) return run;
  let out = '';
  let start = 0;
  for (const end of split.words) {
    out += (start ? ' ' : '') + run.slice(start, end);
    start = end;
  }
  return out;
}

const TLD = /^(com|net|org|co|io|me|ly|gg|tv|fm|us|uk|ru)\b/i;

/** Restores spaces in a recognised line: after sentence punctuation glued to a word, and inside glued letter runs. */
export function restoreSpaces(line: string): string {
  const spaced = line.replace(/(\p{L}[,.!?;:]+)(?=\p{L})/gu, (m, _p, offset: number, all: string) => (TLD.test(all.slice(offset + m.length)) && m.endsWith('.') ? m : `${m} `));
  // Web addresses ("imgflip.com") are left as written.
  return spaced
    .split(' ')
    .map((token) => (/\.(com|net|org|co|io|me|ly|gg|tv|fm|us|uk|ru)\b/i.test(token) ? token : token.replace(/\p{L}+/gu, (run) => segmentRun(run))))
    .join(' ');
}
