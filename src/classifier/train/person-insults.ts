// Person-directed insult rows. The insult head learns mostly from long news comments (toxic_spans)
// and tweets (OLID), so a short "you clueless buffoon" in chat scored low even though "buffoon" is
// an insult span two dozen times in the data. These rows put the insult words the raters marked
// into short second-person frames, next to the same frames with compliments (so that "you absolute
// ..." itself stays innocent).
import { LABELS, type Label } from '../labels.js';
import type { Example, Gold } from '../corpora/index.js';
import { IDENTITY_TERMS } from '../linear/context.js';
import type { Rng } from '../../util/rng.js';
import { labels, pick, templateRow } from './template-rows.js';

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

/**
 * Chat insults that news comments (toxic_spans) hardly use: British, gaming and internet slang.
 * Nouns come with their plural, which is how the frames tell nouns from adjectives.
 */
export const CHAT_INSULTS = [
  'wanker', 'wankers', 'prick', 'pricks', 'tosser', 'tossers', 'knobhead', 'knobheads', 'dipshit', 'dipshits', 'degenerate',
  'degenerates', 'freak', 'freaks', 'creep', 'creeps', 'weirdo', 'weirdos', 'simp', 'simps', 'numpty', 'numpties', 'pillock',
  'pillocks', 'bellend', 'bellends', 'dork', 'dorks', 'cretin', 'cretins', 'halfwit', 'halfwits', 'nitwit', 'nitwits', 'dimwit',
  'dimwits', 'bonehead', 'boneheads', 'numbskull', 'numbskulls', 'shithead', 'shitheads', 'dumbfuck', 'goblin', 'goblins',
  'gremlin', 'gremlins', 'slob', 'slobs', 'pest', 'pests', 'fraud', 'frauds', 'snake', 'snakes', 'hack', 'hacks', 'spineless',
  'gutless', 'brainless', 'clueless', 'hopeless', 'talentless', 'airhead', 'airheads', 'skank', 'skanks',
];

/** The toxic_spans insult words and the chat insults, sorted. */
export function insultWords(examples: readonly Example[]): string[] {
  return [...new Set([...insultVocabulary(examples), ...CHAT_INSULTS])].sort();
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
  'how are you this much of a {w}', 'biggest {w} on the server right here', '{name} is such a {w}',
  'that guy in chat is a complete {w}', 'whoever wrote this is a {w}',
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
  'you are a {c} and everyone knows it', '{name} is such a {c}', 'that guy in chat is a complete {c}',
  'whoever wrote this is a {c}',
  // The insult frames' neutral words ("little", "biggest", "log off", "whatever") in praise too, so
  // that they do not turn into insult cues of their own.
  'you little {c}', 'biggest {c} on the server right here', 'you {c}, never log off', 'ok {c}, whatever you say, you earned it',
  'listen here you {c}, thank you',
];
/**
 * Chat often wraps an insult in something friendly ("great stream today, but you're an idiot"), and
 * a bag of n-grams weighs the friendly words against it. A share of the insult rows, and as many of
 * the compliment rows, start with one of these, so that the opener is no cue either way.
 */
const OPENERS = [
  'great stream today, but', 'gg everyone.', 'thanks for hosting the raid, but', 'love this server, but', 'nice patch notes. that said,',
  'good morning all.', 'fun game tonight, but', 'welcome to the new folks! also', 'the event was awesome, but', 'ok cool.',
];
const OPENED_SHARE = 0.3;
const COMPLIMENTS = [
  'legend', 'genius', 'hero', 'star', 'champ', 'king', 'queen', 'gem', 'angel', 'lifesaver', 'wizard', 'rockstar',
  'superstar', 'icon', 'saint', 'pro', 'sweetheart', 'treasure', 'mvp', 'madlad', 'goat', 'boss', 'sweetie', 'beast',
];
/**
 * Abuse that needs no insult word: contempt for someone in a role ("the worst mod this server has
 * ever had", "a sorry excuse for a raid leader"). {bad} is a superlative, from the vocabulary's
 * adjectives too. The twins are the same frames as praise, and as self-mockery ("i'm the worst
 * healer alive lol"), which is not abuse: who the sentence is aimed at decides.
 */
const ROLE_ABUSE_FRAMES = [
  "you're the {bad} {role} {ever}", 'you are genuinely the {bad} {role} {ever}', 'what a sorry excuse for a {role} you are',
  "you're a joke of a {role}", "you're an embarrassment to every {role} out there", "i've met smarter {things} than you",
  'a {thing} would be a better {role} than you', "nobody likes you {name}, you're a joke", "you're a disgrace, {name}",
  '{name} is the {bad} {role} {ever}, get rid of them', 'go cry about it, you whiny little {role}', "you're the reason we lose, {role}",
  'do everyone a favour and quit, you are the {bad} {role} {ever}', 'your {work} is garbage and so are you', 'nobody wants you here {name}',
  "honestly {name}, you're the {bad} {role} {ever}",
];
const ROLE_PRAISE_FRAMES = [
  "you're the {good} {role} {ever}", 'you are genuinely the {good} {role} {ever}', 'what a great {role} you are',
  "you're a gem of a {role}", "you're an inspiration to every {role} out there", "i've met few {roles} as kind as you",
  "everybody likes you {name}, you're a star", '{name} is the {good} {role} {ever}, keep them', "you're the reason we win, {role}",
  "you're the reason we never lose, {role}", "we'd be lost without you {name}, don't let anyone get rid of you",
  'your {work} is great and so are you', 'so glad you are here {name}', "honestly {name}, you're the {good} {role} {ever}",
];
const SELF_MOCKERY_FRAMES = [
  "i'm the {bad} {role} {ever} lol", 'what a sorry excuse for a {role} i am today, sorry guys', "i'm a joke of a {role} tonight haha",
  "i've met smarter {things} than me, forgot my keys again", 'my {work} is garbage today, my bad team', "i'm the reason we lost, sorry all",
  "ok i'm officially the {bad} {role} {ever}", 'me, the {bad} {role} {ever}, somehow carried that game',
];
const ROLES = [
  'raid leader', 'mod', 'teammate', 'tank', 'healer', 'streamer', 'admin', 'player', 'coder', 'captain', 'goalie',
  'driver', 'referee', 'support main', 'dungeon master', 'team lead',
];
const EVER = ["i've ever seen", 'this server has ever had', 'in the history of this game', "i've ever played with", 'alive', 'on the planet'];
const BAD = ['worst', 'dumbest', 'laziest', 'weakest', 'most useless', 'most clueless', 'most annoying', 'most insufferable'];
/** Vocabulary words that read as adjectives by their ending ("pathetic", "incompetent", "useless"). */
const ADJECTIVE = /(?:ic|ical|ant|ent|able|less|ish|ous|ing|ed)$/;
const GOOD = ['best', 'kindest', 'smartest', 'funniest', 'most helpful', 'most patient', 'most reliable', 'most talented'];
const THINGS = ['houseplants', 'potatoes', 'rocks', 'goldfish', 'toasters', 'bricks'];
const WORK = ['code', 'build', 'opinion', 'aim', 'playlist', 'take'];
const NAMES = ['sam', 'alex', 'jordan', 'mike', 'sarah', 'chris', 'emma', 'dave', 'liz', 'tom', 'nina', 'raj', 'omar', 'jess'];

/** `text`, preceded by a friendly opener `share` of the time. */
function opened(text: string, rng: Rng, share = OPENED_SHARE): string {
  return rng() < share ? `${pick(rng, OPENERS)} ${text}` : text;
}

/** "a idiot" -> "an idiot". */
const article = (text: string): string => text.replace(/\ba (?=[aeiou])/g, 'an ');

function fillRole(frame: string, rng: Rng, bad: readonly string[]): string {
  return frame
    .replace('{bad}', pick(rng, bad))
    .replace('{good}', pick(rng, GOOD))
    .replace('{roles}', `${pick(rng, ROLES)}s`)
    .replace('{role}', pick(rng, ROLES))
    .replace('{ever}', pick(rng, EVER))
    .replace('{things}', pick(rng, THINGS))
    .replace('{thing}', pick(rng, THINGS).replace(/(oe)?s$/, (m) => (m === 'oes' ? 'o' : '')))
    .replace('{work}', pick(rng, WORK))
    .replace('{name}', pick(rng, NAMES));
}

/**
 * `count` rows of contempt for someone in a role (toxic and insult), and as many twins: half praise in
 * the same frames, half self-mockery (clean).
 */
export function roleAbuseExamples(vocabulary: readonly string[], rng: Rng, count: number): Example[] {
  const bad = [...BAD, ...vocabulary.filter((w) => ADJECTIVE.test(w)).map((w) => `most ${w}`)];
  const out: Example[] = [];
  const add = (text: string, gold: Gold[]): void => {
    out.push(templateRow(`role${out.length}`, article(text), gold));
  };
  for (let i = 0; i < count; i++) {
    add(fillRole(pick(rng, ROLE_ABUSE_FRAMES), rng, bad), labels({ toxic: 1, insult: 1, identity_hate: 0, threat: 0 }));
  }
  for (let i = 0; i < count; i++) {
    add(fillRole(pick(rng, i % 2 === 0 ? ROLE_PRAISE_FRAMES : SELF_MOCKERY_FRAMES), rng, bad), labels({}, 0));
  }
  return out;
}

/** `count` insult rows (toxic and insult, not hate or threat), and half as many compliment rows and denial rows. */
export function personInsultExamples(vocabulary: readonly string[], rng: Rng, count: number): Example[] {
  if (vocabulary.length === 0) return [];
  const out: Example[] = [];
  const add = (text: string, gold: Gold[]): void => {
    out.push(templateRow(`insult${out.length}`, article(text), gold));
  };
  const nouns = countable(vocabulary);
  const plurals = new Set(nouns.map((n) => `${n}s`));
  const others = vocabulary.filter((w) => !nouns.includes(w) && !plurals.has(w));
  for (let i = 0; i < count; i++) {
    const noun = nouns.length > 0 && rng() < 0.3;
    const frame = noun ? pick(rng, NOUN_FRAMES) : pick(rng, INSULT_FRAMES);
    const text = frame.replace('{w}', pick(rng, noun ? nouns : vocabulary)).replace('{name}', pick(rng, NAMES));
    add(opened(text, rng), labels({ toxic: 1, insult: 1, identity_hate: 0, threat: 0 }));
  }
  for (let i = 0; i < count / 2; i++) {
    const text = pick(rng, COMPLIMENT_FRAMES).replace('{c}', pick(rng, COMPLIMENTS)).replace('{name}', pick(rng, NAMES));
    add(opened(text, rng, 2 * OPENED_SHARE), labels({}, 0));
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
