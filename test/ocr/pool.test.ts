// The worker pool: a stuck job is cut off and its worker replaced; workers are recycled.
import { describe, expect, it } from 'vitest';
import type { Worker } from 'tesseract.js';
import { OcrTimeout, TesseractPool } from '../../src/ocr/pool.js';

describe('tesseract worker pool', () => {
  it('times out a stuck job, replaces its worker, and keeps serving', async () => {
    const pool = await TesseractPool.start({ workers: 1, recycleAfter: 100, timeoutMs: 200 });
    try {
      let stuck: Worker | undefined;
      await expect(pool.run((w) => ((stuck = w), new Promise(() => undefined)))).rejects.toBeInstanceOf(OcrTimeout);
      let next: Worker | undefined;
      await expect(pool.run(async (w) => ((next = w), 'ok'))).resolves.toBe('ok');
      expect(next).toBeDefined();
      expect(next).not.toBe(stuck);
    } finally {
      await pool.close();
    }
  });

  it('recycles a worker after recycleAfter jobs', async () => {
    const pool = await TesseractPool.start({ workers: 1, recycleAfter: 2, timeoutMs: 5000 });
    try {
      const seen: Worker[] = [];
      for (let i = 0; i < 3; i++) await pool.run(async (w) => void seen.push(w));
      expect(seen[0]).toBe(seen[1]);
      expect(seen[2]).not.toBe(seen[0]);
    } finally {
      await pool.close();
    }
  });

  it('refuses work after close', async () => {
    const pool = await TesseractPool.start({ workers: 1, recycleAfter: 10, timeoutMs: 5000 });
    await pool.close();
    await expect(pool.run(async () => 1)).rejects.toThrow(/closed/);
  });
});
