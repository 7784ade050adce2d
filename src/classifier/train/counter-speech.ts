// Counter-speech that quotes what it condemns: "calling people 'X' is not ok", "putting 'Y' in your
// bio makes you a bigot", "someone called me a X in voice, mods?". The quoted words are the
// strongest hate features there are, so without these rows the model flags the people who report
// or rebut hate. Two sources, both from training data only: the slurs that HateXplain's raters
// marked as the reason a post is hate speech, and the hateful template rows (threats, negated
// hostility), quoted inside condemning or reporting frames. All labelled clean, at half weight.
import { LABELS } from '../labels.js';
import type { Example } from '../corpora/index.js';
import { IDENTITY_TERMS } from '../linear/context.js';
import type { Rng } from '../../util/rng.js';
import { labels, pick, templateRow } from './template-rows.js';

/** A rater-marked word must be this frequent in hate speech rationales... */
const MIN_RATIONALE_COUNT = 5;
/** ...and this many times more frequent there than in clean training rows, to count as a slur. */
const CLEAN_RATIO = 2;

/**
 * Words HateXplain's raters marked as the rationale of hate speech posts (training split), that are
 * rare in clean rows of every corpus: slurs, not the groups they target nor everyday words.
 */
export function slurVocabulary(examples: readonly Example[]): string[] {
  const hate = LABELS.indexOf('identity_hate');
  const rationale = new Map<string, number>();
  const clean = new Map<string, number>();
  for (const e of examples) {
    if (e.split !== 'train') continue;
    if (e.labels.every((y) => y === 0)) for (const w of new Set(e.text.toLowerCase().split(/[^a-z]+/))) clean.set(w, (clean.get(w) ?? 0) + 1);
    if (e.corpus !== 'hatexplain' || e.labels[hate] !== 1) continue;
    for (const [a, b] of e.spans ?? []) {
      const w = e.text.slice(a, b).toLowerCase().trim();
      if (/^[a-z]{4,}$/.test(w)) rationale.set(w, (rationale.get(w) ?? 0) + 1);
    }
  }
  const identity = new Set(IDENTITY_TERMS);
  return [...rationale]
    .filter(([w, c]) => c >= MIN_RATIONALE_COUNT && !identity.has(w) && (clean.get(w) ?? 0) * CLEAN_RATIO < c)
    .map(([w]) => w)
    .sort();
}

const SLUR_FRAMES = [
  'calling people {q} is not ok, please stop', 'if you call someone a {w} in this server you will be banned, no exceptions',
  '{q} is a slur, do not use it here', 'someone just called me a {w} in voice chat, can a mod look at this',
  'reported the guy who kept saying {w} in general', 'using {q} as an insult is never a joke', 'we do not tolerate {q} or any other slur here',
  'my kid came home asking what {q} means, they are learning it online', 'got called a {w} in ranked again, muting all chat from now on',
  'stop typing {q} in chat, it is not edgy', 'the word {q} has no place on this server',
];
const QUOTE_FRAMES = [
  'putting {q} in your bio does not make you edgy, it makes you a bigot', 'if your whole argument is {q} then you do not have an argument',
  'someone posted {q} in general, mods please look', 'reported a user for posting {q}', '{q}? that is hateful and it is not welcome here',
  'seeing {q} in her replies is gross', 'no, {q} is not free speech, it is hate', 'can we not with the {q} posts? this is a gaming server',
  'people who write {q} get banned here, read the rules', 'i cannot believe someone wrote {q} under a charity stream',
];

/** Quoted with double or single quotation marks, as chat does both. */
const quote = (text: string, rng: Rng): string => (rng() < 0.5 ? `"${text}"` : `'${text}'`);

/** `count` clean rows (weight `weight`): half mention a slur, half quote one of `hateful` (texts of hateful template rows). */
export function counterSpeechExamples(slurs: readonly string[], hateful: readonly string[], rng: Rng, count: number, weight = 0.5): Example[] {
  const out: Example[] = [];
  for (let i = 0; i < count; i++) {
    const useSlur = hateful.length === 0 || (slurs.length > 0 && rng() < 0.5);
    if (useSlur && slurs.length === 0) break;
    const said = useSlur ? pick(rng, slurs) : pick(rng, hateful);
    const text = pick(rng, useSlur ? SLUR_FRAMES : QUOTE_FRAMES).replace('{q}', quote(said, rng)).replace('{w}', said);
    out.push(templateRow(`counter${i}`, text, labels({}, 0), weight));
  }
  return out;
}
