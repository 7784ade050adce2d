// Saving and loading the CNN: `cnn.bin.gz` beside the linear model's files, holding the int8
// embedding rows with their scales (model.ts `quantize`) and the float32 layers after them.
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { gunzipSync, gzipSync } from 'node:zlib';
import { NUM_LABELS } from '../labels.js';
import type { CnnShape, QuantizedCnn } from './model.js';

export const CNN_FILE = 'cnn.bin.gz';
const MAGIC = 0x54584331; // "TXC1"

export function saveCnn(dir: string, q: QuantizedCnn): void {
  const header = new Uint32Array([MAGIC, q.bits, q.dim, q.filters, q.width, NUM_LABELS]);
  const parts = [header, q.scales, q.codes, q.conv, q.convBias, q.out, q.outBias];
  const buf = Buffer.concat(parts.map((a) => Buffer.from(a.buffer, a.byteOffset, a.byteLength)));
  writeFileSync(join(dir, CNN_FILE), gzipSync(buf, { level: 9 }));
}

export function loadCnn(dir: string, shape: CnnShape): QuantizedCnn {
  const file = join(dir, CNN_FILE);
  if (!existsSync(file)) throw new Error(`model folder ${dir} is missing ${CNN_FILE}`);
  const bytes = new Uint8Array(gunzipSync(readFileSync(file))).buffer;
  const header = bytes.byteLength >= 24 ? new Uint32Array(bytes, 0, 6) : new Uint32Array(0);
  const expected = [MAGIC, shape.bits, shape.dim, shape.filters, shape.width, NUM_LABELS];
  if (header.length < 6 || expected.some((v, i) => header[i] !== v)) throw new Error(`${file} does not match the CNN shape in model.json`);
  const rows = 1 << shape.bits;
  const sizes = { scales: rows, codes: rows * shape.dim, conv: shape.filters * shape.width * shape.dim, convBias: shape.filters, out: NUM_LABELS * shape.filters, outBias: NUM_LABELS };
  const total = 24 + 4 * sizes.scales + sizes.codes + 4 * (sizes.conv + sizes.convBias + sizes.out + sizes.outBias);
  if (bytes.byteLength !== total) throw new Error(`${file} has ${bytes.byteLength} bytes where its shape needs ${total}`);
  let offset = 24;
  const floats = (count: number): Float32Array => {
    const out = new Float32Array(bytes.slice(offset, offset + count * 4));
    offset += count * 4;
    return out;
  };
  const scales = floats(sizes.scales);
  const codes = new Int8Array(bytes.slice(offset, offset + sizes.codes));
  offset += sizes.codes;
  return {
    ...shape,
    scales,
    codes,
    conv: floats(sizes.conv),
    convBias: floats(sizes.convBias),
    out: floats(sizes.out),
    outBias: floats(sizes.outBias),
  };
}
