// Loaders for the English corpora. Each maps its own gold labels onto the six labels; a label the
// corpus does not annotate stays null ("no evidence"), so e.g. a tweet without a threat label is
// never taught as a non-threat example.
import { join } from 'node:path';
import { CLEAN, gold, hashSplit, readCsv, readJsonl, readTsvLines } from './io.js';
import type { CorpusLoader, Example, Gold } from './types.js';

export const olid: CorpusLoader = {
  name: 'olid',
  mapping:
    'NOT -> all six 0. OFF -> toxic 1; OFF+UNT (untargeted profanity) -> obscene 1, insult/threat/identity_hate 0; ' +
    'OFF+TIN+IND (targeted at a person) -> insult 1; other OFF labels unknown.',
  load(dir) {
    const rows = readTsvLines(join(dir, 'olid-training-v1.0.tsv')).slice(1);
    return rows.map(([id = '', tweet = '', a, b, c]): Example => {
      let labels: Gold[];
      if (a === 'NOT') labels = CLEAN;
      else if (b === 'UNT') labels = gold({ toxic: 1, obscene: 1, insult: 0, threat: 0, identity_hate: 0 });
      else if (b === 'TIN' && c === 'IND') labels = gold({ toxic: 1, insult: 1 });
      else labels = gold({ toxic: 1 });
      return { id, corpus: 'olid', text: tweet, labels, split: hashSplit('olid', id), weight: 1 };
    });
  },
};

export const hateval: CorpusLoader = {
  name: 'hateval2019',
  mapping:
    'HS 1 -> toxic 1, identity_hate 1 (hate against immigrants or women); HS 0 -> identity_hate 0, toxic unknown ' +
    '(non-hateful tweets may still be offensive). Official dev split = validation.',
  load(dir) {
    const out: Example[] = [];
    for (const [file, split] of [
      ['hateval2019_en_train.csv', 'train'],
      ['hateval2019_en_dev.csv', 'val'],
    ] as const) {
      for (const row of readCsv(join(dir, file))) {
        const hs = row.HS === '1';
        const labels = hs ? gold({ toxic: 1, identity_hate: 1 }) : gold({ identity_hate: 0 });
        out.push({ id: row.id ?? '', corpus: 'hateval2019', text: row.text ?? '', labels, split, weight: 1 });
      }
    }
    return out;
  },
};

export const trac2: CorpusLoader = {
  name: 'trac2',
  mapping:
    'NAG -> toxic 0, insult 0, threat 0; OAG -> toxic 1; CAG (covert) -> toxic unknown; GEN (misogynous) -> ' +
    'identity_hate 1, NGEN -> identity_hate 0. Official dev split = validation.',
  load(dir) {
    const out: Example[] = [];
    for (const [file, split] of [
      ['trac2_eng_train.csv', 'train'],
      ['trac2_eng_dev.csv', 'val'],
    ] as const) {
      for (const row of readCsv(join(dir, file))) {
        const a = row['Sub-task A'];
        const gen: 0 | 1 = row['Sub-task B'] === 'GEN' ? 1 : 0;
        let labels: Gold[];
        if (a === 'NAG') labels = gold({ toxic: 0, insult: 0, threat: 0, severe_toxic: 0, identity_hate: gen });
        else if (a === 'OAG') labels = gold({ toxic: 1, identity_hate: gen });
        else labels = gold({ identity_hate: gen });
        out.push({ id: row.ID ?? '', corpus: 'trac2', text: row.Text ?? '', labels, split, weight: 1 });
      }
    }
    return out;
  },
};

export const davidson: CorpusLoader = {
  name: 'davidson',
  mapping:
    'class 0 hate -> toxic 1, identity_hate 1; class 1 offensive -> toxic 1, identity_hate 0; class 2 neither -> all six 0.',
  load(dir) {
    return readCsv(join(dir, 'labeled_data.csv')).map((row): Example => {
      const id = row[''] ?? '';
      const cls = row.class;
      const labels =
        cls === '0' ? gold({ toxic: 1, identity_hate: 1 }) : cls === '1' ? gold({ toxic: 1, identity_hate: 0 }) : CLEAN;
      return { id, corpus: 'davidson', text: row.tweet ?? '', labels, split: hashSplit('davidson', id), weight: 1 };
    });
  },
};

export const hatexplain: CorpusLoader = {
  name: 'hatexplain',
  mapping:
    'hatespeech -> toxic 1, identity_hate 1; offensive -> toxic 1, identity_hate 0; normal -> all six 0. ' +
    'Tokens are re-joined with spaces; toxic_tokens give spans.',
  load(dir) {
    return readCsv(join(dir, 'hatexplain_train.csv')).map((row, index): Example => {
      const tokens = parsePyList(row.post_tokens ?? '[]').map(String);
      const flags = parsePyList(row.toxic_tokens ?? '[]').map(Number);
      const spans: [number, number][] = [];
      let text = '';
      tokens.forEach((token, i) => {
        if (text) text += ' ';
        if (flags[i] === 1) spans.push([text.length, text.length + token.length]);
        text += token;
      });
      const label = row.post_label;
      const labels =
        label === 'hatespeech'
          ? gold({ toxic: 1, identity_hate: 1 })
          : label === 'offensive'
            ? gold({ toxic: 1, identity_hate: 0 })
            : CLEAN;
      const id = String(index);
      return { id, corpus: 'hatexplain', text, labels, split: hashSplit('hatexplain', id), weight: 1, spans };
    });
  },
};

/** Parses a Python list literal of strings or numbers, as the HateXplain CSV stores them. */
function parsePyList(literal: string): (string | number)[] {
  const items: (string | number)[] = [];
  const re = /'((?:[^'\\]|\\.)*)'|"((?:[^"\\]|\\.)*)"|(-?\d+(?:\.\d+)?)/g;
  for (const m of literal.matchAll(re)) {
    if (m[3] !== undefined) items.push(Number(m[3]));
    else items.push((m[1] ?? m[2] ?? '').replace(/\\(.)/g, '$1'));
  }
  return items;
}

export const stormfront: CorpusLoader = {
  name: 'stormfront',
  mapping: 'hate -> toxic 1, identity_hate 1; noHate -> all six 0; relation/idk/skip dropped.',
  load(dir) {
    const out: Example[] = [];
    for (const row of readCsv(join(dir, 'stormfront_sentences.csv'))) {
      const id = row.file_id ?? '';
      const label = row.label;
      if (label !== 'hate' && label !== 'noHate') continue;
      const labels = label === 'hate' ? gold({ toxic: 1, identity_hate: 1 }) : CLEAN;
      out.push({ id, corpus: 'stormfront', text: row.text ?? '', labels, split: hashSplit('stormfront', id), weight: 1 });
    }
    return out;
  },
};

export const ruddit: CorpusLoader = {
  name: 'ruddit',
  mapping:
    'offensiveness score in [-1, 1]: > 0.25 -> toxic 1, <= 0 -> toxic 0 (in between unknown); > 0.6 -> severe_toxic 1, ' +
    '< 0.3 -> severe_toxic 0. [deleted]/[removed] bodies dropped.',
  load(dir) {
    const out: Example[] = [];
    for (const row of readCsv(join(dir, 'ruddit_with_text.csv'))) {
      const body = (row.comment_body ?? '').trim();
      if (!body || body === '[deleted]' || body === '[removed]') continue;
      const score = Number(row.offensiveness_score);
      if (!Number.isFinite(score)) continue;
      const toxic = score > 0.25 ? 1 : score <= 0 ? 0 : undefined;
      const severe = score > 0.6 ? 1 : score < 0.3 ? 0 : undefined;
      const labels = gold({ ...(toxic === undefined ? {} : { toxic }), ...(severe === undefined ? {} : { severe_toxic: severe }) });
      const id = row.comment_id ?? '';
      out.push({ id, corpus: 'ruddit', text: body, labels, split: hashSplit('ruddit', id), weight: 1 });
    }
    return out;
  },
};

export const hatefulMemes: CorpusLoader = {
  name: 'hateful_memes_text',
  mapping:
    'label 1 -> toxic 1, identity_hate 1; label 0 -> toxic 0, identity_hate 0 (the label depends on the image too, ' +
    'so weight 0.5). dev_seen + dev_unseen = validation.',
  load(dir) {
    const out: Example[] = [];
    for (const [file, split] of [
      ['train.jsonl', 'train'],
      ['dev_seen.jsonl', 'val'],
      ['dev_unseen.jsonl', 'val'],
    ] as const) {
      for (const row of readJsonl(join(dir, file))) {
        const y: 0 | 1 = row.label === 1 ? 1 : 0;
        out.push({
          id: `${file}:${String(row.id)}`,
          corpus: 'hateful_memes_text',
          text: String(row.text ?? ''),
          labels: gold({ toxic: y, identity_hate: y }),
          split,
          weight: 0.5,
        });
      }
    }
    // dev_seen and dev_unseen share some memes: keep one copy of each.
    const seen = new Set<string>();
    return out.filter((e) => {
      const key = `${e.split}:${e.text}`;
      if (seen.has(key)) return false;
      seen.add(key);
      return true;
    });
  },
};
