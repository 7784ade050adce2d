import type { Attachment } from './message.js';

/** What reading one image gave. */
export type OcrResult =
  | {
      ok: true;
      /** The text to classify (watermark lines removed). */
      text: string;
      /** Everything read, watermarks included: what the record keeps. */
      rawText?: string;
      /** Meme-site / generator watermark lines, not classified. */
      watermarks?: string[];
      /** 0-1. */
      confidence: number;
      /** Which preprocessing pass was used. */
      pass?: string;
      ms: number;
    }
  | { ok: false; reason: string };

/** Reads the text inside an image attachment (the real engine: src/ocr, ImageOcr). */
export interface OcrEngine {
  read(attachment: Attachment, signal: AbortSignal): Promise<OcrResult>;
  close?(): Promise<void>;
}

const IMAGE_NAMES = /\.(png|jpe?g|jfif|webp|gif)$/i;

/**
 * Attachments worth handing to the OCR engine: declared as an image (any image type: the engine
 * sniffs the real format and refuses what it cannot read), or of unknown type with an image name or
 * no extension. Video, PDF and the like are skipped.
 */
export function isImage(a: Attachment): boolean {
  const declared = a.contentType && !/^application\/octet-stream/i.test(a.contentType) ? a.contentType : undefined;
  if (declared) return /^image\//i.test(declared);
  return IMAGE_NAMES.test(a.name) || !/\.[a-z0-9]{1,5}$/i.test(a.name);
}
