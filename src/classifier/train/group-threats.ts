// Threats against a group. The person-aimed threat templates (augment.ts) are labelled not hate,
// and the corpora have few threats against groups, so without these rows the model learnt that
// violent words lower identity_hate. The threats name the group, one of its members or one of its
// places ("that mosque"), and each frame also comes with a peaceful verb as a clean twin, so that
// the frame and the group are not the cue: the violence is.
import type { Example, Gold } from '../corpora/index.js';
import { GROUP_ADJECTIVES, GROUP_NOUNS, GROUP_PLACES } from './groups.js';
import type { Rng } from '../../util/rng.js';
import { labels, pick, templateRow } from './template-rows.js';
import { GIFTS, TIMES, WEAPONS } from './person-threats.js';

/** [verb, past participle]: violence, and the peaceful verbs of the clean twins. */
const VIOLENCE: [string, string][] = [
  ['kill', 'killed'], ['shoot', 'shot'], ['stab', 'stabbed'], ['hang', 'hanged'], ['burn', 'burned'], ['beat', 'beaten'],
  ['gas', 'gassed'], ['bomb', 'bombed'], ['hunt down', 'hunted down'], ['wipe out', 'wiped out'], ['lynch', 'lynched'],
  ['exterminate', 'exterminated'], ['execute', 'executed'], ['run over', 'run over'], ['poison', 'poisoned'],
  ['slaughter', 'slaughtered'], ['drown', 'drowned'], ['beat up', 'beaten up'], ['punch', 'punched'], ['stone', 'stoned'],
  ['behead', 'beheaded'], ['gun down', 'gunned down'], ['string up', 'strung up'], ['torture', 'tortured'], ['hunt', 'hunted'],
];
const PEACE: [string, string][] = [
  ['welcome', 'welcomed'], ['help', 'helped'], ['thank', 'thanked'], ['hire', 'hired'], ['invite', 'invited'],
  ['feed', 'fed'], ['interview', 'interviewed'], ['support', 'supported'], ['teach', 'taught'], ['meet', 'met'],
  ['celebrate', 'celebrated'], ['protect', 'protected'], ['cook for', 'cooked for'], ['play with', 'played with'],
];
const PLACE_VIOLENCE: [string, string][] = [
  ['burn down', 'burned down'], ['torch', 'torched'], ['blow up', 'blown up'], ['bomb', 'bombed'], ['shoot up', 'shot up'],
  ['bulldoze', 'bulldozed'], ['firebomb', 'firebombed'],
];
const PLACE_PEACE: [string, string][] = [
  ['visit', 'visited'], ['repaint', 'repainted'], ['clean up', 'cleaned up'], ['fix up', 'fixed up'], ['decorate', 'decorated'],
  ['photograph', 'photographed'], ['volunteer at', 'volunteered at'],
];

const PEOPLE_FRAMES = [
  'i will {verb} every {id} person i see', 'someone should {verb} all the {ids}', "we're going to {verb} the {ids} in this town",
  'all {ids} should be {verbed}', 'i hope every {id} person gets {verbed}', 'the {id} family next door will be {verbed} soon',
  "it's time to {verb} the {ids}, all of them", '{ids} need to be {verbed}, starting tomorrow',
  'if i see one more {id} person here i will {verb} them', "let's go find some {ids} to {verb} tonight",
  "grab your friends, we're going to {verb} some {ids}", "i'm going to {verb} the next {id} person i see",
  'we should {verb} the {ids} once and for all', 'gonna {verb} some {ids} this weekend', 'the {ids} on my street will be {verbed} by christmas',
  'mark my words, every {id} person here will be {verbed}', 'any {id} person who comes here will get {verbed}',
  'every last one of the {ids} should be {verbed}', "i can't wait to {verb} the {ids} at the {place}",
];
const PLACE_FRAMES = [
  'someone needs to {verb} that {place} with everyone inside', "we'll {verb} every {place} in this city",
  'i hope someone {verbs} the {place}, i would do it myself', 'the {place} should be {verbed} with them still inside',
  "i'm going to {verb} the {place} on friday", 'time to {verb} the {place} down the road, who is with me',
];

/** A weapon (or, in the twins, a gift) brought to a group or its place: the scene is the threat. */
const SCENE_FRAMES = [
  "i'm bringing {thing} to the {place} {time}", "see you at the {place} {time}, i'll have {thing} with me",
  'the {ids} around here better watch out, i have {thing} in the car', 'got {thing} ready for the {ids} at the {place}',
  'who wants to come to the {place} with me {time}? bring {thing}',
];

/** "bomb" -> "bombs", "burn down" -> "burns down", "teach" -> "teaches". */
const thirdPerson = (verb: string): string => verb.replace(/^(\w+?)(ch|sh|s|x)?\b/, (_m, stem: string, end?: string) => (end ? `${stem}${end}es` : `${stem}s`));

/** The verb slots of a frame, filled with one verb's forms. */
function withVerb(frame: string, [verb, verbed]: [string, string]): string {
  return frame.replace('{verbs}', thirdPerson(verb)).replace('{verbed}', verbed).replace('{verb}', verb);
}

/** The group, member and place slots of a frame. */
function withGroup(frame: string, rng: Rng): string {
  return frame
    .replace('{ids}', pick(rng, GROUP_NOUNS))
    .replace('{id}', pick(rng, GROUP_ADJECTIVES))
    .replace('{place}', pick(rng, GROUP_PLACES));
}

/**
 * `count` threats against a group (toxic, threat and identity_hate), a quarter of them against its
 * places and a seventh with a weapon brought to them, and `twins` clean rows in the same frames
 * with peaceful verbs and gifts.
 */
export function groupThreatExamples(rng: Rng, count: number, twins: number): Example[] {
  const out: Example[] = [];
  const add = (text: string, gold: Gold[]): void => {
    out.push(templateRow(`gthreat${out.length}`, text, gold));
  };
  const row = (violent: boolean): string => {
    const r = rng();
    if (r < 0.15) return withGroup(pick(rng, SCENE_FRAMES).replace('{thing}', pick(rng, violent ? WEAPONS : GIFTS)).replace('{time}', pick(rng, TIMES)), rng);
    const place = r < 0.4;
    const frame = pick(rng, place ? PLACE_FRAMES : PEOPLE_FRAMES);
    return withGroup(withVerb(frame, pick(rng, place ? (violent ? PLACE_VIOLENCE : PLACE_PEACE) : violent ? VIOLENCE : PEACE)), rng);
  };
  for (let i = 0; i < count; i++) add(row(true), labels({ toxic: 1, threat: 1, identity_hate: 1 }));
  for (let i = 0; i < twins; i++) add(row(false), labels({}, 0));
  return out;
}
