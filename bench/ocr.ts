// OCR benchmark: milliseconds per image on one worker (decoding and every pass included) and the
// pool's throughput on all cores, for both engines (PaddleOCR, tesseract.js) and Debian's
// `tesseract` CLI on the same images, side by side.
// Uses the real memes in ../shared/memes when present, else ~600 px memes rendered here.
import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { availableParallelism, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { ImageOcr, type OcrEngineName } from '../src/ocr/index.js';
import { nativeTesseractVersion, readManifest } from '../src/ocr/evaluate.js';
import { corpusRates, errorCounts } from '../src/ocr/text-metrics.js';
import { renderBomb, renderMeme } from '../test/helpers/images.js';
import sharp from 'sharp';

const run = promisify(execFile);
const quantile = (xs: number[], q: number): number => [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor(q * xs.length))] ?? 0;

async function images(): Promise<{ label: string; files: string[]; texts: string[] }> {
  const manifest = resolve('../shared/memes/manifest.jsonl');
  if (existsSync(manifest)) {
    const items = (await readManifest(manifest)).filter((_, i) => i % 3 === 0);
    return { label: `${items.length} real memes from ../shared/memes`, files: items.map((it) => resolve('../shared/memes', it.file)), texts: items.map((it) => it.text) };
  }
  const dir = mkdtempSync(join(tmpdir(), 'toxguard-ocr-bench-'));
  const captions = ['when the code works first try', 'nobody asked for your opinion', 'me explaining the plan', 'this is fine', 'you had one job'];
  const files: string[] = [];
  const texts: string[] = [];
  for (let i = 0; i < 40; i++) {
    const f = join(dir, `meme${i}.jpg`);
    writeFileSync(f, await renderMeme({ top: captions[i % 5], bottom: captions[(i + 2) % 5], seed: i, format: 'jpeg' }));
    files.push(f);
    texts.push(`${captions[i % 5]} ${captions[(i + 2) % 5]}`);
  }
  return { label: `${files.length} rendered 600x600 memes`, files, texts };
}

export async function benchOcr(): Promise<void> {
  const { label, files, texts } = await images();
  const cer = (read: string[]): string => corpusRates(read.map((t, i) => errorCounts(t, texts[i] as string))).cer.toFixed(3);
  const bytes = files.map((f) => readFileSync(f));
  console.log(`\n== OCR (${label})`);

  const cores = availableParallelism();
  const rows = [['', 'median ms', 'p90 ms', 'images/s', 'CER']];
  const timed = (name: string, ms: number[], read: string[]): string[] => [
    name,
    quantile(ms, 0.5).toFixed(0),
    quantile(ms, 0.9).toFixed(0),
    (1000 / (ms.reduce((a, b) => a + b, 0) / ms.length)).toFixed(2),
    cer(read),
  ];
  for (const engine of ['paddle', 'tesseract'] as OcrEngineName[]) {
    const one = await ImageOcr.create({ workers: 1, engine });
    await one.readBytes(bytes[0] as Buffer); // warm-up
    const ms: number[] = [];
    const read: string[] = [];
    for (const b of bytes) {
      const r = await one.readBytes(b);
      if (r.ok) ms.push(r.ms);
      read.push(r.ok ? r.text : '');
    }
    await one.close();

    const pool = await ImageOcr.create({ workers: cores, engine });
    const t0 = performance.now();
    await Promise.all(bytes.map((b) => pool.readBytes(b)));
    const poolSeconds = (performance.now() - t0) / 1000;
    await pool.close();
    rows.push(timed(`toxguard ${engine}, 1 worker`, ms, read), [`toxguard ${engine}, pool of ${cores}`, '', '', (bytes.length / poolSeconds).toFixed(2), '']);
  }
  if (await nativeTesseractVersion()) {
    const native: number[] = [];
    const read: string[] = [];
    for (const f of files) {
      const s = performance.now();
      const { stdout } = await run('tesseract', [f, '-'], { env: { ...process.env, OMP_THREAD_LIMIT: '1' }, maxBuffer: 1 << 24 });
      native.push(performance.now() - s);
      read.push(stdout);
    }
    rows.push(timed('native tesseract CLI (1 pass, no preprocessing)', native, read));
  }
  for (const r of rows) console.log(`${(r[0] as string).padEnd(50)}${(r[1] as string).padStart(10)}${(r[2] as string).padStart(8)}${(r[3] as string).padStart(10)}${(r[4] as string).padStart(8)}`);
}

/** Hostile files: each must be refused with a clear reason, quickly, with memory staying bounded. */
export async function benchHostile(): Promise<void> {
  const meme = await renderMeme({ top: 'still works after all that', format: 'jpeg' });
  const cases: [string, Buffer][] = [
    ['decompression bomb (20000x20000 PNG, 48 KB)', renderBomb(20_000)],
    ['corrupt (random bytes named .png)', Buffer.from(Array.from({ length: 4096 }, (_, i) => (i * 7919) % 251))],
    ['truncated JPEG (first third)', meme.subarray(0, Math.floor(meme.length / 3))],
    ['50 MB file', Buffer.alloc(50 * 1024 * 1024, 1)],
    ['wrong extension (TIFF named .png)', await sharp({ create: { width: 64, height: 64, channels: 3, background: '#fff' } }).tiff().toBuffer()],
    ['huge but allowed (6000x6000 JPEG)', await sharp({ create: { width: 6000, height: 6000, channels: 3, background: '#888' } }).jpeg().toBuffer()],
    ['a real meme afterwards', meme],
  ];
  for (const engine of ['paddle', 'tesseract'] as OcrEngineName[]) {
    console.log(`\n== OCR ${engine}: hostile images (default limits: 8 MB, 40 megapixels)`);
    const ocr = await ImageOcr.create({ workers: 1, engine });
    const rssBefore = process.memoryUsage().rss;
    for (const [name, bytes] of cases) {
      const t0 = performance.now();
      const r = await ocr.readBytes(bytes);
      const what = r.ok ? `read: "${r.text.replace(/\s+/g, ' ').slice(0, 40)}"` : `not scanned: ${r.reason}`;
      console.log(`${name.padEnd(45)}${(performance.now() - t0).toFixed(0).padStart(6)} ms  ${what}`);
    }
    await ocr.close();
    console.log(`resident memory: ${(rssBefore / 1e6).toFixed(0)} MB before, ${(process.memoryUsage().rss / 1e6).toFixed(0)} MB after, peak so far ${(process.resourceUsage().maxRSS / 1024).toFixed(0)} MB for the whole bench process`);
  }
}
