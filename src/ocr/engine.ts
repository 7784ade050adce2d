// The OCR engine the pipeline calls for every image attachment: get the bytes safely, check what
// they really are, read them with the configured recogniser (PaddleOCR, tesseract, or both), and
// split off watermark lines. Image problems become `{ ok: false, reason }` ("not scanned: reason");
// nothing here throws for a bad image.
import PQueue from 'p-queue';
import type { Attachment } from '../core/message.js';
import type { OcrEngine, OcrResult } from '../core/ocr.js';
import { AutoRecogniser } from './auto.js';
import { OcrConfigSchema, type OcrConfig, type OcrEngineName } from './config.js';
import { imageBytes } from './download.js';
import { inspectImage } from './inspect.js';
import { PaddleRecogniser } from './paddle/engine.js';
import { OcrTimeout } from './pool.js';
import type { Recogniser } from './reading.js';
import { formatBytes, ImageRefused } from './refusal.js';
import { TesseractRecogniser } from './tesseract.js';
import { splitWatermarks } from './watermark.js';

export type OcrOptions = Partial<OcrConfig>;

export class ImageOcr implements OcrEngine {
  /** As many images in reading at once as the pool has workers: the rest wait here, unclocked. */
  private readonly admission: PQueue;

  protected constructor(
    private readonly config: OcrConfig,
    private readonly recogniser: Recogniser,
  ) {
    this.admission = new PQueue({ concurrency: recogniser.workers });
  }

  /** The engine `options.engine` names (default: the config's, PaddleOCR). */
  static async create(options: OcrOptions = {}): Promise<ImageOcr> {
    const config = OcrConfigSchema.parse(options);
    return new ImageOcr(config, await startRecogniser(config.engine, config));
  }

  get engine(): OcrEngineName {
    return this.config.engine;
  }

  get workers(): number {
    return this.recogniser.workers;
  }

  async read(attachment: Attachment, signal?: AbortSignal): Promise<OcrResult> {
    try {
      const bytes = await imageBytes(attachment, { maxBytes: this.config.maxBytes, timeoutMs: this.config.downloadTimeoutMs, allowPrivateHosts: this.config.allowPrivateHosts }, signal);
      return await this.recognise(bytes, signal);
    } catch (err) {
      return this.refusal(err, signal);
    }
  }

  /** Reads an image already in memory (the CLI, uploads). */
  async readBytes(bytes: Buffer, signal?: AbortSignal): Promise<OcrResult> {
    try {
      if (bytes.length > this.config.maxBytes) throw new ImageRefused(`image is larger than the ${formatBytes(this.config.maxBytes)} limit`);
      return await this.recognise(bytes, signal);
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

  /** `ms` is the time spent on this image (header check, decoding, recognition), not time queued behind others. */
  private recognise(bytes: Buffer, signal?: AbortSignal): Promise<OcrResult> {
    return this.admission.add(
      async () => {
        const started = performance.now();
        const info = await inspectImage(bytes, this.config.maxPixels);
        const reading = await this.recogniser.read(bytes, info, signal);
        const { text, watermarks } = splitWatermarks(reading.lines);
        return {
          ok: true,
          text,
          rawText: reading.lines.join('\n'),
          watermarks,
          confidence: Number(reading.confidence.toFixed(3)),
          pass: reading.pass,
          ms: Math.round(performance.now() - started),
        } satisfies OcrResult;
      },
      { signal },
    );
  }

  async close(): Promise<void> {
    await this.admission.onIdle();
    await this.recogniser.close();
  }
}

async function startRecogniser(engine: OcrEngineName, config: OcrConfig): Promise<Recogniser> {
  switch (engine) {
    case 'paddle':
      return PaddleRecogniser.start(config);
    case 'tesseract':
      return TesseractRecogniser.start(config);
    case 'auto': {
      const [paddle, tesseract] = await Promise.all([PaddleRecogniser.start(config), TesseractRecogniser.start(config)]);
      return new AutoRecogniser(paddle, tesseract);
    }
  }
}

/** tesseract.js with meme preprocessing, whatever the config says (the previous default engine). */
export class TesseractOcr extends ImageOcr {
  static override async create(options: OcrOptions = {}): Promise<ImageOcr> {
    return ImageOcr.create({ ...options, engine: 'tesseract' });
  }
}
