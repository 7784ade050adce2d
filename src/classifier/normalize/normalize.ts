// Undoes the tricks people use to slip abuse past filters, while remembering where every output
// character came from, so that spans found in the normalised text map back onto the original.
// The same function runs at training and at inference time.
import { CONFUSABLES } from './confusables.js';
import type { Lexicon } from './lexicon.js';
import { deobfuscateToken, joinSpacedLetters, word, type Unit } from './deobfuscate.js';

export interface Normalized {
  /** Lowercased, de-obfuscated text with single spaces between tokens. */
  text: string;
  /** For each UTF-16 unit of `text`, the [start, end) range of the original text it came from. */
  start: Int32Array;
  end: Int32Array;
}


const ENTITIES: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'", nbsp: ' ' };
const ENTITY_RE = /&(amp|lt|gt|quot|apos|nbsp|#\d{1,7}|#x[0-9a-f]{1,6});/iy;
// Diacritics that only decorate letters (zalgo, accents); other scripts' marks (Devanagari vowels) stay.
// eslint-disable-next-line no-misleading-character-class -- each mark is matched on its own, never combined
const DECORATION_RE = /[\u0300-\u036f\u1ab0-\u1aff\u1dc0-\u1dff\u20d0-\u20ff\ufe20-\ufe2f]/g;
const INVISIBLE_RE = /^[\p{Cf}\ufe00-\ufe0f\u034f\u115f\u1160\u3164\uffa0]$/u;
const LATIN_RE = /[a-z]/;

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
    return deobfuscateToken(token, lexicon);
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

/**
 * The normalised text alone, without offsets: what scoring needs. Same result as
 * `normalize(input, lexicon).text`, but plain ASCII words (nearly all of them) skip the
 * per-character bookkeeping; anything unusual takes the full path.
 */
export function normalizeText(input: string, lexicon?: Lexicon): string {
  // Non-ASCII, HTML entities and possible spaced-out letters need the whole-text path.
  // eslint-disable-next-line no-control-regex
  if (/[^\x00-\x7f]|&/.test(input)) return normalize(input, lexicon).text;
  // One scan over the lowercased text (no regexes, no token arrays): tokens are split on ASCII
  // whitespace and control characters, as the full path does.
  const lower = input.toLowerCase();
  const n = lower.length;
  // Most messages come out as they went in, lowercased: `out` is built only from the first token
  // that changes, or the first gap that is not one space; until then the text so far is lower[0, kept).
  let out: string | null = null;
  let kept = 0;
  let run = 0;
  let i = 0;
  while (i < n) {
    while (i < n && (lower.charCodeAt(i) <= 0x20 || lower.charCodeAt(i) === 0x7f)) i++;
    if (i >= n) break;
    const start = i;
    let letters = 0;
    let plain = true;
    let triple = false;
    let prev = -1;
    let same = 0;
    for (; i < n; i++) {
      const c = lower.charCodeAt(i);
      if (c <= 0x20 || c === 0x7f) break;
      const letter = c >= 97 && c <= 122;
      if (letter) letters++;
      else if (c !== 39) plain = false;
      same = letter && c === prev ? same + 1 : 1;
      if (same >= 3) triple = true;
      prev = c;
    }
    // Three one-letter tokens in a row may be spaced-out letters ("f u c k"): the full path joins them.
    run = letters === 1 ? run + 1 : 0;
    if (run >= 3) return normalize(input, lexicon).text;
    if (out === null) {
      const gapIsOneSpace = start === 0 || (kept > 0 && start === kept + 1 && lower.charCodeAt(kept) === 32);
      if (plain && !triple && gapIsOneSpace) {
        kept = i;
        continue;
      }
      out = lower.slice(0, kept);
    }
    const token = lower.slice(start, i);
    out += (out ? ' ' : '') + (plain && !triple ? token : normalize(token, lexicon).text);
  }
  return out ?? lower.slice(0, kept);
}

/** Maps a [start, end) range of normalised text back onto the original text. */
export function originalRange(n: Normalized, start: number, end: number): [number, number] {
  const s = n.start[start] ?? 0;
  const e = n.end[Math.max(start, end - 1)] ?? s;
  return [s, Math.max(s, e)];
}
