import { makeRng, type Rng } from '../../util/rng.js';

export { makeRng, type Rng };
/**
 * Evasion generator: disguises words the way abusers do (fancy fonts, homoglyphs, leet,
 * invisible characters...) so we can measure how robust the classifier is to obfuscation.
 * Everything is driven by a seeded PRNG so a robustness run can be reproduced exactly.
 */

export const TRICKS = [
  'fancy_font',
  'fullwidth',
  'homoglyph',
  'leet',
  'zero_width',
  'zalgo',
  'spaced',
  'dotted',
  'repeated',
  'masked',
] as const;
export type Trick = (typeof TRICKS)[number];


const DESCRIPTIONS: Record<Trick, string> = {
  fancy_font: 'Mathematical Alphanumeric letters (bold, italic, script, fraktur, double-struck...)',
  fullwidth: 'fullwidth Latin letters (U+FF21-FF5A)',
  homoglyph: 'some Latin letters swapped for Cyrillic/Greek look-alikes',
  leet: 'leetspeak digits and symbols (a->4/@, e->3, i->1/!, o->0, s->5/$...)',
  zero_width: 'invisible zero-width characters between letters',
  zalgo: '1-3 combining diacritics after every letter',
  spaced: 'letters separated by single spaces',
  dotted: 'letters separated by one of . - _ *',
  repeated: 'one or two letters repeated 2-5 extra times',
  masked: '1-2 inner letters replaced by * (or # / @)',
};

export function describeTrick(trick: Trick): string {
  return `${trick}: ${DESCRIPTIONS[trick]}`;
}

// --- small helpers -----------------------------------------------------------------------

const int = (rng: Rng, lo: number, hi: number): number => lo + Math.floor(rng() * (hi - lo + 1));
const pick = <T>(rng: Rng, items: readonly T[]): T => items[Math.floor(rng() * items.length)] as T;

/** Chooses a non-empty random subset of `indices` (each kept with p=0.5, one always forced). */
function someOf(rng: Rng, indices: number[]): Set<number> {
  const forced = pick(rng, indices);
  return new Set(indices.filter((i) => i === forced || rng() < 0.5));
}

// Graphemes, not code units: keeps surrogate pairs and existing accents attached to their letter.
const segmenter = new Intl.Segmenter('en', { granularity: 'grapheme' });
const graphemes = (s: string): string[] => Array.from(segmenter.segment(s), (g) => g.segment);

const isLetter = (g: string): boolean => /^\p{L}/u.test(g);
const isAsciiLetter = (g: string): boolean => /^[A-Za-z]$/.test(g);
const indicesWhere = (gs: string[], test: (g: string, i: number) => boolean): number[] =>
  gs.flatMap((g, i) => (test(g, i) ? [i] : []));

// --- per-trick tables --------------------------------------------------------------------

interface FontStyle {
  upper: number;
  lower: number;
  /** Letters whose slot in the math block is reserved: they live in Letterlike Symbols. */
  holes?: Partial<Record<string, number>>;
}

const FONTS: readonly FontStyle[] = [
  { upper: 0x1d400, lower: 0x1d41a }, // bold
  { upper: 0x1d434, lower: 0x1d44e, holes: { h: 0x210e } }, // italic
  { upper: 0x1d468, lower: 0x1d482 }, // bold italic
  {
    upper: 0x1d49c, // script
    lower: 0x1d4b6,
    holes: {
      B: 0x212c, E: 0x2130, F: 0x2131, H: 0x210b, I: 0x2110, L: 0x2112, M: 0x2133, R: 0x211b,
      e: 0x212f, g: 0x210a, o: 0x2134,
    },
  },
  { upper: 0x1d4d0, lower: 0x1d4ea }, // bold script
  { upper: 0x1d504, lower: 0x1d51e, holes: { C: 0x212d, H: 0x210c, I: 0x2111, R: 0x211c, Z: 0x2128 } }, // fraktur
  {
    upper: 0x1d538, // double-struck
    lower: 0x1d552,
    holes: { C: 0x2102, H: 0x210d, N: 0x2115, P: 0x2119, Q: 0x211a, R: 0x211d, Z: 0x2124 },
  },
  { upper: 0x1d56c, lower: 0x1d586 }, // bold fraktur
  { upper: 0x1d5d4, lower: 0x1d5ee }, // sans-serif bold
  { upper: 0x1d670, lower: 0x1d68a }, // monospace
];

function fancyLetter(g: string, font: FontStyle): string {
  if (!isAsciiLetter(g)) return g;
  const hole = font.holes?.[g];
  if (hole !== undefined) return String.fromCodePoint(hole);
  const upper = g <= 'Z';
  const base = upper ? font.upper : font.lower;
  return String.fromCodePoint(base + g.charCodeAt(0) - (upper ? 65 : 97));
}

// Cyrillic unless noted; only glyphs that really look identical in common fonts.
const HOMOGLYPHS: Partial<Record<string, string>> = {
  a: 'а', c: 'с', d: 'ԁ', e: 'е', h: 'һ', i: 'і', j: 'ј', l: 'ӏ', o: 'о', p: 'р', q: 'ԛ', s: 'ѕ',
  v: 'ν' /* Greek nu */, w: 'ԝ', x: 'х', y: 'у',
  A: 'А', B: 'В', C: 'С', E: 'Е', H: 'Н', I: 'І', J: 'Ј', K: 'К', M: 'М', N: 'Ν' /* Greek */,
  O: 'О', P: 'Р', S: 'Ѕ', T: 'Т', X: 'Х', Y: 'Υ' /* Greek */, Z: 'Ζ' /* Greek */,
};

const LEET: Partial<Record<string, readonly string[]>> = {
  a: ['4', '@'], e: ['3'], i: ['1', '!'], o: ['0'], s: ['5', '$'], t: ['7'], g: ['9'], b: ['8'], l: ['1'],
};
const leetOptions = (g: string) => LEET[g.toLowerCase()];

const ZERO_WIDTH = ['\u200b', '\u200c', '\u200d', '\u2060', '\ufeff'] as const;
const SEPARATORS = ['.', '-', '_', '*'] as const;
const MASKS = ['*', '*', '*', '#', '@'] as const; // '*' is by far the most common in the wild

// --- word level --------------------------------------------------------------------------

/** Splits "(word!)" into "(", "word", "!)" so punctuation around a word is left alone. */
const WORD_PARTS = /^([^\p{L}\p{N}]*)(.*?)([^\p{L}\p{M}\p{N}]*)$/su;

/** Positions the trick would touch; empty means the trick cannot disguise this word. */
function targets(gs: string[], trick: Trick): number[] {
  switch (trick) {
    case 'homoglyph':
      return indicesWhere(gs, (g) => HOMOGLYPHS[g] !== undefined);
    case 'leet':
      return indicesWhere(gs, (g) => isAsciiLetter(g) && leetOptions(g) !== undefined);
    case 'zero_width':
      // gaps after letter i (before i + 1)
      return indicesWhere(gs, (_g, i) => i < gs.length - 1);
    case 'spaced':
    case 'dotted':
      return gs.length >= 2 ? [0] : [];
    case 'masked':
      // only inner letters, and only when there are enough letters left to read the word
      return gs.length >= 4 ? indicesWhere(gs, (g, i) => i > 0 && i < gs.length - 1 && isLetter(g)) : [];
    case 'repeated':
    case 'zalgo':
      return indicesWhere(gs, isLetter);
    case 'fancy_font':
    case 'fullwidth':
      return indicesWhere(gs, isAsciiLetter);
  }
}

function disguise(gs: string[], trick: Trick, at: number[], rng: Rng): string {
  switch (trick) {
    case 'fancy_font': {
      const font = pick(rng, FONTS);
      return gs.map((g) => fancyLetter(g, font)).join('');
    }
    case 'fullwidth':
      // the fullwidth forms sit at a fixed offset from ASCII
      return gs.map((g) => (isAsciiLetter(g) ? String.fromCharCode(g.charCodeAt(0) + 0xfee0) : g)).join('');
    case 'homoglyph': {
      const swap = someOf(rng, at);
      return gs.map((g, i) => (swap.has(i) ? (HOMOGLYPHS[g] ?? g) : g)).join('');
    }
    case 'leet': {
      const swap = someOf(rng, at);
      return gs.map((g, i) => (swap.has(i) ? pick(rng, leetOptions(g) ?? [g]) : g)).join('');
    }
    case 'zero_width': {
      const gaps = someOf(rng, at);
      return gs.map((g, i) => (gaps.has(i) ? g + pick(rng, ZERO_WIDTH) : g)).join('');
    }
    case 'zalgo': {
      const mark = () => String.fromCharCode(0x300 + int(rng, 0, 0x6f));
      return gs.map((g) => (isLetter(g) ? g + Array.from({ length: int(rng, 1, 3) }, mark).join('') : g)).join('');
    }
    case 'spaced':
      return gs.join(' ');
    case 'dotted':
      return gs.join(pick(rng, SEPARATORS));
    case 'repeated': {
      const first = pick(rng, at);
      const chosen = new Set([first, rng() < 0.5 ? pick(rng, at) : first]);
      return gs.map((g, i) => (chosen.has(i) ? g.repeat(1 + int(rng, 2, 5)) : g)).join('');
    }
    case 'masked': {
      // one or two adjacent inner letters: f*ck, f**k
      const start = pick(rng, at);
      const both = at.includes(start + 1) && rng() < 0.5;
      const mask = pick(rng, MASKS);
      return gs.map((g, i) => (i === start || (both && i === start + 1) ? mask : g)).join('');
    }
  }
}

function splitWord(word: string): { lead: string; core: string; trail: string } {
  const m = WORD_PARTS.exec(word);
  return { lead: m?.[1] ?? '', core: m?.[2] ?? word, trail: m?.[3] ?? '' };
}

/** Disguises one word; words without Latin letters (or that the trick cannot touch) come back unchanged. */
export function obfuscateWord(word: string, trick: Trick, rng: Rng): string {
  const { lead, core, trail } = splitWord(word);
  if (!/[A-Za-z]/.test(core)) return word;
  const gs = graphemes(core);
  const at = targets(gs, trick);
  return at.length === 0 ? word : lead + disguise(gs, trick, at, rng) + trail;
}

// --- text level --------------------------------------------------------------------------

export interface ObfuscateOptions {
  rng: Rng;
  /** Share of eligible words to disguise, 0..1 (default 0.5). */
  rate?: number;
  /** Minimum number of letters for a word to be eligible (default 3). */
  minLength?: number;
}

// Tokens a moderator would never see disguised: links, mentions, chat markup, :emoji: codes.
const PROTECTED = /^(?:\S*:\/\/\S*|www\.\S*|@\S*|<[^>\s]*>\S*|\S+@\S+\.\S+|:[\w+-]+:)$/i;
// A word: letters/digits with inner apostrophes or marks, so "don't" and "l33t" stay whole.
const WORD = /[\p{L}\p{N}](?:[\p{L}\p{M}\p{N}'’]*[\p{L}\p{M}\p{N}])?/gu;

/**
 * Disguises a random share of the words of `text`; everything else (whitespace, punctuation,
 * URLs, mentions) is kept byte for byte. A word is eligible when it has a Latin letter, at
 * least `minLength` letters and the trick can actually change it.
 */
export function obfuscateText(text: string, trick: Trick, options: ObfuscateOptions): string {
  const { rng, rate = 0.5, minLength = 3 } = options;
  return text
    .split(/(\s+)/)
    .map((token) => {
      if (token === '' || /^\s/.test(token) || PROTECTED.test(token)) return token;
      return token.replace(WORD, (word) => {
        const letters = word.match(/\p{L}/gu)?.length ?? 0;
        const eligible =
          letters >= minLength && /[A-Za-z]/.test(word) && targets(graphemes(word), trick).length > 0;
        return eligible && rng() < rate ? obfuscateWord(word, trick, rng) : word;
      });
    })
    .join('');
}
