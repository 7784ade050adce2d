// Saving and loading the linear model: `model.json` (metadata, calibration, thresholds, metrics)
// beside `weights.bin.gz` (int16 weights with a scale per label, float32 idf) and `lexicon.txt.gz`.
import { existsSync, readFileSync, writeFileSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { gunzipSync, gzipSync } from 'node:zlib';
import { LABELS, NUM_LABELS } from '../labels.js';
import { Lexicon } from '../normalize/index.js';
import type { LinearModelParams } from './model.js';
import type { FeatureConfig } from './features.js';

export const WEIGHTS_FILE = 'weights.bin.gz';
export const LEXICON_FILE = 'lexicon.txt.gz';
const MAGIC = 0x54584731; // "TXG1"

/** The part of model.json that the linear model itself needs. */
export interface LinearModelJson {
  kind: 'linear';
  features: FeatureConfig;
  bias: number[];
  calibration: { a: number; b: number }[];
  spanThreshold: number;
  spanGate: number;
}

function packWeights(params: LinearModelParams): Buffer {
  const dim = 1 << params.features.bits;
  const scales = new Float32Array(NUM_LABELS);
  for (let l = 0; l < NUM_LABELS; l++) {
    let max = 0;
    for (let i = 0; i < dim; i++) max = Math.max(max, Math.abs(params.weights[i * NUM_LABELS + l] as number));
    scales[l] = max > 0 ? max / 32767 : 1;
  }
  const q = new Int16Array(dim * NUM_LABELS);
  for (let i = 0; i < q.length; i++) q[i] = Math.round((params.weights[i] as number) / (scales[i % NUM_LABELS] as number));
  const header = new Uint32Array([MAGIC, params.features.bits, NUM_LABELS]);
  return Buffer.concat([
    Buffer.from(header.buffer),
    Buffer.from(scales.buffer),
    Buffer.from(params.idf.buffer, params.idf.byteOffset, params.idf.byteLength),
    Buffer.from(q.buffer),
  ]);
}

function unpackWeights(buf: Buffer, bits: number): { idf: Float32Array; weights: Float32Array } {
  const aligned = new Uint8Array(buf).buffer;
  const header = new Uint32Array(aligned, 0, 3);
  if (header[0] !== MAGIC || header[1] !== bits || header[2] !== NUM_LABELS) {
    throw new Error(`weights file does not match model.json (expected ${bits} bits and ${NUM_LABELS} labels)`);
  }
  const dim = 1 << bits;
  let offset = 12;
  const scales = new Float32Array(aligned, offset, NUM_LABELS);
  offset += NUM_LABELS * 4;
  const idf = new Float32Array(aligned.slice(offset, offset + dim * 4));
  offset += dim * 4;
  const q = new Int16Array(aligned, offset, dim * NUM_LABELS);
  const weights = new Float32Array(dim * NUM_LABELS);
  for (let i = 0; i < weights.length; i++) weights[i] = (q[i] as number) * (scales[i % NUM_LABELS] as number);
  return { idf, weights };
}

export function saveLinearModel(dir: string, params: LinearModelParams): LinearModelJson {
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, WEIGHTS_FILE), gzipSync(packWeights(params), { level: 9 }));
  const lexicon = params.lexicon.toJSON().map(([w, c]) => `${w}\t${c}`).join('\n');
  writeFileSync(join(dir, LEXICON_FILE), gzipSync(Buffer.from(lexicon), { level: 9 }));
  return {
    kind: 'linear',
    features: params.features,
    bias: [...params.bias],
    calibration: params.calibration,
    spanThreshold: params.spanThreshold,
    spanGate: params.spanGate,
  };
}

export function loadLinearModel(dir: string, json: LinearModelJson): LinearModelParams {
  for (const file of [WEIGHTS_FILE, LEXICON_FILE]) {
    if (!existsSync(join(dir, file))) throw new Error(`model folder ${dir} is missing ${file}`);
  }
  if (json.bias.length !== LABELS.length || json.calibration.length !== LABELS.length) {
    throw new Error(`model.json in ${dir} does not have one bias and calibration per label`);
  }
  const { idf, weights } = unpackWeights(gunzipSync(readFileSync(join(dir, WEIGHTS_FILE))), json.features.bits);
  const entries = gunzipSync(readFileSync(join(dir, LEXICON_FILE)))
    .toString('utf8')
    .split('\n')
    .filter(Boolean)
    .map((line): [string, number] => {
      const [w = '', c = '0'] = line.split('\t');
      return [w, Number(c)];
    });
  return {
    features: json.features,
    idf,
    weights,
    bias: Float64Array.from(json.bias),
    calibration: json.calibration,
    lexicon: new Lexicon(entries),
    spanThreshold: json.spanThreshold,
    spanGate: json.spanGate,
  };
}
