// The worker pools: a stuck job is cut off and its worker replaced; workers are recycled.
import { describe, expect, it } from 'vitest';
import type { Worker } from 'tesseract.js';
import { OcrTimeout, TesseractPool, WorkerPool } from '../../src/ocr/pool.js';
import { paddleThreads, type PaddleThread } from '../../src/ocr/paddle/thread.js';

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

describe('PaddleOCR thread pool', () => {
  it('times out a stuck job, terminates its thread, and keeps serving with a new one', async () => {
    const pool = await WorkerPool.start({ workers: 1, recycleAfter: 100, timeoutMs: 300 }, paddleThreads);
    try {
      let stuck: PaddleThread | undefined;
      await expect(pool.run((t) => ((stuck = t), new Promise(() => undefined)))).rejects.toBeInstanceOf(OcrTimeout);
      const blank = { width: 64, height: 64, data: new Uint8Array(64 * 64 * 3).fill(255) };
      let next: PaddleThread | undefined;
      await expect(pool.run((t) => ((next = t), t.read(blank)))).resolves.toEqual([]);
      expect(next).not.toBe(stuck);
    } finally {
      await pool.close();
    }
  });

  it('recycles a thread after recycleAfter jobs', async () => {
    const pool = await WorkerPool.start({ workers: 1, recycleAfter: 2, timeoutMs: 5000 }, paddleThreads);
    try {
      const seen: PaddleThread[] = [];
      for (let i = 0; i < 3; i++) await pool.run(async (t) => void seen.push(t));
      expect(seen[0]).toBe(seen[1]);
      expect(seen[2]).not.toBe(seen[0]);
    } finally {
      await pool.close();
    }
  });
});
