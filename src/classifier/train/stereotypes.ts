// The stereotypes Implicit Hate and SBIC annotators wrote out as implied statements ("X are
// criminals"), parsed into group and predicate so that template rows can deny, denounce or restate
// them (rebuttals.ts, restatements.ts).
import type { Example } from '../corpora/index.js';
import { IDENTITY_TERMS } from '../linear/context.js';

const GROUP_WORDS = new Set([...IDENTITY_TERMS, 'people', 'folks']);
const CLAUSE_WORDS = new Set(['saying', 'that', 'think', 'the', 'and', 'or', 'if', 'when', 'because', 'all']);

/** "<group> are <predicate>" (predicate without the verb), or null. */
function stereotype(statement: string): { group: string; predicate: string; verb: string } | null {
  const m = /^([a-z][a-z -]{1,40}?) (are|should|can't|cannot|will|do|don't) (.{2,80}?)[.!]*$/.exec(statement.trim().toLowerCase());
  if (!m) return null;
  const [, group = '', verb = '', predicate = ''] = m;
  const words = group.split(/[ -]/);
  // The subject must be a short group phrase ("black people", "illegal immigrants"), not a clause
  // ("saying assumes blacks"): at most three words, each a group word or an adjective-like word.
  if (words.length > 3 || !words.some((w) => GROUP_WORDS.has(w))) return null;
  if (words.some((w) => !GROUP_WORDS.has(w) && (CLAUSE_WORDS.has(w) || /[^s]s$/.test(w)))) return null;
  return { group, verb, predicate };
}

export interface ImpliedStereotype {
  /** The statement, lower-cased, without a final full stop. */
  statement: string;
  parts: { group: string; predicate: string; verb: string };
}

/** The implied statements of the training split (ids marked `:implied:` by corpora/hate.ts) that parse. */
export function impliedStereotypes(examples: readonly Example[]): ImpliedStereotype[] {
  const statements = [...new Set(examples.filter((e) => e.split === 'train' && e.id.includes(':implied:')).map((e) => e.text.trim().toLowerCase()))];
  const out: ImpliedStereotype[] = [];
  for (const s of statements) {
    const parts = stereotype(s);
    if (parts) out.push({ statement: s.replace(/[.!]+$/, ''), parts });
  }
  return out;
}

/** The "X are Y" statements whose predicate is not itself negated (negating "X are not Y" would give "X are not not Y"). */
export function plainAssertions(stereotypes: readonly ImpliedStereotype[]): ImpliedStereotype[] {
  return stereotypes.filter((x) => x.parts.verb === 'are' && !/^(?:not|never|no)\b/.test(x.parts.predicate));
}
