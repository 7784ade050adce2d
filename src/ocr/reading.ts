// What an OCR engine's recogniser gives for one image, before watermark lines are split off.
import type { CleanText } from './cleanup.js';
import type { ImageInfo } from './inspect.js';

export interface Reading extends CleanText {
  /** Which engine and pass produced the lines ("paddle", "bright", "gray"...). */
  pass: string;
}

/** Reads an image whose header has been checked (format sniffed, pixel count within the limit). */
export interface Recogniser {
  readonly workers: number;
  read(bytes: Buffer, info: ImageInfo, signal?: AbortSignal): Promise<Reading>;
  close(): Promise<void>;
}
