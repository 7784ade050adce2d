// Undoes the tricks people use to slip abuse past filters, while remembering where every output
// character came from, so that spans found in the normalised text map back onto the original.
// The same function runs at training and at inference time.
import { CONFUSABLES, LEET } from './confusables.js';
import type { Lexicon } from './lexicon.js';

export interface Normalized {
  /** Lowercased, de-obfuscated text with single spaces between tokens. */
  text: string;
  /** For each UTF-16 unit of `text`, the [start, end) range of the original text it came from. */
  start: Int32Array;
  end: Int32Array;
}

/** One output character and the original range it stands for. */
interface Unit {
  c: string;
  s: number;
  e: number;
}

const ENTITIES: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'", nbsp: ' ' };
const ENTITY_RE = /&(amp|lt|gt|quot|apos|nbsp|#\d{1,7}|#x[0-9a-f]{1,6});/iy;
// Diacritics that only decorate letters (zalgo, accents); other scripts' marks (Devanagari vowels) stay.
// eslint-disable-next-line no-misleading-character-class -- each mark is matched on its own, never combined
const DECORATION_RE = /[\u0300-\u036f\u1ab0-\u1aff\u1dc0-\u1dff\u20d0-\u20ff\ufe20-\ufe2f]/g;
const INVISIBLE_RE = /^[\p{Cf}\ufe00-\ufe0f\u034f\u115f\u1160\u3164\uffa0]$/u;
const LATIN_RE = /[a-z]/;
const LETTER_RE = /^\p{L}$/u;
const SEPARATORS = new Set(['.', '-', '_', '*', '·', '•', '/', '~']);
const MASKS = new Set(['*', '#']);
const EDGE_PUNCT = new Set(['!', '?', '.', ',', ';', ':', '"', "'", '(', ')']);

const charCache = new Map<string, string>();

/** Maps one non-ASCII code point to its plain lowercase form ('' to drop it). */
function foldChar(ch: string): string {
  let folded = charCache.get(ch);
  if (folded !== undefined) return folded;
  if (INVISIBLE_RE.test(ch) || DECORATION_RE.test(ch)) {
    folded = '';
  } else {
    folded = '';
    for (const c of ch.normalize('NFKC').toLowerCase()) {
      const nfd = c.normalize('NFD');
      const bare = nfd.replace(DECORATION_RE, '');
      folded += /\s/.test(c) ? ' ' : bare === nfd ? c : bare.normalize('NFC');
    }
  }
  DECORATION_RE.lastIndex = 0;
  if (charCache.size < 50_000) charCache.set(ch, folded);
  return folded;
}

/** Stage 1: fold every character (case, compatibility forms, fancy fonts, accents, invisibles). */
function foldUnits(input: string): Unit[] {
  const units: Unit[] = [];
  let i = 0;
  while (i < input.length) {
    const code = input.charCodeAt(i);
    if (code === 38 /* & */) {
      ENTITY_RE.lastIndex = i;
      const m = ENTITY_RE.exec(input);
      if (m) {
        const name = (m[1] ?? '').toLowerCase();
        const decoded = name.startsWith('#x')
          ? String.fromCodePoint(parseInt(name.slice(2), 16))
          : name.startsWith('#')
            ? String.fromCodePoint(Number(name.slice(1)))
            : (ENTITIES[name] ?? '&');
        for (const c of foldChar(decoded) || decoded) units.push({ c, s: i, e: i + m[0].length });
        i += m[0].length;
        continue;
      }
    }
    if (code < 128) {
      let c: string;
      if (code >= 65 && code <= 90) c = String.fromCharCode(code + 32);
      else if (code <= 32 || code === 127) c = ' ';
      else c = input[i] as string;
      units.push({ c, s: i, e: i + 1 });
      i += 1;
      continue;
    }
    const cp = input.codePointAt(i) ?? code;
    const width = cp > 0xffff ? 2 : 1;
    const folded = foldChar(input.slice(i, i + width));
    for (const c of folded) units.push({ c, s: i, e: i + width });
    i += width;
  }
  return units;
}

function splitTokens(units: Unit[]): Unit[][] {
  const tokens: Unit[][] = [];
  let current: Unit[] = [];
  for (const u of units) {
    if (u.c === ' ') {
      if (current.length) tokens.push(current);
      current = [];
    } else current.push(u);
  }
  if (current.length) tokens.push(current);
  return tokens;
}

const word = (token: Unit[]): string => token.map((u) => u.c).join('');
const isLetter = (c: string): boolean => LETTER_RE.test(c);

/** Replaces the characters of `token` one for one (a mapping may return '' to drop, or several chars). */
function mapUnits(token: Unit[], f: (u: Unit, i: number) => string): Unit[] {
  const out: Unit[] = [];
  token.forEach((u, i) => {
    for (const c of f(u, i)) out.push({ c, s: u.s, e: u.e });
  });
  return out;
}

function replaceToken(token: Unit[], text: string): Unit[] {
  const first = token[0] as Unit;
  const last = token[token.length - 1] as Unit;
  return [...text].map((c) => ({ c, s: first.s, e: last.e }));
}

/** f.u.c.k, f-u-c-k, f*u*c*k: single letters joined by one kind of separator. */
function undot(token: Unit[]): Unit[] {
  if (token.length < 5) return token;
  const sep = token[1]?.c ?? '';
  if (!SEPARATORS.has(sep)) return token;
  let letters = 0;
  for (let i = 0; i < token.length; i++) {
    const c = token[i]?.c ?? '';
    if (i % 2 === 0) {
      if (!isLetter(c)) return token;
      letters++;
    } else if (c !== sep && !(i === token.length - 1 && c === '.')) return token;
  }
  return letters >= 3 ? token.filter((_, i) => i % 2 === 0) : token;
}

/** Every reading of the leet characters in `token` (at most 32), default reading first. */
function leetReadings(token: Unit[]): Unit[][] {
  let readings: Unit[][] = [[]];
  for (const u of token) {
    const options = LEET[u.c] ?? [u.c];
    const next: Unit[][] = [];
    for (const r of readings) for (const c of options) if (next.length < 32) next.push([...r, { c, s: u.s, e: u.e }]);
    readings = next;
  }
  return readings;
}

/** The most frequent known word among the readings, if any. */
function bestKnown(readings: Unit[][], lexicon: Lexicon | undefined): Unit[] | undefined {
  let best: Unit[] | undefined;
  let bestFreq = 0;
  for (const r of readings) {
    const f = lexicon?.frequency(word(r)) ?? 0;
    if (f > bestFreq) {
      best = r;
      bestFreq = f;
    }
  }
  return best;
}

/** f4gg0t, sh1t, @ss, b!tch, a$$, he11o -> letters, when the result is a known word or the digits sit between letters. */
function unleet(token: Unit[], lexicon: Lexicon | undefined): Unit[] {
  const w = word(token);
  if (!LATIN_RE.test(w) || ![...w].some((c) => c in LEET)) return token;
  const full = bestKnown(leetReadings(token), lexicon);
  if (full) return full;
  // Leave edge punctuation alone ("hello!", "(sh1t)") and try the core.
  let a = 0;
  let b = token.length;
  while (a < b && EDGE_PUNCT.has(token[a]?.c ?? '') && !(token[a]?.c === '!' && isLetter(token[a + 1]?.c ?? ''))) a++;
  while (b > a && EDGE_PUNCT.has(token[b - 1]?.c ?? '')) b--;
  const core = bestKnown(leetReadings(token.slice(a, b)), lexicon);
  if (core) return [...token.slice(0, a), ...core, ...token.slice(b)];
  // Without a dictionary hit, only trust leet characters wedged between two letters.
  let changed = false;
  const inner = mapUnits(token, (u, i) => {
    const sub = LEET[u.c]?.[0];
    if (sub === undefined || !/^[0-9@$!|+€£¡]$/.test(u.c)) return u.c;
    const before = token.slice(0, i).reverse().find((x) => !(x.c in LEET));
    const after = token.slice(i + 1).find((x) => !(x.c in LEET));
    if (before && after && LATIN_RE.test(before.c) && LATIN_RE.test(after.c) && i > 0 && i < token.length - 1) {
      changed = true;
      return sub;
    }
    return u.c;
  });
  return changed ? inner : token;
}

/** f*ck, f**k, sh#t: the most frequent known word of the same length that fits the mask. */
function unmask(token: Unit[], lexicon: Lexicon | undefined): Unit[] {
  if (!lexicon || token.length < 3 || token.length > 20) return token;
  const w = word(token);
  const first = w[0] ?? '';
  const last = w[w.length - 1] ?? '';
  if (!isLetter(first) || !(isLetter(last) || MASKS.has(last)) || ![...w.slice(1)].some((c) => MASKS.has(c))) return token;
  let pattern = '';
  for (const c of w) {
    if (MASKS.has(c)) pattern += '[a-z]';
    else if (isLetter(c)) pattern += c;
    else return token;
  }
  const re = new RegExp(`^${pattern}$`);
  let best = '';
  let bestFreq = 0;
  for (const candidate of lexicon.byLength(w.length)) {
    if (re.test(candidate)) {
      const f = lexicon.frequency(candidate);
      if (f > bestFreq) {
        best = candidate;
        bestFreq = f;
      }
    }
  }
  return best ? mapUnits(token, (_, i) => best[i] ?? '') : token;
}

/** fuuuuck, shiiiit, loooser: runs of 3+ of a letter become the known word with 2 or 1 of it. */
function unrepeat(token: Unit[], lexicon: Lexicon | undefined): Unit[] {
  const w = word(token);
  if (!/(\p{L})\1\1/u.test(w)) return token;
  const collapse = (keep: number): Unit[] => {
    const out: Unit[] = [];
    for (const u of token) {
      const tail = out.slice(-keep);
      if (tail.length === keep && isLetter(u.c) && tail.every((t) => t.c === u.c)) {
        const last = out[out.length - 1] as Unit;
        last.e = u.e;
        continue;
      }
      out.push({ ...u });
    }
    return out;
  };
  const two = collapse(2);
  if (!lexicon || lexicon.has(word(two))) return two;
  const one = collapse(1);
  return lexicon.has(word(one)) ? one : two;
}

/** "f u c k" or "k y s": three or more one-letter tokens in a row become one word. */
function joinSpacedLetters(tokens: Unit[][], lexicon: Lexicon | undefined): Unit[][] {
  const out: Unit[][] = [];
  let i = 0;
  while (i < tokens.length) {
    let j = i;
    while (j < tokens.length && tokens[j]?.length === 1 && isLetter(tokens[j]?.[0]?.c ?? '')) j++;
    if (j - i >= 3) {
      let run = tokens.slice(i, j);
      // "you are a b i t c h": a leading article stays a word of its own.
      const lead = run[0]?.[0]?.c;
      if (lexicon && (lead === 'a' || lead === 'i') && run.length >= 4) {
        const joined = run.map(word).join('');
        if (!lexicon.has(joined) && lexicon.has(joined.slice(1))) {
          out.push(run[0] as Unit[]);
          run = run.slice(1);
        }
      }
      out.push(run.flat());
      i = j;
    } else {
      out.push(tokens[i] as Unit[]);
      i++;
    }
  }
  return out;
}

function mostlyLatin(units: Unit[]): boolean {
  let latin = 0;
  let other = 0;
  for (const u of units) {
    if (u.c >= 'a' && u.c <= 'z') latin++;
    else if (u.c in CONFUSABLES || /[\u0370-\u03ff\u0400-\u04ff]/.test(u.c)) other++;
  }
  return latin > other;
}

const URL_RE = /^(https?:\/\/|www\.)\S+/;
const MENTION_RE = /^(@\w+|<@[!&]?\d+>)/;

export function normalize(input: string, lexicon?: Lexicon): Normalized {
  const units = foldUnits(input);
  const latinText = mostlyLatin(units);
  let tokens = splitTokens(units).map((token) => {
    const w = word(token);
    if (URL_RE.test(w)) return replaceToken(token, 'url');
    if (MENTION_RE.test(w) && !lexicon?.has(w.replace(/^@/, 'a'))) return replaceToken(token, '@user');
    // Homoglyphs: swap look-alikes in Latin text, or inside a token that mixes scripts.
    if (latinText || LATIN_RE.test(w)) token = mapUnits(token, (u) => CONFUSABLES[u.c] ?? u.c);
    if (/^[\p{L}'\u2019]+$/u.test(word(token)) && !/(\p{L})\1\1/u.test(word(token))) return token;
    token = undot(token);
    token = unleet(token, lexicon);
    token = unmask(token, lexicon);
    return unrepeat(token, lexicon);
  });
  tokens = joinSpacedLetters(tokens, lexicon);

  let text = '';
  const starts: number[] = [];
  const ends: number[] = [];
  tokens.forEach((token, t) => {
    if (t > 0) {
      const prev = tokens[t - 1] as Unit[];
      const at = (prev[prev.length - 1] as Unit).e;
      text += ' ';
      starts.push(at);
      ends.push(at);
    }
    for (const u of token) {
      text += u.c;
      for (let k = 0; k < u.c.length; k++) {
        starts.push(u.s);
        ends.push(u.e);
      }
    }
  });
  return { text, start: Int32Array.from(starts), end: Int32Array.from(ends) };
}

/** Maps a [start, end) range of normalised text back onto the original text. */
export function originalRange(n: Normalized, start: number, end: number): [number, number] {
  const s = n.start[start] ?? 0;
  const e = n.end[Math.max(start, end - 1)] ?? s;
  return [s, Math.max(s, e)];
}
