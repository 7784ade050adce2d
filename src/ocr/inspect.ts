// Decides from the file's own bytes (never its name or declared type) whether it is an image we
// decode, and checks its size from the header before any pixel is decoded (decompression bombs).
import sharp, { type Metadata } from 'sharp';
import { ImageRefused } from './refusal.js';

export const SUPPORTED_FORMATS = ['png', 'jpeg', 'webp', 'gif'] as const;
export type ImageFormat = (typeof SUPPORTED_FORMATS)[number];

export interface ImageInfo {
  format: ImageFormat;
  width: number;
  height: number;
  /** EXIF orientation (1-8), if any. */
  orientation?: number;
}

/** An HTML page where an image was expected: typically a login page for an unauthorised download. */
function looksLikeHtml(bytes: Buffer): boolean {
  const head = bytes.subarray(0, 512).toString('latin1').trimStart().toLowerCase();
  return head.startsWith('<!doctype html') || head.startsWith('<html') || head.startsWith('<head') || head.startsWith('<body');
}

export async function inspectImage(bytes: Buffer, maxPixels: number): Promise<ImageInfo> {
  if (bytes.length === 0) throw new ImageRefused('empty file');
  if (looksLikeHtml(bytes)) throw new ImageRefused('got an HTML page, not an image (is the download authorised?)');
  let meta: Metadata;
  try {
    // metadata() reads the header only; nothing is decoded here.
    meta = await sharp(bytes, { limitInputPixels: false }).metadata();
  } catch {
    throw new ImageRefused('not a readable image (corrupt or unknown format)');
  }
  const format = meta.format as string | undefined;
  if (!format || !(SUPPORTED_FORMATS as readonly string[]).includes(format)) {
    throw new ImageRefused(`unsupported image format${format ? ` "${format}"` : ''} (PNG, JPEG, WebP and GIF are read)`);
  }
  const width = meta.width ?? 0;
  const height = meta.height ?? 0;
  // For animations sharp reports the page height; only the first frame is read.
  if (!width || !height) throw new ImageRefused('image has no size in its header');
  if (width * height > maxPixels) {
    throw new ImageRefused(`image is ${width}x${height} pixels, over the ${(maxPixels / 1e6).toFixed(0)} megapixel limit`);
  }
  return { format: format as ImageFormat, width, height, ...(meta.orientation ? { orientation: meta.orientation } : {}) };
}
