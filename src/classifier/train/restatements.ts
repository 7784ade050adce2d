// Restatement rows: the implied stereotypes (stereotypes.ts) phrased as a question or an opinion
// ("honest question: is it true that X are Y?", "imo X are Y"), trained as hate. The corpora state
// most of their hate outright, so hedged phrasing passed for harmless. The same frames are also
// filled with everyday opinions and with harmless statements about the same groups, trained as
// clean, so that neither the frame nor "a question about a group" is itself a cue.
import { LABELS } from '../labels.js';
import type { Example, Gold } from '../corpora/index.js';
import { impliedStereotypes, plainAssertions } from './stereotypes.js';
import { IDENTITY_TERMS } from '../linear/context.js';
import type { Rng } from '../../util/rng.js';
import { labels, pick, templateRow } from './template-rows.js';

const FRAMES = [
  'honest question: is it true that {s}?', 'am i the only one who thinks {s}?', 'in my opinion {s}', 'imo {s}',
  'unpopular opinion but {s}', "i'm just asking, isn't it obvious that {s}?", "let's be honest, {s}", 'i genuinely believe {s}',
  'just my two cents: {s}', 'anyone else noticed that {s}?', 'i think {s} and nobody can change my mind', 'hot take: {s}',
  // Appeals to facts, the usual cover of a stereotype stated as implicit hate.
  'the numbers say it all: {s}', "{s}, facts don't care about your feelings", '{s}. pattern recognition is not a crime',
  '{s}, and deep down everyone knows it', 'funny how {s} and nobody ever talks about it', '{s}. i said what i said',
];
/** Frames that need "<group> are <predicate>". */
const ARE_FRAMES = ['why are {g} always {p}?', "don't you think {g} are {p}?", 'are {g} {p}? asking for a friend', 'why are so many {g} {p}?'];
const EVERYDAY = [
  'the new map is better than the old one', 'pineapple belongs on pizza', 'the sequel was better than the original',
  'mondays are the worst', 'cats are better than dogs', 'the patch notes were way too long', 'tabs are better than spaces',
  'this song is underrated', 'the old logo looked nicer', 'early morning raids are a bad idea', 'the finale was rushed',
  'winter is the best season', 'the ranked queue is broken right now', 'cold pizza is better than hot pizza',
];
/** Harmless things to say about a group, for "{g} {predicate}". */
const HARMLESS = [
  'are welcome to join the tournament', 'have their own channel on this server now', 'are hosting the meetup this week',
  'make up half of our guild', 'were at the conference last year', 'can sign up for the mentoring program',
  'asked for a quiet room at the event', 'run the best cooking stream i know', 'should be on the speaker list',
  'get the same discount as everyone else', 'started a book club here',
];

/** More hedges, for whole sentences of the corpora. */
const HEDGES = [
  'not gonna lie, {s}', 'is it just me or {s}?', "i'll say it: {s}", 'nobody wants to admit it but {s}',
  'call me whatever you want but {s}', 'real talk: {s}', "tell me i'm wrong: {s}", 'change my mind: {s}', 'idk about you but {s}',
  '{s}, just saying', '{s}. thoughts?', 'i could be wrong but {s}', 'does anyone else feel like {s}?', 'i mean, {s}, right?',
];
/** Corpus sentences short enough to stand inside a hedge. */
const MAX_WORDS = 14;
const GROUP_WORD = new RegExp(`\\b(?:${IDENTITY_TERMS.join('|')})\\b`);


/**
 * `count` hate rows (weight `weight`), and as many clean rows in the same frames: half everyday
 * opinions, half harmless statements about the same groups.
 */
export function restatementExamples(examples: readonly Example[], rng: Rng, count: number, weight = 0.5): Example[] {
  const parsed = impliedStereotypes(examples);
  if (parsed.length === 0) return [];
  const areOnly = plainAssertions(parsed);
  const out: Example[] = [];
  for (let i = 0; i < count; i++) {
    const are = areOnly.length > 0 && rng() < 0.3;
    const { statement, parts } = pick(rng, are ? areOnly : parsed);
    const text = are
      ? pick(rng, ARE_FRAMES).replace('{g}', parts.group).replace('{p}', parts.predicate)
      : pick(rng, FRAMES).replace('{s}', statement);
    out.push(templateRow(`restate${i}`, text, labels({ toxic: 1, identity_hate: 1 }), weight));
  }
  for (let i = 0; i < count; i++) {
    const s = i % 2 === 0 ? pick(rng, EVERYDAY) : `${pick(rng, parsed).parts.group} ${pick(rng, HARMLESS)}`;
    out.push(templateRow(`opinion${i}`, pick(rng, FRAMES).replace('{s}', s), labels({}, 0)));
  }
  return out;
}

/**
 * Short sentences of the training split that name a group, hedged: `count` hateful ones (trained as
 * hate) and `count` clean ones (trained as clean), each in a frame drawn from the same list. The
 * implied stereotypes above are one annotator's paraphrase; these are what people wrote.
 */
export function hedgedSentenceExamples(examples: readonly Example[], corpora: ReadonlySet<string>, rng: Rng, count: number, weight = 0.5): Example[] {
  const hate = LABELS.indexOf('identity_hate');
  const toxic = LABELS.indexOf('toxic');
  const hateful: string[] = [];
  const clean: string[] = [];
  for (const e of examples) {
    if (e.split !== 'train' || !corpora.has(e.corpus)) continue;
    const text = e.text.trim().toLowerCase().replace(/[.!]+$/, '');
    if (text.split(/\s+/).length > MAX_WORDS || /@|http|\n/.test(text) || !GROUP_WORD.test(text)) continue;
    if (e.labels[hate] === 1) hateful.push(text);
    else if (e.labels[hate] === 0 && e.labels[toxic] === 0) clean.push(text);
  }
  if (hateful.length === 0 || clean.length === 0) return [];
  const frames = [...FRAMES, ...HEDGES];
  const out: Example[] = [];
  const add = (text: string, gold: Gold[]): void => {
    out.push(templateRow(`hedged${out.length}`, pick(rng, frames).replace('{s}', text), gold, weight));
  };
  for (let i = 0; i < count; i++) add(pick(rng, hateful), labels({ toxic: 1, identity_hate: 1 }));
  for (let i = 0; i < count; i++) add(pick(rng, clean), labels({}, 0));
  return out;
}
