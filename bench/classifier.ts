// Classifier benchmark: the built-in model against the `obscenity` word filter (what a typical bot
// uses today), same messages, same run, one thread. Speed per message size, model load time,
// resident memory, and (when ../shared is present) ROC-AUC side by side on the validation splits.
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { performance } from 'node:perf_hooks';
import { RegExpMatcher, englishDataset, englishRecommendedTransformers } from 'obscenity';
import { loadLinearScorer, resolveModelDir } from '../src/classifier/registry.js';
import { loadCorpora } from '../src/classifier/corpora/index.js';
import { LABELS } from '../src/classifier/labels.js';
import { rocAuc, mean } from '../src/classifier/metrics.js';
import { makeRng } from '../src/util/rng.js';

const WORDS = (
  'the a you are is this that game server mod channel today really just like what lol why how can we they ' +
  'please thanks great awesome stupid idiot damn love hate people always never going to think know good bad ' +
  'new update patch raid boss loot team match win lose play voice chat meme image link check out'
).split(' ');

function messages(count: number, chars: number, seed: number): string[] {
  const rng = makeRng(seed);
  return Array.from({ length: count }, () => {
    let s = '';
    while (s.length < chars) s += (s ? ' ' : '') + WORDS[Math.floor(rng() * WORDS.length)];
    return s.slice(0, chars);
  });
}

interface Timing {
  perSecond: number;
  p50: number;
  p99: number;
}

function time(texts: string[], fn: (t: string) => unknown): Timing {
  for (let i = 0; i < Math.min(2000, texts.length); i++) fn(texts[i] as string); // warm-up (JIT)
  const lat = new Float64Array(texts.length);
  const start = performance.now();
  for (let i = 0; i < texts.length; i++) {
    const t0 = performance.now();
    fn(texts[i] as string);
    lat[i] = performance.now() - t0;
  }
  const total = performance.now() - start;
  lat.sort();
  const q = (p: number): number => lat[Math.min(lat.length - 1, Math.floor(p * lat.length))] as number;
  return { perSecond: texts.length / (total / 1000), p50: q(0.5), p99: q(0.99) };
}

const fmt = (t: Timing): string =>
  `${Math.round(t.perSecond).toLocaleString('en-US').padStart(10)} msg/s  p50 ${t.p50.toFixed(3)} ms  p99 ${t.p99.toFixed(3)} ms`;

export async function benchClassifier(model = 'builtin'): Promise<void> {
  const rssBefore = process.memoryUsage().rss;
  const t0 = performance.now();
  const scorer = loadLinearScorer(resolveModelDir(model));
  const loadMs = performance.now() - t0;
  global.gc?.();
  const rssModel = process.memoryUsage().rss;
  const matcher = new RegExpMatcher({ ...englishDataset.build(), ...englishRecommendedTransformers });

  console.log(`\n== classifier: ${scorer.name}@${scorer.version} vs obscenity word filter (one thread)`);
  console.log(`model load ${loadMs.toFixed(0)} ms; resident memory ${(rssBefore / 2 ** 20).toFixed(0)} MB before, ${(rssModel / 2 ** 20).toFixed(0)} MB with the model loaded`);
  for (const [name, chars, count] of [
    ['short (~60 chars)', 60, 40000],
    ['typical (~200)', 200, 40000],
    ['long (~2,000)', 2000, 5000],
  ] as const) {
    const texts = messages(count, chars, chars);
    const ours = time(texts, (t) => scorer.model.predict(t));
    const theirs = time(texts, (t) => matcher.hasMatch(t));
    console.log(`${name.padEnd(18)} toxguard  ${fmt(ours)}`);
    console.log(`${''.padEnd(18)} obscenity ${fmt(theirs)}`);
  }
  console.log(`resident memory after the run: ${(process.memoryUsage().rss / 2 ** 20).toFixed(0)} MB`);

  const data = resolve('../shared/datasets');
  if (!existsSync(data)) {
    console.log('quality comparison skipped: ../shared/datasets not found');
    return;
  }
  const val = loadCorpora(data).examples.filter((e) => e.split === 'val');
  const ourScores = val.map((e) => scorer.model.predict(e.text));
  const flags = val.map((e) => (matcher.hasMatch(e.text) ? 1 : 0));
  console.log('\nROC-AUC on the validation splits (obscenity gives a yes/no flag; its AUC is that of the flag)');
  console.log('corpus                label           toxguard  obscenity');
  const ours: number[] = [];
  const theirs: number[] = [];
  for (const corpus of [...new Set(val.map((e) => e.corpus))].sort()) {
    LABELS.forEach((label, l) => {
      const rows = val.map((e, i) => ({ e, i })).filter(({ e }) => e.corpus === corpus && e.labels[l] !== null);
      const y = rows.map(({ e }) => e.labels[l] as number);
      const pos = y.filter((v) => v === 1).length;
      if (rows.length < 20 || pos < 5 || rows.length - pos < 5) return;
      const a = rocAuc(rows.map(({ i }) => ourScores[i]?.[l] ?? 0), y);
      const b = rocAuc(rows.map(({ i }) => flags[i] ?? 0), y);
      ours.push(a);
      theirs.push(b);
      console.log(`${corpus.padEnd(21)} ${label.padEnd(14)}  ${a.toFixed(4)}    ${b.toFixed(4)}`);
    });
  }
  console.log(`${'mean'.padEnd(36)}  ${mean(ours).toFixed(4)}    ${mean(theirs).toFixed(4)}`);
}
