import type { PreTrainedTokenizer } from '@huggingface/transformers';

/** Token rows for one batch, padded to a common length, ready to become int64 tensors. */
export interface EncodedBatch {
  rows: number;
  cols: number;
  input_ids: BigInt64Array;
  attention_mask: BigInt64Array;
  /** Only when the tokenizer produces them (BERT does, RoBERTa does not). */
  token_type_ids?: BigInt64Array;
}

interface Encoding {
  input_ids: number[];
  attention_mask: number[];
  token_type_ids?: number[];
}

// HF writes this sentinel (int(1e30)) into tokenizer_config.json when the length is unknown.
const UNKNOWN_LENGTH = 1e6;
// RoBERTa-style position ids start after the padding index, so two positions are unusable.
const POSITION_OFFSET_2 = new Set(['roberta', 'xlm-roberta', 'camembert', 'longformer', 'xlm-roberta-xl']);

/** The longest token sequence the model accepts: tokenizer limit, capped by the position table. */
export function maxSequenceLength(tokenizer: PreTrainedTokenizer, config: Record<string, unknown>): number {
  const limits: number[] = [];
  const fromTokenizer = Number(tokenizer.model_max_length);
  if (Number.isFinite(fromTokenizer) && fromTokenizer > 0 && fromTokenizer < UNKNOWN_LENGTH) limits.push(fromTokenizer);
  const positions = config.max_position_embeddings;
  if (typeof positions === 'number' && positions > 2) {
    limits.push(POSITION_OFFSET_2.has(String(config.model_type)) ? positions - 2 : positions);
  }
  // Neither says: 512 is what every BERT-family checkpoint uses.
  return limits.length > 0 ? Math.min(...limits) : 512;
}

/**
 * Tokenizes, truncates and pads a batch. We truncate ourselves because the library cuts the
 * tail of the *encoded* sequence (dropping the closing [SEP]/</s>), unlike Python transformers,
 * which truncates the text tokens and keeps the special tokens; long messages would score differently.
 */
export function encodeBatch(
  tokenizer: PreTrainedTokenizer,
  texts: readonly string[],
  maxLength: number,
): EncodedBatch {
  const special = new Set(tokenizer.all_special_ids);
  const encodings = texts.map((text) => truncate(encodeOne(tokenizer, text), maxLength, special));
  const rows = encodings.length;
  const cols = Math.max(1, ...encodings.map((e) => e.input_ids.length));
  const withTypes = encodings.every((e) => e.token_type_ids !== undefined);
  const left = tokenizer.padding_side === 'left';
  const padId = BigInt(tokenizer.pad_token_id ?? 0);

  const input_ids = new BigInt64Array(rows * cols).fill(padId);
  const attention_mask = new BigInt64Array(rows * cols);
  const token_type_ids = withTypes ? new BigInt64Array(rows * cols) : undefined;
  encodings.forEach((e, r) => {
    const start = r * cols + (left ? cols - e.input_ids.length : 0);
    e.input_ids.forEach((v, i) => {
      input_ids[start + i] = BigInt(v);
      attention_mask[start + i] = BigInt(e.attention_mask[i] ?? 1);
      if (token_type_ids) token_type_ids[start + i] = BigInt(e.token_type_ids?.[i] ?? 0);
    });
  });
  return { rows, cols, input_ids, attention_mask, ...(token_type_ids ? { token_type_ids } : {}) };
}

function encodeOne(tokenizer: PreTrainedTokenizer, text: string): Encoding {
  // return_tensor: false gives plain number arrays for a single string.
  const out = tokenizer._call(text, { add_special_tokens: true, return_tensor: false }) as unknown as Encoding;
  return out;
}

/** Keeps the leading tokens and the trailing run of special tokens (e.g. [SEP]). */
function truncate(e: Encoding, maxLength: number, special: Set<number>): Encoding {
  const n = e.input_ids.length;
  if (n <= maxLength) return e;
  let tail = 0;
  while (tail < n && tail < maxLength - 1 && special.has(e.input_ids[n - 1 - tail] ?? -1)) tail++;
  const cut = <T>(xs: T[]): T[] => [...xs.slice(0, maxLength - tail), ...xs.slice(n - tail)];
  return {
    input_ids: cut(e.input_ids),
    attention_mask: cut(e.attention_mask),
    ...(e.token_type_ids ? { token_type_ids: cut(e.token_type_ids) } : {}),
  };
}
