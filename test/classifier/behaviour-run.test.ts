import { describe, expect, it } from 'vitest';

import { LABELS } from '../../src/classifier/labels.js';
import type { Label, Scores } from '../../src/classifier/labels.js';
import type { Prediction, Scorer } from '../../src/classifier/scorer.js';
import { BEHAVIOUR_CASES, BEHAVIOUR_GROUPS } from '../../src/classifier/behaviour/cases.js';
import type { BehaviourCase, Expectation } from '../../src/classifier/behaviour/cases.js';
import { caseAtThresholds, formatBehaviourReport, runBehaviourSuite } from '../../src/classifier/behaviour/run.js';
import type { BehaviourGroupResult, BehaviourResult } from '../../src/classifier/behaviour/run.js';
import {
  IDENTITIES,
  IDENTITY_TEMPLATES,
  formatIdentityFprReport,
  identityFalsePositiveRates,
  identityTemplateTexts,
} from '../../src/classifier/behaviour/identity-templates.js';
import { ENFORCED_MIN_PASS_RATES, ISSUE_11_GOALS, passRateShortfalls } from '../../src/classifier/behaviour/targets.js';
import { loadLinearScorer, resolveModelDir } from '../../src/classifier/registry.js';

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

const uniform = (t: number): Scores => Object.fromEntries(LABELS.map((l) => [l, t])) as Scores;

class FakeScorer implements Scorer {
  readonly name = 'fake-keywords';
  readonly version = '0.0.0';
  readonly calls: string[][] = [];
  constructor(
    private readonly mangle?: (predictions: Prediction[]) => Prediction[],
    readonly thresholds: Scores = uniform(0.5),
  ) {}
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
    expect(await runBehaviourSuite(new FakeScorer(), [])).toEqual({
      groups: [],
      overall: 0,
      thresholds: uniform(0.5),
      atThresholds: { groups: [], overall: 0 },
    });
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

describe('runBehaviourSuite at the calibrated thresholds', () => {
  const low = { ...uniform(0.5), toxic: 0.3, insult: 0.9 };

  it("replaces every 0.5 bound by its label's threshold and judges the same scores again", async () => {
    const scorer = new FakeScorer(undefined, low);
    const result = await runBehaviourSuite(scorer, [
      tc('g', 'half', [above('toxic')]), // toxic 0.5: fails > 0.5, passes > 0.3
      tc('g', 'half', [below('toxic')]), // fails < 0.5 and < 0.3
      tc('g', 'hello', [below('toxic')]), // 0.05 passes both
      tc('h', 'you idiot', [above('insult')]), // insult 0.8: passes > 0.5, fails > 0.9
    ]);
    expect(scorer.calls).toEqual([['half', 'half', 'hello', 'you idiot']]); // scored once
    expect(result.thresholds).toEqual(low);
    expect(result.groups.map((g) => [g.group, g.passed])).toEqual([
      ['g', 1],
      ['h', 1],
    ]);
    expect(result.atThresholds.groups.map((g) => [g.group, g.passed, g.total])).toEqual([
      ['g', 2, 3],
      ['h', 0, 1],
    ]);
    expect(result.atThresholds.groups[0]?.failures).toEqual([{ text: 'half', why: 'toxic=0.500 (want < 0.3)' }]);
    expect(result.atThresholds.groups[1]?.failures).toEqual([{ text: 'you idiot', why: 'insult=0.800 (want > 0.9)' }]);
    expect(result.overall).toBeCloseTo(2 / 4);
    expect(result.atThresholds.overall).toBeCloseTo(2 / 4);
  });

  it('keeps bounds other than 0.5 as written, and maps anyOf too', () => {
    const c = tc('g', 'x', [above('toxic', 0.49), below('insult'), above('threat', 0.3)], [above('toxic'), above('threat')]);
    const mapped = caseAtThresholds(c, low);
    expect(mapped.expect).toEqual([above('toxic', 0.49), below('insult', 0.9), above('threat', 0.3)]);
    expect(mapped.anyOf).toEqual([above('toxic', 0.3), above('threat', 0.5)]);
    // The original case is untouched.
    expect(c.expect).toEqual([above('toxic', 0.49), below('insult'), above('threat', 0.3)]);
  });

  it('uses options.thresholds over the scorer\'s own', async () => {
    const result = await runBehaviourSuite(new FakeScorer(undefined, low), [tc('g', 'half', [above('toxic')])], {
      thresholds: uniform(0.6),
    });
    expect(result.thresholds).toEqual(uniform(0.6));
    expect(result.atThresholds.groups[0]?.passed).toBe(0);
  });

  it('rejects missing or out-of-range thresholds before scoring', async () => {
    const bad = new FakeScorer(undefined, { ...uniform(0.5), threat: Number.NaN });
    await expect(runBehaviourSuite(bad, [tc('g', 'a', [below('toxic')])])).rejects.toThrow(/threat threshold NaN/);
    expect(bad.calls).toEqual([]);
    const partial = { toxic: 0.5 } as Scores;
    await expect(runBehaviourSuite(new FakeScorer(), [tc('g', 'a', [below('toxic')])], { thresholds: partial })).rejects.toThrow(
      /severe_toxic threshold undefined/,
    );
    await expect(
      runBehaviourSuite(new FakeScorer(), [tc('g', 'a', [below('toxic')])], { thresholds: uniform(1.5) }),
    ).rejects.toThrow(/\[0, 1\]/);
  });
});

describe('BEHAVIOUR_CASES', () => {
  const byGroup = new Map<string, BehaviourCase[]>();
  for (const c of BEHAVIOUR_CASES) byGroup.set(c.group, [...(byGroup.get(c.group) ?? []), c]);

  it('has every group, each with at least 40 cases, and no unknown group', () => {
    expect([...byGroup.keys()].sort()).toEqual([...BEHAVIOUR_GROUPS].sort());
    for (const g of BEHAVIOUR_GROUPS) expect(byGroup.get(g)?.length ?? 0, g).toBeGreaterThanOrEqual(40);
  });

  // Rough target detection, enough to show a group is not about one or two targets only.
  const TARGETS: [string, RegExp][] = [
    ['muslims/islam', /\bmuslim|\bmosque|\barabs?\b|\bsyrians?\b/i],
    ['jews', /\bjew|synagogue|holocaust/i],
    ['black people', /\bblack\b|\bafrican|\bsomali|\bnigerian/i],
    ['asian people', /\basian|\bchinese|\bindians?\b|\bpakistani|\bfilipino|\bhindu/i],
    ['latinos', /\bmexican|\blatin[oa]/i],
    ['migrants', /immigrant|\bmigrant|refugee|asylum/i],
    ['women', /\bwom[ae]n\b|\bgirls?\b|\bfeminist|\bmothers\b|\bher\b/i],
    ['gay/lesbian/bi', /\bgays?\b|\blesbian|\bbisexual/i],
    ['trans/nonbinary', /\btrans\b|\bnonbinary/i],
    ['disability', /disabled|\bdeaf\b|\bblind\b|autistic|down syndrome/i],
    ['age', /\bold people|\bold men|elderly|pension/i],
    ['europeans', /\birish|\bpolish|\broma\b|\bromanian|\brussian/i],
  ];

  it.each(BEHAVIOUR_GROUPS.filter((g) => g.startsWith('hate_') || g === 'negated_hate_clean'))(
    '%s covers at least 10 kinds of target, none in more than a fifth of its cases',
    (group) => {
      const texts = (byGroup.get(group) ?? []).map((c) => c.text);
      const counts = TARGETS.map(([name, re]) => [name, texts.filter((t) => re.test(t)).length] as const);
      expect(counts.filter(([, n]) => n > 0).length, JSON.stringify(counts)).toBeGreaterThanOrEqual(10);
      for (const [name, n] of counts) expect(n, name).toBeLessThanOrEqual(Math.ceil(texts.length / 5));
    },
  );

  it('keeps the counter-speech, negated-hate and identity groups apart from the hate groups', () => {
    // The same sentence cannot be both hateful and clean; texts are unique across groups anyway.
    const hate = new Set(BEHAVIOUR_CASES.filter((c) => c.group.startsWith('hate_')).map((c) => c.text));
    for (const c of BEHAVIOUR_CASES.filter((x) => !x.group.startsWith('hate_'))) expect(hate.has(c.text)).toBe(false);
  });

  it('has no duplicate texts', () => {
    const texts = BEHAVIOUR_CASES.map((c) => c.text.toLowerCase().trim());
    expect(new Set(texts).size).toBe(texts.length);
  });

  const has = (c: BehaviourCase, e: Expectation): boolean =>
    c.expect.some((x) => x.label === e.label && x.below === e.below && x.above === e.above);

  it.each([
    ['identity_neutral', [below('toxic'), below('identity_hate')]],
    ['identity_praise', [below('toxic'), below('identity_hate')]],
    ['negation', [below('toxic'), below('insult'), below('threat')]],
    ['counter_speech', [below('toxic'), below('identity_hate'), below('insult')]],
    ['hate_derogation', [above('toxic'), above('identity_hate')]],
    ['hate_stated_feeling', [above('toxic'), above('identity_hate')]],
    ['hate_dehumanisation', [above('toxic'), above('identity_hate')]],
    ['hate_implicit_stereotype', [above('toxic'), above('identity_hate')]],
    ['hate_threat_group', [above('toxic'), above('identity_hate')]],
    ['hate_question_opinion', [above('toxic'), above('identity_hate')]],
    ['hate_negated', [above('toxic'), above('identity_hate')]],
    ['negated_hate_clean', [below('toxic'), below('identity_hate')]],
    ['person_abuse', [above('toxic'), above('insult'), below('identity_hate')]],
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
  const groups05: BehaviourGroupResult[] = [
    { group: 'identity_neutral', total: 10, passed: 3, passRate: 0.3, failures: failures(7, 'neutral') },
    { group: 'plain_clean', total: 4, passed: 4, passRate: 1, failures: [] },
    { group: 'negation', total: 3, passed: 2, passRate: 2 / 3, failures: failures(1, 'negated') },
  ];
  const result: BehaviourResult = {
    groups: groups05,
    overall: 9 / 17,
    thresholds: { ...uniform(0.25), toxic: 0.382 },
    atThresholds: {
      groups: [
        { group: 'identity_neutral', total: 10, passed: 1, passRate: 0.1, failures: failures(9, 'thr-neutral') },
        { group: 'plain_clean', total: 4, passed: 3, passRate: 0.75, failures: failures(1, 'thr-clean') },
        { group: 'negation', total: 3, passed: 3, passRate: 1, failures: [] },
      ],
      overall: 7 / 17,
    },
  };

  it('prints an aligned table with both readings per group, an overall row and the thresholds', () => {
    const report = formatBehaviourReport(result);
    const lines = report.split('\n');
    expect(report).toContain('toxic 0.382, severe_toxic 0.250');
    const header = lines.findIndex((l) => /^group\s+total\s+passed@0\.5\s+rate@0\.5\s+passed@thr\s+rate@thr$/.test(l));
    expect(header).toBeGreaterThanOrEqual(0);
    const table = lines.slice(header, header + 7);
    expect(table[2]).toMatch(/^identity_neutral\s+10\s+3\s+30\.0%\s+1\s+10\.0%$/);
    expect(table[3]).toMatch(/^plain_clean\s+4\s+4\s+100\.0%\s+3\s+75\.0%$/);
    expect(table[4]).toMatch(/^negation\s+3\s+2\s+66\.7%\s+3\s+100\.0%$/);
    expect(table[6]).toMatch(/^overall\s+17\s+9\s+52\.9%\s+7\s+41\.2%$/);
    expect(new Set(table.map((l) => l.length)).size).toBe(1);
  });

  it('adds a goal column when given goals, blank for groups without one', () => {
    const report = formatBehaviourReport(result, { goals: { identity_neutral: 0.95 } });
    expect(report).toMatch(/^group\s+total\s+passed@0\.5\s+rate@0\.5\s+passed@thr\s+rate@thr\s+goal@0\.5$/m);
    expect(report).toMatch(/^identity_neutral\s+10\s+3\s+30\.0%\s+1\s+10\.0%\s+95\.0%$/m);
    expect(report).toMatch(/^plain_clean\s+4\s+4\s+100\.0%\s+3\s+75\.0%\s+$/m);
  });

  it('lists the failures of each reading under its own heading', () => {
    const report = formatBehaviourReport(result);
    const at05 = report.indexOf('Failures at 0.5');
    const atThr = report.indexOf('Failures at the calibrated thresholds');
    expect(at05).toBeGreaterThan(0);
    expect(atThr).toBeGreaterThan(at05);
    expect(report.slice(at05, atThr)).toContain('"neutral 1"');
    expect(report.slice(at05, atThr)).not.toContain('thr-clean');
    expect(report.slice(atThr)).toContain('identity_neutral: 9 failing');
    expect(report.slice(atThr)).toContain('plain_clean: 1 failing\n  - "thr-clean 1"');
    expect(report.slice(atThr)).not.toContain('negation: ');
  });

  it('lists at most five failures per group, says how many more, and skips clean groups', () => {
    const report = formatBehaviourReport(result);
    expect(report).toContain('identity_neutral: 7 failing');
    for (let i = 1; i <= 5; i++) expect(report).toContain(`"neutral ${i}": toxic=0.9${i - 1} (want < 0.5)`);
    expect(report).not.toContain('"neutral 6"');
    expect(report).toContain('... and 2 more');
    expect(report).toContain('negation: 1 failing');
    expect(report).toContain('"negated 1"');
    const at05 = report.slice(0, report.indexOf('Failures at the calibrated thresholds'));
    expect(at05).not.toContain('plain_clean: ');
    expect(at05.indexOf('identity_neutral: 7 failing')).toBeLessThan(at05.indexOf('negation: 1 failing'));
  });

  it('honours maxFailuresPerGroup', () => {
    const report = formatBehaviourReport(result, { maxFailuresPerGroup: 2 });
    expect(report).toContain('"neutral 2"');
    expect(report).not.toContain('"neutral 3"');
    expect(report).toContain('... and 5 more');
  });

  it('keeps each failure on one line with invisible characters visible, and cuts long texts', () => {
    const slurGroups: BehaviourGroupResult[] = [
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
    ];
    const report = formatBehaviourReport({
      groups: slurGroups,
      overall: 0,
      thresholds: uniform(0.5),
      atThresholds: { groups: [], overall: 0 },
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
    expect(report).toMatch(/^overall\s+2\s+2\s+100\.0%\s+2\s+100\.0%$/m);

    const failed = formatBehaviourReport(
      await runBehaviourSuite(new FakeScorer(), [tc('clean', 'you idiot', [below('toxic')])]),
    );
    expect(failed).not.toContain('All cases passed.');
    expect(failed).toContain('clean: 1 failing\n  - "you idiot": toxic=0.900 (want < 0.5)');
    expect(failed).toContain('Failures at the calibrated thresholds');
  });
});

describe('identity templates', () => {
  it('has 50+ identities over every category and 15-25 templates, all filled cleanly', () => {
    expect(IDENTITIES.length).toBeGreaterThanOrEqual(50);
    expect(new Set(IDENTITIES.map((i) => i.id)).size).toBe(IDENTITIES.length);
    expect(new Set(IDENTITIES.map((i) => i.category)).size).toBeGreaterThanOrEqual(8);
    expect(IDENTITY_TEMPLATES.length).toBeGreaterThanOrEqual(15);
    expect(IDENTITY_TEMPLATES.length).toBeLessThanOrEqual(25);
    for (const t of IDENTITY_TEMPLATES) expect(t, t).toMatch(/\{person\}|\{people\}/);
    const texts = identityTemplateTexts();
    expect(texts.length).toBe(IDENTITIES.length * IDENTITY_TEMPLATES.length);
    for (const t of texts) expect(t.text).not.toMatch(/[{}]/);
    expect(new Set(texts.map((t) => t.text)).size).toBe(texts.length);
    expect(texts[1]).toEqual({ identity: IDENTITIES[0]?.id, template: 1, text: expect.stringContaining(IDENTITIES[0]?.person ?? '?') });
  });

  // Flags (toxic 0.9, identity_hate 0.8) any text naming Muslims, and toxic 0.4 for Sikhs.
  class IdentityScorer implements Scorer {
    readonly name = 'fake-identity';
    readonly version = '0.0.0';
    readonly thresholds = { ...uniform(0.5), toxic: 0.4, identity_hate: 0.3 };
    calls = 0;
    async scoreBatch(texts: readonly string[]): Promise<Prediction[]> {
      this.calls++;
      return texts.map((t) => {
        const s = uniform(0.05);
        if (/muslim/i.test(t)) Object.assign(s, { toxic: 0.9, identity_hate: 0.8 });
        if (/sikh/i.test(t)) s.toxic = 0.4;
        if (/sikh/i.test(t) && t.startsWith('I am')) s.toxic = Number.NaN;
        return { scores: s };
      });
    }
  }
  const who = IDENTITIES.filter((i) => ['muslim', 'sikh', 'woman'].includes(i.id));
  const templates = ['I am {person}.', 'hi, {people}', 'nice weather'];

  it('counts a text as a false positive when the score is at or above the threshold, worst identity first', async () => {
    const scorer = new IdentityScorer();
    const r = await identityFalsePositiveRates(scorer, undefined, { identities: [...who].reverse(), templates, batchSize: 4 });
    expect(scorer.calls).toBe(3); // 9 texts in batches of 4
    expect(r.thresholds.toxic).toBe(0.4);
    expect(r.identities.map((x) => [x.identity, x.n, x.toxicFpr, x.identityHateFpr])).toEqual([
      ['muslim', 3, 2 / 3, 2 / 3],
      ['sikh', 3, 2 / 3, 0], // 0.4 >= 0.4 flags; NaN counts as flagged
      ['woman', 3, 0, 0],
    ]);
    expect(r.identities[0]?.worst.toxic).toBe(0.9);
    expect(r.overall).toEqual({ n: 9, toxicFpr: 4 / 9, identityHateFpr: 2 / 9, anyLabelFpr: 4 / 9 });
  });

  it('uses the thresholds it is given', async () => {
    const r = await identityFalsePositiveRates(new IdentityScorer(), { ...uniform(0.95) }, { identities: who, templates });
    expect(r.identities.every((x) => x.toxicFpr === 0 || x.identity === 'sikh')).toBe(true);
    expect(r.identities.find((x) => x.identity === 'muslim')?.toxicFpr).toBe(0);
  });

  it('formats the worst identities and a summary against the target', async () => {
    const r = await identityFalsePositiveRates(new IdentityScorer(), undefined, { identities: who, templates });
    const report = formatIdentityFprReport(r, { top: 2 });
    expect(report).toContain('3 identities × 3 non-toxic templates (9 texts)');
    expect(report).toMatch(/^muslim\s+religion\s+3\s+66\.7%\s+66\.7%\s+66\.7%\s+0\.617$/m);
    expect(report).toMatch(/^sikh\s+/m);
    expect(report).not.toMatch(/^woman\s+/m);
    expect(report).toContain('2 of 3 identities above 5.0% toxic FPR');
  });

  it('rejects a scorer that drops predictions', async () => {
    const short: Scorer = { ...new IdentityScorer(), name: 'short', scoreBatch: async (t) => t.slice(1).map(() => ({ scores: uniform(0) })) };
    await expect(identityFalsePositiveRates(short, uniform(0.5), { identities: who, templates })).rejects.toThrow(/returned/);
  });
});

describe('pass-rate targets', () => {
  const g = (group: string, passRate: number): BehaviourGroupResult => ({ group, total: 10, passed: passRate * 10, passRate, failures: [] });
  const result: BehaviourResult = {
    groups: [g('a', 0.9), g('b', 0.5)],
    overall: 0.7,
    thresholds: uniform(0.5),
    atThresholds: { groups: [g('a', 0.6), g('b', 0.9)], overall: 0.75 },
  };

  it('lists every group below its minimum, per reading', () => {
    expect(passRateShortfalls(result, { a: { at05: 0.8, atThresholds: 0.8 }, b: { at05: 0.5, atThresholds: 0.8 } })).toEqual([
      'a: 60.0% at thresholds < 80.0%',
    ]);
    expect(passRateShortfalls(result, { b: { at05: 0.51 }, c: { at05: 0.1 } })).toEqual([
      'b: 50.0% at 0.5 < 51.0%',
      'c: no cases at 0.5',
    ]);
    expect(passRateShortfalls(result, {})).toEqual([]);
  });

  it('names only real groups, with rates in (0, 1]', () => {
    for (const table of [ENFORCED_MIN_PASS_RATES, ISSUE_11_GOALS]) {
      for (const [group, value] of Object.entries(table)) {
        expect(BEHAVIOUR_GROUPS as readonly string[]).toContain(group);
        for (const v of typeof value === 'number' ? [value] : Object.values(value ?? {})) {
          expect(v).toBeGreaterThan(0);
          expect(v).toBeLessThanOrEqual(1);
        }
      }
    }
  });
});

describe('built-in model on the behavioural suite', () => {
  it('meets ENFORCED_MIN_PASS_RATES (the new groups are measured, not yet enforced)', async () => {
    const scorer = loadLinearScorer(resolveModelDir('builtin'));
    const result = await runBehaviourSuite(scorer);
    expect(passRateShortfalls(result)).toEqual([]);
  }, 60_000);
});
