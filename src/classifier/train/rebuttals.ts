// Rebuttal rows: the stereotypes that Implicit Hate and SBIC annotators wrote out as implied
// statements ("X are criminals", trained as hate) turned into denials and denouncements ("X are not
// criminals", "saying X are criminals is racist"), trained as clean. The corpora hold the hateful
// side of these sentences many times over and their rebuttals almost never, so the model learnt to
// flag any text that names a group next to a stereotype, including the people arguing against it.
// Each pair differs in the negation or the denouncing frame, which is what the model has to read.
import type { Example } from '../corpora/index.js';
import { impliedStereotypes, plainAssertions } from './stereotypes.js';
import type { Rng } from '../../util/rng.js';
import { labels, pick, templateRow } from './template-rows.js';

const NEGATIONS = [
  '{g} are not {p}', "{g} aren't {p}", "it's not true that {g} are {p}", "i don't think {g} are {p}",
  "{g} are not {p}, that's a stereotype", 'no, {g} are not {p}', "i've never believed {g} are {p}",
  "{g} aren't {p}, where do people even get that",
];
const DENOUNCING = [
  'saying {s} is {bad}', 'stop saying {s}', 'the idea that {s} is {bad}', 'claiming {s} is {bad}',
  'i am so tired of hearing that {s}', "we don't allow posts saying {s} here", 'reported for saying {s}',
  '"{s}" is not an opinion, it is {bad}', 'anyone who thinks {s} needs to meet more people',
  'my uncle keeps saying {s} and it is embarrassing', 'no, "{s}" is not just a joke, it is {bad}',
];
/** What often follows a denial: a reason or a shrug (half the denials have one). */
const TAILS = [
  ", most of the ones i know work harder than anyone", ", that's an old myth", ', look at the actual numbers',
  ', people need to stop repeating that', ', i grew up with plenty of them', ', that was never true', ', stop believing everything you read',
];
const BAD = ['bigoted', 'hateful', 'a harmful stereotype', 'prejudice', 'just wrong', 'ignorant', 'bigotry'];

/** "{g} are not {p}", and on half of the denials that end there, a reason after it. */
function denial(rng: Rng, parts: { group: string; predicate: string }): string {
  const frame = pick(rng, NEGATIONS);
  const tail = !frame.includes(',') && rng() < 0.5 ? pick(rng, TAILS) : '';
  return frame.replace('{g}', parts.group).replace('{p}', parts.predicate) + tail;
}

/** `count` clean rows (weight `weight`) built from the implied stereotypes of the training split. */
export function rebuttalExamples(examples: readonly Example[], rng: Rng, count: number, weight = 0.5): Example[] {
  const parsed = impliedStereotypes(examples);
  if (parsed.length === 0) return [];
  const areOnly = plainAssertions(parsed);
  const out: Example[] = [];
  for (let i = 0; i < count; i++) {
    const denounce = areOnly.length === 0 || rng() < 0.5;
    const { statement: s, parts } = pick(rng, denounce ? parsed : areOnly);
    const text = denounce ? pick(rng, DENOUNCING).replace('{s}', s).replace('{bad}', pick(rng, BAD)) : denial(rng, parts);
    out.push(templateRow(`rebut${i}`, text, labels({}, 0), weight));
  }
  return out;
}
