// Word-level de-obfuscation: dotted, leet, masked and stretched words, and words typed as spaced
// single letters. Each works on the word's core (punctuation around it stays where it was) and
// asks the lexicon which reading is a real word, preferring the most frequent one.
import { LEET } from './confusables.js';
import type { Lexicon } from './lexicon.js';

/** One output character and the original range it stands for. */
export interface Unit {
  c: string;
  s: number;
  e: number;
}

const LETTER_RE = /^\p{L}$/u;
const LATIN_RE = /^[a-z]$/;
const SEPARATORS = new Set(['.', '-', '_', '*', '·', '•', '/', '~']);
const MASKS = new Set(['*', '#', '@']);
/** Punctuation that may surround a word without being part of it (leet symbols like ! $ @ are not). */
const EDGE = new Set(['.', ',', ';', ':', '?', '!', '"', "'", '(', ')', '[', ']', '…', '“', '”', '‘', '’']);

export const word = (token: readonly Unit[]): string => token.map((u) => u.c).join('');
export const isLetter = (c: string): boolean => LETTER_RE.test(c);

function withChars(token: readonly Unit[], chars: readonly string[]): Unit[] {
  return token.map((u, i) => ({ c: chars[i] ?? u.c, s: u.s, e: u.e }));
}

/** Splits a token into leading punctuation, the word, and trailing punctuation. */
export function edges(token: readonly Unit[]): { lead: Unit[]; core: Unit[]; trail: Unit[] } {
  let a = 0;
  let b = token.length;
  while (b > a && EDGE.has(token[b - 1]?.c ?? '')) b--;
  // A leading "!" before a letter is leet (b!tch never starts with it, but !diot might).
  while (a < b && EDGE.has(token[a]?.c ?? '') && token[a]?.c !== '!') a++;
  return { lead: token.slice(0, a), core: token.slice(a, b), trail: token.slice(b) };
}

/** f.u.c.k, f-u-c-k, f*u*c*k: single letters joined by one kind of separator. */
function undot(core: Unit[]): Unit[] {
  if (core.length < 5) return core;
  const sep = core[1]?.c ?? '';
  if (!SEPARATORS.has(sep)) return core;
  for (let i = 0; i < core.length; i++) {
    const c = core[i]?.c ?? '';
    if (i % 2 === 0 ? !isLetter(c) : c !== sep) return core;
  }
  return core.length % 2 === 1 ? core.filter((_, i) => i % 2 === 0) : core;
}

/**
 * Leet and masks together: every reading of the leet characters (1 = i or l, @ = a or a masked
 * letter...) and every lexicon word that fits the masked positions; the most frequent known word
 * wins. Without a known word, only leet characters wedged between letters are trusted (f4gg0t).
 */
function unleetAndUnmask(core: Unit[], lexicon: Lexicon | undefined): Unit[] {
  const w = word(core);
  const hasLeet = [...w].some((c) => c in LEET);
  const hasMask = [...w.slice(1)].some((c) => MASKS.has(c)) && isLetter(w[0] ?? '');
  if ((!hasLeet && !hasMask) || ![...w].some((c) => LATIN_RE.test(c))) return core;
  let best: string | undefined;
  let bestFreq = 0;
  const consider = (candidate: string): void => {
    const f = lexicon?.frequency(candidate) ?? 0;
    if (f > bestFreq) {
      best = candidate;
      bestFreq = f;
    }
  };
  if (hasLeet) {
    let readings = [''];
    for (const c of w) {
      const options = LEET[c] ?? [c];
      readings = readings.flatMap((r) => options.map((o) => r + o)).slice(0, 64);
    }
    readings.forEach(consider);
  }
  if (hasMask && lexicon && w.length <= 20) {
    const parts = [...w].map((c) => (MASKS.has(c) ? '[a-z]' : isLetter(c) ? c : LEET[c] ? `[${LEET[c].join('')}]` : null));
    const pattern = parts.every((p) => p !== null) ? new RegExp(`^${parts.join('')}$`) : /^$/;
    for (const candidate of lexicon.byLength(w.length)) if (pattern.test(candidate)) consider(candidate);
  }
  if (best !== undefined && best.length === core.length) return withChars(core, [...best]);
  // No dictionary hit: map leet characters that sit between two letters.
  let changed = false;
  const chars = core.map((u, i) => {
    const sub = LEET[u.c]?.[0];
    if (sub === undefined) return u.c;
    const before = core.slice(0, i).reverse().find((x) => !(x.c in LEET));
    const after = core.slice(i + 1).find((x) => !(x.c in LEET));
    if (before && after && LATIN_RE.test(before.c) && LATIN_RE.test(after.c)) {
      changed = true;
      return sub;
    }
    return u.c;
  });
  return changed ? withChars(core, chars) : core;
}

/** fuuuuck, yoooouuuu, shiiiit: each run of 3+ of a letter becomes 1 or 2 of it, as the lexicon prefers. */
function unrepeat(core: Unit[], lexicon: Lexicon | undefined): Unit[] {
  // Runs as [start, length] over the core.
  const runs: [number, number][] = [];
  for (let i = 0; i < core.length; ) {
    let j = i + 1;
    while (j < core.length && core[j]?.c === core[i]?.c) j++;
    if (j - i >= 3 && isLetter(core[i]?.c ?? '')) runs.push([i, j - i]);
    i = j;
  }
  if (runs.length === 0) return core;
  const build = (keep: number[]): Unit[] => {
    const out: Unit[] = [];
    let r = 0;
    for (let i = 0; i < core.length; i++) {
      const run = runs[r];
      if (run && i === run[0]) {
        const k = keep[r] as number;
        for (let n = 0; n < k; n++) out.push({ ...(core[i + n] as Unit) });
        (out[out.length - 1] as Unit).e = (core[run[0] + run[1] - 1] as Unit).e;
        i += run[1] - 1;
        r++;
      } else out.push(core[i] as Unit);
    }
    return out;
  };
  let best = build(runs.map(() => 2));
  let bestFreq = lexicon?.frequency(word(best)) ?? 0;
  const combos = Math.min(1 << runs.length, 64);
  for (let mask = 0; mask < combos; mask++) {
    const candidate = build(runs.map((_, r) => (mask >> r) & 1 ? 1 : 2));
    const f = lexicon?.frequency(word(candidate)) ?? 0;
    if (f > bestFreq) {
      best = candidate;
      bestFreq = f;
    }
  }
  return best;
}

/** De-obfuscates one token, leaving the punctuation around the word in place. */
export function deobfuscateToken(token: Unit[], lexicon: Lexicon | undefined): Unit[] {
  const { lead, core, trail } = edges(token);
  if (core.length === 0) return token;
  let w = undot(core);
  w = unleetAndUnmask(w, lexicon);
  w = unrepeat(w, lexicon);
  return [...lead, ...w, ...trail];
}

/**
 * Splits a run of letters into the most likely sequence of known words (unigram model over the
 * lexicon's counts), e.g. "youareastupididiot" -> you are a stupid idiot. Undefined when no
 * segmentation into known words exists.
 */
export function segment(letters: string, lexicon: Lexicon): number[] | undefined {
  const n = letters.length;
  if (n > 80) return undefined;
  const total = Math.max(1, lexicon.total);
  const best = new Float64Array(n + 1).fill(-Infinity);
  const from = new Int32Array(n + 1).fill(-1);
  best[0] = 0;
  for (let i = 1; i <= n; i++) {
    for (let j = Math.max(0, i - 24); j < i; j++) {
      if (best[j] === -Infinity) continue;
      const piece = letters.slice(j, i);
      const f = piece === 'a' || piece === 'i' ? total / 50 : lexicon.frequency(piece);
      if (f <= 0) continue;
      const score = (best[j] as number) + Math.log(f / total);
      if (score > (best[i] as number)) {
        best[i] = score;
        from[i] = j;
      }
    }
  }
  if (best[n] === -Infinity) return undefined;
  const cuts: number[] = [];
  for (let i = n; i > 0; i = from[i] as number) cuts.push(i);
  return cuts.reverse();
}

/**
 * "f u c k", "k y s", "y o u a r e a l o s e r": three or more one-letter tokens in a row are
 * joined, then split into known words when the lexicon can.
 */
export function joinSpacedLetters(tokens: Unit[][], lexicon: Lexicon | undefined): Unit[][] {
  const out: Unit[][] = [];
  const single = (t: Unit[] | undefined): { core: Unit[]; trail: Unit[] } | undefined => {
    if (!t) return undefined;
    const { lead, core, trail } = edges(t);
    return lead.length === 0 && core.length === 1 && isLetter(core[0]?.c ?? '') ? { core, trail } : undefined;
  };
  let i = 0;
  while (i < tokens.length) {
    let j = i;
    const letters: Unit[] = [];
    let trail: Unit[] = [];
    while (j < tokens.length) {
      const s = single(tokens[j]);
      if (!s) break;
      letters.push(...s.core);
      j++;
      if (s.trail.length) {
        trail = s.trail;
        break;
      }
    }
    if (j - i < 3) {
      out.push(tokens[i] as Unit[]);
      i++;
      continue;
    }
    const joined = word(letters);
    const cuts = lexicon && !lexicon.has(joined) ? segment(joined, lexicon) : undefined;
    if (cuts && cuts.length > 1) {
      let start = 0;
      cuts.forEach((end, k) => {
        const piece = letters.slice(start, end);
        out.push(k === cuts.length - 1 ? [...piece, ...trail] : piece);
        start = end;
      });
    } else out.push([...letters, ...trail]);
    i = j;
  }
  return out;
}
