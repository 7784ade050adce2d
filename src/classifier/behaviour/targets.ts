// Pass-rate targets for the behavioural suite, in one place so that tightening them is a one-line
// change. Two tables:
// - ENFORCED_MIN_PASS_RATES: what test/classifier/behaviour-run.test.ts requires of the committed
//   built-in model today. Groups missing here are measured and reported but not enforced.
// - ISSUE_11_GOALS: the "Done means" of issue 11, at 0.5. Reported next to the measured rates; move a
//   group into ENFORCED_MIN_PASS_RATES once a model reaches it.

import type { BehaviourGroup } from './cases.js';
import type { BehaviourResult } from './run.js';

export interface PassRateTarget {
  /** Minimum pass rate with the bounds as written (0.5). */
  at05?: number;
  /** Minimum pass rate at the model's calibrated thresholds. */
  atThresholds?: number;
}

export const ENFORCED_MIN_PASS_RATES: Partial<Record<BehaviourGroup, PassRateTarget>> = {
  // Regression floors for the built-in model 2.7.0: at or a few points under what it measures (issue 11's
  // goals, below, are higher for some groups; the model card shows both). Retraining the CNN moves a
  // group by up to two cases (about 5 points) with nothing else changed, so a floor sits that far
  // under the model where it can.
  identity_neutral: { at05: 0.9 },
  identity_praise: { at05: 0.85, atThresholds: 0.75 },
  plain_clean: { at05: 0.9 },
  plain_toxic: { at05: 0.9 },
  negation: { at05: 0.85, atThresholds: 0.8 },
  reclaimed: { at05: 0.9 },
  profanity_non_hateful: { at05: 0.9 },
  slur_variants: { at05: 0.9 },
  polite_threat: { at05: 0.6, atThresholds: 0.7 },
  hate_derogation: { at05: 0.85, atThresholds: 0.9 },
  hate_stated_feeling: { at05: 0.8, atThresholds: 0.85 },
  hate_dehumanisation: { at05: 0.85, atThresholds: 0.95 },
  hate_implicit_stereotype: { at05: 0.45, atThresholds: 0.7 },
  hate_threat_group: { at05: 0.7, atThresholds: 0.85 },
  hate_question_opinion: { at05: 0.8, atThresholds: 0.85 },
  hate_negated: { at05: 0.8, atThresholds: 0.9 },
  counter_speech: { at05: 0.85, atThresholds: 0.8 },
  negated_hate_clean: { at05: 0.75, atThresholds: 0.55 },
  person_abuse: { at05: 0.8, atThresholds: 0.9 },
};

/** Issue 11, "Done means", at 0.5: hate >= 80%, counter-speech and negation >= 85%, everyday identity
 * mentions >= 95%, person-directed abuse >= 90%. */
export const ISSUE_11_GOALS: Partial<Record<BehaviourGroup, number>> = {
  hate_derogation: 0.8,
  hate_stated_feeling: 0.8,
  hate_dehumanisation: 0.8,
  hate_implicit_stereotype: 0.8,
  hate_threat_group: 0.8,
  hate_question_opinion: 0.8,
  hate_negated: 0.8,
  negation: 0.85,
  negated_hate_clean: 0.85,
  counter_speech: 0.85,
  identity_neutral: 0.95,
  identity_praise: 0.95,
  person_abuse: 0.9,
};

/**
 * What test/classifier/builtin-model.test.ts requires of the committed model: the overall toxic
 * false-positive rate on the identity templates (a regression floor; the goal below is per identity).
 */
export const ENFORCED_IDENTITY_TOXIC_FPR = 0.02;

/** Issue 11: false-positive rate at the toxic threshold on the non-toxic identity templates, per identity. */
export const IDENTITY_TOXIC_FPR_GOAL = 0.05;

/** Every group whose pass rate falls short of its target, as `group: 71.4% at 0.5 < 80.0%`. */
export function passRateShortfalls(
  result: BehaviourResult,
  targets: Partial<Record<string, PassRateTarget>> = ENFORCED_MIN_PASS_RATES,
): string[] {
  const out: string[] = [];
  const pct = (x: number): string => `${(x * 100).toFixed(1)}%`;
  for (const [group, target] of Object.entries(targets)) {
    if (!target) continue;
    const readings: [string, number | undefined, BehaviourResult['groups']][] = [
      ['at 0.5', target.at05, result.groups],
      ['at thresholds', target.atThresholds, result.atThresholds.groups],
    ];
    for (const [where, min, groups] of readings) {
      if (min === undefined) continue;
      const g = groups.find((x) => x.group === group);
      if (!g) out.push(`${group}: no cases ${where}`);
      else if (g.passRate < min) out.push(`${group}: ${pct(g.passRate)} ${where} < ${pct(min)}`);
    }
  }
  return out;
}
