// Hostility phrased with a negation ("i don't like X at all", "no X will ever be my friend"), next
// to the same negations saying nothing hostile ("i don't hate X", "no X should feel unwelcome").
// The rebuttal rows teach that a negation next to a group is often a denial of hate, and the
// corpora rarely negate anything: without these pairs the model read every negated sentence about
// a group as harmless. What is negated decides, not the negation.
import type { Example, Gold } from '../corpora/index.js';
import { GROUP_ADJECTIVES, GROUP_NOUNS } from './groups.js';
import type { Rng } from '../../util/rng.js';
import { labels, pick, templateRow } from './template-rows.js';

const HOSTILE = [
  "i don't like {ids} at all", "i can't stand {ids}, not one of them", 'i do not want any {ids} in my neighbourhood',
  "i'll never trust a {id} person as long as i live", 'no {id} person will ever be my friend',
  'i would never let my {rel} marry a {id} person', "i won't serve {ids} in my shop", 'i refuse to work with {ids}',
  "{ids} aren't welcome here and never will be", "i don't think {ids} deserve {right}", "{ids} don't belong in this country",
  'nobody wants {ids} here', "you'll never see me treating a {id} person as an equal", "i don't feel sorry for {ids} at all, they had it coming",
  "{ids} can't be trusted, not a single one", 'no {id} person has ever said anything worth hearing',
  "i'm not racist, i just don't want {ids} near my kids", "i don't hate {ids}, i just think they shouldn't be allowed to {act}",
  'never hire {ids}, not worth it', "i wouldn't sit next to a {id} person if you paid me",
];
const KIND = [
  "i don't hate {ids}", "i don't dislike {ids} at all, why would i", 'i have nothing against {ids}',
  "i don't mind having {ids} in my neighbourhood at all", "i'll never understand why people distrust {ids}",
  'no {id} person should ever feel unwelcome here', 'i would never stop my {rel} from marrying a {id} person',
  "i won't tolerate anyone refusing to serve {ids}", "{ids} aren't a problem, the people harassing them are",
  "i don't think {ids} deserve {wrong}", "{ids} don't need to prove they belong here", 'nobody should tell {ids} to go home',
  "i don't feel threatened by {ids} at all", "you'll never see me treating a {id} person differently",
  "i'm not going to stop being friends with {ids} because of a meme", "i don't hate anyone, and certainly not {ids}",
  'never assume {ids} are all the same', "i wouldn't trade my {id} coworkers for anyone",
  "there's nothing wrong with being {id}", "nobody should have to hide that they're {id}", "i've never had a problem with {ids}",
  'nobody cares that you are {id}, in the best way',
  // The hostile "i don't think X deserve ..." without its negation: without these, "deserve" next
  // to a group read as hate ("X deserve the same respect as everyone else").
  'i think {ids} deserve {right}', '{ids} deserve {right} like everyone else', 'of course {ids} deserve {right}',
];
const RIGHTS = ['jobs', 'respect', 'to vote', 'equal rights', 'to live here', 'a say in things', 'to be treated like people'];
const WRONGS = ['to be harassed', 'the abuse they get online', 'to be treated like that', 'any of this hate', 'to be scared in their own town'];
const ACTS = ['vote', 'work', 'teach', 'have kids', 'own a house'];
const RELATIVES = ['daughter', 'son', 'sister', 'brother', 'kid'];

function fill(frame: string, rng: Rng): string {
  return frame
    .replace('{ids}', pick(rng, GROUP_NOUNS))
    .replace('{id}', pick(rng, GROUP_ADJECTIVES))
    .replace('{rel}', pick(rng, RELATIVES))
    .replace('{right}', pick(rng, RIGHTS))
    .replace('{wrong}', pick(rng, WRONGS))
    .replace('{act}', pick(rng, ACTS));
}

/** `count` hostile negated rows (toxic and identity_hate, not threat) and as many negated kind ones (clean). */
export function negatedHostilityExamples(rng: Rng, count: number): Example[] {
  const out: Example[] = [];
  const add = (text: string, gold: Gold[]): void => {
    out.push(templateRow(`neghost${out.length}`, text, gold));
  };
  for (let i = 0; i < count; i++) add(fill(pick(rng, HOSTILE), rng), labels({ toxic: 1, identity_hate: 1, threat: 0 }));
  for (let i = 0; i < count; i++) add(fill(pick(rng, KIND), rng), labels({}, 0));
  return out;
}
