// Threats against a person. The corpora have few threats, and those they have are blunt ("i will
// kill you"), so a threat wrapped in courtesy ("have a nice weekend, i'll be outside your house
// with a crowbar") or carried by a scene instead of a verb ("bring a first aid kit, you'll need
// it") scored as clean. These rows compose a threat from a courteous or neutral opener, a frame,
// and something violent (an act, a weapon, an injury); each frame also comes filled with something
// harmless (a favour, a gift, an errand) as a clean twin, so that neither the courtesy, nor "i'll
// be waiting outside your office", nor "i know where you live" is the cue: the violence is.
import type { Example, Gold } from '../corpora/index.js';
import type { Rng } from '../../util/rng.js';
import { labels, pick, templateRow } from './template-rows.js';

/** What comes before the threat, or before its twin: nothing, courtesy, or a shrug. */
const OPENERS = [
  '', '', '', 'have a nice day.', 'thanks for the input.', 'no offence, but', 'with all due respect,', 'just so you know,',
  'friendly reminder:', 'cheers,', 'good luck with that.', 'see you around.', 'lol ok.', 'noted.', 'enjoy your weekend.',
  'nice try.', 'take care.', 'sure thing buddy.', 'glad we cleared that up.', 'appreciate the honesty.', 'well then.',
  'fine.', 'sweet dreams.', 'congrats on the promotion.',
];
/** Things done to the person: [violent, harmless], each a verb phrase after "i'm going to". */
const ACTS = [
  'break every bone in your body', 'put you in the ground', 'make you bleed', 'smash your face in', 'put you in a wheelchair',
  'cut you open', 'beat you senseless', 'make you disappear', 'snap your neck', 'make sure you never walk again',
  'burn your car with you in it', 'hurt your family', 'kill you', 'stab you', 'shoot you', 'strangle you', 'end you',
  'break your legs', 'burn your house down', 'bury you in the woods', 'put a bullet in your head', 'knock your teeth out',
  'hunt you down', 'cave your skull in', 'make you regret being born', 'choke the life out of you',
];
const FAVOURS = [
  'buy you a coffee', 'help you move', 'show you the new build', 'give you a ride home', 'drop off your package',
  'fix your sink', 'return your drill', 'walk you through the setup', 'celebrate your promotion', 'make sure you get home safe',
  'beat you at chess', 'crush you in the finals', 'teach you the combo', 'send you the notes', 'cook you dinner',
  'take you to the game', 'pick up the keys', 'sign your birthday card', 'carry your bags', 'water your plants',
];
export const WEAPONS = [
  'a bat', 'a knife', 'a gun', 'a crowbar', 'a hammer', 'the rope', 'a can of gasoline', 'a machete', 'brass knuckles',
  'a rifle', 'an axe', 'my fists', 'a tire iron', 'acid',
];
export const GIFTS = [
  'a cake', 'coffee', 'the spare key', 'a birthday card', 'pizza', 'your charger', 'your jacket', 'flowers', 'the tickets',
  'a bottle of wine', 'the board game', 'snacks', 'your mail', 'the extension cord',
];
/** What the person will need afterwards: [after a threat, after something harmless]. */
const NEEDS = [
  'a first aid kit', 'a doctor', 'an ambulance', 'a coffin', 'a good surgeon', 'dental records to identify you', 'stitches',
  'a wheelchair', 'bandages',
];
const HARMLESS_NEEDS = ['a jacket', 'an umbrella', 'your laptop', 'snacks', 'a pen', 'sunscreen', 'your id', 'comfy shoes', 'a charger'];
const PLACES = [
  'outside your house', 'in the parking lot', 'by your car', 'at your office', 'outside your school', 'at your door',
  'behind the gym', 'at your flat', 'outside your work', 'at the bus stop you use', 'by your gate',
];
export const TIMES = ['tonight', 'tomorrow', 'after work', 'on monday', 'this weekend', 'after the meeting', 'at 8', 'on saturday', 'soon'];
const EVENTS = ['the meeting', 'the office party', 'practice', 'the next raid', 'your shift', 'the match', 'the weekend'];
const RELATIVES = ['wife', 'husband', 'mom', 'kids', 'girlfriend', 'brother', 'roommate'];

/** Frames filled with `{act}` (violent or harmless), `{thing}` (weapon or gift) or `{need}`. */
const FRAMES = [
  "i'm going to {act} {time}", "i'll be {place} {time} to {act}", "i'll be waiting {place} {time} with {thing}",
  "keep talking and i'll {act}", "i know where you live, and i'm coming {time} to {act}", 'next time i see you i will {act}',
  "guess who's {place} {time} with {thing}", "i'm saving {thing} just for you", 'i promise i will {act} {time}',
  "i'm driving over {time} with {thing}", "{time} i'll show up {place} and {act}", 'after {event} you will need {need}',
  "don't be surprised when i {act}", "mark my words, i'll {act}", "i'll make time {time} to {act}", 'count on me to {act} {time}',
  "you'd better be home {time}, i'm bringing {thing}", 'one more post like that and i will {act}', "we'll see who's laughing when i {act}",
  'i have {thing} in the car, see you {time}', 'your {rel} should know i plan to {act}',
];
/** Threats that need no slot: menace without a violent word, and the blunt ones the corpora have. */
const IMPLIED = [
  'your days are numbered', 'i know what car you drive and when you leave work', 'we have people watching your house',
  'nobody will hear you scream', "they will never find what's left of you", 'you should start saying goodbye to your family',
  'i hope you have life insurance', "next time you won't be so lucky", 'this is the last warning you get',
  "one of these nights you won't wake up", 'i have photos of your front door, nice flowers', 'you have no idea what is coming for you',
  'nobody will find the body', 'your family is going to pay for this', "you won't live to see tomorrow", 'better sleep with one eye open',
  "you're dead when i find you", 'i am coming for you and your kids', "we know your address, you're finished",
  'one more word and you are getting stabbed', 'i hope someone kills you', 'someone should shoot you',
  'i will personally make sure you disappear', 'you will die soon, i promise',
];
/** Clean sentences with violent words that threaten nobody. */
const HARMLESS = [
  'this exam is killing me', 'you killed it on stage tonight', "i'm going to kill this workout", 'that joke killed me lol',
  'time to kill some zombies', 'the heat is killing my plants', 'i could kill for a pizza right now', 'she shot a great photo of the lake',
  'my legs are dead after that hike', 'we got destroyed in ranked again', 'the boss fight murdered our whole party',
  'i will fight you for the last slice lol', 'this spicy sauce is going to end me', 'i hope you have travel insurance for the trip',
  'this is the last warning before the server restarts', 'nobody will hear you over the music lol', 'your days of waiting are numbered, it ships friday',
  "you won't believe what is coming in the next patch", 'i know what car you drive, can you give me a lift',
];

/** Violence denied or ruled out: clean, so that a violent act next to "you" is not itself the cue. */
const NEGATED = [
  'i would never {act}, you should know me better', 'calm down, nobody is going to {act}', "i'm not going to {act}, relax",
  "don't worry, no one here wants to {act}", 'i never said i would {act}', "nobody threatened to {act}, read it again",
  "i'd never {act}, i'm just annoyed", "no one is going to {act} over a video game",
];

function fill(frame: string, rng: Rng, violent: boolean): string {
  return frame
    .replace('{act}', pick(rng, violent ? ACTS : FAVOURS))
    .replace('{thing}', pick(rng, violent ? WEAPONS : GIFTS))
    .replace('{need}', pick(rng, violent ? NEEDS : HARMLESS_NEEDS))
    .replace('{place}', pick(rng, PLACES))
    .replace('{time}', pick(rng, TIMES))
    .replace('{event}', pick(rng, EVENTS))
    .replace('{rel}', pick(rng, RELATIVES));
}

/**
 * `count` threats against a person (toxic and threat, not identity_hate), a fifth of them without a
 * violent word, and `twins` clean rows: the same frames and openers filled with harmless things,
 * violence denied, and violent words that threaten nobody.
 */
export function personThreatExamples(rng: Rng, count: number, twins: number): Example[] {
  const out: Example[] = [];
  const add = (body: string, gold: Gold[]): void => {
    const text = `${pick(rng, OPENERS)} ${body}`.trim();
    out.push(templateRow(`pthreat${out.length}`, text, gold));
  };
  for (let i = 0; i < count; i++) {
    add(rng() < 0.2 ? pick(rng, IMPLIED) : fill(pick(rng, FRAMES), rng, true), labels({ toxic: 1, threat: 1, identity_hate: 0, obscene: 0 }));
  }
  for (let i = 0; i < twins; i++) {
    const r = rng();
    add(r < 0.2 ? pick(rng, HARMLESS) : r < 0.4 ? fill(pick(rng, NEGATED), rng, true) : fill(pick(rng, FRAMES), rng, false), labels({}, 0));
  }
  return out;
}
