// `ocr.engine: auto`: PaddleOCR first (faster and more accurate on memes); when its reading is
// doubtful (low confidence, or few plausible words for what it read), tesseract reads the image
// too and the more plausible reading wins.
import type { Reading, Recogniser } from './reading.js';

/** A PaddleOCR reading is kept as it is when it reaches both. */
const TRUSTED = { confidence: 0.85, scorePerChar: 0.5 };

export function trusted(r: Reading): boolean {
  return r.rawChars > 0 && r.confidence >= TRUSTED.confidence && r.score / r.rawChars >= TRUSTED.scorePerChar;
}

export class AutoRecogniser implements Recogniser {
  constructor(
    private readonly first: Recogniser,
    private readonly second: Recogniser,
  ) {}

  get workers(): number {
    return Math.min(this.first.workers, this.second.workers);
  }

  async read(...args: Parameters<Recogniser['read']>): Promise<Reading> {
    const a = await this.first.read(...args);
    if (trusted(a)) return a;
    const b = await this.second.read(...args);
    return b.score > a.score ? b : a;
  }

  async close(): Promise<void> {
    await Promise.all([this.first.close(), this.second.close()]);
  }
}
