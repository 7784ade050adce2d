// Non-English corpora. They teach mostly `toxic`; where a corpus has a finer label that matches
// one of ours, it is used too.
import { join } from 'node:path';
import { CLEAN, gold, hashSplit, readCsv, readTsvLines } from './io.js';
import type { CorpusLoader, Example, Gold } from './types.js';

export const germeval: CorpusLoader = {
  name: 'multilingual/germeval2018',
  mapping: 'OTHER -> all six 0; OFFENSE -> toxic 1; fine INSULT -> insult 1, PROFANITY -> obscene 1, ABUSE -> (toxic only).',
  load(dir) {
    return readTsvLines(join(dir, 'germeval2018.training.txt')).map(([text = '', coarse, fine], i): Example => {
      let labels: Gold[] = CLEAN;
      if (coarse === 'OFFENSE') {
        labels = gold({ toxic: 1, ...(fine === 'INSULT' ? { insult: 1 } : {}), ...(fine === 'PROFANITY' ? { obscene: 1 } : {}) });
      }
      const id = String(i);
      return { id, corpus: 'germeval2018', text, labels, split: hashSplit('germeval2018', id), weight: 1 };
    });
  },
};

export const offensevalTr: CorpusLoader = {
  name: 'multilingual/offenseval2020_tr',
  mapping: 'OFF -> toxic 1; NOT -> all six 0.',
  load(dir) {
    return readTsvLines(join(dir, 'offenseval-tr-training-v1.tsv'))
      .filter(([, , label]) => label === 'OFF' || label === 'NOT')
      .map(([id = '', text = '', label]): Example => ({
        id,
        corpus: 'offenseval2020_tr',
        text,
        labels: label === 'OFF' ? gold({ toxic: 1 }) : CLEAN,
        split: hashSplit('offenseval2020_tr', id),
        weight: 1,
      }));
  },
};

export const coldZh: CorpusLoader = {
  name: 'multilingual/cold_zh',
  mapping: 'label 1 (offensive) -> toxic 1; 0 -> all six 0. Official dev split = validation.',
  load(dir) {
    const out: Example[] = [];
    for (const [file, split] of [
      ['train.csv', 'train'],
      ['dev.csv', 'val'],
    ] as const) {
      readCsv(join(dir, file)).forEach((row, i) => {
        const id = `${split}:${row[''] ?? i}`;
        out.push({ id, corpus: 'cold_zh', text: row.TEXT ?? '', labels: row.label === '1' ? gold({ toxic: 1 }) : CLEAN, split, weight: 1 });
      });
    }
    return out;
  },
};

export const koreanHate: CorpusLoader = {
  name: 'multilingual/korean_hate_speech',
  mapping: 'hate or offensive -> toxic 1; none -> all six 0.',
  load(dir) {
    return readCsv(join(dir, 'train.tsv'), { delimiter: '\t', quote: false }).map((row, i): Example => {
      const id = String(i);
      const hate = row.hate;
      return {
        id,
        corpus: 'korean_hate_speech',
        text: row.comments ?? '',
        labels: hate === 'none' ? CLEAN : gold({ toxic: 1 }),
        split: hashSplit('korean_hate_speech', id),
        weight: 1,
      };
    });
  },
};

export const hasocHi: CorpusLoader = {
  name: 'multilingual/hasoc2019_hi',
  mapping: 'NOT -> all six 0; HOF -> toxic 1; task_2 PRFN -> obscene 1, HATE -> identity_hate 1.',
  load(dir) {
    return readCsv(join(dir, 'hindi_dataset.tsv'), { delimiter: '\t', quote: false }).map((row): Example => {
      const id = row.text_id ?? '';
      let labels: Gold[] = CLEAN;
      if (row.task_1 === 'HOF') {
        labels = gold({ toxic: 1, ...(row.task_2 === 'PRFN' ? { obscene: 1 } : {}), ...(row.task_2 === 'HATE' ? { identity_hate: 1 } : {}) });
      }
      return { id, corpus: 'hasoc2019_hi', text: row.text ?? '', labels, split: hashSplit('hasoc2019_hi', id), weight: 1 };
    });
  },
};
