// Both real engines (PaddleOCR and tesseract.js) on images the test renders: what is read, and what
// is refused and why.
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ImageOcr, type OcrEngineName } from '../../src/ocr/index.js';
import { errorCounts } from '../../src/ocr/text-metrics.js';
import type { OcrResult } from '../../src/core/ocr.js';
import { renderBomb, renderMeme, renderScreenshot } from '../helpers/images.js';

function textOf(r: OcrResult): string {
  if (!r.ok) throw new Error(`expected text, got "not scanned: ${r.reason}"`);
  return r.text;
}

/** Character error rate of what was read against what was drawn. */
function cer(read: string, drawn: string): number {
  const c = errorCounts(read, drawn);
  return c.charErrors / c.chars;
}

const TOP = 'nobody asked for your opinion';
const BOTTOM = 'you worthless idiot';

describe.each<OcrEngineName>(['paddle', 'tesseract'])('%s engine', (engine) => {
  let ocr: ImageOcr;
  beforeAll(async () => {
    ocr = await ImageOcr.create({ workers: 2, engine });
  });
  afterAll(async () => {
    await ocr.close();
  });

  it('is the engine asked for', () => {
    expect(ocr.engine).toBe(engine);
    expect(ocr.workers).toBe(2);
  });
  it('reports the time spent on each image, not the time it waited for a worker', async () => {
    const memes = await Promise.all([1, 2, 3, 4, 5, 6].map((seed) => renderMeme({ top: 'waiting in line', seed })));
    const t0 = performance.now();
    const results = await Promise.all(memes.map((m) => ocr.readBytes(m)));
    const wall = performance.now() - t0;
    const ms = results.map((r) => (r.ok ? r.ms : NaN));
    // At most two images (the pool's size) are on the clock at any moment.
    expect(ms.reduce((a, b) => a + b, 0)).toBeLessThanOrEqual(2 * wall + 10);
  });

  describe('reading memes and screenshots', () => {
    it('reads white outlined captions over a busy photo', async () => {
      const r = await ocr.readBytes(await renderMeme({ top: TOP, bottom: BOTTOM }));
      expect(cer(textOf(r), `${TOP} ${BOTTOM}`)).toBeLessThan(0.1);
      expect(r.ok && r.confidence).toBeGreaterThan(0.6);
    });

    it('reads dark text on white (a screenshot) and keeps watermark lines out of the classified text', async () => {
      const r = await ocr.readBytes(await renderScreenshot(['@someone replied:', 'go back to where you came from', 'made with imgflip.com']));
      const text = textOf(r);
      expect(cer(text, '@someone replied: go back to where you came from')).toBeLessThan(0.1);
      expect(text).not.toMatch(/imgflip/i);
      expect(r.ok && r.watermarks?.join(' ')).toMatch(/imgflip\.com/i);
      expect(r.ok && r.rawText).toMatch(/imgflip\.com/i);
    });

    it.each(['jpeg', 'webp', 'gif'] as const)('reads a %s meme', async (format) => {
      const r = await ocr.readBytes(await renderMeme({ top: 'shut up and go away', format, seed: 3 }));
      expect(cer(textOf(r), 'shut up and go away')).toBeLessThan(0.15);
    });

    it('applies EXIF orientation (a phone photo stored sideways)', async () => {
      const upright = await renderMeme({ top: 'this side up please', width: 560, height: 420, format: 'png' });
      // Pixels stored rotated 90 degrees anticlockwise; EXIF orientation 6 says "rotate 90 clockwise to view".
      const sideways = await sharp(upright).rotate(270).jpeg({ quality: 90 }).withMetadata({ orientation: 6 }).toBuffer();
      expect((await sharp(sideways).metadata()).orientation).toBe(6);
      const r = await ocr.readBytes(sideways);
      expect(cer(textOf(r), 'this side up please')).toBeLessThan(0.15);
    });

    it('upscales a tiny image enough to read it', async () => {
      const r = await ocr.readBytes(await renderScreenshot(['you are a clown'], { width: 200 }));
      expect(cer(textOf(r), 'you are a clown')).toBeLessThan(0.2);
    });

    it('reads a large photo (downscaled first) and finds nothing in a picture without text', async () => {
      const big = await renderMeme({ top: 'big picture caption', width: 4000, height: 3000, format: 'jpeg' });
      expect(cer(textOf(await ocr.readBytes(big)), 'big picture caption')).toBeLessThan(0.15);
      const plain = await renderMeme({ width: 600, height: 600, seed: 11 });
      expect(textOf(await ocr.readBytes(plain)).length).toBeLessThan(6);
    });
  });

  describe('hostile and broken images', () => {
    it('refuses a decompression bomb from its header, before decoding', async () => {
      const bomb = renderBomb(20_000);
      expect(bomb.length).toBeLessThan(200_000);
      const r = await ocr.readBytes(bomb);
      expect(r).toEqual({ ok: false, reason: expect.stringMatching(/20000x20000 pixels, over the 40 megapixel limit/) });
    });

    it('refuses a truncated (corrupt) file with a clear reason', async () => {
      const png = await renderMeme({ top: 'truncated' });
      const r = await ocr.readBytes(png.subarray(0, Math.floor(png.length / 3)));
      expect(r.ok).toBe(false);
      expect(!r.ok && r.reason).toMatch(/corrupt/);
    });

    it('sniffs content instead of trusting names: random bytes, HTML, TIFF, empty', async () => {
      const cases: [Buffer, RegExp][] = [
        [Buffer.from('definitely not an image, just text pretending to be meme.png'), /not a readable image/],
        [Buffer.from('<!DOCTYPE html><html><body>Sign in to Slack</body></html>'), /HTML page, not an image/],
        [await sharp({ create: { width: 40, height: 40, channels: 3, background: '#fff' } }).tiff().toBuffer(), /unsupported image format "tiff"/],
        [Buffer.alloc(0), /empty file/],
      ];
      for (const [bytes, reason] of cases) {
        const r = await ocr.readBytes(bytes);
        expect(r.ok).toBe(false);
        expect(!r.ok && r.reason).toMatch(reason);
      }
    });

    it('refuses bytes over the size limit', async () => {
      const small = await ImageOcr.create({ workers: 1, maxBytes: 10_000, engine });
      try {
        const r = await small.readBytes(await renderMeme({ top: 'too big', format: 'png' }));
        expect(!r.ok && r.reason).toMatch(/larger than the 9\.8 KB limit/);
      } finally {
        await small.close();
      }
    });

    it('refuses a 50 MB file at the default 8 MB limit without decoding it', async () => {
      const r = await ocr.readBytes(Buffer.alloc(50 * 1024 * 1024, 0xff));
      expect(r).toEqual({ ok: false, reason: 'image is larger than the 8 MB limit' });
    });

    it('reads by content, not by name: a JPEG passed where a PNG was declared is read', async () => {
      const jpeg = await renderMeme({ top: 'declared png actually jpeg', format: 'jpeg', seed: 9 });
      const r = await ocr.read({ url: 'upload', name: 'meme.png', contentType: 'image/png', data: jpeg }, AbortSignal.timeout(20_000));
      expect(cer(textOf(r), 'declared png actually jpeg')).toBeLessThan(0.15);
    });

    it('keeps working after refusals: the pool is not poisoned', async () => {
      const results = await Promise.all([
        ocr.readBytes(Buffer.from('junk')),
        ocr.readBytes(renderBomb(12_000)),
        ocr.readBytes(await renderMeme({ top: 'still reading fine', seed: 5 })),
      ]);
      expect(results[0]?.ok).toBe(false);
      expect(results[1]?.ok).toBe(false);
      expect(cer(textOf(results[2] as OcrResult), 'still reading fine')).toBeLessThan(0.15);
    });
  });
});
