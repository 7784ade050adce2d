// Counterfactual training examples that teach what the corpora under-represent: identity words
// are not abuse, negated insults are not insults, and swearing is not hate (threats against a
// person are in person-threats.ts). Generated from templates with a seeded RNG.
import type { Example, Gold } from '../corpora/index.js';
import type { Rng } from '../../util/rng.js';
import { labels, pick, templateRow } from './template-rows.js';

const IDENTITIES = [
  'gay', 'lesbian', 'bisexual', 'transgender', 'trans', 'queer', 'nonbinary', 'straight', 'muslim', 'jewish',
  'christian', 'catholic', 'hindu', 'buddhist', 'sikh', 'atheist', 'black', 'white', 'asian', 'latino', 'latina',
  'hispanic', 'arab', 'african', 'mexican', 'chinese', 'indian', 'pakistani', 'nigerian', 'korean', 'japanese',
  'russian', 'polish', 'irish', 'italian', 'jamaican', 'somali', 'syrian', 'native american', 'indigenous',
  'immigrant', 'refugee', 'disabled', 'deaf', 'blind', 'autistic', 'elderly', 'female', 'male', 'feminist',
];
const PEOPLE = ['woman', 'man', 'person', 'guy', 'girl', 'teacher', 'nurse', 'student', 'engineer', 'mom', 'dad', 'kid'];
const NEUTRAL_TEMPLATES = [
  'i am a {id} {person}',
  'i am {id}',
  'my best friend is {id}',
  'my {rel} is {id} and i love them',
  'as a {id} {person} i think this game is great',
  'we had {id} food for dinner tonight',
  'the {id} community center is hosting a movie night',
  'our new coworker is a {id} {person} from the city',
  'i grew up in a {id} family',
  'there are many {id} people in my neighborhood',
  'happy holidays to all my {id} friends',
  'the {id} students organized a charity run',
  'she is {id} and works as a doctor',
  'he married a {id} {person} last year',
  'being {id} is part of who i am',
  'learning about {id} history this week',
  'any {id} folks here want to join the raid tonight?',
  'my {id} neighbor helped me fix my bike',
  "honestly this is the best server, shoutout to the {id} mods",
  'i am {id} and i play support main every night',
  'as a {id} {person}, i really liked the new update',
  'my {rel} and i are both {id}, we streamed together yesterday',
  "there's a {id} restaurant near my place with great noodles",
  'we are looking for more {id} players for our team, dm me',
  "i'm {id} and proud of my family",
  'our {id} club meets every friday, everyone is welcome',
  'the {id} festival downtown had amazing music this year',
  'two {id} {person}s won the tournament last night',
  'my {rel} is {id}, she taught me how to cook',
  'any {id} artists here? i love your work',
  'hi everyone, {id} {person} here, excited to join',
  '{id} {person} here, {intro}',
  'hey all, {id} {person} here, {intro}',
  '{intro}. {id} {person}, if that matters',
  'good morning from a {id} {person} in canada',
  'i read a great book by a {id} author',
  '{id} {person}s deserve {good}',
  'honestly {id} people deserve {good}',
];
// "deserve" comes in the corpora mostly as "X deserve to die": everyday uses of it.
const GOOD_THINGS = [
  'a seat at the table', 'to feel safe online', 'better representation in games', 'to be heard', 'equal pay',
  'a shoutout for organizing this', 'more visibility', 'good healthcare',
];
// Self-introductions: a group name next to forum small talk ("lurker", "first post") that the
// corpora rarely show outside abusive threads.
const INTROS = [
  'first time posting', 'been reading along for a while', 'new to the server', 'just joined', 'quick question about the event',
  'long time reader, first comment', 'lurked for years, finally saying hi', 'first post, be gentle', 'usually just lurk here',
  'old member, new account',
];
const RELATIONS = ['sister', 'brother', 'cousin', 'neighbor', 'roommate', 'teammate', 'boss', 'partner'];

// Identity words inside ordinary chat: an identity phrase composed with any everyday happening, so
// the model meets group names in as many neutral contexts as the corpora give them abusive ones.
const GROUP_WORDS = ['women', 'men', 'girls', 'guys', 'people', 'folks', 'players', 'devs', 'students', 'artists', 'gamers', 'parents'];
const PLACES = [
  'pub', 'restaurant', 'bakery', 'bookshop', 'club', 'church', 'mosque', 'temple', 'synagogue', 'choir', 'band',
  'gaming group', 'study group', 'channel', 'team', 'cafe', 'market', 'festival', 'radio show', 'podcast',
];
const ID_PHRASES = [
  'a {id} {person}', 'my {id} {rel}', 'the {id} {place}', 'more {id} {group}', 'our {id} {group}', 'two {id} {group}',
  '{id} {group}', 'a {id} {place} nearby', 'the {id} {person} from my class', 'lots of {id} {group}', 'some {group}',
  'more {group}', 'the {group} on our team',
];
const HAPPENINGS = [
  'joined the stream last night', 'posted a really good meme', 'hosted the quiz on friday', 'brought snacks to the meetup',
  'won the tournament', 'has live music every weekend', 'shared great tips in the channel', 'organized the charity run',
  'recommended a good book to me', 'fixed the bug in our bot', 'made the best pizza in town', 'is playing at the park today',
  'wrote the intro post', 'approved the new schedule', 'said hi in the welcome channel', 'helped me set up my pc',
  'started a new series on youtube', 'opened a shop downtown', 'showed up for the cleanup', 'taught the beginners class',
];
const GROUP_TEMPLATES = [
  '{opener} {idp} {happening}{tail}',
  "{opener} there's {idp} {happening}{tail}",
  "i'm {id} and {idp} {happening}{tail}",
  'we want {idp} in the {place}, say hi{tail}',
  '{idp} and my {rel} {happening}{tail}',
  'shoutout to {idp}, {happening}{tail}',
];

const INSULTS = ['stupid', 'an idiot', 'dumb', 'a loser', 'ugly', 'worthless', 'a moron', 'pathetic', 'useless', 'a fool'];
const NEGATIONS = [
  'you are not {insult}',
  "you're not {insult} at all",
  'nobody thinks you are {insult}',
  "i never said you were {insult}",
  "don't listen to them, you aren't {insult}",
  'he is definitely not {insult}',
  'no one here is {insult}',
];

const PROFANITY = [
  'this is fucking great',
  'holy shit that was amazing',
  'damn this song is good',
  "fuck yeah, we won",
  'that concert was fucking awesome',
  'shit, i forgot my keys again',
  'hell yes, pizza night',
  'i fucking love this game',
  'oh crap i missed the bus',
  'that was a badass move',
];

// Everyday chat, which none of the corpora has much of: plain sentences about games, plans, food.
const OPENERS = ['hey', 'hi all', 'good morning', 'ok so', 'btw', 'honestly', 'yo', 'update:', 'reminder:', ''];
const SUBJECTS = [
  'i', 'we', 'my team', 'the new patch', 'the weather', 'our guild', 'this song', 'the meetup', 'my cat', 'the server',
  'the bakery on main street', 'the bot', 'the event', 'my sister', 'the new map', 'our book club', 'the train', 'lunch',
];
const PREDICATES = [
  'is really nice today', 'starts at 8 tonight', 'just got updated', 'was so much fun', 'needs a few more people',
  'has a quiz night on fridays', 'made me laugh', 'is open until midnight', 'looks great', 'finally works again',
  'is my favorite', 'will be back tomorrow', 'moved to the other room', 'sold out in an hour', 'got a new logo',
  'deserves all the praise', 'deserved that win', 'deserves a break after this week', 'totally deserved the award',
];
const TAILS = ['', '!', ' :)', ', see you there', ', come by if you can', ', anyone joining?', ' lol', ', thanks everyone', ' 🎉'];

export function augmentationExamples(rng: Rng, count = 4000): Example[] {
  const out: Example[] = [];
  const add = (text: string, gold: Gold[], weight = 1): void => {
    out.push(templateRow(`aug${out.length}`, text, gold, weight));
  };
  for (let i = 0; i < count * 0.5; i++) {
    const text = `${pick(rng, OPENERS)} ${pick(rng, SUBJECTS)} ${pick(rng, PREDICATES)}${pick(rng, TAILS)}`.trim();
    add(text, labels({}, 0));
  }
  const neutral = Math.round(count * 0.6);
  for (let i = 0; i < neutral; i++) {
    const text = pick(rng, NEUTRAL_TEMPLATES)
      .replace('{id}', pick(rng, IDENTITIES))
      .replace('{id}', pick(rng, IDENTITIES))
      .replace('{person}', pick(rng, PEOPLE))
      .replace('{rel}', pick(rng, RELATIONS))
      .replace('{good}', pick(rng, GOOD_THINGS))
      .replace('{intro}', pick(rng, INTROS));
    add(text, labels({}, 0));
  }
  for (let i = 0; i < count * 0.6; i++) {
    const idp = pick(rng, ID_PHRASES)
      .replace('{id}', pick(rng, IDENTITIES))
      .replace('{person}', pick(rng, PEOPLE))
      .replace('{rel}', pick(rng, RELATIONS))
      .replace('{place}', pick(rng, PLACES))
      .replace('{group}', pick(rng, GROUP_WORDS));
    const text = pick(rng, GROUP_TEMPLATES)
      .replace('{opener}', pick(rng, OPENERS))
      .replace('{idp}', idp)
      .replace('{id}', pick(rng, IDENTITIES))
      .replace('{happening}', pick(rng, HAPPENINGS))
      .replace('{place}', pick(rng, PLACES))
      .replace('{rel}', pick(rng, RELATIONS))
      .replace('{tail}', pick(rng, TAILS))
      .replace(/\s+/g, ' ')
      .trim();
    add(text, labels({}, 0));
  }
  for (let i = 0; i < count * 0.1; i++) {
    add(pick(rng, NEGATIONS).replace('{insult}', pick(rng, INSULTS)), labels({}, 0));
  }
  for (let i = 0; i < count * 0.075; i++) {
    add(pick(rng, PROFANITY), labels({ obscene: 1, insult: 0, threat: 0, identity_hate: 0, severe_toxic: 0 }));
  }
  return out;
}
