// The tesseract.js recogniser: preprocessing passes on a pool of tesseract workers, the pass with the
// most plausible words wins.
import type { Block } from 'tesseract.js';
import { cleanLines, type CleanText, type RecognisedWord } from './cleanup.js';
import type { OcrConfig } from './config.js';
import type { ImageInfo } from './inspect.js';
import { TesseractPool, type WorkerPool } from './pool.js';
import { PASSES, prepare, renderPass, type PassName } from './preprocess.js';
import type { Reading, Recogniser } from './reading.js';
import type { Worker } from 'tesseract.js';

/**
 * A pass whose score per recognised character reaches this is accepted without trying the others
 * (most memes stop at the first). Measured on real memes: trying every pass gains little more.
 */
const GOOD_ENOUGH = { scorePerChar: 0.3, minChars: 10 };

export class TesseractRecogniser implements Recogniser {
  private constructor(
    private readonly config: OcrConfig,
    private readonly pool: WorkerPool<Worker>,
  ) {}

  static async start(config: OcrConfig): Promise<TesseractRecogniser> {
    return new TesseractRecogniser(config, await TesseractPool.start({ workers: config.workers, recycleAfter: config.recycleAfter, timeoutMs: config.imageTimeoutMs }));
  }

  get workers(): number {
    return this.pool.size;
  }

  async read(bytes: Buffer, info: ImageInfo, signal?: AbortSignal): Promise<Reading> {
    const prepared = await prepare(bytes, this.config.maxPixels, info);
    let best: { pass: PassName; clean: CleanText } | undefined;
    for (const pass of PASSES) {
      signal?.throwIfAborted();
      const image = await renderPass(prepared, pass);
      const lines = await this.pool.run(async (worker) => linesOf((await worker.recognize(image, {}, { text: false, blocks: true })).data.blocks));
      const clean = cleanLines(lines);
      if (!best || clean.score > best.clean.score) best = { pass, clean };
      if (clean.rawChars >= GOOD_ENOUGH.minChars && clean.score / clean.rawChars >= GOOD_ENOUGH.scorePerChar) break;
    }
    return { ...(best?.clean ?? cleanLines([])), pass: best?.pass ?? 'bright' };
  }

  close(): Promise<void> {
    return this.pool.close();
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
