// Decoding with sharp, once per image and engine: first frame of an animation, EXIF orientation
// applied, alpha flattened, resized so text is big enough but a huge photo does not cost seconds. A
// file that fails to decode (corrupt, truncated) is refused here. PaddleOCR takes the colour
// picture; for tesseract it is turned into the passes the recogniser tries:
//  - `bright`: bright pixels become black ink on white. White captions with a black outline (the
//    classic meme) come out clean, and the busy photo behind them disappears.
//  - `gray`: the plain grayscale picture, for dark text on light (screenshots, tweets) and for
//    coloured captions the threshold would miss.
//  - `brightest`: like `bright` with a higher cut, for captions over light, busy photos.
import sharp, { type Sharp } from 'sharp';
import type { ImageInfo } from './inspect.js';
import { ImageRefused } from './refusal.js';
import type { RgbImage } from './paddle/infer.js';

export type PassName = 'bright' | 'gray' | 'brightest';
/** In the order tried; later passes only run when the earlier ones read little plausible text. */
export const PASSES: readonly PassName[] = ['bright', 'gray', 'brightest'];

/** Text is read best when capital letters are ~30+ px; memes of ~600 px are upscaled. */
const TARGET_MIN_WIDTH = 900;
const MAX_WIDTH = 1800;

export interface Prepared {
  width: number;
  height: number;
  /** Grayscale pixels, one byte each. */
  gray: Buffer;
}

type HeaderInfo = Pick<ImageInfo, 'width' | 'height' | 'orientation'>;

/** Size after EXIF rotation (orientations 5-8 turn the picture a quarter). */
function upright(info: HeaderInfo): { width: number; height: number } {
  return (info.orientation ?? 1) >= 5 ? { width: info.height, height: info.width } : { width: info.width, height: info.height };
}

/**
 * Decodes the image (`info` is what inspectImage read from the header: no second read), resized to
 * `width`, and turns a decoding failure into a refusal.
 */
async function decode(bytes: Buffer, maxPixels: number, width: number, finish: (image: Sharp) => Sharp): Promise<{ data: Buffer; width: number; height: number }> {
  try {
    const image = sharp(bytes, { limitInputPixels: maxPixels, pages: 1, failOn: 'error' })
      .rotate()
      .flatten({ background: '#808080' })
      .resize({ width: Math.max(1, Math.round(width)), kernel: 'lanczos3' });
    const { data, info } = await finish(image).raw().toBuffer({ resolveWithObject: true });
    return { data, width: info.width, height: info.height };
  } catch (err) {
    throw new ImageRefused(`corrupt image: ${(err as Error).message.split('\n')[0]}`);
  }
}

/** For tesseract: grayscale, upscaled so capital letters are ~30+ px. */
export async function prepare(bytes: Buffer, maxPixels: number, info: HeaderInfo): Promise<Prepared> {
  const { width } = upright(info);
  const scale = width < TARGET_MIN_WIDTH ? Math.min(3, TARGET_MIN_WIDTH / Math.max(1, width)) : width > MAX_WIDTH ? MAX_WIDTH / width : 1;
  const out = await decode(bytes, maxPixels, width * scale, (image) => image.grayscale());
  return { width: out.width, height: out.height, gray: out.data };
}

/** PaddleOCR detects on at most ~1 megapixel and recognises crops 48 px high: small pictures are enlarged, huge ones shrunk. */
const RGB_MIN_SIDE = 640;
const RGB_MAX_SIDE = 2400;

/** For PaddleOCR: RGB pixels in a buffer of their own (moved, not copied, to the OCR thread). */
export async function prepareRgb(bytes: Buffer, maxPixels: number, info: HeaderInfo): Promise<RgbImage> {
  const { width, height } = upright(info);
  const side = Math.max(width, height);
  const scale = side < RGB_MIN_SIDE ? Math.min(3, RGB_MIN_SIDE / side) : side > RGB_MAX_SIDE ? RGB_MAX_SIDE / side : 1;
  const out = await decode(bytes, maxPixels, width * scale, (image) => image.toColourspace('srgb').removeAlpha());
  return { width: out.width, height: out.height, data: new Uint8Array(out.data) };
}

/** One pass as an image file tesseract can read (uncompressed PNG: encoding time matters here). */
export async function renderPass(p: Prepared, pass: PassName): Promise<Buffer> {
  let image = sharp(p.gray, { raw: { width: p.width, height: p.height, channels: 1 } });
  if (pass !== 'gray') image = image.threshold(pass === 'bright' ? BRIGHT_THRESHOLD : BRIGHTEST_THRESHOLD).negate({ alpha: false });
  return image.png({ compressionLevel: 0 }).toBuffer();
}

/** Caption white stays above these after JPEG ringing and anti-aliasing; photo highlights mostly do not. */
const BRIGHT_THRESHOLD = 210;
const BRIGHTEST_THRESHOLD = 230;
