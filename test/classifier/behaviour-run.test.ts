import { describe, expect, it } from 'vitest';

import { LABELS } from '../../src/classifier/labels.js';
import type { Label, Scores } from '../../src/classifier/labels.js';
import type { Prediction, Scorer } from '../../src/classifier/scorer.js';
import { BEHAVIOUR_CASES, BEHAVIOUR_GROUPS } from '../../src/classifier/behaviour/cases.js';
import type { BehaviourCase, Expectation } from '../../src/classifier/behaviour/cases.js';
import { formatBehaviourReport, runBehaviourSuite } from '../../src/classifier/behaviour/run.js';
import type { BehaviourResult } from '../../src/classifier/behaviour/run.js';

// A tiny keyword scorer: every label starts at BASE, and each keyword found in the text
// raises the labels it names to the given value.
const BASE = 0.05;
const KEYWORDS: Record<string, Partial<Scores>> = {
  idiot: { toxic: 0.9, insult: 0.8 },
  fuck: { toxic: 0.6, obscene: 0.9 },
  kill: { toxic: 0.7, threat: 0.9 },
  knife: { threat: 0.6 },
  hate: { toxic: 0.8, identity_hate: 0.7 },
  half: { toxic: 0.5 },
  broken: { toxic: Number.NaN },
};

function scoreText(text: string): Scores {
  const scores = Object.fromEntries(LABELS.map((l) => [l, BASE])) as Scores;
  for (const [word, raised] of Object.entries(KEYWORDS)) {
    if (!text.toLowerCase().includes(word)) continue;
    for (const [label, value] of Object.entries(raised) as [Label, number][]) {
      scores[label] = Number.isNaN(value) ? value : Math.max(scores[label], value);
    }
  }
  return scores;
}

class FakeScorer implements Scorer {
  readonly name = 'fake-keywords';
  readonly version = '0.0.0';
  readonly thresholds = Object.fromEntries(LABELS.map((l) => [l, 0.5])) as Scores;
  readonly calls: string[][] = [];
  constructor(private readonly mangle?: (predictions: Prediction[]) => Prediction[]) {}
  async scoreBatch(texts: readonly string[]): Promise<Prediction[]> {
    this.calls.push([...texts]);
    const predictions = texts.map((t) => ({ scores: scoreText(t) }));
    return this.mangle ? this.mangle(predictions) : predictions;
  }
}

const below = (label: Label, bound = 0.5): Expectation => ({ label, below: bound });
const above = (label: Label, bound = 0.5): Expectation => ({ label, above: bound });
const tc = (group: string, text: string, exp: Expectation[], anyOf?: Expectation[]): BehaviourCase => ({
  group,
  text,
  expect: exp,
  ...(anyOf ? { anyOf } : {}),
});

describe('runBehaviourSuite', () => {
  it('passes every case whose expectations all hold', async () => {
    const result = await runBehaviourSuite(new FakeScorer(), [
      tc('clean', 'hello there', [below('toxic')]),
      tc('clean', 'nice weather', [below('toxic'), below('insult')]),
      tc('toxic', 'you idiot', [above('toxic'), above('insult', 0.3)]),
    ]);
    expect(result.overall).toBe(1);
    expect(result.groups).toEqual([
      { group: 'clean', total: 2, passed: 2, passRate: 1, failures: [] },
      { group: 'toxic', total: 1, passed: 1, passRate: 1, failures: [] },
    ]);
  });

  it('fails a case when a `below` bound is exceeded, and says which label and score', async () => {
    const result = await runBehaviourSuite(new FakeScorer(), [tc('g', 'you idiot', [below('toxic')])]);
    expect(result.overall).toBe(0);
    expect(result.groups[0]?.failures).toEqual([{ text: 'you idiot', why: 'toxic=0.900 (want < 0.5)' }]);
  });

  it('fails a case when an `above` bound is not reached', async () => {
    const result = await runBehaviourSuite(new FakeScorer(), [tc('g', 'hello', [above('threat', 0.3)])]);
    expect(result.groups[0]?.failures).toEqual([{ text: 'hello', why: 'threat=0.050 (want > 0.3)' }]);
  });

  it('requires all expectations: one failing label fails the case and only that label is reported', async () => {
    const result = await runBehaviourSuite(new FakeScorer(), [
      tc('g', 'fuck this', [above('toxic'), below('obscene'), below('insult')]),
    ]);
    expect(result.groups[0]?.passed).toBe(0);
    expect(result.groups[0]?.failures[0]?.why).toBe('obscene=0.900 (want < 0.5)');
  });

  it('reports every failing expectation of a case', async () => {
    const result = await runBehaviourSuite(new FakeScorer(), [
      tc('g', 'you idiot', [below('toxic'), below('insult'), below('threat')]),
    ]);
    expect(result.groups[0]?.failures[0]?.why).toBe('toxic=0.900 (want < 0.5); insult=0.800 (want < 0.5)');
  });

  it('treats bounds as strict: a score exactly at the bound satisfies neither below nor above', async () => {
    const result = await runBehaviourSuite(new FakeScorer(), [
      tc('g', 'half', [below('toxic')]),
      tc('g', 'half', [above('toxic')]),
      tc('g', 'half', [below('toxic', 0.51), above('toxic', 0.49)]),
    ]);
    expect(result.groups[0]?.passed).toBe(1);
    expect(result.groups[0]?.failures.map((f) => f.why)).toEqual([
      'toxic=0.500 (want < 0.5)',
      'toxic=0.500 (want > 0.5)',
    ]);
  });

  it('never passes a NaN score', async () => {
    const result = await runBehaviourSuite(new FakeScorer(), [
      tc('g', 'broken', [below('toxic')]),
      tc('g', 'broken', [above('toxic')]),
    ]);
    expect(result.groups[0]?.passed).toBe(0);
    expect(result.groups[0]?.failures[0]?.why).toBe('toxic=NaN (want < 0.5)');
  });

  it('anyOf passes when at least one alternative holds and fails when none does', async () => {
    const either = [above('toxic'), above('threat')];
    const result = await runBehaviourSuite(new FakeScorer(), [
      tc('threat', 'bring a knife', [], either), // threat only
      tc('threat', 'kill', [], either), // both
      tc('threat', 'hello', [], either), // neither
    ]);
    expect(result.groups[0]?.passed).toBe(2);
    expect(result.groups[0]?.failures).toEqual([
      { text: 'hello', why: 'none of: toxic=0.050 (want > 0.5), threat=0.050 (want > 0.5)' },
    ]);
  });

  it('with both expect and anyOf, both parts must hold', async () => {
    const either = [above('toxic'), above('threat')];
    const result = await runBehaviourSuite(new FakeScorer(), [
      tc('g', 'knife', [below('insult')], either),
      tc('g', 'knife', [above('insult')], either),
      tc('g', 'hello', [below('insult')], either),
    ]);
    expect(result.groups[0]?.passed).toBe(1);
    expect(result.groups[0]?.failures.map((f) => f.why)).toEqual([
      'insult=0.050 (want > 0.5)',
      'none of: toxic=0.050 (want > 0.5), threat=0.050 (want > 0.5)',
    ]);
  });

  it('keeps groups in first-appearance order and weights the overall rate by case, not by group', async () => {
    const result = await runBehaviourSuite(new FakeScorer(), [
      tc('b', 'hello', [below('toxic')]),
      tc('a', 'hello', [below('toxic')]),
      tc('a', 'you idiot', [below('toxic')]),
      tc('b', 'x', [below('toxic')]),
      tc('a', 'kill', [below('toxic')]),
      tc('a', 'hate', [below('toxic')]),
    ]);
    expect(result.groups.map((g) => [g.group, g.passed, g.total])).toEqual([
      ['b', 2, 2],
      ['a', 1, 4],
    ]);
    expect(result.groups[1]?.passRate).toBeCloseTo(0.25);
    expect(result.overall).toBeCloseTo(3 / 6); // mean of group rates would be 0.625
  });

  it('scores in batches and lines each prediction up with its own case', async () => {
    const scorer = new FakeScorer();
    const texts = ['you idiot', 'hello', 'kill', 'fine day', 'hate'];
    const cases = texts.map((t, i) => tc('g', t, [i % 2 === 0 ? above('toxic') : below('toxic')]));
    const result = await runBehaviourSuite(scorer, cases, { batchSize: 2 });
    expect(scorer.calls).toEqual([['you idiot', 'hello'], ['kill', 'fine day'], ['hate']]);
    expect(result.overall).toBe(1);

    const single = new FakeScorer();
    await runBehaviourSuite(single, cases);
    expect(single.calls).toEqual([texts]);
  });

  it('catches a scorer that returns predictions out of order', async () => {
    const reversed = new FakeScorer((p) => [...p].reverse());
    const result = await runBehaviourSuite(reversed, [
      tc('g', 'you idiot', [above('toxic')]),
      tc('g', 'hello', [below('toxic')]),
    ]);
    expect(result.overall).toBe(0);
  });

  it('rejects when the scorer returns the wrong number of predictions', async () => {
    const short = new FakeScorer((p) => p.slice(1));
    await expect(
      runBehaviourSuite(short, [tc('g', 'a', [below('toxic')]), tc('g', 'b', [below('toxic')])]),
    ).rejects.toThrow(/returned 1 predictions for 2 texts/);
  });

  it('rejects malformed cases before scoring anything', async () => {
    const scorer = new FakeScorer();
    await expect(runBehaviourSuite(scorer, [tc('g', 'no bounds', [{ label: 'toxic' }])])).rejects.toThrow(
      /neither 'above' nor 'below'/,
    );
    await expect(runBehaviourSuite(scorer, [tc('g', 'nothing', [])])).rejects.toThrow(/no expectations/);
    await expect(runBehaviourSuite(scorer, [tc('g', 'range', [below('toxic', 5)])])).rejects.toThrow(/\[0, 1\]/);
    await expect(
      runBehaviourSuite(scorer, [tc('g', 'label', [{ label: 'rude' as Label, below: 0.5 }])]),
    ).rejects.toThrow(/unknown label/);
    await expect(runBehaviourSuite(scorer, [tc('g', 'ok', [below('toxic')])], { batchSize: 0 })).rejects.toThrow(
      /batchSize/,
    );
    expect(scorer.calls).toEqual([]);
  });

  it('returns no groups and an overall of 0 for no cases', async () => {
    expect(await runBehaviourSuite(new FakeScorer(), [])).toEqual({ groups: [], overall: 0 });
  });

  it('runs the built-in cases by default, one group per behaviour in order', async () => {
    const scorer = new FakeScorer();
    const result = await runBehaviourSuite(scorer);
    expect(result.groups.map((g) => g.group)).toEqual([...BEHAVIOUR_GROUPS]);
    expect(result.groups.reduce((n, g) => n + g.total, 0)).toBe(BEHAVIOUR_CASES.length);
    expect(scorer.calls.flat()).toEqual(BEHAVIOUR_CASES.map((c) => c.text));
    // A keyword scorer knows "idiot", so it must miss some toxic cases and pass some clean ones.
    expect(result.overall).toBeGreaterThan(0);
    expect(result.overall).toBeLessThan(1);
  });
});

describe('BEHAVIOUR_CASES', () => {
  const byGroup = new Map<string, BehaviourCase[]>();
  for (const c of BEHAVIOUR_CASES) byGroup.set(c.group, [...(byGroup.get(c.group) ?? []), c]);

  it('has every group, each with at least 25 cases, and no unknown group', () => {
    expect([...byGroup.keys()].sort()).toEqual([...BEHAVIOUR_GROUPS].sort());
    for (const g of BEHAVIOUR_GROUPS) expect(byGroup.get(g)?.length ?? 0, g).toBeGreaterThanOrEqual(25);
  });

  it('has no duplicate texts', () => {
    const texts = BEHAVIOUR_CASES.map((c) => c.text.toLowerCase().trim());
    expect(new Set(texts).size).toBe(texts.length);
  });

  const has = (c: BehaviourCase, e: Expectation): boolean =>
    c.expect.some((x) => x.label === e.label && x.below === e.below && x.above === e.above);

  it.each([
    ['identity_neutral', [below('toxic'), below('identity_hate')]],
    ['negation', [below('toxic'), below('insult'), below('threat')]],
    ['counter_speech', [below('identity_hate'), below('insult')]],
    ['reclaimed', [below('identity_hate')]],
    ['profanity_non_hateful', [below('identity_hate'), below('insult'), below('threat')]],
    ['slur_variants', [above('toxic')]],
    ['plain_toxic', [above('toxic')]],
    ['plain_clean', [below('toxic')]],
  ] as [string, Expectation[]][])('%s cases carry the required expectations', (group, required) => {
    for (const c of byGroup.get(group) ?? []) {
      for (const e of required) expect(has(c, e), `${c.text} / ${e.label}`).toBe(true);
    }
  });

  it('profanity cases put no expectation on obscene', () => {
    for (const c of byGroup.get('profanity_non_hateful') ?? []) {
      expect(c.expect.some((e) => e.label === 'obscene')).toBe(false);
    }
  });

  it('polite threats need toxic or threat above 0.5', () => {
    for (const c of byGroup.get('polite_threat') ?? []) {
      expect(c.anyOf).toEqual([above('toxic'), above('threat')]);
    }
  });

  it('plain toxic cases use 0.3 for their specific labels', () => {
    for (const c of byGroup.get('plain_toxic') ?? []) {
      for (const e of c.expect.filter((x) => x.label !== 'toxic')) expect(e).toEqual(above(e.label, 0.3));
    }
  });

  it('slur variants include homoglyph and zero-width obfuscations', () => {
    const texts = (byGroup.get('slur_variants') ?? []).map((c) => c.text);
    expect(texts.some((t) => /[\u0400-\u04ff]/.test(t))).toBe(true);
    expect(texts.some((t) => t.includes('\u200b'))).toBe(true);
  });
});

describe('formatBehaviourReport', () => {
  const failures = (n: number, prefix: string) =>
    Array.from({ length: n }, (_, i) => ({ text: `${prefix} ${i + 1}`, why: `toxic=0.9${i} (want < 0.5)` }));
  const result: BehaviourResult = {
    groups: [
      { group: 'identity_neutral', total: 10, passed: 3, passRate: 0.3, failures: failures(7, 'neutral') },
      { group: 'plain_clean', total: 4, passed: 4, passRate: 1, failures: [] },
      { group: 'negation', total: 3, passed: 2, passRate: 2 / 3, failures: failures(1, 'negated') },
    ],
    overall: 9 / 17,
  };

  it('prints an aligned table with one row per group and an overall row', () => {
    const report = formatBehaviourReport(result);
    const lines = report.split('\n');
    const header = lines.findIndex((l) => /^group\s+passed\s+total\s+rate$/.test(l));
    expect(header).toBeGreaterThanOrEqual(0);
    const table = lines.slice(header, header + 7);
    expect(table[2]).toMatch(/^identity_neutral\s+3\s+10\s+30\.0%$/);
    expect(table[3]).toMatch(/^plain_clean\s+4\s+4\s+100\.0%$/);
    expect(table[4]).toMatch(/^negation\s+2\s+3\s+66\.7%$/);
    expect(table[6]).toMatch(/^overall\s+9\s+17\s+52\.9%$/);
    expect(new Set(table.map((l) => l.length)).size).toBe(1);
  });

  it('lists at most five failures per group, says how many more, and skips clean groups', () => {
    const report = formatBehaviourReport(result);
    expect(report).toContain('identity_neutral: 7 failing');
    for (let i = 1; i <= 5; i++) expect(report).toContain(`"neutral ${i}": toxic=0.9${i - 1} (want < 0.5)`);
    expect(report).not.toContain('"neutral 6"');
    expect(report).toContain('... and 2 more');
    expect(report).toContain('negation: 1 failing');
    expect(report).toContain('"negated 1"');
    expect(report).not.toContain('plain_clean: ');
    expect(report.indexOf('identity_neutral: 7 failing')).toBeLessThan(report.indexOf('negation: 1 failing'));
  });

  it('honours maxFailuresPerGroup', () => {
    const report = formatBehaviourReport(result, { maxFailuresPerGroup: 2 });
    expect(report).toContain('"neutral 2"');
    expect(report).not.toContain('"neutral 3"');
    expect(report).toContain('... and 5 more');
  });

  it('keeps each failure on one line with invisible characters visible, and cuts long texts', () => {
    const report = formatBehaviourReport({
      groups: [
        {
          group: 'slur_variants',
          total: 2,
          passed: 0,
          passRate: 0,
          failures: [
            { text: 'line one\nshut up fuck\u200bface', why: 'toxic=0.100 (want > 0.5)' },
            { text: 'x'.repeat(200), why: 'toxic=0.100 (want > 0.5)' },
          ],
        },
      ],
      overall: 0,
    });
    expect(report).toContain('  - "line one\\nshut up fuck\\u200bface": toxic=0.100 (want > 0.5)');
    expect(report).not.toContain('\u200b');
    expect(report).toContain(`"${'x'.repeat(89)}…"`);
    expect(report).not.toContain('x'.repeat(90));
  });

  it('says so when everything passed, and formats a real run', async () => {
    const run = await runBehaviourSuite(new FakeScorer(), [
      tc('clean', 'hello', [below('toxic')]),
      tc('toxic', 'you idiot', [above('toxic')]),
    ]);
    const report = formatBehaviourReport(run);
    expect(report).toContain('All cases passed.');
    expect(report).toMatch(/^overall\s+2\s+2\s+100\.0%$/m);

    const failed = formatBehaviourReport(
      await runBehaviourSuite(new FakeScorer(), [tc('clean', 'you idiot', [below('toxic')])]),
    );
    expect(failed).not.toContain('All cases passed.');
    expect(failed).toContain('clean: 1 failing\n  - "you idiot": toxic=0.900 (want < 0.5)');
  });
});
