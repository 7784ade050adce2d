// The committed built-in model: behaviour, robustness and quality. The corpus-based checks need
// ../shared/datasets and are skipped (visibly) without it.
import { beforeAll, describe, expect, it } from 'vitest';
import { loadLinearScorer, resolveModelDir } from '../../src/classifier/registry.js';
import type { LinearScorer } from '../../src/classifier/linear/scorer.js';
import { identityFalsePositiveRates } from '../../src/classifier/behaviour/identity-templates.js';
import { ENFORCED_IDENTITY_TOXIC_FPR } from '../../src/classifier/behaviour/targets.js';
import { loadCorpora } from '../../src/classifier/corpora/index.js';
import { evaluateObfuscation, evaluateScorer } from '../../src/classifier/evaluation-runs.js';
import { TRICKS } from '../../src/classifier/evasion/obfuscate.js';
import { DATASETS, hasDatasets } from '../helpers/shared.js';

let scorer: LinearScorer;
beforeAll(() => {
  scorer = loadLinearScorer(resolveModelDir('builtin'));
});

describe('built-in model', () => {
  it('scores clear abuse high and friendly chat low', async () => {
    const [abuse, threat, friendly] = await scorer.scoreBatch([
      'shut up you worthless fucking idiot',
      'i will find you and kill you',
      'thanks for the help yesterday, see you at the match',
    ]);
    expect(abuse!.scores.toxic).toBeGreaterThan(0.8);
    expect(abuse!.scores.insult).toBeGreaterThan(abuse!.scores.threat);
    expect(threat!.scores.threat).toBeGreaterThan(0.5);
    expect(friendly!.scores.toxic).toBeLessThan(0.2);
  });

  it('sees through obfuscation of a toxic message', async () => {
    const plain = scorer.scoreSync('you are a fucking idiot').scores.toxic;
    for (const disguised of ['you are a 𝐟𝐮𝐜𝐤𝐢𝐧𝐠 𝐢𝐝𝐢𝐨𝐭', 'you are a f u c k i n g i d i o t', 'you are a fuсking іdiot', 'you are a f*cking id1ot']) {
      expect(scorer.scoreSync(disguised).scores.toxic).toBeGreaterThan(plain - 0.1);
    }
  });

  it('explains with spans of the original text', () => {
    const text = 'Great stream today, but the guy spamming chat is a complete idiot.';
    const p = scorer.scoreSync(text, { explain: true });
    const spans = (p.spans ?? []).map(([s, e]) => text.slice(s, e)).join(' | ');
    expect(spans).toMatch(/idiot/);
    expect(spans).not.toMatch(/Great stream/);
    // Every flagged label says which words drove it.
    const flagged = Object.entries(p.scores).filter(([label, v]) => v >= scorer.thresholds[label as keyof typeof p.scores]);
    expect(flagged.length).toBeGreaterThan(0);
    for (const [label] of flagged) expect(p.reasons?.[label as keyof typeof p.scores]?.length, label).toBeGreaterThan(0);
  });

  // The behavioural suite's pass rates are enforced in behaviour-run.test.ts (targets.ts).
  it('keeps non-toxic identity mentions under the enforced false-positive bound (targets.ts)', async () => {
    const fpr = await identityFalsePositiveRates(scorer);
    expect(fpr.overall.toxicFpr).toBeLessThanOrEqual(ENFORCED_IDENTITY_TOXIC_FPR);
  });
});

describe.skipIf(!hasDatasets)('built-in model on the validation splits (needs ../shared/datasets)', () => {
  it('keeps its validation quality and loses at most 0.01 ROC-AUC to each obfuscation trick', async () => {
    const val = loadCorpora(DATASETS).examples.filter((e) => e.split === 'val');
    const clean = await evaluateScorer(scorer, val, { quiet: true });
    expect(clean.macro.rocAuc).toBeGreaterThan(0.77);
    const english = val.filter((e) => !['cold_zh', 'korean_hate_speech', 'offenseval2020_tr', 'hasoc2019_hi', 'germeval2018'].includes(e.corpus));
    const englishClean = await evaluateScorer(scorer, english, { quiet: true });
    const results = await evaluateObfuscation(scorer, english, TRICKS, englishClean, { quiet: true });
    for (const r of results) expect(r.delta, r.trick).toBeGreaterThan(-0.01);
  }, 900_000);
});
