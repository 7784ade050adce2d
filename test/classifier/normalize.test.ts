import { describe, expect, it } from 'vitest';
import { Lexicon, normalize, originalRange } from '../../src/classifier/normalize/index.js';

const lexicon = new Lexicon([
  ['fuck', 900], ['folk', 60], ['fork', 20], ['shit', 500], ['ass', 300], ['faggot', 50], ['bitch', 400],
  ['idiot', 200], ['hello', 100], ['good', 300], ['god', 200], ['loser', 50], ['retard', 40], ['you', 5000],
  ['stupid', 300], ['kill', 200], ['what', 800], ['are', 3000], ['an', 2000], ['shat', 3], ['off', 400],
]);
const norm = (text: string): string => normalize(text, lexicon).text;

describe('normalize: each evasion trick, case by case', () => {
  it.each([
    ['mathematical bold', '𝐟𝐮𝐜𝐤 you', 'fuck you'],
    ['mathematical script and fraktur', '𝓯𝓾𝓬𝓴 𝔶𝔬𝔲', 'fuck you'],
    ['fullwidth', 'ｆｕｃｋ ｙｏｕ', 'fuck you'],
    ['Cyrillic homoglyphs in a Latin word', 'fuсk yоu', 'fuck you'],
    ['Greek homoglyphs', 'ιdιοt', 'idiot'],
    ['leetspeak digits', 'f4gg0t', 'faggot'],
    ['leetspeak with ambiguous digits (1 = l here)', 'he11o', 'hello'],
    ['leetspeak 6 for g', 'fa66ot', 'faggot'],
    ['leetspeak symbols', '@ss and $hit and b!tch', 'ass and shit and bitch'],
    ['zero-width characters', 'f\u200bu\u200dc\u2060k', 'fuck'],
    ['zalgo combining marks', 'f̸̢u̴̧c̷̡k̵̛', 'fuck'],
    ['accents', 'stüpíd', 'stupid'],
    ['spaced letters', 'f u c k you', 'fuck you'],
    ['dotted letters', 'f.u.c.k you', 'fuck you'],
    ['dashed letters', 's-h-i-t', 'shit'],
    ['repeated letters to the known word', 'fuuuuuck', 'fuck'],
    ['repeated letters keep real double letters', 'gooooood', 'good'],
    ['masked letters', 'f*ck', 'fuck'],
    ['masked letters, two masks', 'f**k', 'fuck'],
    ['masked letters with #', 'sh#t', 'shit'],
    ['case', 'YOU ARE STUPID', 'you are stupid'],
    ['spaced letters over several words are split into known words', 'y o u a r e a n i d i o t', 'you are an idiot'],
    ['spaced letters ending in punctuation', 'l o s e r, f u c k o f f!', 'loser, fuck off!'],
    ['dotted letters with trailing punctuation', 'f.u.c.k, i_d_i_o_t!', 'fuck, idiot!'],
    ['several stretched runs in one word', 'yoooouuuuu', 'you'],
    ['stretched word before punctuation', 'stuuuupid.', 'stupid.'],
    ['@ as a mask picks the more frequent word', 'sh@t', 'shit'],
    ['HTML entities', 'tom &amp; jerry', 'tom & jerry'],
    ['URLs and mentions become placeholders', 'see https://x.com/a?b=1 @someone <@123456>', 'see url @user @user'],
  ])('%s', (_name, input, expected) => {
    expect(norm(input)).toBe(expected);
  });

  it('leaves ordinary words, numbers and punctuation alone', () => {
    expect(norm('I came 1st in the mp3 contest, what?')).toBe('i came 1st in the mp3 contest, what?');
    expect(norm('hello!')).toBe('hello!');
  });

  it('keeps a leading article apart when joining spaced letters', () => {
    expect(norm('you are a b i t c h')).toBe('you are a bitch');
  });

  it('does not touch other scripts', () => {
    expect(norm('Привет мир')).toBe('привет мир');
    expect(norm('你好世界')).toBe('你好世界');
    expect(norm('नमस्ते दुनिया')).toBe('नमस्ते दुनिया');
  });

  it('maps every output character back to the original text', () => {
    const text = 'you are a 𝐟𝐮𝐜𝐤𝐢𝐧𝐠 f.u.c.k i d i o t';
    const n = normalize(text, lexicon);
    expect(n.start.length).toBe(n.text.length);
    const i = n.text.indexOf('fucking');
    expect(text.slice(...originalRange(n, i, i + 7))).toBe('𝐟𝐮𝐜𝐤𝐢𝐧𝐠');
    const j = n.text.indexOf('fuck ');
    expect(text.slice(...originalRange(n, j, j + 4))).toBe('f.u.c.k');
    const k = n.text.indexOf('idiot');
    expect(text.slice(...originalRange(n, k, k + 5))).toBe('i d i o t');
  });

  it('handles empty and whitespace-only text', () => {
    expect(normalize('', lexicon).text).toBe('');
    expect(normalize(' \n\t ', lexicon).text).toBe('');
  });
});

describe('normalizeText (the scoring fast path)', () => {
  it('gives exactly what normalize gives, on plain, obfuscated and unusual texts', async () => {
    const { normalizeText } = await import('../../src/classifier/normalize/index.js');
    const { obfuscateText, TRICKS, makeRng } = await import('../../src/classifier/evasion/obfuscate.js');
    const rng = makeRng(11);
    const base = [
      'you are a stupid idiot, shut up!',
      "I'm going to the match tonight, anyone coming? https://example.com/x @friend",
      'Tom &amp; Jerry   \t\n  were here',
      'a b c d e f',
      'hello!!! whaaaat?? (really) "quoted" 1st place, mp3, sh1t, f*ck, he11o',
      '',
      '   ',
      'Ünïcödé 𝐟𝐮𝐜𝐤 ｆｕｃｋ привет 你好',
    ];
    const texts = [...base];
    for (const t of base) for (const trick of TRICKS) texts.push(obfuscateText(t, trick, { rng }));
    for (const t of texts) expect(normalizeText(t, lexicon), JSON.stringify(t)).toBe(normalize(t, lexicon).text);
  });
});
