// Reading order of detected boxes, and spaces restored between glued words.
import { describe, expect, it } from 'vitest';
import { readingOrder, type PlacedText } from '../../src/ocr/layout.js';
import { restoreSpaces } from '../../src/ocr/segment.js';
import { trusted } from '../../src/ocr/auto.js';
import { cleanLines } from '../../src/ocr/cleanup.js';

const at = (text: string, x0: number, y0: number, x1: number, y1: number, confidence = 0.9): PlacedText => ({ text, confidence, box: { x0, y0, x1, y1 } });

describe('reading order', () => {
  it('reads a meme top caption, then bottom caption, each line left to right, whatever order boxes came in', () => {
    const boxes = [at('NOBODY LIKES', 200, 540, 400, 580), at('YOU', 410, 542, 470, 580), at('WHEN YOU', 100, 20, 300, 60), at('WAKE UP', 150, 66, 350, 104), at('SAID', 310, 22, 400, 60)];
    expect(readingOrder(boxes).map((l) => l.text)).toEqual(['WHEN YOU SAID', 'WAKE UP', 'NOBODY LIKES YOU']);
  });

  it('reads side-by-side columns one after the other, not interleaved line by line', () => {
    const left = [at('left one', 10, 10, 200, 30), at('left two', 10, 40, 200, 60), at('left three', 10, 70, 200, 90)];
    const right = [at('right one', 400, 10, 600, 30), at('right two', 400, 40, 600, 60), at('right three', 400, 70, 600, 90)];
    expect(readingOrder([...right, ...left]).map((l) => l.text)).toEqual(['left one', 'left two', 'left three', 'right one', 'right two', 'right three']);
  });

  it('keeps one confidence per line, weighted by characters', () => {
    const [line] = readingOrder([at('aaaa', 0, 0, 40, 10, 1), at('b', 50, 0, 60, 10, 0.5)]);
    expect(line?.text).toBe('aaaa b');
    expect(line?.confidence).toBeCloseTo(0.9);
  });

  it('orders boxes chained by small overlaps into rows by their centres', () => {
    const boxes = [at('OH YOU ARE TIRED', 106, 7, 387, 45), at('OF MY ANTI-RELIGION', 6, 51, 348, 88), at('DANK', 359, 37, 432, 72)];
    expect(readingOrder(boxes).map((l) => l.text)).toEqual(['OH YOU ARE TIRED', 'OF MY ANTI-RELIGION DANK']);
  });
});

describe('restoring spaces', () => {
  it('splits glued English words, keeping letters and case', () => {
    expect(restoreSpaces('BlacknurseinConnecticut')).toBe('Black nurse in Connecticut');
    expect(restoreSpaces('I HATE THE GOVERNMENT SOIVOTE')).toBe('I HATE THE GOVERNMENT SO I VOTE');
    expect(restoreSpaces('LOLTHISISFORALLOFMY')).toBe('LOL THIS IS FOR ALL OF MY');
    expect(restoreSpaces('our troops intobattle')).toBe('our troops into battle');
  });

  it('splits a long glued line of short words, which no single split penalty margin would let through', () => {
    expect(restoreSpaces('IKNOWWEREINADEBATEBUTMANAMI')).toBe('I KNOW WERE IN A DEBATE BUT MAN AM I');
    expect(restoreSpaces('itsaysicantdateaman')).toBe('it says i cant date aman');
  });

  it('splits runs with apostrophes, and words glued to numbers, but not names that start with a digit', () => {
    expect(restoreSpaces("that'sbecausetheywanttokill")).toBe("that's because they want to kill");
    expect(restoreSpaces('Therebellionof1564AD')).toBe('The rebellion of 1564AD');
    expect(restoreSpaces('14YEARSOF AGE')).toBe('14 YEARS OF AGE');
    expect(restoreSpaces('mp3 4chan 9gag')).toBe('mp3 4chan 9gag');
  });

  it('puts back apostrophes read as spaces in contractions', () => {
    expect(restoreSpaces("WHY DON T YOU PRAY")).toBe("WHY DON'T YOU PRAY");
    expect(restoreSpaces('i m sure it s fine, you re welcome')).toBe("i'm sure it's fine, you're welcome");
  });

  it('puts back a space after punctuation glued to the next word, but not in web addresses or numbers', () => {
    expect(restoreSpaces('No,son.We have')).toBe('No, son. We have');
    expect(restoreSpaces('made with imgflip.com')).toBe('made with imgflip.com');
    expect(restoreSpaces('Dow 18,542.64')).toBe('Dow 18,542.64');
  });

  it('leaves real words, names it knows and short runs alone', () => {
    for (const s of ['together whatever somebody', 'Bernie Sanders', 'atone', 'XD lol']) expect(restoreSpaces(s)).toBe(s);
  });
});

describe('auto engine', () => {
  it('trusts a confident, plausible reading and doubts noise or nothing', () => {
    const w = (text: string, confidence: number) => ({ text, confidence });
    expect(trusted({ ...cleanLines([[w('YOU', 95), w('ARE', 95), w('AN', 95), w('IDIOT', 95)]]), pass: 'paddle' })).toBe(true);
    expect(trusted({ ...cleanLines([[w('YOU', 50), w('ARE', 50), w('AN', 50), w('IDIOT', 50)]]), pass: 'paddle' })).toBe(false);
    expect(trusted({ ...cleanLines([[w('~~', 95), w('|=', 95), w('Sie', 95)]]), pass: 'paddle' })).toBe(false);
    expect(trusted({ ...cleanLines([]), pass: 'paddle' })).toBe(false);
  });
});
