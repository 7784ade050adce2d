import { join } from 'node:path';
import { gold, hashSplit, readCsv } from './io.js';
import type { CorpusLoader, Example } from './types.js';
import type { Label, Span } from '../labels.js';

const TYPE_TO_LABEL: Record<string, Label> = {
  Insult: 'insult',
  'Profane/Obscene': 'obscene',
  'Identity based Attack': 'identity_hate',
  Threat: 'threat',
};

interface Annotation {
  notToxic: boolean;
  types: Set<string>;
  ranges: Span[];
}

export const toxicSpans: CorpusLoader = {
  name: 'toxic_spans',
  mapping:
    'Civil Comments posts pre-selected as toxic. Majority of raters ticked "not toxic" -> all six 0; else toxic 1. ' +
    'A span type marked by at least half the raters -> its label 1 (Insult -> insult, Profane/Obscene -> obscene, ' +
    'Identity based Attack -> identity_hate, Threat -> threat); marked by nobody -> 0; by a minority -> unknown. ' +
    'Ground-truth spans: characters covered by more than half the raters.',
  load(dir) {
    const comments = readCsv(join(dir, 'data_comments.csv'));
    const annotations = new Map<string, Annotation>();
    const byComment = new Map<string, string[]>();
    for (const row of readCsv(join(dir, 'data_annotations.csv'))) {
      const id = row.annotation ?? '';
      const commentId = row.comment_id ?? '';
      annotations.set(id, { notToxic: row['not toxic'] === 'True', types: new Set(), ranges: [] });
      const list = byComment.get(commentId) ?? [];
      list.push(id);
      byComment.set(commentId, list);
    }
    for (const row of readCsv(join(dir, 'data_spans.csv'))) {
      const ann = annotations.get(row.annotation ?? '');
      const start = Number(row.start);
      const end = Number(row.end);
      if (!ann || !Number.isInteger(start) || !Number.isInteger(end) || end <= start) continue;
      if (row.type) ann.types.add(row.type);
      ann.ranges.push([start, end]);
    }

    const out: Example[] = [];
    for (const row of comments) {
      const id = row.comment_id ?? '';
      const text = row.comment_text ?? '';
      const anns = (byComment.get(id) ?? []).map((a) => annotations.get(a)).filter((a): a is Annotation => !!a);
      if (anns.length === 0 || !text) continue;
      const n = anns.length;
      const split = hashSplit('toxic_spans', id);
      if (anns.filter((a) => a.notToxic).length * 2 > n) {
        out.push({ id, corpus: 'toxic_spans', text, labels: gold({ toxic: 0, severe_toxic: 0, obscene: 0, threat: 0, insult: 0, identity_hate: 0 }), split, weight: 1, spans: [] });
        continue;
      }
      const values: Partial<Record<Label, 0 | 1>> = { toxic: 1 };
      for (const [type, label] of Object.entries(TYPE_TO_LABEL)) {
        const votes = anns.filter((a) => a.types.has(type)).length;
        if (votes * 2 >= n) values[label] = 1;
        else if (votes === 0) values[label] = 0;
      }
      out.push({ id, corpus: 'toxic_spans', text, labels: gold(values), split, weight: 1, spans: majoritySpans(text.length, anns) });
    }
    return out;
  },
};

/** Characters that more than half of the raters put inside one of their spans, as merged ranges. */
function majoritySpans(length: number, anns: Annotation[]): Span[] {
  const votes = new Uint8Array(length);
  for (const ann of anns) {
    const covered = new Uint8Array(length);
    for (const [start, end] of ann.ranges) covered.fill(1, Math.max(0, start), Math.min(length, end));
    for (let i = 0; i < length; i++) votes[i] = (votes[i] ?? 0) + (covered[i] ?? 0);
  }
  const spans: Span[] = [];
  let open = -1;
  for (let i = 0; i <= length; i++) {
    const on = i < length && (votes[i] ?? 0) * 2 > anns.length;
    if (on && open < 0) open = i;
    if (!on && open >= 0) {
      spans.push([open, i]);
      open = -1;
    }
  }
  return spans;
}
