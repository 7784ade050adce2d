// Development helper: writes the exact training and validation rows a `toxguard train` run uses
// (corpora, augmentation and identity swaps, same seed) as JSONL, for the scikit-learn reference in
// scripts/sklearn_baseline.py. Usage: npx tsx scripts/export-splits.ts <datasets dir> <out dir>
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { loadCorpora } from '../src/classifier/corpora/index.js';
import { DEFAULT_TRAIN_OPTIONS, assembleExamples } from '../src/classifier/train/trainer.js';
import { LABELS } from '../src/classifier/labels.js';
import { makeRng } from '../src/util/rng.js';

const [dataDir = '../shared/datasets', outDir = '.tmp/splits'] = process.argv.slice(2);
const { examples } = loadCorpora(dataDir);
const all = assembleExamples(examples, makeRng(DEFAULT_TRAIN_OPTIONS.seed), DEFAULT_TRAIN_OPTIONS);
mkdirSync(outDir, { recursive: true });
for (const split of ['train', 'val'] as const) {
  const lines = all
    .filter((e) => e.split === split)
    .map((e) =>
      JSON.stringify({
        id: e.id,
        corpus: e.corpus,
        text: e.text,
        weight: e.weight,
        labels: Object.fromEntries(LABELS.map((l, i) => [l, e.labels[i]])),
      }),
    );
  writeFileSync(join(outDir, `${split}.jsonl`), lines.join('\n') + '\n');
  console.log(`${split}: ${lines.length} rows -> ${join(outDir, `${split}.jsonl`)}`);
}
