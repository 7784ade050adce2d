// Names of groups of people, their members and their places, for the template rows about groups
// (group-threats.ts, negated-hostility.ts).
import { IDENTITY_TERMS } from '../linear/context.js';

/** Group adjectives ("muslim", "trans"): "every {id} person". */
export const GROUP_ADJECTIVES = [
  'gay', 'lesbian', 'bisexual', 'trans', 'queer', 'muslim', 'jewish', 'christian', 'catholic', 'hindu', 'sikh', 'atheist',
  'black', 'white', 'asian', 'latino', 'hispanic', 'arab', 'african', 'mexican', 'chinese', 'indian', 'pakistani',
  'nigerian', 'korean', 'russian', 'polish', 'irish', 'somali', 'syrian', 'indigenous', 'immigrant', 'refugee',
  'disabled', 'deaf', 'autistic', 'elderly', 'feminist',
];
/** Plurals that are themselves a slight ("blacks", "females"): not for the clean twins. */
const SLIGHTING = new Set(['blacks', 'whites', 'homosexuals', 'transgenders', 'females', 'males', 'queers', 'seekers']);
/** Group nouns ("muslims", "women"): the identity words whose singular is one too, and the irregular ones. */
export const GROUP_NOUNS = [
  ...IDENTITY_TERMS.filter((t) => t.endsWith('s') && IDENTITY_TERMS.includes(t.slice(0, -1)) && !SLIGHTING.has(t)),
  'women', 'men', 'gypsies', 'minorities', 'jews',
].filter((t, i, all) => all.indexOf(t) === i);
/** A group's places. */
export const GROUP_PLACES = [
  'mosque', 'synagogue', 'church', 'temple', 'gurdwara', 'refugee centre', 'gay bar', 'pride parade', 'asian market',
  'mexican restaurant', 'jewish school', 'women\'s shelter', 'migrant hostel', 'black church', 'community centre',
];

