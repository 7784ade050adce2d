import { describe, expect, it } from 'vitest';
import {
  TRICKS,
  describeTrick,
  makeRng,
  obfuscateText,
  obfuscateWord,
  type Trick,
} from '../../src/classifier/evasion/obfuscate.js';

const codePoints = (s: string): number[] => Array.from(s, (c) => c.codePointAt(0) ?? 0);
const ZW = /[\u200b-\u200d\u2060\ufeff]/g;

/** Runs a word through many seeds so each check sees every random branch (fonts, separators...). */
function outputs(word: string, trick: Trick, n = 50): string[] {
  return Array.from({ length: n }, (_, seed) => obfuscateWord(word, trick, makeRng(seed)));
}

describe('makeRng', () => {
  it('is deterministic and in [0, 1)', () => {
    const a = makeRng(42);
    const b = makeRng(42);
    const xs = Array.from({ length: 100 }, () => a());
    expect(xs).toEqual(Array.from({ length: 100 }, () => b()));
    expect(xs.every((x) => x >= 0 && x < 1)).toBe(true);
    expect(makeRng(43)()).not.toBe(makeRng(42)());
  });
});

describe('obfuscateWord', () => {
  it('fancy_font: only math alphanumeric / letterlike code points, NFKC folds back', () => {
    for (const out of [...outputs('fuck', 'fancy_font'), ...outputs('HoRse', 'fancy_font')]) {
      for (const cp of codePoints(out)) {
        expect((cp >= 0x1d400 && cp <= 0x1d7ff) || (cp >= 0x2100 && cp <= 0x214f)).toBe(true);
      }
      // no unassigned code point slipped through (the reserved holes of the math block)
      expect(out).not.toMatch(/\p{Cn}/u);
      expect(out.normalize('NFKC')).toMatch(/^(fuck|HoRse)$/);
    }
  });

  it('fancy_font: every style maps every letter (holes resolved via Letterlike Symbols)', () => {
    const all = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';
    for (const out of outputs(all, 'fancy_font', 200)) {
      expect(out).not.toMatch(/\p{Cn}/u);
      expect(out.normalize('NFKC')).toBe(all);
    }
  });

  it('fullwidth: U+FF41-FF5A for lower case, case kept', () => {
    const out = obfuscateWord('fuck', 'fullwidth', makeRng(1));
    expect(codePoints(out).every((cp) => cp >= 0xff41 && cp <= 0xff5a)).toBe(true);
    expect(out).toBe('ｆｕｃｋ');
    expect(obfuscateWord('Fuck', 'fullwidth', makeRng(1))).toBe('Ｆｕｃｋ');
  });

  it('homoglyph: swaps some letters for Cyrillic/Greek, same length, rest untouched', () => {
    for (const out of outputs('idiocy', 'homoglyph')) {
      expect(out).not.toBe('idiocy');
      expect(out).toHaveLength(6);
      [...out].forEach((ch, i) => {
        if (ch !== 'idiocy'[i]) expect(ch).toMatch(/[\p{Script=Cyrillic}\p{Script=Greek}]/u);
      });
    }
  });

  it('leet: at least one digit or symbol, same length, only mapped letters change', () => {
    for (const out of outputs('loser', 'leet')) {
      expect(out).toMatch(/[0-9@!$]/);
      expect(out).toHaveLength(5);
      expect(out).toMatch(/^[l1][o0][s5$][e3]r$/);
    }
  });

  it('zero_width: invisible characters inserted, removing them gives the input', () => {
    for (const out of outputs('fuck', 'zero_width')) {
      expect(out).toMatch(ZW);
      expect(out.replace(ZW, '')).toBe('fuck');
      expect(out[0]).toBe('f'); // inserted between letters, never before the first
    }
  });

  it('zalgo: combining marks after letters, stripping \\p{M} gives the input', () => {
    for (const out of outputs('idiot', 'zalgo')) {
      expect(out).toMatch(/[\u0300-\u036f]/);
      expect(out.replace(/\p{M}/gu, '')).toBe('idiot');
      expect(out.match(/[\u0300-\u036f]/g)?.length).toBeGreaterThanOrEqual(5);
      expect(out.match(/[\u0300-\u036f]/g)?.length).toBeLessThanOrEqual(15);
    }
  });

  it('spaced: a single space between every letter', () => {
    expect(obfuscateWord('fuck', 'spaced', makeRng(1))).toBe('f u c k');
  });

  it('dotted: one separator used consistently between every letter', () => {
    const seen = new Set<string>();
    for (const out of outputs('fuck', 'dotted')) {
      expect(out).toMatch(/^f([.\-_*])u\1c\1k$/);
      seen.add(out[1] ?? '');
    }
    expect(seen.size).toBeGreaterThan(1);
  });

  it('repeated: a run of >= 3 same letters, collapsing runs gives the input', () => {
    for (const out of outputs('fuck', 'repeated')) {
      expect(out).toMatch(/(\p{L})\1\1/u);
      expect(out.replace(/(\p{L})\1+/gu, '$1')).toBe('fuck');
    }
  });

  it('masked: keeps first and last letter, masks 1-2 inner letters', () => {
    const all = outputs('fuck', 'masked');
    for (const out of all) {
      expect(out).toMatch(/^f(?:[*#@]c|u[*#@]|[*#@]{2})k$/);
    }
    expect(all.some((out) => out.includes('*'))).toBe(true);
    expect(obfuscateWord('ass', 'masked', makeRng(1))).toBe('ass'); // too short to mask
  });

  it('keeps punctuation around the word and the case pattern', () => {
    expect(obfuscateWord('(Fuck!)', 'spaced', makeRng(3))).toBe('(F u c k!)');
    expect(obfuscateWord('"idiot",', 'fullwidth', makeRng(3))).toBe('"ｉｄｉｏｔ",');
  });

  it('returns words without Latin letters unchanged', () => {
    for (const trick of TRICKS) {
      for (const word of ['сука', 'μαλάκα', 'バカ', '1234', '!!!', '']) {
        expect(obfuscateWord(word, trick, makeRng(7))).toBe(word);
      }
    }
  });
});

describe('obfuscateText', () => {
  const text = 'Hey @someone, you are a stupid idiot!! See https://example.com/idiot <@1234> :skull:';

  it('is deterministic for a seed and differs across seeds', () => {
    for (const trick of TRICKS) {
      const run = (seed: number) => obfuscateText(text, trick, { rng: makeRng(seed) });
      expect(run(11)).toBe(run(11));
      const outs = new Set([11, 12, 13, 14, 15].map(run));
      expect(outs.size, trick).toBeGreaterThan(1);
    }
  });

  it('rate 0 leaves the text unchanged', () => {
    for (const trick of TRICKS) {
      expect(obfuscateText(text, trick, { rng: makeRng(5), rate: 0 })).toBe(text);
    }
  });

  it('rate 1 changes every eligible word and nothing else', () => {
    const input = '  Stupid, idiots...\tlosers!  a ok https://x.io/stupid @idiots ';
    // everything but the three eligible words must come back byte for byte
    const shape = /^ {2}(.+?), (.+?)\.\.\.\t(.+?)! {2}a ok https:\/\/x\.io\/stupid @idiots $/su;
    for (const trick of TRICKS) {
      const out = obfuscateText(input, trick, { rng: makeRng(9), rate: 1 });
      const m = shape.exec(out);
      expect(m, `${trick}: ${out}`).not.toBeNull();
      expect(m?.slice(1), trick).not.toContain('Stupid');
      expect(m?.slice(1), trick).not.toContain('idiots');
      expect(m?.slice(1), trick).not.toContain('losers');
    }
  });

  it('only touches words with at least minLength letters', () => {
    const out = obfuscateText('you are dumb', 'fullwidth', { rng: makeRng(1), rate: 1, minLength: 4 });
    expect(out).toBe('you are ｄｕｍｂ');
  });
});

describe('describeTrick', () => {
  it('has a one-liner for every trick', () => {
    for (const trick of TRICKS) expect(describeTrick(trick)).toMatch(new RegExp(`^${trick}: .+`));
  });
});
