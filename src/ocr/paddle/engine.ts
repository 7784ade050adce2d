// The PaddleOCR recogniser: decode on the main thread (sharp works off the event loop), detect and
// recognise on a pool of OCR threads, then put the boxes in reading order, restore the spaces the
// model dropped, and keep the plausible lines (the same check as for tesseract).
import { cleanLines } from '../cleanup.js';
import type { OcrConfig } from '../config.js';
import type { ImageInfo } from '../inspect.js';
import { readingOrder } from '../layout.js';
import { WorkerPool } from '../pool.js';
import { prepareRgb } from '../preprocess.js';
import type { Reading, Recogniser } from '../reading.js';
import { loadSegmenter, restoreSpaces } from '../segment.js';
import type { RecognisedLine } from './infer.js';
import { paddleThreads, type PaddleThread } from './thread.js';

export class PaddleRecogniser implements Recogniser {
  private constructor(
    private readonly config: OcrConfig,
    private readonly pool: WorkerPool<PaddleThread>,
  ) {}

  static async start(config: OcrConfig): Promise<PaddleRecogniser> {
    loadSegmenter();
    return new PaddleRecogniser(config, await WorkerPool.start({ workers: config.workers, recycleAfter: config.recycleAfter, timeoutMs: config.imageTimeoutMs }, paddleThreads));
  }

  get workers(): number {
    return this.pool.size;
  }

  async read(bytes: Buffer, info: ImageInfo, signal?: AbortSignal): Promise<Reading> {
    const image = await prepareRgb(bytes, this.config.maxPixels, info);
    signal?.throwIfAborted();
    return { ...toText(await this.pool.run((thread) => thread.read(image))), pass: 'paddle' };
  }

  close(): Promise<void> {
    return this.pool.close();
  }
}

/**
 * Characters of scripts the recognition model knows (it is a Chinese + English model) but an
 * English meme does not have: on photo texture it "reads" them.
 */
const FOREIGN_SCRIPT = /[\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}\p{Script=Hangul}]/gu;

/** Boxes read with less confidence than this are photo texture or unreadable (0-1). */
const MIN_BOX_CONFIDENCE = 0.6;
/** Lines read with at least this confidence are kept even when they are not dictionary words (0-1). */
const KEEP_CONFIDENCE = 0.9;

/** Recognised boxes -> lines in reading order, spaces restored, noise lines dropped. */
export function toText(boxes: readonly RecognisedLine[]): ReturnType<typeof cleanLines> {
  const placed = boxes
    .filter((b) => b.confidence >= MIN_BOX_CONFIDENCE)
    .map((b) => ({ ...b, text: b.text.normalize('NFKC').replace(FOREIGN_SCRIPT, '').replace(/\s+/g, ' ').trim() }))
    .filter((b) => b.text);
  const lines = readingOrder(placed).map((line) =>
    restoreSpaces(line.text)
      .split(' ')
      .filter(Boolean)
      .map((text) => ({ text, confidence: line.confidence * 100 })),
  );
  return cleanLines(lines, { keepConfidence: KEEP_CONFIDENCE * 100 });
}
