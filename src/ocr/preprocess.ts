// Meme-aware preprocessing with sharp. An image is decoded once (first frame of an animation, EXIF
// orientation applied, alpha flattened, resized so text is big enough for tesseract but a huge
// photo does not cost seconds), then turned into the passes the recogniser tries:
//  - `bright`: bright pixels become black ink on white. White captions with a black outline (the
//    classic meme) come out clean, and the busy photo behind them disappears.
//  - `gray`: the plain grayscale picture, for dark text on light (screenshots, tweets) and for
//    coloured captions the threshold would miss.
//  - `brightest`: like `bright` with a higher cut, for captions over light, busy photos.
import sharp from 'sharp';
import type { ImageInfo } from './inspect.js';

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

/** Decodes the image once. `info` is what inspectImage read from the header (no second read). */
export async function prepare(bytes: Buffer, maxPixels: number, info: Pick<ImageInfo, 'width' | 'height' | 'orientation'>): Promise<Prepared> {
  // Width after EXIF rotation (orientations 5-8 turn the picture a quarter).
  const width = (info.orientation ?? 1) >= 5 ? info.height : info.width;
  const scale = width < TARGET_MIN_WIDTH ? Math.min(3, TARGET_MIN_WIDTH / Math.max(1, width)) : width > MAX_WIDTH ? MAX_WIDTH / width : 1;
  const { data, info: out } = await sharp(bytes, { limitInputPixels: maxPixels, pages: 1, failOn: 'error' })
    .rotate()
    .flatten({ background: '#808080' })
    .resize({ width: Math.max(1, Math.round(width * scale)), kernel: 'lanczos3' })
    .grayscale()
    .raw()
    .toBuffer({ resolveWithObject: true });
  return { width: out.width, height: out.height, gray: data };
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
