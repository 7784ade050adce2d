// Context features (negation scope, group context, quotation) and the group splits of the new corpora.
import { describe, expect, it } from 'vitest';
import { contextHashes, IDENTITY_TERMS } from '../../src/classifier/linear/context.js';
import { groupSplit } from '../../src/classifier/corpora/groups.js';
import { detokenize } from '../../src/classifier/corpora/hate.js';
import { identitySwaps } from '../../src/classifier/train/identity-swaps.js';
import type { Example } from '../../src/classifier/corpora/index.js';
import { gold } from '../../src/classifier/corpora/io.js';
import { makeRng } from '../../src/util/rng.js';

/** The words behind each context hash, in order. */
function contextWords(text: string): string[] {
  const hashes: number[] = [];
  const positions: number[] = [];
  contextHashes(text, { push: (h) => hashes.push(h) }, positions);
  return hashes.map((_, k) => text.slice(positions[2 * k], positions[2 * k + 1]));
}

describe('context features', () => {
  it('marks the words in a negation scope, and the scope ends at a clause break', () => {
    expect(contextWords("he is not a fool. you're a fool")).toEqual(['fool']);
    // Function words are not marked but use up the scope (three words).
    expect(contextWords("i don't really think that it matters")).toEqual(['really', 'think']);
    expect(contextWords('i hate mondays')).toEqual([]);
  });

  it('crosses content words with a group only when a group is named', () => {
    expect(contextWords('the mice in the kitchen are vermin')).toEqual([]);
    expect(contextWords('immigrants are vermin')).toEqual(['vermin']);
    // The group's name itself is never a context feature (identity debiasing covers it).
    expect(contextWords('women are disgusting')).not.toContain('women');
  });

  it('marks quoted words, and ignores an unclosed quotation mark', () => {
    expect(contextWords('he said "go away" to me')).toEqual(['go', 'away']);
    expect(contextWords('he said "go away to me')).toEqual([]);
  });

  it('hashes the same word differently in each role', () => {
    const hashes: number[] = [];
    contextHashes('not vermin, "vermin" women vermin', { push: (h) => hashes.push(h) });
    // NEG:vermin + GRP:vermin, Q:vermin + GRP:vermin, GRP:vermin.
    expect(new Set(hashes).size).toBe(3);
    expect(hashes).toHaveLength(5);
  });

  it('knows plural and singular group names', () => {
    for (const t of ['muslims', 'jews', 'women', 'immigrants', 'gays', 'blacks']) expect(IDENTITY_TERMS).toContain(t);
  });
});

describe('group splits', () => {
  it('keeps linked pairs and near-duplicates in one split, and splits about 15% to validation', () => {
    const rng = makeRng(3);
    const word = (): string => `w${Math.floor(rng() * 5000)}`;
    const items = Array.from({ length: 2000 }, (_, i) => ({ key: `k${i}`, text: Array.from({ length: 8 }, word).join(' '), links: [] as string[] }));
    items.push({ key: 'a', text: 'muslims are a plague on this country', links: ['b'] });
    items.push({ key: 'b', text: 'muslims are a blessing to this country', links: [] });
    items.push({ key: 'c', text: 'Muslims are a plague on this whole country!', links: [] });
    const splits = groupSplit('test', items);
    const at = (key: string): string => splits[items.findIndex((x) => x.key === key)] as string;
    expect(at('a')).toBe(at('b'));
    expect(at('a')).toBe(at('c'));
    const val = splits.filter((s) => s === 'val').length / splits.length;
    expect(val).toBeGreaterThan(0.1);
    expect(val).toBeLessThan(0.2);
  });

  it('undoes tokenisation', () => {
    expect(detokenize(' " it \'s not a " " crime " " , is it ? " ')).toBe('it\'s not a " " crime " ", is it?');
    expect(detokenize("they do n't care .")).toBe("they don't care.");
  });
});

describe('identity swaps', () => {
  const row = (text: string, split: 'train' | 'val' = 'train'): Example => ({ id: text, corpus: 'c', text, labels: gold({ identity_hate: 1 }), split, weight: 1 });

  it('twins a training row that names one group with another group, same labels, lower weight', () => {
    const swaps = identitySwaps([row('Muslims are vermin'), row('Muslims are vermin', 'val'), row('the weather is nice')], makeRng(1), { corpora: new Set(['c']) });
    expect(swaps).toHaveLength(1);
    const [twin] = swaps;
    expect(twin!.text).toMatch(/^[A-Z][a-z]+ are vermin$/);
    expect(twin!.text).not.toBe('Muslims are vermin');
    expect(twin!.labels).toEqual(gold({ identity_hate: 1 }));
    expect(twin!.weight).toBe(0.5);
  });

  it('leaves rows naming several groups, and other corpora, alone', () => {
    const rows = [row('muslims and jews are welcome'), { ...row('muslims are vermin'), corpus: 'other' }];
    expect(identitySwaps(rows, makeRng(1), { corpora: new Set(['c']) })).toHaveLength(0);
  });
});
