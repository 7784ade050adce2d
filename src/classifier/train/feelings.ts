// Feelings and judgements about a group stated outright: hatred ("i hate X", "X disgust me") and
// praise ("i love X", "X are great").
// - The denials, counter-speech and everyday rows teach "hate" in clean contexts ("i don't hate X",
//   "saying that is hateful", "i hate mondays") far more often than the corpora state it plainly
//   about a group, so "i hate women" had come to score lower than "i don't like women at all".
// - The corpora and the stereotype rows say "X are Y" almost only with a slur or a stereotype for Y,
//   so "women are great" scored as hate.
// The hatred frames are also filled with the person addressed (toxic, not hate), with groups no one
// is born into ("i hate landlords": not identity hate, toxicity left to the corpora) and with things
// (clean); the same frames with warm verbs, and "X are <praise>", are filled with groups (clean),
// and "X are <praise>" comes with its contemptuous twin, "X are rats, not people" (hate).
// The target and the feeling decide, not the frame or the group's name.
import type { Example, Gold } from '../corpora/index.js';
import { GROUP_ADJECTIVES, GROUP_NOUNS } from './groups.js';
import type { Rng } from '../../util/rng.js';
import { labels, pick, templateRow } from './template-rows.js';

/** Frames for a plural target: "{x}" is "muslims", "mondays", "landlords". */
const FRAMES = [
  'i hate {x}', 'i really hate {x}', 'i fucking hate {x}', 'i despise {x}', 'i detest {x}', 'i loathe {x}', '{x} disgust me',
  '{x} make me sick', "i can't stand {x}", 'i hate {x} with a passion', 'nothing disgusts me more than {x}', "i'm so sick of {x}",
  'honestly i hate {x} so much', 'god i hate {x}', 'i hate all {x}', '{x} are the worst, i hate them', 'i hate every single one of {x}',
  "i've hated {x} my whole life", 'i always hated {x}', 'i feel pure disgust for {x}', '{x} fill me with rage',
];
/** FRAMES with warm feelings, frame by frame. */
const WARM_FRAMES = [
  'i love {x}', 'i really love {x}', 'i fucking love {x}', 'i adore {x}', 'i admire {x}', '{x} inspire me', '{x} make me happy',
  "i can't get enough of my {x} friends", 'i love {x} with a passion', 'nothing makes me happier than {x} being here', "i'm so proud of {x}",
  'honestly i love {x} so much', 'god i love {x}', 'i love all {x}', '{x} are the best, i love them', 'i love every single one of {x} here',
  "i've loved my {x} friends my whole life", 'i always loved {x}', 'i feel pure respect for {x}', '{x} fill me with hope',
];
/** Judgements in the shape of derogation ("X are Y"), with praise or plain facts for Y. */
const PRAISE_FRAMES = [
  '{x} are {good}', '{x} are {good} people', '{x} are so {good}', 'all the {x} i know are {good}', '{x} are {good}, end of story',
  '{x} are valid', '{x} are human beings like everyone else', 'we are a group of {x}', 'i live with two {x}', 'we need more {x} in {field}',
  '{x} are welcome here', '{x} are part of this community',
];
/** PRAISE_FRAMES with contempt, shape by shape: "X are great people" against "X are rats, not people". */
const CONTEMPT_FRAMES = [
  '{x} are {bad}', '{x} are {bad}, not people', '{x} are so {vile}', 'all the {x} i know are {bad}', '{x} are {bad}, end of story',
  '{x} are not even human', '{x} are less than human', '{x} are {bad} and always will be', '{x} are {bad}, not human beings',
];
const BAD = [
  'rats', 'vermin', 'cockroaches', 'parasites', 'animals', 'leeches', 'garbage', 'trash', 'subhuman', 'a plague', 'a disease',
  'savages', 'filth', 'scum', 'maggots', 'insects', 'a virus', 'a cancer', 'livestock', 'locusts',
];
const VILE = ['disgusting', 'vile', 'repulsive', 'revolting', 'nasty', 'foul', 'gross', 'pathetic', 'worthless', 'stupid'];
const GOOD = [
  'great', 'amazing', 'wonderful', 'lovely', 'brilliant', 'kind', 'awesome', 'beautiful', 'strong', 'smart', 'talented',
  'hard-working', 'fun', 'the best', 'inspiring', 'generous', 'funny', 'resilient',
];
const FIELDS = ['government', 'tech', 'games', 'science', 'film', 'sports', 'medicine', 'leadership roles', 'our team'];
/** The same feelings aimed at the person addressed. */
const AT_YOU = [
  'i hate you', 'i really hate you', 'i fucking hate you', 'i despise you', 'you disgust me', 'you make me sick', "i can't stand you",
  'i hate you with a passion', 'honestly i hate you so much', 'god i hate you', 'nothing disgusts me more than you',
];
/** Groups nobody is born into: abuse of them is not identity hate. */
const CHOSEN_GROUPS = [
  'landlords', 'lawyers', 'politicians', 'bankers', 'tourists', 'influencers', 'referees', 'cyclists', 'vegans', 'mimes',
  'telemarketers', 'campers in this game', 'backseat gamers', 'scalpers', 'spammers', 'speedrunners', 'critics',
];
const THINGS = [
  'mondays', 'spiders', 'mosquitoes', 'traffic jams', 'long queues', 'taxes', 'pop-up ads', 'loading screens', 'early meetings',
  'wet socks', 'slow elevators', 'unskippable cutscenes', 'cold showers', 'spoilers', 'paper cuts', 'hangovers', 'group projects',
  'autocorrect fails', 'olives', 'alarm clocks',
];

/** "{ids}" as a plural noun, or "{id} people". */
const group = (rng: Rng): string => (rng() < 0.6 ? pick(rng, GROUP_NOUNS) : `${pick(rng, GROUP_ADJECTIVES)} people`);

/**
 * `count` rows of hatred stated about a group (toxic and identity_hate), and twins: half as many
 * at the person addressed (toxic, not hate), half as many at groups nobody is born into (not hate),
 * as many at things (clean), twice as many warm feelings and praise about groups (clean), and as
 * many contemptuous judgements in the shapes of the praise (hate).
 */
export function feelingExamples(rng: Rng, count: number): Example[] {
  const out: Example[] = [];
  const add = (text: string, gold: Gold[]): void => {
    out.push(templateRow(`feeling${out.length}`, text, gold));
  };
  for (let i = 0; i < count; i++) add(pick(rng, FRAMES).replace('{x}', group(rng)), labels({ toxic: 1, identity_hate: 1, threat: 0 }));
  for (let i = 0; i < count / 2; i++) add(pick(rng, AT_YOU), labels({ toxic: 1, identity_hate: 0, threat: 0 }));
  for (let i = 0; i < count / 2; i++) add(pick(rng, FRAMES).replace('{x}', pick(rng, CHOSEN_GROUPS)), labels({ identity_hate: 0, threat: 0 }));
  for (let i = 0; i < count; i++) add(pick(rng, FRAMES).replace('{x}', pick(rng, THINGS)), labels({}, 0));
  for (let i = 0; i < count; i++) add(pick(rng, WARM_FRAMES).replace('{x}', group(rng)), labels({}, 0));
  for (let i = 0; i < count; i++) {
    const text = pick(rng, CONTEMPT_FRAMES).replace('{x}', group(rng)).replace('{bad}', pick(rng, BAD)).replace('{vile}', pick(rng, VILE));
    add(text, labels({ toxic: 1, identity_hate: 1, threat: 0 }));
  }
  for (let i = 0; i < count; i++) {
    const text = pick(rng, PRAISE_FRAMES).replace('{x}', group(rng)).replace('{good}', pick(rng, GOOD)).replace('{field}', pick(rng, FIELDS));
    add(text, labels({}, 0));
  }
  return out;
}
