// Counterfactual identity swaps: a training row that names one group gets a twin naming another
// group, with the same labels. Hate corpora name some groups far more often than others; the twins
// spread each sentence's lesson over every group, so that what is learnt is what a text says about
// a group, not which group it names (Garg et al. 2019, "Counterfactual fairness in text classification").
import type { Example } from '../corpora/index.js';
import type { Rng } from '../../util/rng.js';

/** Interchangeable terms, by grammatical role (a plural noun swaps with a plural noun). */
const PLURALS = [
  'muslims', 'jews', 'christians', 'hindus', 'sikhs', 'atheists', 'blacks', 'whites', 'asians', 'mexicans', 'immigrants',
  'refugees', 'migrants', 'women', 'men', 'gays', 'lesbians', 'arabs', 'africans', 'indians', 'latinos', 'foreigners',
  'feminists', 'catholics', 'chinese', 'pakistanis', 'somalis', 'syrians', 'nigerians', 'gypsies', 'girls',
];
const ADJECTIVES = [
  'muslim', 'jewish', 'christian', 'hindu', 'sikh', 'black', 'white', 'asian', 'mexican', 'gay', 'lesbian', 'trans',
  'transgender', 'bisexual', 'arab', 'african', 'indian', 'latino', 'disabled', 'chinese', 'pakistani', 'somali',
  'syrian', 'nigerian', 'korean', 'polish', 'irish', 'italian', 'immigrant', 'queer', 'deaf', 'autistic', 'catholic',
];

const ROLES = [PLURALS, ADJECTIVES].map((terms) => ({ terms, re: new RegExp(`\\b(${terms.join('|')})\\b`, 'gi') }));

function matchCase(like: string, word: string): string {
  if (like === like.toUpperCase() && like.length > 1) return word.toUpperCase();
  return like[0] === like[0]?.toUpperCase() ? word[0]?.toUpperCase() + word.slice(1) : word;
}

/**
 * One twin (weight `weight`) for each English training row naming exactly one term of one role;
 * the term is replaced by another of the same role drawn at random.
 */
export function identitySwaps(examples: readonly Example[], rng: Rng, options: { corpora: ReadonlySet<string>; weight?: number }): Example[] {
  const weight = options.weight ?? 0.5;
  const out: Example[] = [];
  for (const e of examples) {
    if (e.split !== 'train' || !options.corpora.has(e.corpus)) continue;
    const hits = ROLES.map((role) => ({ role, found: [...e.text.matchAll(role.re)] })).filter((h) => h.found.length > 0);
    if (hits.length !== 1) continue;
    const { role, found } = hits[0] as (typeof hits)[number];
    const terms = new Set(found.map((m) => (m[0] ?? '').toLowerCase()));
    if (terms.size !== 1) continue;
    const [from] = terms;
    let to = from;
    while (to === from) to = role.terms[Math.floor(rng() * role.terms.length)] as string;
    const text = e.text.replace(role.re, (m) => matchCase(m, to as string));
    out.push({ ...e, id: `${e.id}:swap`, text, weight: e.weight * weight, spans: undefined });
  }
  return out;
}
