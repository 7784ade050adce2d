import type { Attachment } from './message.js';

/** What reading one image gave. */
export type OcrResult = { ok: true; text: string; confidence: number; ms: number } | { ok: false; reason: string };

/**
 * Reads the text inside an image attachment. The OCR issue provides the real engine; until then
 * the pipeline records attachments as not scanned.
 */
export interface OcrEngine {
  read(attachment: Attachment, signal: AbortSignal): Promise<OcrResult>;
  close?(): Promise<void>;
}

export const IMAGE_TYPES = /^image\/(png|jpe?g|webp|gif)$/i;
const IMAGE_NAMES = /\.(png|jpe?g|webp|gif)$/i;

/** Attachments that look like images (the engine sniffs the real type before decoding). */
export function isImage(a: Attachment): boolean {
  return IMAGE_TYPES.test(a.contentType ?? '') || IMAGE_NAMES.test(a.name);
}
