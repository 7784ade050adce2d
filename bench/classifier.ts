// Classifier benchmark: the built-in model against the `obscenity` word filter (what a typical bot
// uses today), same messages, same run, one thread. Speed per message size, model load time,
// resident memory, and (when ../shared is present) ROC-AUC side by side on the validation splits.
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
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

/** A realistic chat mix: mostly clean messages of every length, a few toxic ones. */
function realisticMix(count: number, seed: number): string[] {
  const rng = makeRng(seed);
  const toxic = ['shut up you stupid idiot', 'you are a worthless loser and everyone hates you', 'go die in a fire', 'what a fucking moron'];
  return Array.from({ length: count }, (_, i) => {
    if (rng() < 0.05) return toxic[i % toxic.length] as string;
    const chars = [20, 60, 120, 200, 400][Math.floor(rng() * 5)] as number;
    let s = '';
    while (s.length < chars) s += (s ? ' ' : '') + WORDS[Math.floor(rng() * WORDS.length)];
    return s.slice(0, chars);
  });
}

/**
 * Speed of each model (the first is the one under test; `builtin-v1` is the previous built-in
 * model, kept for this comparison) and of the obscenity filter, on the same messages in one run.
 */
export async function benchClassifier(models: string[] = ['builtin', 'builtin-v1']): Promise<void> {
  const matcher = new RegExpMatcher({ ...englishDataset.build(), ...englishRecommendedTransformers });
  const scorers: { name: string; scorer: ReturnType<typeof loadLinearScorer> }[] = [];
  console.log('\n== classifier: speed, one thread, the same messages for every model and the obscenity word filter');
  for (const model of models) {
    const dir = resolveModelDir(model);
    global.gc?.();
    const rssBefore = process.memoryUsage().rss;
    const t0 = performance.now();
    const scorer = loadLinearScorer(dir);
    const loadMs = performance.now() - t0;
    global.gc?.();
    const rssModel = process.memoryUsage().rss;
    const files = readdirSync(dir).filter((f) => f !== 'MODEL_CARD.md');
    const bytes = files.reduce((n, f) => n + statSync(join(dir, f)).size, 0);
    console.log(
      `${model} (${scorer.name}@${scorer.version}): load ${loadMs.toFixed(0)} ms, files ${(bytes / 2 ** 20).toFixed(1)} MB, ` +
        `resident memory +${((rssModel - rssBefore) / 2 ** 20).toFixed(0)} MB (process ${(rssModel / 2 ** 20).toFixed(0)} MB)`,
    );
    scorers.push({ name: model, scorer });
  }
  const width = Math.max(9, ...models.map((m) => m.length + ' fast path'.length));
  for (const [name, texts] of [
    ['short (~60 chars)', messages(40000, 60, 60)],
    ['typical (~200)', messages(40000, 200, 200)],
    ['long (~2,000)', messages(5000, 2000, 2000)],
    ['realistic mix', realisticMix(40000, 9)],
  ] as const) {
    scorers.forEach(({ name: model, scorer }, i) => {
      const t = time(texts, (x) => scorer.probabilities(x));
      // The share of these messages the CNN stage reads (the rest stop at the linear model).
      const probs = new Float64Array(LABELS.length);
      const share = scorer.stage ? texts.filter((x) => scorer.stage?.wants(scorer.model.predict(x, probs))).length / texts.length : 0;
      const staged = scorer.stage ? ` (CNN stage on ${(share * 100).toFixed(1)}% of them)` : '';
      console.log(`${(i === 0 ? name : '').padEnd(18)} ${model.padEnd(width)} ${fmt(t)}${staged}`);
      if (scorer.stage) console.log(`${''.padEnd(18)} ${`${model} fast path`.padEnd(width)} ${fmt(time(texts, (x) => scorer.model.predict(x)))} (linear model alone)`);
    });
    console.log(`${''.padEnd(18)} ${'obscenity'.padEnd(width)} ${fmt(time(texts, (x) => matcher.hasMatch(x)))}`);
  }
  console.log(`resident memory after the run: ${(process.memoryUsage().rss / 2 ** 20).toFixed(0)} MB`);

  const data = resolve('../shared/datasets');
  if (!existsSync(data)) {
    console.log('quality comparison skipped: ../shared/datasets not found');
    return;
  }
  const val = loadCorpora(data).examples.filter((e) => e.split === 'val');
  const all = scorers.map(({ scorer }) => val.map((e) => scorer.probabilities(e.text)));
  const flags = val.map((e) => (matcher.hasMatch(e.text) ? 1 : 0));
  console.log('\nROC-AUC on the validation splits (obscenity gives a yes/no flag; its AUC is that of the flag)');
  console.log(`corpus                label           ${models.map((m) => m.padEnd(10)).join(' ')} obscenity`);
  const ours: number[][] = models.map(() => []);
  const theirs: number[] = [];
  for (const corpus of [...new Set(val.map((e) => e.corpus))].sort()) {
    LABELS.forEach((label, l) => {
      const rows = val.map((e, i) => ({ e, i })).filter(({ e }) => e.corpus === corpus && e.labels[l] !== null);
      const y = rows.map(({ e }) => e.labels[l] as number);
      const pos = y.filter((v) => v === 1).length;
      if (rows.length < 20 || pos < 5 || rows.length - pos < 5) return;
      const aucs = all.map((scores) => rocAuc(rows.map(({ i }) => scores[i]?.[l] ?? 0), y));
      const b = rocAuc(rows.map(({ i }) => flags[i] ?? 0), y);
      aucs.forEach((a, k) => ours[k]?.push(a));
      theirs.push(b);
      console.log(`${corpus.padEnd(21)} ${label.padEnd(14)}  ${aucs.map((a) => a.toFixed(4).padEnd(10)).join(' ')} ${b.toFixed(4)}`);
    });
  }
  console.log(`${'mean'.padEnd(36)}  ${ours.map((o) => mean(o).toFixed(4).padEnd(10)).join(' ')} ${mean(theirs).toFixed(4)}`);
}
