// Loaders for the corpora aimed at hate without slurs, implicit hate and counter-speech (DynaHate,
// HatemojiBuild, Implicit Hate, EDOS, SBIC, ConvAbuse, Gab Hate Corpus). Where a corpus pairs
// sentences (contrast pairs) or repeats near-identical ones, the split is by group (groups.ts).
//
// "Not hate" is not "not toxic": these corpora's negative class holds insults at individuals and
// swearing. A not-hate text is taught as non-toxic only when it contains no profanity (obscenity's
// English word list); otherwise its toxic label stays unknown.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'csv-parse/sync';
import { RegExpMatcher, englishDataset, englishRecommendedTransformers } from 'obscenity';
import { CLEAN, gold, hashSplit, readCsv } from './io.js';
import { groupSplit } from './groups.js';
import type { CorpusLoader, Example, Gold } from './types.js';

let profanity: RegExpMatcher | undefined;
function hasProfanity(text: string): boolean {
  profanity ??= new RegExpMatcher({ ...englishDataset.build(), ...englishRecommendedTransformers });
  return profanity.hasMatch(text);
}

/** Hate against a group: toxic and identity_hate, threat when the corpus says it threatens. */
function hate(threat?: 0 | 1): Gold[] {
  return gold({ toxic: 1, identity_hate: 1, ...(threat === undefined ? {} : { threat }) });
}

/** Not hate: no identity_hate; not toxic either unless it swears. */
function notHate(text: string): Gold[] {
  return hasProfanity(text) ? gold({ identity_hate: 0 }) : gold({ toxic: 0, identity_hate: 0, threat: 0, severe_toxic: 0 });
}

/** Undoes tokenisation ("it 's a test ." -> "it's a test."), so the style is not a cue. */
export function detokenize(text: string): string {
  return text
    .replace(/\s+/g, ' ')
    .replace(/ ([.,!?;:%)\]}])/g, '$1')
    .replace(/([([{$#@]) /g, '$1')
    .replace(/ (n't|'s|'re|'ve|'ll|'d|'m)\b/gi, '$1')
    .replace(/^[\s"']+|[\s"']+$/g, '')
    .trim();
}

/**
 * Training weight of a row of these corpora. They are large and about one narrow question (is
 * this hate against a group?); at full weight they pull the shared word weights away from what
 * the older corpora teach (offensive language, insults), so they count a little less.
 */
export const HATE_CORPUS_WEIGHT = 0.5;

function readTsv(path: string): Record<string, string>[] {
  return readCsv(path, { delimiter: '\t' });
}

function threatType(type: string | undefined): 0 | 1 | undefined {
  if (!type || type === 'notgiven') return undefined;
  return /threat/i.test(type) ? 1 : 0;
}

/** A row of a corpus with contrast pairs (DynaHate, Hatemoji): hate or not, linked to its pair. */
interface PairedRow {
  key: string;
  text: string;
  hate: boolean;
  threat?: 0 | 1;
  links: string[];
}

/** Paired rows as examples, split by pair and near-duplicate cluster. */
function pairedExamples(corpus: string, rows: readonly PairedRow[]): Example[] {
  const splits = groupSplit(corpus, rows);
  return rows.map((r, i): Example => ({
    id: r.key,
    corpus,
    text: r.text,
    labels: r.hate ? hate(r.threat) : notHate(r.text),
    split: splits[i] as 'train' | 'val',
    weight: HATE_CORPUS_WEIGHT,
  }));
}

export const dynahate: CorpusLoader = {
  name: 'dynahate',
  mapping:
    'hate -> toxic 1, identity_hate 1 (type threatening -> threat 1, other types threat 0); nothate -> identity_hate 0, ' +
    'and toxic/threat/severe_toxic 0 when it has no profanity (else toxic unknown). db_dev, db_test and the DynBERT ' +
    'files merged by text (db labels win), split 15% by contrast pair (acl.id.matched) and near-duplicate cluster.',
  load(dir) {
    const rows = new Map<string, PairedRow>();
    for (const file of ['db_dev.csv', 'db_test.csv']) {
      for (const row of readCsv(join(dir, file))) {
        const text = (row.text ?? '').trim();
        const id = row['acl.id'] ?? '';
        if (!text || !id) continue;
        const links = row['acl.id.matched'] ? [row['acl.id.matched']] : [];
        rows.set(text, { key: id, text, hate: row.label === 'hate', threat: row.label === 'hate' ? threatType(row.type) : undefined, links });
      }
    }
    for (const part of ['Train', 'Test']) {
      const texts = parse(readFileSync(join(dir, `DynBERT_${part}.csv`)), {
        delimiter: '\t',
        relax_quotes: true,
        relax_column_count: true,
      }) as string[][];
      const labels = readFileSync(join(dir, `DynBERT_${part}_label.csv`), 'utf8').split(/\r?\n/).filter((l) => l.trim() !== '');
      texts.forEach((cols, i) => {
        const text = (cols[0] ?? '').trim();
        if (!text || rows.has(text) || labels[i] === undefined) return;
        rows.set(text, { key: `${part}:${i}`, text, hate: labels[i]?.trim() === '1', links: [] });
      });
    }
    return pairedExamples('dynahate', [...rows.values()]);
  },
};

export const hatemoji: CorpusLoader = {
  name: 'hatemoji_build',
  mapping:
    'label_gold 1 -> toxic 1, identity_hate 1 (threateninglanguage -> threat 1, other types 0); 0 -> as DynaHate\'s nothate. ' +
    'train + validation + test pooled and re-split 15% by matched_id pair (the official split separates pairs).',
  load(dir) {
    const rows: PairedRow[] = [];
    for (const file of ['train.csv', 'validation.csv', 'test.csv']) {
      for (const row of readCsv(join(dir, file))) {
        const text = (row.text ?? '').trim();
        if (!text) continue;
        const isHate = row.label_gold === '1';
        rows.push({
          key: row.entry_id ?? '',
          text,
          hate: isHate,
          threat: isHate ? threatType(row.type) : undefined,
          links: row.matched_id ? [row.matched_id] : [],
        });
      }
    }
    return pairedExamples('hatemoji_build', rows);
  },
};

export const implicitHate: CorpusLoader = {
  name: 'implicit_hate',
  mapping:
    'stage 1 implicit_hate / explicit_hate -> toxic 1, identity_hate 1; not_hate -> as DynaHate\'s nothate. Stage 2 ' +
    'threatening -> threat 1. Stage 3 implied statements ("X are all criminals") added as hate rows (half the corpus weight) in ' +
    'the split of their post. Text de-tokenised (the copy is lower-cased and tokenised). 15% near-duplicate group split.',
  load(dir) {
    const threatening = new Set<string>();
    for (const row of readTsv(join(dir, 'implicit_hate_v1_stg2_posts.tsv'))) {
      if (row.implicit_class === 'threatening' || row.extra_implicit_class === 'threatening') threatening.add(detokenize(row.post ?? ''));
    }
    const implied = new Map<string, string[]>();
    for (const row of readTsv(join(dir, 'implicit_hate_v1_stg3_posts.tsv'))) {
      const statement = (row.implied_statement ?? '').trim();
      if (!statement) continue;
      const post = detokenize(row.post ?? '');
      implied.set(post, [...(implied.get(post) ?? []), statement]);
    }
    const posts: { key: string; text: string; cls: string }[] = [];
    readTsv(join(dir, 'implicit_hate_v1_stg1_posts.tsv')).forEach((row, i) => {
      const text = detokenize(row.post ?? '');
      if (text) posts.push({ key: String(i), text, cls: row.class ?? '' });
    });
    const splits = groupSplit('implicit_hate', posts);
    const out: Example[] = [];
    posts.forEach((p, i) => {
      const split = splits[i] as 'train' | 'val';
      const isHate = p.cls === 'implicit_hate' || p.cls === 'explicit_hate';
      const labels = isHate ? hate(threatening.has(p.text) ? 1 : undefined) : notHate(p.text);
      out.push({ id: p.key, corpus: 'implicit_hate', text: p.text, labels, split, weight: HATE_CORPUS_WEIGHT });
      // Implied statements teach training only: validation stays real posts.
      if (!isHate || split !== 'train') return;
      [...new Set(implied.get(p.text) ?? [])].slice(0, 2).forEach((statement, k) => {
        out.push({ id: `${p.key}:implied:${k}`, corpus: 'implicit_hate', text: statement, labels: hate(), split, weight: HATE_CORPUS_WEIGHT / 2 });
      });
    });
    return out;
  },
};

export const edos: CorpusLoader = {
  name: 'edos',
  mapping:
    'sexist -> toxic 1, identity_hate 1 (sexism is hate against a group), category 1 (threats) -> threat 1, other ' +
    'categories threat 0; not sexist -> identity_hate 0 (toxic unknown: a post can be rude without being sexist). ' +
    'Official dev split = validation; train and test (not held out) = training.',
  load(dir) {
    return readCsv(join(dir, 'edos_labelled_aggregated.csv')).map((row): Example => {
      const sexist = row.label_sexist === 'sexist';
      const labels = sexist ? hate(row.label_category?.startsWith('1.') ? 1 : 0) : gold({ identity_hate: 0 });
      return {
        id: row.rewire_id ?? '',
        corpus: 'edos',
        text: row.text ?? '',
        labels,
        split: row.split === 'dev' ? 'val' : 'train',
        weight: HATE_CORPUS_WEIGHT,
      };
    });
  },
};

function jsonList(value: string | undefined): string[] {
  try {
    const parsed: unknown = JSON.parse(value ?? '[]');
    return Array.isArray(parsed) ? parsed.map(String) : [];
  } catch {
    return [];
  }
}

export const sbic: CorpusLoader = {
  name: 'sbic_partial',
  mapping:
    'offensiveYN >= 0.5 -> toxic 1, = 0 -> toxic 0 (in between unknown); offensive with whoTarget >= 0.5 and a target ' +
    'minority -> identity_hate 1, whoTarget = 0 or not offensive -> identity_hate 0; sexYN >= 0.5 -> obscene 1, = 0 -> 0. ' +
    'Implied stereotypes of group-targeted posts added as hate rows (half the corpus weight) in the split of their post. dev + tst ' +
    'pooled, 15% near-duplicate group split; posts already in an earlier corpus are dropped (cross-corpus dedup).',
  load(dir) {
    const posts: { key: string; text: string; row: Record<string, string> }[] = [];
    for (const file of ['SBIC.v2.agg.dev.csv', 'SBIC.v2.agg.tst.csv']) {
      readCsv(join(dir, file)).forEach((row, i) => {
        const text = (row.post ?? '').trim();
        if (text) posts.push({ key: `${file.includes('dev') ? 'dev' : 'tst'}:${i}`, text, row });
      });
    }
    const splits = groupSplit('sbic_partial', posts);
    const out: Example[] = [];
    posts.forEach((p, i) => {
      const split = splits[i] as 'train' | 'val';
      const off = Number(p.row.offensiveYN);
      const who = Number(p.row.whoTarget);
      const sex = Number(p.row.sexYN);
      const minorities = jsonList(p.row.targetMinority);
      const groupTargeted = off >= 0.5 && who >= 0.5 && minorities.length > 0;
      const values: Partial<Record<'toxic' | 'identity_hate' | 'obscene', 0 | 1>> = {};
      if (off >= 0.5) values.toxic = 1;
      else if (off === 0) values.toxic = 0;
      if (groupTargeted) values.identity_hate = 1;
      else if (off < 0.5 || who === 0) values.identity_hate = 0;
      if (sex >= 0.5) values.obscene = 1;
      else if (sex === 0) values.obscene = 0;
      out.push({ id: p.key, corpus: 'sbic_partial', text: p.text, labels: gold(values), split, weight: HATE_CORPUS_WEIGHT });
      if (groupTargeted && split === 'train') {
        // At most two per post, so that a post with many paraphrased stereotypes does not dominate.
        [...new Set(jsonList(p.row.targetStereotype))].slice(0, 2).forEach((statement, k) => {
          if (statement.trim()) out.push({ id: `${p.key}:implied:${k}`, corpus: 'sbic_partial', text: statement, labels: hate(), split, weight: HATE_CORPUS_WEIGHT / 2 });
        });
      }
    });
    return out;
  },
};

const CONVABUSE_HATE = ['sexist', 'homophobic', 'racist', 'transphobic', 'ableist'];

export const convabuse: CorpusLoader = {
  name: 'convabuse',
  mapping:
    'per example, the majority of annotators: abusive (-1..-3) -> toxic 1, strongly abusive (-3) -> severe_toxic 1; ' +
    'abuse typed sexist/homophobic/racist/transphobic/ableist by a majority of those who called it abusive -> ' +
    'identity_hate 1 (else 0); aimed at the agent (target.individual) -> insult 1; not abusive (1) -> all six 0; ' +
    'ambiguous -> unknown. Official valid split = validation; train and test = training.',
  load(dir) {
    const out: Example[] = [];
    for (const [file, split] of [
      ['ConvAbuseEMNLPtrain.csv', 'train'],
      ['ConvAbuseEMNLPvalid.csv', 'val'],
      ['ConvAbuseEMNLPtest.csv', 'train'],
    ] as const) {
      for (const row of readCsv(join(dir, file))) {
        const text = (row.user ?? '').trim();
        if (!text) continue;
        let abusive = 0;
        let clean = 0;
        let severe = 0;
        let answered = 0;
        let hateful = 0;
        let individual = 0;
        for (let k = 1; k <= 8; k++) {
          const a = (v: string): boolean => (row[`Annotator${k}_${v}`] ?? '').split(',').some((x) => x.trim() === '1');
          const levels = ['1', '0', '-1', '-2', '-3'].filter((v) => a(`is_abuse.${v}`));
          if (levels.length === 0) continue;
          answered++;
          const abuse = levels.some((v) => v.startsWith('-'));
          if (abuse) {
            abusive++;
            if (levels.includes('-3')) severe++;
            if (CONVABUSE_HATE.some((t) => a(t))) hateful++;
            if (a('target.individual')) individual++;
          } else if (levels.includes('1')) clean++;
        }
        if (answered === 0) continue;
        let labels: Gold[];
        if (abusive * 2 > answered) {
          labels = gold({
            toxic: 1,
            identity_hate: hateful * 2 > abusive ? 1 : 0,
            ...(severe * 2 > answered ? { severe_toxic: 1 } : {}),
            ...(individual * 2 > abusive ? { insult: 1 } : {}),
          });
        } else if (clean * 2 > answered) labels = CLEAN;
        else continue;
        out.push({ id: `${file}:${row.example_id ?? ''}`, corpus: 'convabuse', text, labels, split, weight: HATE_CORPUS_WEIGHT });
      }
    }
    return out;
  },
};

export const gabHate: CorpusLoader = {
  name: 'gab_hate_corpus',
  mapping:
    'hd (assault on human dignity) or cv (call for violence) -> toxic 1, identity_hate 1; cv -> threat 1; vo (vulgar) -> ' +
    'toxic 1; none of the three -> all six 0. ghc_train split 15% by hash; ghc_test (GHC\'s own split, not held out) = training.',
  load(dir) {
    const out: Example[] = [];
    for (const file of ['ghc_train.tsv', 'ghc_test.tsv']) {
      readTsv(join(dir, file)).forEach((row, i) => {
        const text = (row.text ?? '').trim();
        if (!text) return;
        const hd = row.hd === '1';
        const cv = row.cv === '1';
        const vo = row.vo === '1';
        let labels: Gold[];
        if (hd || cv) labels = gold({ toxic: 1, identity_hate: 1, threat: cv ? 1 : 0 });
        else if (vo) labels = gold({ toxic: 1, identity_hate: 0, threat: 0 });
        else labels = CLEAN;
        const id = `${file}:${i}`;
        const split = file === 'ghc_test.tsv' ? 'train' : hashSplit('gab_hate_corpus', id);
        out.push({ id, corpus: 'gab_hate_corpus', text, labels, split, weight: HATE_CORPUS_WEIGHT });
      });
    }
    return out;
  },
};
