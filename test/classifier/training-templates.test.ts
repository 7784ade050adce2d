// The data-derived template rows: person-directed insults from toxic_spans' insult spans, and
// rebuttals of the implied stereotypes (src/classifier/train/person-insults.ts, rebuttals.ts).
import { describe, expect, it } from 'vitest';
import type { Example } from '../../src/classifier/corpora/index.js';
import { gold } from '../../src/classifier/corpora/io.js';
import { LABELS } from '../../src/classifier/labels.js';
import { groupThreatExamples } from '../../src/classifier/train/group-threats.js';
import { negatedHostilityExamples } from '../../src/classifier/train/negated-hostility.js';
import { counterSpeechExamples, slurVocabulary } from '../../src/classifier/train/counter-speech.js';
import { CHAT_INSULTS, insultVocabulary, insultWords, personInsultExamples, roleAbuseExamples } from '../../src/classifier/train/person-insults.js';
import { rebuttalExamples } from '../../src/classifier/train/rebuttals.js';
import { hedgedSentenceExamples, restatementExamples } from '../../src/classifier/train/restatements.js';
import { personThreatExamples } from '../../src/classifier/train/person-threats.js';
import { feelingExamples } from '../../src/classifier/train/feelings.js';
import { makeRng } from '../../src/util/rng.js';

const INSULT_ONLY = gold({ toxic: 1, severe_toxic: 0, obscene: 0, threat: 0, insult: 1, identity_hate: 0 });

/** A toxic_spans-like row whose spans cover each of `marked` (first occurrence). */
function spanRow(text: string, marked: string[], labels = INSULT_ONLY, split: 'train' | 'val' = 'train'): Example {
  const spans = marked.map((w): [number, number] => [text.indexOf(w), text.indexOf(w) + w.length]);
  return { id: text, corpus: 'toxic_spans', text, labels, split, weight: 1, spans };
}

const at = (label: string): number => LABELS.indexOf(label as (typeof LABELS)[number]);

describe('insultVocabulary', () => {
  const rows = [
    ...Array.from({ length: 5 }, (_, i) => spanRow(`what an idiot, comment ${i}`, ['idiot'])),
    ...Array.from({ length: 3 }, (_, i) => spanRow(`a bunch of idiots ${i}`, ['idiots'])),
    ...Array.from({ length: 4 }, (_, i) => spanRow(`you buffoon ${i}`, ['buffoon'])),
    // Too rare, truncated by the raters, abstract, about a thing, or not insult-only rows.
    ...Array.from({ length: 2 }, (_, i) => spanRow(`you muppet ${i}`, ['muppet'])),
    ...Array.from({ length: 3 }, (_, i) => spanRow(`such an idio-t ${i}`, ['idio'])),
    ...Array.from({ length: 3 }, (_, i) => spanRow(`sheer stupidity ${i}`, ['stupidity'])),
    ...Array.from({ length: 3 }, (_, i) => spanRow(`this is garbage ${i}`, ['garbage'])),
    ...Array.from({ length: 3 }, (_, i) => spanRow(`you are a fucking clown ${i}`, ['clown'], gold({ toxic: 1, obscene: 1, insult: 1, threat: 0, identity_hate: 0 }))),
    ...Array.from({ length: 3 }, (_, i) => spanRow(`you jerk ${i}`, ['jerk'], INSULT_ONLY, 'val')),
    ...Array.from({ length: 3 }, (_, i) => spanRow(`the gay agenda ${i}`, ['gay'])),
  ];

  it('keeps the insult words raters marked often enough, in training rows labelled insult and nothing else', () => {
    expect(insultVocabulary(rows)).toEqual(['buffoon', 'idiot', 'idiots']);
  });

  it('reads only toxic_spans', () => {
    expect(insultVocabulary(rows.map((r) => ({ ...r, corpus: 'olid' })))).toEqual([]);
  });

  it('adds the chat insults, nouns with their plural, once each and sorted', () => {
    const words = insultWords(rows);
    expect(words).toEqual(expect.arrayContaining(['idiot', 'buffoon', 'wanker', 'wankers', 'spineless']));
    expect(words).toEqual([...new Set(words)].sort());
    for (const w of CHAT_INSULTS.filter((x) => !x.endsWith('s') && !/(less|fuck)$/.test(x))) {
      expect(words.includes(`${w}s`) || words.includes(`${w.slice(0, -1)}ies`)).toBe(true);
    }
  });
});

describe('personInsultExamples', () => {
  const rows = personInsultExamples(['idiot', 'idiots', 'buffoon', 'ignorant'], makeRng(3), 300);

  it('puts the words into frames aimed at a person, labelled toxic and insult, not hate or threat', () => {
    const insults = rows.filter((r) => r.labels[at('insult')] === 1);
    expect(insults).toHaveLength(300);
    for (const r of insults) {
      expect(r.text).toMatch(/\b(idiot|idiots|buffoon|ignorant)\b/);
      expect(r.text).toMatch(/\byou\b|\byou're\b|\bok |right here$| is (such )?an? |is a complete /);
      expect(r.labels).toEqual(gold({ toxic: 1, insult: 1, threat: 0, identity_hate: 0 }));
    }
    // "a" frames take only countable nouns, with the right article.
    expect(insults.some((r) => r.text.includes('an idiot'))).toBe(true);
    expect(insults.some((r) => /\ban? (ignorant|buffoon)\b/.test(r.text))).toBe(false);
    expect(insults.some((r) => /\ba idiot\b/.test(r.text))).toBe(false);
  });

  it('adds half as many compliments in the same frames, and half as many denials, labelled clean', () => {
    const clean = rows.filter((r) => r.labels.every((y) => y === 0));
    expect(clean).toHaveLength(300);
    expect(clean.some((r) => /\bnot an? idiot\b/.test(r.text))).toBe(true);
    expect(clean.some((r) => /\ban? (buffoon|ignorant)\b/.test(r.text))).toBe(false);
    expect(clean.some((r) => /^you absolute \w+$/.test(r.text))).toBe(true);
    expect(rows.filter((r) => /^you absolute /.test(r.text)).map((r) => r.labels[at('insult')])).toContain(0);
  });

  it('opens as many insults as compliments with a friendly line, so that the opener is no cue', () => {
    const opened = (insult: 0 | 1): number =>
      rows.filter((r) => r.labels[at('insult')] === insult && /^(great stream today|gg everyone|love this server|fun game tonight|ok cool)/.test(r.text)).length;
    expect(opened(1)).toBeGreaterThan(20);
    expect(opened(0)).toBeGreaterThan(10);
    expect(Math.abs(opened(1) - opened(0))).toBeLessThan(opened(1) / 2);
  });
});

describe('rebuttalExamples', () => {
  const implied = (text: string, split: 'train' | 'val' = 'train'): Example => ({
    id: `p:implied:0:${text}`, corpus: 'implicit_hate', text, labels: gold({ toxic: 1, identity_hate: 1 }), split, weight: 0.25,
  });
  const rows = [
    implied('Immigrants are criminals.'),
    implied('black people are lazy'),
    implied('Muslims should be deported'),
    implied('saying assumes blacks are violent'),
    implied('trans women are not women'),
    implied('the weather is bad'),
    implied('jews are greedy', 'val'),
    { ...implied('women are stupid'), id: 'post-1' },
  ];
  const out = rebuttalExamples(rows, makeRng(5), 400);

  it('denies or denounces the training split implied stereotypes, as clean half-weight rows', () => {
    expect(out).toHaveLength(400);
    for (const r of out) {
      expect(r.labels).toEqual(LABELS.map(() => 0));
      expect(r.weight).toBe(0.5);
      expect(r.text).toMatch(/immigrants|black people|muslims|trans women/);
    }
    expect(out.map((r) => r.text)).toContain('immigrants are not criminals');
    expect(out.some((r) => r.text.startsWith('saying muslims should be deported is '))).toBe(true);
  });

  it('skips validation rows, posts, clauses that are not a group, and double negations', () => {
    const texts = out.map((r) => r.text).join('\n');
    expect(texts).not.toMatch(/jews|women are stupid|weather|assumes/);
    expect(texts).not.toMatch(/not not|aren't not/);
  });

  it('gives half the plain denials a reason after them, and never a second one', () => {
    const denials = out.filter((r) => r.text.startsWith('immigrants are not criminals'));
    expect(denials.some((r) => r.text === 'immigrants are not criminals')).toBe(true);
    expect(denials.some((r) => r.text.startsWith('immigrants are not criminals, '))).toBe(true);
    const frameWithComma = out.filter((r) => /^(no, (?!")|.*, (that's a stereotype|where do people even get that))/.test(r.text));
    expect(frameWithComma.length).toBeGreaterThan(0);
    for (const r of frameWithComma) expect(r.text.split(', ').length).toBe(2);
  });
});

describe('restatementExamples', () => {
  const implied = (text: string): Example => ({ id: `p:implied:0:${text}`, corpus: 'sbic_partial', text, labels: gold({ toxic: 1, identity_hate: 1 }), split: 'train', weight: 0.25 });
  const out = restatementExamples([implied('immigrants are criminals'), implied('Muslims should be deported.'), implied('the weather is bad')], makeRng(9), 300);

  it('phrases the stereotypes as questions and opinions, labelled hate at half weight', () => {
    const hate = out.filter((r) => r.labels[at('identity_hate')] === 1);
    expect(hate).toHaveLength(300);
    for (const r of hate) {
      expect(r.text).toMatch(/immigrants .*criminals|muslims should be deported/);
      expect(r.text).not.toMatch(/weather|[{}]/);
      expect(r.labels).toEqual(gold({ toxic: 1, identity_hate: 1 }));
      expect(r.weight).toBe(0.5);
    }
    expect(hate.some((r) => r.text.endsWith('?'))).toBe(true);
    expect(hate.map((r) => r.text)).toContain('why are immigrants always criminals?');
  });

  it('fills the same frames with everyday opinions and harmless statements about the same groups, labelled clean', () => {
    const clean = out.filter((r) => r.labels.every((y) => y === 0));
    expect(clean).toHaveLength(300);
    expect(clean.some((r) => r.text.startsWith('imo '))).toBe(true);
    const aboutGroups = clean.filter((r) => /immigrants|muslims/.test(r.text));
    expect(aboutGroups.length).toBe(150);
    expect(aboutGroups.every((r) => !/criminals|deported/.test(r.text))).toBe(true);
  });
});

describe('groupThreatExamples', () => {
  const rows = groupThreatExamples(makeRng(7), 300, 200);
  const threats = rows.filter((r) => r.labels[LABELS.indexOf('threat')] === 1);
  const twins = rows.filter((r) => r.labels.every((y) => y === 0));

  it('aims violence at a group, its members or its places, labelled threat and hate, with every verb form filled in', () => {
    expect(threats).toHaveLength(300);
    for (const r of threats) {
      expect(r.text).not.toMatch(/[{}]/);
      expect(r.labels).toEqual(gold({ toxic: 1, threat: 1, identity_hate: 1 }));
    }
    expect(threats.some((r) => /mosque|synagogue|church|temple/.test(r.text))).toBe(true);
    expect(threats.some((r) => /\b(muslims|women|immigrants|jews)\b/.test(r.text))).toBe(true);
    expect(new Set(threats.map((r) => r.text)).size).toBeGreaterThan(250);
  });

  it('fills the same frames with peaceful verbs as clean twins, never with a violent one', () => {
    expect(twins).toHaveLength(200);
    for (const r of twins) expect(r.text).not.toMatch(/\b(kill|shoot|stab|bomb|burn|torch|lynch|hang|gas|poison)/);
    expect(twins.some((r) => /^i will (welcome|help|thank|hire|invite|feed|interview|support|teach|meet|celebrate|protect|cook for|play with) every /.test(r.text) || /should be \w+/.test(r.text))).toBe(true);
    expect(twins.some((r) => /bulldoze|firebomb/.test(r.text))).toBe(false);
  });
});

describe('roleAbuseExamples', () => {
  const rows = roleAbuseExamples(['idiot', 'idiots', 'pathetic', 'stupid'], makeRng(3), 200);
  const abuse = rows.filter((r) => r.labels[LABELS.indexOf('insult')] === 1);
  const clean = rows.filter((r) => r.labels.every((y) => y === 0));

  it('labels contempt for someone in a role toxic and insult, not hate or threat, and fills every slot', () => {
    expect(abuse).toHaveLength(200);
    for (const r of abuse) {
      expect(r.text).not.toMatch(/[{}]/);
      expect(r.labels).toEqual(gold({ toxic: 1, insult: 1, identity_hate: 0, threat: 0 }));
    }
    expect(abuse.some((r) => r.text.includes('most pathetic'))).toBe(true);
    expect(abuse.some((r) => r.text.includes('most idiot'))).toBe(false);
  });

  it('twins every row with praise or self-mockery, labelled clean', () => {
    expect(clean).toHaveLength(200);
    expect(clean.some((r) => /^i'm the (worst|dumbest|laziest|weakest|most \w+) /.test(r.text))).toBe(true);
    expect(clean.some((r) => /\b(best|kindest|smartest|funniest|most helpful)\b/.test(r.text))).toBe(true);
    expect(clean.every((r) => !/\byou('re| are)? the (worst|dumbest|laziest|weakest)/.test(r.text))).toBe(true);
  });
});

describe('negatedHostilityExamples', () => {
  const rows = negatedHostilityExamples(makeRng(5), 200);
  const hostile = rows.filter((r) => r.labels[LABELS.indexOf('identity_hate')] === 1);
  const kind = rows.filter((r) => r.labels.every((y) => y === 0));

  it('labels hostility phrased with a negation toxic and identity_hate, not threat, and names a group in each', () => {
    expect(hostile).toHaveLength(200);
    for (const r of hostile) {
      expect(r.text).not.toMatch(/[{}]/);
      expect(r.labels).toEqual(gold({ toxic: 1, identity_hate: 1, threat: 0 }));
    }
    expect(hostile.filter((r) => /\b(not?|never|don't|can't|won't|nobody|aren't|wouldn't)\b/.test(r.text)).length).toBeGreaterThan(180);
  });

  it('pairs them with as many negations that say nothing hostile, labelled clean', () => {
    expect(kind).toHaveLength(200);
    expect(kind.some((r) => r.text.startsWith("i don't hate "))).toBe(true);
    expect(kind.every((r) => !/don't like .* at all|can't stand|refuse to/.test(r.text))).toBe(true);
  });
});

describe('counter-speech rows', () => {
  const post = (id: string, text: string, hate: 0 | 1, spans: [number, number][], split: 'train' | 'val' = 'train', corpus = 'hatexplain'): Example => ({
    id, corpus, text, labels: hate ? gold({ toxic: 1, identity_hate: 1 }) : gold({ toxic: 0, severe_toxic: 0, obscene: 0, threat: 0, insult: 0, identity_hate: 0 }), split, weight: 1, spans,
  });
  const rationale = (text: string, word: string): [number, number][] => [[text.indexOf(word), text.indexOf(word) + word.length]];
  const rows: Example[] = [];
  for (let i = 0; i < 6; i++) {
    const t = `those wetbacks and muslims took the sand again ${i}`;
    rows.push(post(`a${i}`, t, 1, [...rationale(t, 'wetbacks'), ...rationale(t, 'muslims'), ...rationale(t, 'sand')]));
    rows.push(post(`b${i}`, `we built a castle out of sand ${i}`, 0, [], 'train', 'dynahate'));
    const v = `only seen in validation: zorblats ${i}`;
    rows.push(post(`c${i}`, v, 1, rationale(v, 'zorblats'), 'val'));
  }

  it('takes as slurs the words raters marked in hate speech that clean rows rarely use, never group names', () => {
    expect(slurVocabulary(rows)).toEqual(['wetbacks']);
  });

  it('quotes slurs and hateful rows inside condemning or reporting frames, labelled clean at half weight', () => {
    const out = counterSpeechExamples(['wetbacks'], ['all muslims should be gassed'], makeRng(2), 200);
    expect(out).toHaveLength(200);
    for (const r of out) {
      expect(r.labels.every((y) => y === 0)).toBe(true);
      expect(r.weight).toBe(0.5);
      expect(r.text).toMatch(/wetbacks|["']all muslims should be gassed["']/);
      expect(r.text).not.toMatch(/[{}]/);
    }
    const slurRows = out.filter((r) => r.text.includes('wetbacks')).length;
    expect(slurRows).toBeGreaterThan(60);
    expect(slurRows).toBeLessThan(140);
  });
});

describe('hedgedSentenceExamples', () => {
  const row = (id: string, text: string, hate: 0 | 1 | null, split: 'train' | 'val' = 'train', corpus = 'dynahate'): Example => ({
    id, corpus, text, split, weight: 1,
    labels: hate === null ? gold({ toxic: 0 }) : hate ? gold({ toxic: 1, identity_hate: 1 }) : gold({ toxic: 0, identity_hate: 0 }),
  });
  const rows = [
    row('h', 'Immigrants are a plague on this country.', 1),
    row('c', 'my muslim neighbours brought us soup', 0),
    row('long', 'women are ' + 'really '.repeat(20) + 'awful', 1),
    row('nogroup', 'this weather is a plague', 1),
    row('val', 'jews are vermin', 1, 'val'),
    row('unknown', 'gay people at the parade', null),
    row('other', 'refugees ruin everything', 1, 'train', 'germeval2018'),
  ];
  const out = hedgedSentenceExamples(rows, new Set(['dynahate']), makeRng(4), 100);
  const hate = out.filter((r) => r.labels[at('identity_hate')] === 1);
  const clean = out.filter((r) => r.labels.every((y) => y === 0));

  it('hedges short training sentences that name a group: hateful ones as hate, clean ones as clean, at half weight', () => {
    expect(hate).toHaveLength(100);
    expect(clean).toHaveLength(100);
    for (const r of hate) {
      expect(r.text).toContain('immigrants are a plague on this country');
      expect(r.text).not.toBe('immigrants are a plague on this country');
      expect(r.labels).toEqual(gold({ toxic: 1, identity_hate: 1 }));
    }
    for (const r of clean) expect(r.text).toContain('my muslim neighbours brought us soup');
    expect(out.every((r) => r.weight === 0.5 && !/[{}]/.test(r.text))).toBe(true);
  });

  it('uses the same frames for both sides', () => {
    const frame = (r: Example): string => r.text.replace(/immigrants are a plague on this country|my muslim neighbours brought us soup/, '{s}');
    const hateFrames = new Set(hate.map(frame));
    expect(clean.filter((r) => hateFrames.has(frame(r))).length).toBeGreaterThan(50);
  });

  it('leaves out long sentences, sentences without a group, validation rows, unknown labels and other corpora', () => {
    expect(out.some((r) => /really|weather|jews|parade|refugees/.test(r.text))).toBe(false);
  });
});

describe('personThreatExamples', () => {
  const rows = personThreatExamples(makeRng(8), 400, 300);
  const threats = rows.filter((r) => r.labels[at('threat')] === 1);
  const twins = rows.filter((r) => r.labels.every((y) => y === 0));
  const COURTESY = /^(have a nice day|thanks for the input|no offence|with all due respect|cheers|take care|sweet dreams)/;

  it('labels threats against a person toxic and threat, not identity_hate, with every slot filled', () => {
    expect(threats).toHaveLength(400);
    for (const r of threats) {
      expect(r.text).not.toMatch(/[{}]/);
      expect(r.labels).toEqual(gold({ toxic: 1, threat: 1, identity_hate: 0, obscene: 0 }));
    }
    expect(new Set(threats.map((r) => r.text)).size).toBeGreaterThan(300);
    expect(threats.some((r) => /\b(bat|knife|gun|crowbar|machete|axe)\b/.test(r.text))).toBe(true);
  });

  it('twins the same frames and openers with harmless things or with the violence denied, labelled clean', () => {
    expect(twins).toHaveLength(300);
    const denied = /\b(never|nobody|no one|not going to)\b/;
    for (const r of twins.filter((t) => !denied.test(t.text))) expect(r.text).not.toMatch(/\b(knife|gun|crowbar|machete|rope|gasoline|bleed|wheelchair|coffin|ambulance|bullet)\b/);
    expect(twins.filter((r) => denied.test(r.text)).length).toBeGreaterThan(40);
    expect(twins.some((r) => denied.test(r.text) && /\b(kill|stab|shoot|bleed|break)\b/.test(r.text))).toBe(true);
    expect(twins.some((r) => /^(.*\. )?i'll be waiting .* with /.test(r.text))).toBe(true);
    expect(twins.some((r) => r.text.includes('i know where you live'))).toBe(true);
  });

  it('puts courtesy in front of threats and twins alike, so courtesy is not the cue', () => {
    const share = (list: typeof rows): number => list.filter((r) => COURTESY.test(r.text)).length / list.length;
    expect(share(threats)).toBeGreaterThan(0.1);
    expect(Math.abs(share(threats) - share(twins))).toBeLessThan(0.1);
  });
});

describe('feelingExamples', () => {
  const rows = feelingExamples(makeRng(6), 400);
  const of = (values: Parameters<typeof gold>[0]): Example[] => rows.filter((r) => JSON.stringify(r.labels) === JSON.stringify(gold(values)));

  it('labels hatred stated about a group toxic and identity_hate, not threat', () => {
    const hate = of({ toxic: 1, identity_hate: 1, threat: 0 });
    expect(hate).toHaveLength(800);
    expect(hate.some((r) => /^\S.* are (rats|vermin|parasites|animals), not people$/.test(r.text))).toBe(true);
    expect(hate.some((r) => /^i hate (muslims|women|jews|immigrants|\w+ people)$/.test(r.text))).toBe(true);
    expect(hate.every((r) => !/[{}]|\byou\b/.test(r.text))).toBe(true);
  });

  it('aims the same feelings at "you" (toxic, not hate), at chosen groups (not hate) and at things (clean)', () => {
    expect(of({ toxic: 1, identity_hate: 0, threat: 0 }).every((r) => /\byou\b/.test(r.text))).toBe(true);
    expect(of({ toxic: 1, identity_hate: 0, threat: 0 })).toHaveLength(200);
    expect(of({ identity_hate: 0, threat: 0 })).toHaveLength(200);
    const clean = rows.filter((r) => r.labels.every((y) => y === 0));
    expect(clean.filter((r) => /^(i hate|i despise|i detest|i loathe) /.test(r.text)).length).toBeGreaterThan(50);
  });

  it('states warm feelings and praise about groups in the same shapes, labelled clean', () => {
    const clean = rows.filter((r) => r.labels.every((y) => y === 0));
    expect(clean).toHaveLength(1200);
    expect(clean.some((r) => /^(women|muslims|jews|immigrants|\w+ people) are (great|amazing|wonderful|lovely|brilliant|kind)$/.test(r.text))).toBe(true);
    expect(clean.some((r) => /^i love (women|muslims|jews|immigrants|\w+ people)$/.test(r.text))).toBe(true);
    expect(clean.every((r) => !/[{}]/.test(r.text))).toBe(true);
  });
});
