import { describe, expect, it } from 'vitest';
import { corpusRates, errorCounts, normaliseForScoring } from '../../src/ocr/text-metrics.js';
import { isWatermarkLine, splitWatermarks } from '../../src/ocr/watermark.js';
import { cleanLines } from '../../src/ocr/cleanup.js';

describe('OCR scoring normalisation', () => {
  it('lowercases, rejoins PTB splits, strips punctuation and collapses whitespace', () => {
    expect(normaliseForScoring("`` I do n't   KNOW , it 's ok '' .")).toBe('i dont know its ok');
    expect(normaliseForScoring("I don't know, it's ok.")).toBe('i dont know its ok');
  });

  it('counts character and word errors; corpus rates weigh by length', () => {
    expect(errorCounts('hello world', 'hello world')).toEqual({ charErrors: 0, chars: 11, wordErrors: 0, words: 2 });
    expect(errorCounts('hallo world', 'hello world')).toMatchObject({ charErrors: 1, wordErrors: 1 });
    expect(errorCounts('', 'abc')).toMatchObject({ charErrors: 3, wordErrors: 1 });
    const rates = corpusRates([errorCounts('abcd', 'abcd'), errorCounts('', 'ab')]);
    expect(rates.cer).toBeCloseTo(2 / 6);
  });
});

describe('watermarks', () => {
  it('recognises meme-generator and site lines, not ordinary text', () => {
    for (const line of ['imgflip.com', 'made with mematic', 'ISLAMIC MEMES FUNNY image memes at relatably.com', 'quickmeme', 'MAKEAMEME.ORG']) {
      expect(isWatermarkLine(line), line).toBe(true);
    }
    for (const line of ['you are a complete idiot', 'I made dinner', 'meet me at 5']) expect(isWatermarkLine(line), line).toBe(false);
    expect(splitWatermarks(['SHUT UP', 'imgflip.com'])).toEqual({ text: 'SHUT UP', watermarks: ['imgflip.com'] });
  });
});

describe('cleaning recognised words', () => {
  it('drops lines of symbols, keeps word-like lines as read, and scores dictionary text higher', () => {
    const w = (text: string, confidence: number) => ({ text, confidence });
    const clean = cleanLines([
      [w('YOU', 96), w('SAY', 95), w('Obama', 91), w('IS', 93), w('VIOLENT?', 71)],
      [w('~~', 12), w('|=', 20), w('»?', 31), w('y', 5)],
      [w('INEXISTENGE', 60), w('2019', 90)],
    ]);
    expect(clean.lines).toEqual(['YOU SAY Obama IS VIOLENT?', 'INEXISTENGE 2019']);
    const noise = cleanLines([[w('~~', 12), w('ww', 20), w('Sie', 31)]]);
    expect(clean.score).toBeGreaterThan(5);
    expect(noise.score).toBeLessThan(clean.score / 4);
  });
});
