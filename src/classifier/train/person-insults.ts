// Person-directed insult rows. The insult head learns mostly from long news comments (toxic_spans)
// and tweets (OLID), so a short "you clueless buffoon" in chat scored low even though "buffoon" is
// an insult span two dozen times in the data. These rows put the insult words the raters marked
// into short second-person frames, next to the same frames with compliments (so that "you absolute
// ..." itself stays innocent).
import { LABELS, type Label } from '../labels.js';
import type { Example, Gold } from '../corpora/index.js';
import { IDENTITY_TERMS } from '../linear/context.js';
import type { Rng } from '../../util/rng.js';

/** A word must be a rater-marked insult span this often to be used. */
const MIN_SPAN_COUNT = 3;

/** Span words that are insulting about things, not names for a person ("garbage", "nonsense"). */
const NOT_PERSON = new Set(
  ('crap garbage trash rubbish shit damn darn fuck fucks bullshit nonsense suck sucks ridiculous absurd ludicrous ' +
    'rediculous duck as o such shut kill sex humans below wild detest stealing lying swamp crock').split(' '),
);
/** Abstract nouns ("stupidity", "ignorance", "hypocrisy", "foolishness"). */
const ABSTRACT = /(?:ity|ance|ence|ism|isy|ocy|ness|ion)$/;
const IDENTITY = new Set(IDENTITY_TERMS);

/**
 * Single words that raters of toxic_spans marked as insults (majority spans of training texts
 * labelled insult and nothing else), seen at least MIN_SPAN_COUNT times. Truncated spans ("idio",
 * "diot") are dropped as parts of a more frequent word.
 */
export function insultVocabulary(examples: readonly Example[]): string[] {
  const insult = LABELS.indexOf('insult');
  const others = (['obscene', 'threat', 'identity_hate'] as Label[]).map((l) => LABELS.indexOf(l));
  const counts = new Map<string, number>();
  for (const e of examples) {
    if (e.corpus !== 'toxic_spans' || e.split !== 'train' || e.labels[insult] !== 1) continue;
    if (others.some((l) => e.labels[l] !== 0)) continue;
    for (const [a, b] of e.spans ?? []) {
      const word = e.text.slice(a, b).toLowerCase().replace(/[^a-z]/g, '');
      if (word.length >= 3 && /^[a-z]+$/.test(e.text.slice(a, b).trim().toLowerCase())) counts.set(word, (counts.get(word) ?? 0) + 1);
    }
  }
  const frequent = [...counts].filter(([w, c]) => c >= MIN_SPAN_COUNT && !NOT_PERSON.has(w) && !ABSTRACT.test(w) && !IDENTITY.has(w));
  const words = new Set(frequent.map(([w]) => w));
  const degree = (w: string): boolean => ['er', 'est'].some((s) => w.endsWith(s) && words.has(w.slice(0, -s.length)));
  // A rare plural of an adjective ("stupids" next to "stupid") would make it pass for a noun.
  const oddPlural = (w: string): boolean => w.endsWith('s') && (counts.get(w) ?? 0) * 10 < (counts.get(w.slice(0, -1)) ?? 0);
  return [...words]
    .filter((w) => !degree(w) && !oddPlural(w) && !frequent.some(([o, c]) => o !== w && o.includes(w) && c > (counts.get(w) ?? 0)))
    .sort();
}

/** The words that are nouns: the vocabulary has their plural too ("idiot", "idiots"). */
function countable(vocabulary: readonly string[]): string[] {
  const words = new Set(vocabulary);
  return vocabulary.filter((w) => words.has(`${w}s`));
}

const INSULT_FRAMES = [
  'you {w}', 'you absolute {w}', 'you total {w}', 'you complete {w}', 'you little {w}', 'shut up you {w}',
  'nobody asked you, you {w}', '{name} you {w}', '{name}, you absolute {w}', 'lol you {w}', 'listen here you {w}',
  'go away you {w}', '@user you {w}', 'sit down you {w}', 'you {w}, log off', 'you {w}, nobody wants you here',
  'stop talking you {w}', 'read the rules you {w}', 'ok {w}, whatever you say',
];
/** Frames that need a countable noun. */
const NOUN_FRAMES = [
  "you're a {w}", "you're such a {w}", 'what a {w} you are', 'you are a {w} and everyone knows it',
  'how are you this much of a {w}', 'biggest {w} on the server right here',
];
/** The same words denied: without these twins, "nobody thinks you're an idiot" reads as an insult. */
const DENIAL_FRAMES = [
  "you're not a {n}", 'nobody here thinks you are a {n}', "i'd never call you a {n}", "no one is calling you a {n}",
  "i'm not saying you're a {n}, i just disagree", "{name} isn't a {n}, give them a break", "you're far from a {n}",
  "don't listen to them, you're not {w}", "i never said you were {w}", "calling yourself {w} is unfair, you did fine",
  "{name} is not {w} at all, the instructions were confusing",
];
const COMPLIMENT_FRAMES = [
  'you {c}', 'you absolute {c}', 'you total {c}', '{name} you {c}', '{name}, you absolute {c}', 'lol you {c}',
  '@user you {c}', "you're a {c}", "you're such a {c}", 'what a {c} you are', 'you {c}, thank you so much',
  'you are a {c} and everyone knows it',
];
const COMPLIMENTS = [
  'legend', 'genius', 'hero', 'star', 'champ', 'king', 'queen', 'gem', 'angel', 'lifesaver', 'wizard', 'rockstar',
  'superstar', 'icon', 'saint', 'pro', 'sweetheart', 'treasure', 'mvp', 'madlad', 'goat', 'boss', 'sweetie', 'beast',
];
const NAMES = ['sam', 'alex', 'jordan', 'mike', 'sarah', 'chris', 'emma', 'dave', 'liz', 'tom', 'nina', 'raj', 'omar', 'jess'];

function pick<T>(rng: Rng, items: readonly T[]): T {
  return items[Math.floor(rng() * items.length)] as T;
}

/** "a idiot" -> "an idiot". */
const article = (text: string): string => text.replace(/\ba (?=[aeiou])/g, 'an ');

function labels(values: Partial<Record<Label, 0 | 1>>, rest: Gold = null): Gold[] {
  return LABELS.map((l) => values[l] ?? rest);
}

/** `count` insult rows (toxic and insult, not hate or threat), and half as many compliment rows and denial rows. */
export function personInsultExamples(vocabulary: readonly string[], rng: Rng, count: number): Example[] {
  if (vocabulary.length === 0) return [];
  const out: Example[] = [];
  const add = (text: string, gold: Gold[]): void => {
    out.push({ id: `insult${out.length}`, corpus: 'augment', text: article(text), labels: gold, split: 'train', weight: 1 });
  };
  const nouns = countable(vocabulary);
  const plurals = new Set(nouns.map((n) => `${n}s`));
  const others = vocabulary.filter((w) => !nouns.includes(w) && !plurals.has(w));
  for (let i = 0; i < count; i++) {
    const noun = nouns.length > 0 && rng() < 0.3;
    const frame = noun ? pick(rng, NOUN_FRAMES) : pick(rng, INSULT_FRAMES);
    const text = frame.replace('{w}', pick(rng, noun ? nouns : vocabulary)).replace('{name}', pick(rng, NAMES));
    add(text, labels({ toxic: 1, insult: 1, identity_hate: 0, threat: 0 }));
  }
  for (let i = 0; i < count / 2; i++) {
    const text = pick(rng, COMPLIMENT_FRAMES).replace('{c}', pick(rng, COMPLIMENTS)).replace('{name}', pick(rng, NAMES));
    add(text, labels({}, 0));
  }
  for (let i = 0; i < count / 2; i++) {
    const text = pick(rng, DENIAL_FRAMES)
      .replace('{n}', pick(rng, nouns.length > 0 ? nouns : vocabulary))
      .replace('{w}', pick(rng, others.length > 0 ? others : vocabulary))
      .replace('{name}', pick(rng, NAMES));
    add(text, labels({}, 0));
  }
  return out;
}
