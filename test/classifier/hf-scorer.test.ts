import { cp, mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import onnxProto from 'onnx-proto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { averageScorers } from '../../src/classifier/ensemble.js';
import { loadHfScorer } from '../../src/classifier/hf/hf-scorer.js';
import { LABELS, type Label, type Scores } from '../../src/classifier/labels.js';
import type { Prediction, Scorer } from '../../src/classifier/scorer.js';
import { loadScorer } from '../../src/classifier/registry.js';
import { makeRng } from '../../src/util/rng.js';

// onnx-proto is CommonJS (module.exports = { onnx }), so only a default import works from ESM.
const { onnx } = onnxProto;

// ---------------------------------------------------------------------------------------------
// A tiny BERT-shaped classifier, built at test time: word + token-type + position embeddings,
// masked mean pooling, tanh, linear head. Same inputs/outputs as a real BertForSequenceClassification export.
// ---------------------------------------------------------------------------------------------

const SPECIAL = ['[PAD]', '[UNK]', '[CLS]', '[SEP]', '[MASK]'];
const WORDS = ['you', 'are', 'a', 'an', 'idiot', 'stupid', 'nice', 'person', 'i', 'will', 'hurt', 'kill', 'hello', 'world'];
const MORE = ['the', 'cat', 'dog', 'good', 'bad', 'play', '##ing', '##s', 'hate', 'love', 'this', '!', ',', '.', '?'];
const VOCAB = [...SPECIAL, ...WORDS, ...MORE];
const ID = Object.fromEntries(VOCAB.map((t, i) => [t, i])) as Record<string, number>;
const HIDDEN = 8;
const MAX_LEN = 16; // tokenizer_config model_max_length, small so truncation is easy to hit
const MAX_POSITIONS = 32; // position table rows (config max_position_embeddings)

const TOXIC_BERT = [...LABELS];
const DETOXIFY = ['toxicity', 'severe_toxicity', 'obscene', 'identity_attack', 'insult', 'threat', 'sexual_explicit'];

interface Weights {
  emb: Float32Array; // [V, H]
  typ: Float32Array; // [2, H]
  pos: Float32Array; // [MAX_POSITIONS, H]
  w: Float32Array; // [H, L]
  b: Float32Array; // [L]
  numLabels: number;
}


function makeWeights(seed: number, numLabels: number): Weights {
  const rand = makeRng(seed);
  const fill = (n: number, scale: number) => Float32Array.from({ length: n }, () => (rand() * 2 - 1) * scale);
  return {
    emb: fill(VOCAB.length * HIDDEN, 2),
    typ: fill(2 * HIDDEN, 1),
    pos: fill(MAX_POSITIONS * HIDDEN, 1),
    w: fill(HIDDEN * numLabels, 2),
    b: fill(numLabels, 0.5),
    numLabels,
  };
}

const FLOAT = 1;
const INT64 = 7;

function buildOnnx(wt: Weights): Uint8Array {
  const floats = (name: string, dims: number[], data: Float32Array) => ({
    name,
    dims,
    dataType: FLOAT,
    rawData: new Uint8Array(data.buffer.slice(data.byteOffset, data.byteOffset + data.byteLength)),
  });
  const ints = (name: string, values: number[], dims = [values.length]) => ({
    name,
    dims,
    dataType: INT64,
    rawData: new Uint8Array(BigInt64Array.from(values.map(BigInt)).buffer),
  });
  const intAttr = (name: string, i: number) => ({ name, type: onnx.AttributeProto.AttributeType.INT, i });
  const node = (opType: string, input: string[], output: string, attribute: ReturnType<typeof intAttr>[] = []) => ({
    opType,
    input,
    output: [output],
    name: output,
    attribute,
  });
  const io = (name: string, elemType: number, dims: (string | number)[]) => ({
    name,
    type: {
      tensorType: {
        elemType,
        shape: { dim: dims.map((d) => (typeof d === 'string' ? { dimParam: d } : { dimValue: d })) },
      },
    },
  });

  const graph = {
    name: 'tiny_bert',
    initializer: [
      floats('emb', [VOCAB.length, HIDDEN], wt.emb),
      floats('typ', [2, HIDDEN], wt.typ),
      floats('w', [HIDDEN, wt.numLabels], wt.w),
      floats('b', [wt.numLabels], wt.b),
      floats('pos', [MAX_POSITIONS, HIDDEN], wt.pos),
      ints('axis1', [1]),
      ints('axis2', [2]),
      ints('zero', [0], []),
      ints('one', [1], []),
    ],
    node: [
      node('Gather', ['emb', 'input_ids'], 'tok'),
      node('Gather', ['typ', 'token_type_ids'], 'seg'),
      // Absolute positions 0..seq-1, as in BERT: makes the padding side and truncation matter.
      node('Shape', ['input_ids'], 'shape'),
      node('Gather', ['shape', 'one'], 'seq_len'),
      node('Range', ['zero', 'seq_len', 'one'], 'positions'),
      node('Gather', ['pos', 'positions'], 'posv'),
      node('Add', ['tok', 'seg'], 'ts'),
      node('Add', ['ts', 'posv'], 'x'),
      node('Cast', ['attention_mask'], 'maskf', [intAttr('to', FLOAT)]),
      node('Unsqueeze', ['maskf', 'axis2'], 'mask3'),
      node('Mul', ['x', 'mask3'], 'xm'),
      node('ReduceSum', ['xm', 'axis1'], 'sum', [intAttr('keepdims', 0)]),
      node('ReduceSum', ['mask3', 'axis1'], 'count', [intAttr('keepdims', 0)]),
      node('Div', ['sum', 'count'], 'mean'),
      node('Tanh', ['mean'], 'h'),
      node('MatMul', ['h', 'w'], 'hw'),
      node('Add', ['hw', 'b'], 'logits'),
    ],
    input: [
      io('input_ids', INT64, ['batch_size', 'sequence_length']),
      io('attention_mask', INT64, ['batch_size', 'sequence_length']),
      io('token_type_ids', INT64, ['batch_size', 'sequence_length']),
    ],
    output: [io('logits', FLOAT, ['batch_size', wt.numLabels])],
  };
  const model = onnx.ModelProto.create({
    irVersion: 8,
    opsetImport: [{ domain: '', version: 14 }],
    producerName: 'toxguard-test',
    graph,
  });
  return onnx.ModelProto.encode(model).finish();
}

/** What the graph computes, in float64, for one unpadded sequence of token ids (type ids all 0). */
function referenceLogits(wt: Weights, ids: number[]): number[] {
  const mean = new Array<number>(HIDDEN).fill(0);
  ids.forEach((id, t) => {
    for (let j = 0; j < HIDDEN; j++) {
      mean[j]! += (wt.emb[id * HIDDEN + j]! + wt.typ[j]! + wt.pos[t * HIDDEN + j]!) / ids.length;
    }
  });
  const h = mean.map(Math.tanh);
  return Array.from({ length: wt.numLabels }, (_, l) =>
    h.reduce((acc, hj, j) => acc + hj * wt.w[j * wt.numLabels + l]!, wt.b[l]!),
  );
}

const sigmoid = (x: number) => 1 / (1 + Math.exp(-x));
const softmax = (xs: number[]) => {
  const m = Math.max(...xs);
  const e = xs.map((x) => Math.exp(x - m));
  const s = e.reduce((a, b) => a + b, 0);
  return e.map((x) => x / s);
};

/** Independent BERT tokenization (lower-case, split punctuation, greedy WordPiece, [CLS] .. [SEP]). */
function referenceIds(text: string): number[] {
  const ids: number[] = [];
  for (const word of text.toLowerCase().match(/[a-z0-9]+|[^\sa-z0-9]/g) ?? []) {
    const pieces: number[] = [];
    let start = 0;
    while (start < word.length) {
      let end = word.length;
      let found: number | undefined;
      for (; end > start; end--) {
        found = ID[(start > 0 ? '##' : '') + word.slice(start, end)];
        if (found !== undefined) break;
      }
      if (found === undefined) {
        pieces.length = 0;
        pieces.push(ID['[UNK]']!);
        break;
      }
      pieces.push(found);
      start = end;
    }
    ids.push(...pieces);
  }
  // Python-transformers truncation: text tokens first, [CLS] and [SEP] always kept.
  return [ID['[CLS]']!, ...ids.slice(0, MAX_LEN - 2), ID['[SEP]']!];
}

function tokenizerJson(): object {
  const special = (id: string, typeId: number) => ({ SpecialToken: { id, type_id: typeId } });
  const seq = (id: string, typeId: number) => ({ Sequence: { id, type_id: typeId } });
  return {
    version: '1.0',
    truncation: null,
    padding: null,
    added_tokens: SPECIAL.map((content) => ({
      id: ID[content],
      content,
      single_word: false,
      lstrip: false,
      rstrip: false,
      normalized: false,
      special: true,
    })),
    normalizer: { type: 'BertNormalizer', clean_text: true, handle_chinese_chars: true, strip_accents: null, lowercase: true },
    pre_tokenizer: { type: 'BertPreTokenizer' },
    post_processor: {
      type: 'TemplateProcessing',
      single: [special('[CLS]', 0), seq('A', 0), special('[SEP]', 0)],
      pair: [special('[CLS]', 0), seq('A', 0), special('[SEP]', 0), seq('B', 1), special('[SEP]', 1)],
      special_tokens: {
        '[CLS]': { id: '[CLS]', ids: [ID['[CLS]']], tokens: ['[CLS]'] },
        '[SEP]': { id: '[SEP]', ids: [ID['[SEP]']], tokens: ['[SEP]'] },
      },
    },
    decoder: { type: 'WordPiece', prefix: '##', cleanup: true },
    model: {
      type: 'WordPiece',
      unk_token: '[UNK]',
      continuing_subword_prefix: '##',
      max_input_chars_per_word: 100,
      vocab: ID,
    },
  };
}

const TOKENIZER_CONFIG = {
  do_lower_case: true,
  model_max_length: MAX_LEN,
  tokenizer_class: 'BertTokenizer',
  cls_token: '[CLS]',
  sep_token: '[SEP]',
  pad_token: '[PAD]',
  unk_token: '[UNK]',
  mask_token: '[MASK]',
  strip_accents: null,
  tokenize_chinese_chars: true,
  clean_up_tokenization_spaces: true,
};

async function writeModelFolder(dir: string, labels: string[], seed: number, problemType?: string): Promise<Weights> {
  const wt = makeWeights(seed, labels.length);
  await mkdir(path.join(dir, 'onnx'), { recursive: true });
  const config = {
    architectures: ['BertForSequenceClassification'],
    model_type: 'bert',
    hidden_size: HIDDEN,
    vocab_size: VOCAB.length,
    max_position_embeddings: MAX_POSITIONS,
    pad_token_id: 0,
    id2label: Object.fromEntries(labels.map((l, i) => [String(i), l])),
    label2id: Object.fromEntries(labels.map((l, i) => [l, i])),
    ...(problemType ? { problem_type: problemType } : {}),
  };
  await writeFile(path.join(dir, 'config.json'), JSON.stringify(config, null, 2));
  await writeFile(path.join(dir, 'tokenizer.json'), JSON.stringify(tokenizerJson()));
  await writeFile(path.join(dir, 'tokenizer_config.json'), JSON.stringify(TOKENIZER_CONFIG));
  await writeFile(path.join(dir, 'onnx', 'model.onnx'), buildOnnx(wt));
  return wt;
}

// ---------------------------------------------------------------------------------------------

const TEXTS = [
  'You are a stupid idiot!',
  'hello world',
  'Playing with the cats, dogs.', // ##ing and ##s sub-words; "with" is [UNK]
  'zebra',
  '',
  'HELLO   World?',
  // 20 words: longer than MAX_LEN, so it is truncated (keeping [SEP]) and padded against the rest
  'i will hurt you and i will kill you , you stupid bad dog , i hate this cat',
];

function expectClose(actual: Scores, expected: Scores, tol = 1e-4): void {
  for (const label of LABELS) {
    expect(Math.abs(actual[label] - expected[label]), `${label}: ${actual[label]} vs ${expected[label]}`).toBeLessThan(tol);
  }
}

function scoresOf(entries: Partial<Record<Label, number>>): Scores {
  return { ...(Object.fromEntries(LABELS.map((l) => [l, 0])) as Scores), ...entries };
}

describe('loadHfScorer', () => {
  let root: string;
  let toxicBert: { dir: string; wt: Weights };
  const opened: Scorer[] = [];
  const open = async (dir: string, options?: Parameters<typeof loadHfScorer>[1]) => {
    const s = await loadHfScorer(dir, options);
    opened.push(s);
    return s;
  };

  beforeAll(async () => {
    root = await mkdtemp(path.join(os.tmpdir(), 'toxguard-hf-'));
    const dir = path.join(root, 'tiny-toxic-bert');
    toxicBert = { dir, wt: await writeModelFolder(dir, TOXIC_BERT, 1234, 'multi_label_classification') };
  });

  afterAll(async () => {
    await Promise.all(opened.map((s) => s.close?.()));
    await rm(root, { recursive: true, force: true });
  });

  it('matches sigmoid of hand-computed logits for the same token ids', async () => {
    const scorer = await open(toxicBert.dir);
    expect(scorer.name).toBe(`hf:${toxicBert.dir}`);
    expect(scorer.version).toMatch(/^sha256:[0-9a-f]{12}$/);
    expect(scorer.thresholds).toEqual(scoresOf(Object.fromEntries(LABELS.map((l) => [l, 0.5]))));

    expect(referenceIds(TEXTS[6]!)).toHaveLength(MAX_LEN); // the truncation case really truncates
    const preds = await scorer.scoreBatch(TEXTS);
    expect(preds).toHaveLength(TEXTS.length);
    preds.forEach((p, i) => {
      const logits = referenceLogits(toxicBert.wt, referenceIds(TEXTS[i]!));
      expectClose(p.scores, scoresFromLogits(logits.map(sigmoid)));
      expect(p.spans).toBeUndefined();
    });
    // Guard against a degenerate model: the texts must really score differently.
    const toxic = preds.map((p) => p.scores.toxic);
    expect(Math.max(...toxic) - Math.min(...toxic)).toBeGreaterThan(0.05);
  });

  it('averages with the built-in model through a model spec (builtin+hf:<dir>)', async () => {
    const both = await loadScorer(`builtin+hf:${toxicBert.dir}`);
    opened.push(both);
    const builtin = await loadScorer('builtin');
    const hf = await open(toxicBert.dir);
    const [avg] = await both.scoreBatch([TEXTS[0]!]);
    const [a] = await builtin.scoreBatch([TEXTS[0]!]);
    const [b] = await hf.scoreBatch([TEXTS[0]!]);
    for (const l of LABELS) expect(avg!.scores[l]).toBeCloseTo((a!.scores[l] + b!.scores[l]) / 2, 6);
  });

  it('takes thresholds from options, 0.5 for the rest', async () => {
    const scorer = await open(toxicBert.dir, { thresholds: { threat: 0.2, toxic: 0.7 } });
    expect(scorer.thresholds).toEqual({ ...scoresOf({}), toxic: 0.7, severe_toxic: 0.5, obscene: 0.5, threat: 0.2, insult: 0.5, identity_hate: 0.5 });
  });

  it('batches: 40 texts with batchSize 8 equal scoring them one by one', async () => {
    const rand = makeRng(99);
    const words = [...WORDS, 'the', 'cat', 'dogs', 'playing', 'zebra', '!', ','];
    const texts = Array.from({ length: 40 }, () =>
      Array.from({ length: 1 + Math.floor(rand() * 20) }, () => words[Math.floor(rand() * words.length)]).join(' '),
    );
    const batched = await (await open(toxicBert.dir, { batchSize: 8 })).scoreBatch(texts);
    const single = await open(toxicBert.dir, { batchSize: 1 });
    expect(batched).toHaveLength(40);
    for (let i = 0; i < texts.length; i++) {
      const [one] = await single.scoreBatch([texts[i]!]);
      expectClose(batched[i]!.scores, one!.scores, 1e-5);
    }
    expect(await single.scoreBatch([])).toEqual([]);
  });

  it('maps Detoxify names (identity_attack, severe_toxicity, ...) and ignores sexual_explicit', async () => {
    const dir = path.join(root, 'detoxify-like');
    const wt = await writeModelFolder(dir, DETOXIFY, 77); // no problem_type: several mapped labels -> sigmoid
    const [pred] = await (await open(dir)).scoreBatch([TEXTS[0]!]);
    const p = referenceLogits(wt, referenceIds(TEXTS[0]!)).map(sigmoid);
    expectClose(pred!.scores, {
      toxic: p[0]!,
      severe_toxic: p[1]!,
      obscene: p[2]!,
      identity_hate: p[3]!,
      insult: p[4]!,
      threat: p[5]!,
    });
  });

  it.each([
    { labels: ['non-toxic', 'toxic'], positive: 1 },
    { labels: ['hate', 'nothate'], positive: 0 },
    { labels: ['LABEL_0', 'LABEL_1'], positive: 1 },
  ])('maps the positive class of binary $labels onto toxic (softmax), other labels 0', async ({ labels, positive }) => {
    const dir = path.join(root, `binary-${labels.join('-')}`);
    const wt = await writeModelFolder(dir, labels, 5, 'single_label_classification');
    const preds = await (await open(dir)).scoreBatch(TEXTS.slice(0, 3));
    preds.forEach((pred, i) => {
      const probs = softmax(referenceLogits(wt, referenceIds(TEXTS[i]!)));
      expectClose(pred.scores, scoresOf({ toxic: probs[positive]! }));
    });
  });

  it('keeps same-named folders apart when loaded concurrently, and loads a non-hub-id folder name', async () => {
    // env.localModelPath is global and the library keys in-flight loads by model id (the basename).
    const dirs = [path.join(root, 'one', 'model'), path.join(root, 'two', 'model'), path.join(root, 'odd name (v2)')];
    const weights = await Promise.all(dirs.map((d, i) => writeModelFolder(d, TOXIC_BERT, 500 + i, 'multi_label_classification')));
    const scorers = await Promise.all(dirs.map((d) => open(d)));
    for (const [i, scorer] of scorers.entries()) {
      const [pred] = await scorer.scoreBatch([TEXTS[0]!]);
      expectClose(pred!.scores, scoresFromLogits(referenceLogits(weights[i]!, referenceIds(TEXTS[0]!)).map(sigmoid)));
    }
  });

  it('fails clearly for a missing folder', async () => {
    const missing = path.join(root, 'nope');
    await expect(loadHfScorer(missing)).rejects.toThrow(`HF model folder ${missing} does not exist`);
  });

  it('fails clearly for a folder without onnx/model.onnx', async () => {
    const dir = path.join(root, 'no-onnx');
    await cp(toxicBert.dir, dir, { recursive: true });
    await rm(path.join(dir, 'onnx', 'model.onnx'));
    await expect(loadHfScorer(dir)).rejects.toThrow(new RegExp(`${escape(dir)} is missing onnx/model\\.onnx`));
  });

  it('fails clearly for a malformed config.json', async () => {
    const dir = path.join(root, 'bad-config');
    await cp(toxicBert.dir, dir, { recursive: true });
    await writeFile(path.join(dir, 'config.json'), '{"model_type": "bert",');
    await expect(loadHfScorer(dir)).rejects.toThrow(new RegExp(`${escape(dir)}: config\\.json is not valid JSON`));
  });

  it('fails naming the folder for a corrupt model.onnx, and later loads still work', async () => {
    const dir = path.join(root, 'corrupt-onnx');
    await cp(toxicBert.dir, dir, { recursive: true });
    await writeFile(path.join(dir, 'onnx', 'model.onnx'), 'not a protobuf');
    await expect(loadHfScorer(dir)).rejects.toThrow(new RegExp(`HF model folder ${escape(dir)} failed to load`));
    await expect(open(toxicBert.dir)).resolves.toBeDefined();
  });

  it('fails clearly when no label maps onto the six', async () => {
    const dir = path.join(root, 'sentiment');
    await writeModelFolder(dir, ['positive', 'negative', 'mixed'], 3);
    await expect(loadHfScorer(dir)).rejects.toThrow(/config\.json id2label \(positive, negative, mixed\) has no label/);
  });
});

function scoresFromLogits(probs: number[]): Scores {
  return Object.fromEntries(LABELS.map((l, i) => [l, probs[i]!])) as Scores;
}

function escape(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

// ---------------------------------------------------------------------------------------------

function fakeScorer(
  name: string,
  threshold: number,
  score: (text: string) => Partial<Scores>,
  extra: Omit<Prediction, 'scores'> = {},
): Scorer & { closed: boolean } {
  const s = {
    name,
    version: `${name}-1`,
    thresholds: scoresOf(Object.fromEntries(LABELS.map((l) => [l, threshold]))),
    closed: false,
    async scoreBatch(texts: readonly string[]): Promise<Prediction[]> {
      return texts.map((t) => ({ scores: scoresOf(score(t)), ...extra }));
    },
    async close() {
      s.closed = true;
    },
  };
  return s;
}

describe('averageScorers', () => {
  const a = fakeScorer('a', 0.4, (t) => ({ toxic: t.length / 10, insult: 0.2 }));
  const b = fakeScorer('b', 0.8, () => ({ toxic: 1, threat: 0.6 }), {
    spans: [[0, 3]],
    reasons: { toxic: [{ text: 'abc', start: 0, end: 3, weight: 1 }] },
  });

  it('averages scores and thresholds per label with weights', async () => {
    const avg = averageScorers([a, b], [3, 1]);
    expect(avg.name).toBe('avg(a,b)');
    expect(avg.version).toBe('a-1,b-1;w=0.75,0.25');
    expectClose(avg.thresholds, scoresOf(Object.fromEntries(LABELS.map((l) => [l, 0.5]))), 1e-12);
    const [p1, p2] = await avg.scoreBatch(['abcde', 'x']);
    expectClose(p1!.scores, scoresOf({ toxic: 0.75 * 0.5 + 0.25, insult: 0.15, threat: 0.15 }), 1e-12);
    expectClose(p2!.scores, scoresOf({ toxic: 0.75 * 0.1 + 0.25, insult: 0.15, threat: 0.15 }), 1e-12);
    // spans/reasons come from the first scorer that gives them (b here)
    expect(p1!.spans).toEqual([[0, 3]]);
    expect(p1!.reasons?.toxic?.[0]?.text).toBe('abc');
  });

  it('defaults to equal weights and closes every member', async () => {
    const avg = averageScorers([a, b]);
    expect(avg.version).toBe('a-1,b-1');
    const [p] = await avg.scoreBatch(['abcde']);
    expectClose(p!.scores, scoresOf({ toxic: 0.75, insult: 0.1, threat: 0.3 }), 1e-12);
    await avg.close?.();
    expect(a.closed && b.closed).toBe(true);
  });

  it('rejects bad weights', () => {
    expect(() => averageScorers([])).toThrow(/at least one/);
    expect(() => averageScorers([a, b], [1])).toThrow(/2 scorers but 1 weights/);
    expect(() => averageScorers([a, b], [0, 0])).toThrow(/not all be 0/);
  });
});
