// Batch classification of JSONL files: streamed, order-preserving, and loud about bad lines
// (a bad line gets an {"id", "error"} line in the output and a message naming its line number).
import { createReadStream, createWriteStream, statSync } from 'node:fs';
import { once } from 'node:events';
import { createInterface } from 'node:readline';
import type { Writable } from 'node:stream';
import { LABELS } from './labels.js';
import { loadScorer } from './registry.js';
import type { Prediction } from './scorer.js';
import { progressBar } from '../util/progress.js';

interface Parsed {
  line: number;
  id: unknown;
  text?: string;
  error?: string;
}

export function parseLine(raw: string, line: number): Parsed {
  let value: unknown;
  try {
    value = JSON.parse(raw);
  } catch (err) {
    return { line, id: null, error: `line ${line}: not valid JSON (${(err as Error).message})` };
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    return { line, id: null, error: `line ${line}: expected an object like {"id": ..., "text": "..."}` };
  }
  const record = value as Record<string, unknown>;
  const id = record.id ?? null;
  if (!('id' in record)) return { line, id, error: `line ${line}: missing "id"` };
  if (typeof record.text !== 'string') return { line, id, error: `line ${line}: "text" must be a string` };
  return { line, id, text: record.text };
}

function outputLine(p: Parsed, prediction: Prediction | undefined, explain: boolean): string {
  if (p.error || !prediction) return JSON.stringify({ id: p.id, error: p.error ?? 'no prediction' });
  const scores: Record<string, number> = {};
  for (const label of LABELS) scores[label] = Math.round(prediction.scores[label] * 1e6) / 1e6;
  return JSON.stringify(explain ? { id: p.id, scores, spans: prediction.spans ?? [] } : { id: p.id, scores });
}

async function write(out: Writable, chunk: string): Promise<void> {
  if (!out.write(chunk)) await once(out, 'drain');
}

export async function classifyFile(opts: {
  input: string;
  output: string;
  model?: string;
  explain?: boolean;
  batchSize?: number;
  quiet?: boolean;
}): Promise<{ lines: number; errors: number; ms: number; model: string }> {
  const started = Date.now();
  const scorer = await loadScorer(opts.model);
  const explain = !!opts.explain;
  const batchSize = Math.max(1, opts.batchSize ?? 256);
  const input = opts.input === '-' ? process.stdin : createReadStream(opts.input);
  const output: Writable = opts.output === '-' ? process.stdout : createWriteStream(opts.output);
  const size = opts.input === '-' ? 0 : statSync(opts.input).size;
  const bar = progressBar('classify', size || 1, { quiet: opts.quiet || size === 0 });
  let bytes = 0;
  let lines = 0;
  let errors = 0;
  let batch: Parsed[] = [];

  const flush = async (): Promise<void> => {
    const valid = batch.filter((p) => p.text !== undefined);
    const predictions = await scorer.scoreBatch(valid.map((p) => p.text as string), { explain });
    let k = 0;
    let chunk = '';
    for (const p of batch) {
      if (p.error) {
        errors++;
        process.stderr.write(`toxguard classify: ${p.error}\n`);
      }
      chunk += outputLine(p, p.error ? undefined : predictions[k++], explain) + '\n';
    }
    await write(output, chunk);
    bar.update(bytes);
    batch = [];
  };

  const reader = createInterface({ input, crlfDelay: Infinity });
  let lineNo = 0;
  for await (const raw of reader) {
    lineNo++;
    bytes += Buffer.byteLength(raw) + 1;
    if (raw.trim() === '') continue;
    lines++;
    batch.push(parseLine(raw, lineNo));
    if (batch.length >= batchSize) await flush();
  }
  if (batch.length) await flush();
  bar.stop();
  if (output !== process.stdout) {
    output.end();
    await once(output, 'finish');
  }
  await scorer.close?.();
  return { lines, errors, ms: Date.now() - started, model: scorer.name };
}
