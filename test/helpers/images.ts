// Images the tests render for themselves: meme-like pictures (bold white captions with a black
// outline over photo-like noise), screenshots (dark text on white), and hostile files. Rendering
// SVG text needs a system font (Debian: fonts-dejavu-core).
import sharp, { type Sharp } from 'sharp';
import { crc32, deflateSync } from 'node:zlib';
import { makeRng } from '../../src/util/rng.js';

export type ImageFormat = 'png' | 'jpeg' | 'webp' | 'gif';

export interface MemeOptions {
  top?: string;
  bottom?: string;
  width?: number;
  height?: number;
  format?: ImageFormat;
  seed?: number;
}

function escapeXml(s: string): string {
  return s.replace(/[<>&"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

/** A busy, photo-like background: overlapping soft blobs of random colours plus pixel noise. */
async function photoNoise(width: number, height: number, seed: number): Promise<Buffer> {
  const rng = makeRng(seed);
  const blobs = Array.from({ length: 14 }, () => {
    const [r, g, b] = [0, 0, 0].map(() => Math.floor(40 + rng() * 180));
    const cx = Math.floor(rng() * width);
    const cy = Math.floor(rng() * height);
    const rad = Math.floor((0.15 + rng() * 0.35) * Math.max(width, height));
    return `<circle cx="${cx}" cy="${cy}" r="${rad}" fill="rgb(${r},${g},${b})" fill-opacity="0.6"/>`;
  }).join('');
  const svg = `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}"><rect width="100%" height="100%" fill="rgb(90,110,100)"/>${blobs}</svg>`;
  const noise = Buffer.alloc(width * height * 3);
  for (let i = 0; i < noise.length; i++) noise[i] = Math.floor(rng() * 50);
  const base = await sharp(Buffer.from(svg)).blur(6).removeAlpha().raw().toBuffer();
  for (let i = 0; i < base.length; i++) base[i] = Math.min(255, (base[i] as number) + (noise[i] as number) - 25);
  return base;
}

/** Splits a caption into lines that fit the width at the given font size (bold sans ≈ 0.62 em a letter). */
function wrap(text: string, width: number, fontSize: number): string[] {
  const perLine = Math.max(8, Math.floor((width * 0.92) / (fontSize * 0.62)));
  const lines: string[] = [];
  let line = '';
  for (const word of text.split(/\s+/).filter(Boolean)) {
    if (line && line.length + 1 + word.length > perLine) {
      lines.push(line);
      line = word;
    } else {
      line = line ? `${line} ${word}` : word;
    }
  }
  if (line) lines.push(line);
  return lines;
}

function captionSvg(lines: string[], width: number, y0: number, fontSize: number): string {
  return lines
    .map(
      (l, i) =>
        `<text x="${width / 2}" y="${y0 + i * fontSize * 1.15}" text-anchor="middle" font-family="DejaVu Sans" font-weight="bold" font-size="${fontSize}" fill="white" stroke="black" stroke-width="${Math.max(2, fontSize / 12)}" paint-order="stroke">${escapeXml(l.toUpperCase())}</text>`,
    )
    .join('');
}

/** A meme: white outlined captions at the top and/or bottom of a noisy photo-like picture. */
export async function renderMeme(options: MemeOptions = {}): Promise<Buffer> {
  const width = options.width ?? 600;
  const height = options.height ?? 600;
  const fontSize = Math.round(width / 13);
  const top = options.top ? wrap(options.top, width, fontSize) : [];
  const bottom = options.bottom ? wrap(options.bottom, width, fontSize) : [];
  const bottomY = height - fontSize * 0.4 - (bottom.length - 1) * fontSize * 1.15;
  const svg = `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}">${captionSvg(top, width, fontSize * 1.1, fontSize)}${captionSvg(bottom, width, bottomY, fontSize)}</svg>`;
  const background = await photoNoise(width, height, options.seed ?? 7);
  const image = sharp(background, { raw: { width, height, channels: 3 } }).composite([{ input: Buffer.from(svg) }]);
  return encode(image, options.format ?? 'png');
}

/** A screenshot-like image: dark text in lines on a white background. */
export async function renderScreenshot(lines: string[], options: { width?: number; format?: ImageFormat } = {}): Promise<Buffer> {
  const width = options.width ?? 640;
  const fontSize = 22;
  const height = 40 + lines.length * fontSize * 1.5;
  const text = lines
    .map((l, i) => `<text x="20" y="${36 + i * fontSize * 1.5}" font-family="DejaVu Sans" font-size="${fontSize}" fill="rgb(20,20,30)">${escapeXml(l)}</text>`)
    .join('');
  const svg = `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}"><rect width="100%" height="100%" fill="white"/>${text}</svg>`;
  return encode(sharp(Buffer.from(svg)), options.format ?? 'png');
}

function encode(image: Sharp, format: ImageFormat): Promise<Buffer> {
  switch (format) {
    case 'jpeg':
      return image.jpeg({ quality: 88 }).toBuffer();
    case 'webp':
      return image.webp({ quality: 90 }).toBuffer();
    case 'gif':
      return image.gif().toBuffer();
    default:
      return image.png().toBuffer();
  }
}

/**
 * A decompression bomb: a small PNG whose header declares a huge 1-bit canvas (`side` x `side`;
 * 20000 -> 400 megapixels, ~50 KB on disk) with real, valid image data behind it.
 */
export function renderBomb(side = 20_000): Buffer {
  const chunk = (type: string, data: Buffer): Buffer => {
    const body = Buffer.concat([Buffer.from(type, 'latin1'), data]);
    const out = Buffer.alloc(body.length + 8);
    out.writeUInt32BE(data.length, 0);
    body.copy(out, 4);
    out.writeUInt32BE(crc32(body), body.length + 4);
    return out;
  };
  const header = Buffer.alloc(13);
  header.writeUInt32BE(side, 0);
  header.writeUInt32BE(side, 4);
  header.set([1, 0, 0, 0, 0], 8); // bit depth 1, grayscale, deflate, no filter, no interlace
  const rows = Buffer.alloc((1 + Math.ceil(side / 8)) * side); // every row: filter 0, all black
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', header),
    chunk('IDAT', deflateSync(rows, { level: 9 })),
    chunk('IEND', Buffer.alloc(0)),
  ]);
}
