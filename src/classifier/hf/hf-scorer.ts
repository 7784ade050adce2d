import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import path from 'node:path';
import type { PreTrainedModel, PreTrainedTokenizer, Tensor } from '@huggingface/transformers';
import { LABELS, type Scores } from '../labels.js';
import type { Prediction, Scorer } from '../scorer.js';
import { encodeBatch, maxSequenceLength } from './encode.js';
import { labelNames, mapLabels, type LabelMap } from './label-map.js';
import { checkModelFolder } from './model-folder.js';

export interface HfScorerOptions {
  /** Texts per forward pass (padded to the longest in the batch). Default 16. */
  batchSize?: number;
  /** Per-label decision thresholds; unspecified labels use 0.5. */
  thresholds?: Partial<Scores>;
}

// The hub's model-id shape; a basename outside it would be read relative to the cwd by the library.
const HUB_ID = /^\w[\w.-]{0,94}\w$|^\w$/;

/**
 * Loads a Hugging Face text-classification folder (config.json, tokenizer.json,
 * tokenizer_config.json, onnx/model.onnx) fully offline and scores texts with it.
 *
 * The model's `id2label` names are mapped onto our six labels (see label-map.ts). Labels the
 * model has no column for always score 0, so they never flag: e.g. a binary toxic/clean model
 * only ever sets `toxic`. `explain` is not supported: predictions carry no spans or reasons.
 */
export async function loadHfScorer(dir: string, options: HfScorerOptions = {}): Promise<Scorer> {
  const folder = await checkModelFolder(dir);
  const names = labelNames(folder.config);
  const labelMap = mapLabels(names, folder.config.problem_type);
  if (labelMap === null) {
    const found = names.length > 0 ? names.join(', ') : 'no id2label';
    throw new Error(
      `HF model folder ${folder.dir}: config.json id2label (${found}) has no label that maps onto ${LABELS.join(', ')}`,
    );
  }
  const batchSize = options.batchSize ?? 16;
  if (!Number.isInteger(batchSize) || batchSize < 1) throw new Error(`batchSize must be a positive integer, got ${batchSize}`);

  const [{ tokenizer, model }, digest] = await Promise.all([loadOffline(folder.dir), fileDigest(path.join(folder.dir, 'onnx/model.onnx'))]);
  const maxLength = maxSequenceLength(tokenizer, folder.config);
  const thresholds = Object.fromEntries(LABELS.map((l) => [l, options.thresholds?.[l] ?? 0.5])) as Scores;
  let closed = false;

  return {
    name: `hf:${dir}`,
    version: digest,
    thresholds,
    async scoreBatch(texts: readonly string[]): Promise<Prediction[]> {
      if (closed) throw new Error(`hf:${dir} is closed`);
      const out: Prediction[] = [];
      for (let i = 0; i < texts.length; i += batchSize) {
        const scores = await forward(tokenizer, model, texts.slice(i, i + batchSize), maxLength, labelMap);
        out.push(...scores.map((s) => ({ scores: s })));
      }
      return out;
    },
    async close(): Promise<void> {
      if (closed) return;
      closed = true;
      await model.dispose();
    },
  };
}

// `env` is process-global: loads are serialized so one load's settings cannot leak into another's.
let loadQueue: Promise<unknown> = Promise.resolve();

async function loadOffline(dir: string): Promise<{ tokenizer: PreTrainedTokenizer; model: PreTrainedModel }> {
  // Imported lazily: the library pulls in onnxruntime and sharp, which the built-in scorer never needs.
  const hf = await import('@huggingface/transformers');
  const run = loadQueue.then(async () => {
    hf.env.allowRemoteModels = false;
    hf.env.allowLocalModels = true;
    hf.env.localModelPath = path.dirname(dir) + path.sep;
    const base = path.basename(dir);
    // The library joins localModelPath + id only for hub-shaped ids; anything else it treats as a
    // path as is, so an absolute path is the safe fallback for odd folder names.
    const id = HUB_ID.test(base) && !base.includes('..') && !base.includes('--') ? base : dir;
    const opts = { local_files_only: true } as const;
    try {
      const tokenizer = await hf.AutoTokenizer.from_pretrained(id, opts);
      // fp32 pins onnx/model.onnx (other dtypes pick model_quantized.onnx, model_fp16.onnx, ...).
      const model = await hf.AutoModelForSequenceClassification.from_pretrained(id, { ...opts, dtype: 'fp32', device: 'cpu' });
      return { tokenizer, model };
    } catch (err) {
      // Files passed our checks, so this is bad content (corrupt ONNX, unknown model_type, ...).
      throw new Error(`HF model folder ${dir} failed to load: ${(err as Error).message}`, { cause: err });
    }
  });
  loadQueue = run.catch(() => undefined);
  return run;
}

async function forward(
  tokenizer: PreTrainedTokenizer,
  model: PreTrainedModel,
  texts: readonly string[],
  maxLength: number,
  labelMap: LabelMap,
): Promise<Scores[]> {
  if (texts.length === 0) return [];
  const hf = await import('@huggingface/transformers');
  const enc = encodeBatch(tokenizer, texts, maxLength);
  const dims = [enc.rows, enc.cols];
  const inputs: Record<string, Tensor> = {
    input_ids: new hf.Tensor('int64', enc.input_ids, dims),
    attention_mask: new hf.Tensor('int64', enc.attention_mask, dims),
  };
  // Models whose graph wants token_type_ids but whose tokenizer has none get zeros from the library.
  if (enc.token_type_ids) inputs.token_type_ids = new hf.Tensor('int64', enc.token_type_ids, dims);
  const { logits } = (await model(inputs)) as { logits: Tensor };
  const [rows, cols] = logits.dims;
  if (rows !== enc.rows || cols !== labelMap.byIndex.length) {
    throw new Error(`model returned logits of shape [${logits.dims.join(', ')}], config.json id2label has ${labelMap.byIndex.length} labels`);
  }
  const data = logits.data as Float32Array;
  const out: Scores[] = [];
  for (let r = 0; r < rows; r++) {
    const probs = toProbabilities(data.subarray(r * cols, (r + 1) * cols), labelMap.multiLabel);
    const scores = Object.fromEntries(LABELS.map((l) => [l, 0])) as Scores;
    labelMap.byIndex.forEach((label, i) => {
      if (label !== null) scores[label] = probs[i] ?? 0;
    });
    out.push(scores);
  }
  return out;
}

function toProbabilities(row: Float32Array, multiLabel: boolean): number[] {
  const xs = Array.from(row);
  if (multiLabel) return xs.map((x) => 1 / (1 + Math.exp(-x)));
  const max = Math.max(...xs);
  const exps = xs.map((x) => Math.exp(x - max));
  const sum = exps.reduce((a, b) => a + b, 0);
  return exps.map((e) => e / sum);
}

/** Short content hash of the weights: the scorer's version changes exactly when the model does. */
async function fileDigest(file: string): Promise<string> {
  const hash = createHash('sha256');
  for await (const chunk of createReadStream(file)) hash.update(chunk as Buffer);
  return `sha256:${hash.digest('hex').slice(0, 12)}`;
}
