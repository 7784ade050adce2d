// The OCR engine the pipeline calls for every image attachment: get the bytes safely, check what
// they really are, decode once, recognise the preprocessing passes on the worker pool, keep the
// plausible words of the best pass, and split off watermark lines. Image problems become
// `{ ok: false, reason }` ("not scanned: reason"); nothing here throws for a bad image.
import type { Block } from 'tesseract.js';
import type { Attachment } from '../core/message.js';
import type { OcrEngine, OcrResult } from '../core/ocr.js';
import { cleanLines, type CleanText, type RecognisedWord } from './cleanup.js';
import { OcrConfigSchema, type OcrConfig } from './config.js';
import { imageBytes } from './download.js';
import { inspectImage } from './inspect.js';
import { OcrTimeout, TesseractPool } from './pool.js';
import { PASSES, prepare, renderPass, type PassName } from './preprocess.js';
import { formatBytes, ImageRefused } from './refusal.js';
import { splitWatermarks } from './watermark.js';

export type OcrOptions = Partial<OcrConfig>;

/**
 * A pass whose score per recognised character reaches this is accepted without trying the others
 * (most memes stop at the first). Measured on real memes: trying every pass gains little more.
 */
const GOOD_ENOUGH = { scorePerChar: 0.3, minChars: 10 };

export class TesseractOcr implements OcrEngine {
  private constructor(
    private readonly config: OcrConfig,
    private readonly pool: TesseractPool,
  ) {}

  static async create(options: OcrOptions = {}): Promise<TesseractOcr> {
    const config = OcrConfigSchema.parse(options);
    return new TesseractOcr(config, await TesseractPool.start({ workers: config.workers, recycleAfter: config.recycleAfter, timeoutMs: config.imageTimeoutMs }));
  }

  get workers(): number {
    return this.pool.size;
  }

  async read(attachment: Attachment, signal?: AbortSignal): Promise<OcrResult> {
    const started = performance.now();
    try {
      const bytes = await imageBytes(attachment, { maxBytes: this.config.maxBytes, timeoutMs: this.config.downloadTimeoutMs, allowPrivateHosts: this.config.allowPrivateHosts }, signal);
      return await this.recognise(bytes, started, signal);
    } catch (err) {
      return this.refusal(err, signal);
    }
  }

  /** Reads an image already in memory (the CLI, uploads). */
  async readBytes(bytes: Buffer, signal?: AbortSignal): Promise<OcrResult> {
    const started = performance.now();
    try {
      if (bytes.length > this.config.maxBytes) throw new ImageRefused(`image is larger than the ${formatBytes(this.config.maxBytes)} limit`);
      return await this.recognise(bytes, started, signal);
    } catch (err) {
      return this.refusal(err, signal);
    }
  }

  private refusal(err: unknown, signal: AbortSignal | undefined): OcrResult {
    if (err instanceof ImageRefused || err instanceof OcrTimeout) return { ok: false, reason: err.message };
    // The caller's own time limit: let the pipeline report it as such.
    if (signal?.aborted) throw err;
    return { ok: false, reason: `could not read the image: ${(err as Error).message}` };
  }

  private async recognise(bytes: Buffer, started: number, signal?: AbortSignal): Promise<OcrResult> {
    const info = await inspectImage(bytes, this.config.maxPixels);
    let prepared;
    try {
      prepared = await prepare(bytes, this.config.maxPixels, info);
    } catch (err) {
      throw new ImageRefused(`corrupt image: ${(err as Error).message.split('\n')[0]}`);
    }
    let best: { pass: PassName; clean: CleanText } | undefined;
    for (const pass of PASSES) {
      signal?.throwIfAborted();
      const image = await renderPass(prepared, pass);
      const lines = await this.pool.run(async (worker) => linesOf((await worker.recognize(image, {}, { text: false, blocks: true })).data.blocks));
      const clean = cleanLines(lines);
      if (!best || clean.score > best.clean.score) best = { pass, clean };
      if (clean.rawChars >= GOOD_ENOUGH.minChars && clean.score / clean.rawChars >= GOOD_ENOUGH.scorePerChar) break;
    }
    const lines = best?.clean.lines ?? [];
    const { text, watermarks } = splitWatermarks(lines);
    return {
      ok: true,
      text,
      rawText: lines.join('\n'),
      watermarks,
      confidence: Number((best?.clean.confidence ?? 0).toFixed(3)),
      pass: best?.pass ?? 'bright',
      ms: Math.round(performance.now() - started),
    };
  }

  async close(): Promise<void> {
    await this.pool.close();
  }
}

function linesOf(blocks: Block[] | null): RecognisedWord[][] {
  const lines: RecognisedWord[][] = [];
  for (const block of blocks ?? []) {
    for (const paragraph of block.paragraphs) {
      for (const line of paragraph.lines) {
        const words = line.words.map((w) => ({ text: w.text, confidence: w.confidence })).filter((w) => w.text.trim());
        if (words.length) lines.push(words);
      }
    }
  }
  return lines;
}
