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

// Scoring runs this on every message, so it allocates nothing: words are found by hashing their
// characters as they are read, looked up by hash, and confirmed against the word itself only on a hit.
const IS_IDENTITY = 1;
const IS_STOPWORD = 2;
const IS_NEGATOR = 4;
const IS_BUT = 8;
const SEED_LOOKUP = 0x811c9dc5;
/** Word kinds by the hash of the word (IDENTITY, STOPWORDS, "but") and of the word without apostrophes (NEGATORS). */
const WORDS = new Map<number, { word: string; kind: number }[]>();
const BARE_WORDS = new Map<number, string[]>();
function lookupHash(word: string): number {
  return hashWord(SEED_LOOKUP, word, 0, word.length);
}
for (const [list, kind] of [[IDENTITY, IS_IDENTITY], [STOPWORDS, IS_STOPWORD], [['but'], IS_BUT]] as const) {
  for (const word of list) {
    const h = lookupHash(word);
    const entries = WORDS.get(h) ?? [];
    const entry = entries.find((e) => e.word === word);
    if (entry) entry.kind |= kind;
    else entries.push({ word, kind });
    WORDS.set(h, entries);
  }
}
for (const word of NEGATORS) BARE_WORDS.set(lookupHash(word), [...(BARE_WORDS.get(lookupHash(word)) ?? []), word]);

/** Whether text[start, end) with its apostrophes left out is `word`. */
function bareEquals(text: string, start: number, end: number, word: string): boolean {
  let k = 0;
  for (let i = start; i < end; i++) {
    const c = text.charCodeAt(i);
    if (c === 39) continue;
    if (k >= word.length || word.charCodeAt(k++) !== c) return false;
  }
  return k === word.length;
}

/** Per token of the last text: start, end, kind bits (above) and BREAK_BEFORE / QUOTED / LONG. */
let tokenStart = new Int32Array(256);
let tokenEnd = new Int32Array(256);
let tokenKind = new Uint8Array(256);
const BREAK_BEFORE = 16;
const QUOTED = 32;
/** More than one letter once apostrophes are left out. */
const LONG = 64;

/** Tokens of `text` into the arrays above; returns how many, and whether one names a group (as `-count`). */
function tokenize(text: string): number {
  const n = text.length;
  let count = 0;
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
        if (inQuote) quoteOpenedAt = count;
      }
      i++;
      continue;
    }
    const start = i;
    let h = SEED_LOOKUP;
    let bare = SEED_LOOKUP;
    let letters = 0;
    let apostrophes = 0;
    while (i < n) {
      const d = text.charCodeAt(i);
      if (!isWordChar(d)) break;
      h = Math.imul(h ^ d, 0x01000193);
      if (d === 39) apostrophes++;
      else {
        bare = Math.imul(bare ^ d, 0x01000193);
        letters++;
      }
      i++;
    }
    let kind = (brk ? BREAK_BEFORE : 0) | (inQuote ? QUOTED : 0) | (letters > 1 ? LONG : 0);
    const entries = WORDS.get(fmix(h));
    if (entries) {
      for (const e of entries) if (e.word.length === i - start && text.startsWith(e.word, start)) kind |= e.kind;
    }
    const negators = BARE_WORDS.get(fmix(bare));
    if (negators && negators.some((w) => bareEquals(text, start, i, w))) kind |= IS_NEGATOR;
    else if (apostrophes > 0 && i - start >= 3 && text.endsWith("n't", i)) kind |= IS_NEGATOR;
    if (count === tokenKind.length) {
      tokenStart = grow(tokenStart);
      tokenEnd = grow(tokenEnd);
      tokenKind = grow(tokenKind);
    }
    tokenStart[count] = start;
    tokenEnd[count] = i;
    tokenKind[count] = kind;
    count++;
    brk = false;
  }
  // An unclosed quotation mark quotes nothing.
  if (inQuote) for (let k = quoteOpenedAt; k < count; k++) tokenKind[k] = (tokenKind[k] as number) & ~QUOTED;
  return count;
}

function grow<T extends Int32Array | Uint8Array>(a: T): T {
  const bigger = new (a.constructor as new (n: number) => T)(a.length * 2);
  bigger.set(a);
  return bigger;
}

/**
 * Pushes the context hashes of a normalised text into `out` (a HashBuffer-like sink); with
 * `positions`, the [start, end) of the word behind each hash. Returns whether the text names a group.
 */
export function contextHashes(text: string, out: { push(h: number): void }, positions?: number[]): boolean {
  // Most messages name no group, negate nothing and quote nothing: one regex scan says so. (The
  // models were trained with it: "did'nt" counts as a negator only next to one of these.)
  if (!MAY_HAVE_CONTEXT.test(text)) return false;
  const count = tokenize(text);
  let group = false;
  for (let k = 0; k < count; k++) if ((tokenKind[k] as number) & IS_IDENTITY) group = true;
  let scope = 0;
  for (let k = 0; k < count; k++) {
    const kind = tokenKind[k] as number;
    if (kind & (BREAK_BEFORE | IS_BUT)) scope = 0;
    if (scope > 0) {
      // Function words and group names say nothing by being negated; they still use up the scope.
      if (!(kind & (IS_STOPWORD | IS_IDENTITY))) emit(SEED_NEG, text, k, out, positions);
      scope--;
    }
    if (kind & IS_NEGATOR) scope = NEGATION_SCOPE;
    if (group && kind & LONG && !(kind & (IS_STOPWORD | IS_IDENTITY))) emit(SEED_GROUP, text, k, out, positions);
    if (kind & QUOTED) emit(SEED_QUOTE, text, k, out, positions);
  }
  return group;
}

function emit(seed: number, text: string, k: number, out: { push(h: number): void }, positions: number[] | undefined): void {
  const start = tokenStart[k] as number;
  const end = tokenEnd[k] as number;
  out.push(hashWord(seed, text, start, end));
  if (positions) positions.push(start, end);
}
