// Context features: what a bag of n-grams cannot see on its own.
// - Negation scope: the words right after "not / never / don't ..." become NEG:word, so that
//   "I don't hate gay people" does not count "hate" the way "I hate gay people" does.
// - Group context: when a text names a group of people, its content words also become GRP:word, so
//   the model can learn that "vermin" said about a group is hate while "vermin" about the mice in
//   the kitchen is not, without the group's name itself being evidence of anything.
// - Quotation: words inside quotation marks become Q:word, a cue of reported speech and of
//   counter-speech that quotes abuse in order to condemn it.
// The hashes form a third block of the feature vector, L2-normalised like the others.
import { fmix } from './hash.js';

/** Words that name a group of people (also the terms identity debiasing neutralises). */
export const IDENTITY_TERMS = [
  'gay', 'gays', 'lesbian', 'lesbians', 'bisexual', 'bisexuals', 'bi', 'transgender', 'transgenders', 'trans',
  'queer', 'queers', 'nonbinary', 'homosexual', 'homosexuals', 'straight', 'lgbt', 'lgbtq', 'asexual',
  'muslim', 'muslims', 'islam', 'islamic', 'jew', 'jews', 'jewish', 'judaism', 'christian', 'christians', 'catholic',
  'catholics', 'hindu', 'hindus', 'buddhist', 'buddhists', 'sikh', 'sikhs', 'atheist', 'atheists', 'mormon', 'mormons',
  'black', 'blacks', 'white', 'whites', 'asian', 'asians', 'latino', 'latina', 'latinos', 'latinas', 'latinx', 'hispanic',
  'hispanics', 'arab', 'arabs', 'african', 'africans', 'mexican', 'mexicans', 'chinese', 'indian', 'indians',
  'pakistani', 'pakistanis', 'nigerian', 'nigerians', 'korean', 'koreans', 'japanese', 'russian', 'russians', 'polish',
  'irish', 'italian', 'italians', 'jamaican', 'somali', 'somalis', 'syrian', 'syrians', 'native', 'natives',
  'indigenous', 'aboriginal', 'gypsy', 'gypsies', 'roma', 'romani',
  'immigrant', 'immigrants', 'refugee', 'refugees', 'migrant', 'migrants', 'foreigner', 'foreigners',
  'asylum', 'seeker', 'seekers', 'minority', 'minorities', 'ethnic', 'biracial', 'interracial', 'hijab', 'turban',
  'disabled', 'deaf', 'blind', 'autistic', 'elderly', 'wheelchair', 'disability', 'disabilities',
  'woman', 'women', 'female', 'females', 'man', 'men', 'male', 'males', 'girl', 'girls', 'feminist', 'feminists',
];

const IDENTITY = new Set(IDENTITY_TERMS);

/** Function words and fillers: crossing them with a group adds noise, not meaning. */
const STOPWORDS = new Set(
  ('a an the and or but if then so as of to in on at by for with from into about over under than that this these ' +
    'those there here it its it\'s is are was were be been being am do does did have has had will would shall should ' +
    'can could may might must i me my we us our you your he him his she her they them their who whom which what when ' +
    'where why how all any some such no not very just also too only own same other more most much many people person ' +
    'folks one ones lol get got up out').split(' '),
);

const NEGATORS = new Set(
  ('not no never nobody nothing none neither nor without cannot cant dont doesnt didnt isnt arent wasnt werent wont ' +
    'wouldnt shouldnt couldnt aint hardly').split(' '),
);

/**
 * Matches every text that has a group name, a negator, "n't" or a quotation mark (and some more:
 * it only has to never miss one), so that contextHashes can skip the others.
 */
const MAY_HAVE_CONTEXT = new RegExp(
  `(?<![a-z0-9])(?:${[...IDENTITY_TERMS, ...NEGATORS].join('|')})(?![a-z0-9])|n't|["\u201c\u201d\u00ab\u00bb]`,
);

/** Clause breaks end a negation's scope. */
const SCOPE_END = new Set([46, 44, 33, 63, 59, 58]); // . , ! ? ; :
const QUOTES = new Set([34, 0x201c, 0x201d, 0xab, 0xbb]); // " “ ” « »
const NEGATION_SCOPE = 3;

export const SEED_NEG = 0x2f6b1a3d;
export const SEED_GROUP = 0x4c1b7e59;
export const SEED_QUOTE = 0x6d2e9f17;

/**
 * One feature for "this text names a group" (FeatureConfig.groupIndicator), in a block of its own so
 * that it always weighs 1. Without it, the offset that naming a group earns in training (the hate
 * corpora name groups mostly to attack them) is spread over every word said about a group; with it,
 * that offset sits in one weight that training then clears on the labels where naming a group is no
 * evidence (train/identity-terms.ts).
 */
export const GROUP_INDICATOR = fmix(0x3a1f5c27);

function isWordChar(c: number): boolean {
  return (c >= 97 && c <= 122) || (c >= 48 && c <= 57) || c === 39 || (c > 127 && c !== 0xa0 && c !== 0x3000 && !QUOTES.has(c));
}

function hashWord(seed: number, text: string, start: number, end: number): number {
  let h = seed;
  for (let i = start; i < end; i++) h = Math.imul(h ^ text.charCodeAt(i), 0x01000193);
  return fmix(h);
}

interface Token {
  start: number;
  end: number;
  word: string;
  /** A clause break or quotation mark right before this token. */
  breakBefore: boolean;
  quoted: boolean;
}

function tokenize(text: string): Token[] {
  const out: Token[] = [];
  const n = text.length;
  let i = 0;
  let brk = false;
  let inQuote = false;
  let quoteOpenedAt = -1;
  while (i < n) {
    const c = text.charCodeAt(i);
    if (!isWordChar(c)) {
      if (SCOPE_END.has(c)) brk = true;
      if (QUOTES.has(c)) {
        brk = true;
        inQuote = !inQuote;
        if (inQuote) quoteOpenedAt = out.length;
      }
      i++;
      continue;
    }
    const start = i;
    while (i < n && isWordChar(text.charCodeAt(i))) i++;
    out.push({ start, end: i, word: text.slice(start, i), breakBefore: brk, quoted: inQuote });
    brk = false;
  }
  // An unclosed quotation mark quotes nothing.
  if (inQuote) for (let k = quoteOpenedAt; k < out.length; k++) (out[k] as Token).quoted = false;
  return out;
}

const bare = (word: string): string => word.replace(/'/g, '');

/**
 * Pushes the context hashes of a normalised text into `out` (a HashBuffer-like sink); with
 * `positions`, the [start, end) of the word behind each hash. Returns whether the text names a group.
 */
export function contextHashes(text: string, out: { push(h: number): void }, positions?: number[]): boolean {
  // Most messages name no group, negate nothing and quote nothing: one regex scan says so.
  if (!MAY_HAVE_CONTEXT.test(text)) return false;
  const tokens = tokenize(text);
  if (tokens.length === 0) return false;
  let group = false;
  for (const t of tokens) if (IDENTITY.has(t.word)) group = true;
  let scope = 0;
  for (const t of tokens) {
    if (t.breakBefore || t.word === 'but') scope = 0;
    if (scope > 0) {
      // Function words and group names say nothing by being negated; they still use up the scope.
      if (!STOPWORDS.has(t.word) && !IDENTITY.has(t.word)) emit(SEED_NEG, t, out, positions);
      scope--;
    }
    // (Most words have no apostrophe: skip the copy.)
    const w = t.word.indexOf("'") < 0 ? t.word : bare(t.word);
    if (NEGATORS.has(w) || t.word.endsWith("n't")) scope = NEGATION_SCOPE;
    if (group && w.length > 1 && !IDENTITY.has(t.word) && !STOPWORDS.has(t.word)) emit(SEED_GROUP, t, out, positions);
    if (t.quoted) emit(SEED_QUOTE, t, out, positions);
  }
  return group;
}

function emit(seed: number, t: Token, out: { push(h: number): void }, positions: number[] | undefined): void {
  out.push(hashWord(seed, t.word, 0, t.word.length));
  if (positions) positions.push(t.start, t.end);
}
