// The corpora added for hate without slurs: label mappings and group splits on the real files.
// Needs ../shared/datasets; skipped (visibly) without it.
import { describe, expect, it } from 'vitest';
import { join } from 'node:path';
import { readCsv } from '../../src/classifier/corpora/io.js';
import { dynahate, hatemoji } from '../../src/classifier/corpora/hate.js';
import { loadCorpora } from '../../src/classifier/corpora/index.js';
import { LABELS } from '../../src/classifier/labels.js';
import { DATASETS, hasDatasets } from '../helpers/shared.js';

const IH = LABELS.indexOf('identity_hate');
const TOXIC = LABELS.indexOf('toxic');

describe.skipIf(!hasDatasets)('hate corpora (needs ../shared/datasets)', () => {
  it('DynaHate: contrast pairs never straddle the split; hate is identity_hate, clean not-hate is not toxic', () => {
    const rows = dynahate.load(join(DATASETS, 'dynahate'));
    const split = new Map(rows.map((e) => [e.id, e.split]));
    let pairs = 0;
    for (const file of ['db_dev.csv', 'db_test.csv']) {
      for (const row of readCsv(join(DATASETS, 'dynahate', file))) {
        const a = split.get(row['acl.id'] ?? '');
        const b = split.get(row['acl.id.matched'] ?? '');
        if (a && b) {
          pairs++;
          expect(a, row['acl.id']).toBe(b);
        }
      }
    }
    // 962 acl.id.matched links point inside the db files; texts also in DynBERT count once.
    expect(pairs).toBeGreaterThan(500);
    const val = rows.filter((e) => e.split === 'val').length / rows.length;
    expect(val).toBeGreaterThan(0.1);
    expect(val).toBeLessThan(0.2);
    const hate = rows.find((e) => e.text === 'Blacks were the ruination of this country');
    expect(hate?.labels[IH]).toBe(1);
    const counter = rows.find((e) => e.text === 'Ill punch anyone that says Indians are filthy again');
    expect(counter?.labels[IH]).toBe(0);
    // Swearing not-hate is not taught as clean: its toxic label is unknown.
    const swearing = rows.find((e) => e.text === 'Fuck sake I hate my friends');
    expect(swearing?.labels[TOXIC]).toBeNull();
  }, 60_000);

  it('Hatemoji: pairs are re-split together (the official split separates them)', () => {
    const rows = hatemoji.load(join(DATASETS, 'hatemoji_build'));
    const byId = new Map(rows.map((e) => [e.id, e]));
    let pairs = 0;
    for (const file of ['train.csv', 'validation.csv', 'test.csv']) {
      for (const row of readCsv(join(DATASETS, 'hatemoji_build', file))) {
        const partner = byId.get(row.matched_id ?? '');
        const self = byId.get(row.entry_id ?? '');
        if (partner && self) {
          pairs++;
          expect(self.split).toBe(partner.split);
        }
      }
    }
    expect(pairs).toBeGreaterThan(1000);
  });

  it('a post shared by two corpora is kept only by the first, so no twin of a validation text is trained on', () => {
    const { examples } = loadCorpora(DATASETS, { only: ['davidson', 'stormfront', 'sbic_partial'] });
    const key = (t: string): string => t.toLowerCase().replace(/[^\p{L}\p{N}]+/gu, ' ').trim();
    const owners = new Map<string, Set<string>>();
    for (const e of examples) {
      const k = key(e.text);
      if (k.length < 8) continue;
      owners.set(k, (owners.get(k) ?? new Set()).add(e.corpus));
    }
    expect([...owners.values()].filter((s) => s.size > 1)).toHaveLength(0);
  }, 60_000);
});
