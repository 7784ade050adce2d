// The `ocr` section of toxguard's config file: the worker pool and the limits that keep hostile
// images (huge, slow, corrupt, decompression bombs) from hurting the bot.
import { availableParallelism } from 'node:os';
import { z } from 'zod';

export const OCR_ENGINES = ['paddle', 'tesseract', 'auto'] as const;
export type OcrEngineName = (typeof OCR_ENGINES)[number];

export const OcrConfigSchema = z
  .strictObject({
    /** Off: image attachments are recorded as not scanned. */
    enabled: z.boolean().default(true),
    /**
     * `paddle`: PaddleOCR PP-OCRv4 (text detection + line recognition, ONNX models from npm).
     * `tesseract`: tesseract.js with meme preprocessing. `auto`: PaddleOCR, and tesseract as well
     * when PaddleOCR's reading is doubtful.
     */
    engine: z.enum(OCR_ENGINES).default('paddle'),
    /** OCR workers (each one thread: PaddleOCR ~100 MB, tesseract ~60 MB). Default: one per core. */
    workers: z.number().int().min(1).max(64).default(() => Math.max(1, availableParallelism())),
    /** A worker is replaced after this many images (memory grows with use). */
    recycleAfter: z.number().int().min(1).default(500),
    /** Largest image file, enforced while downloading. */
    maxBytes: z.number().int().positive().default(8 * 1024 * 1024),
    /** Largest image (width x height), read from the header before anything is decoded. */
    maxPixels: z.number().int().positive().default(40_000_000),
    /**
     * Hosts whose images may be downloaded although they resolve to private, loopback or link-local
     * addresses (an internal CDN); `*` allows every host. Default: none, every hop must be public.
     */
    allowPrivateHosts: z.array(z.string().min(1)).default([]),
    /** Time limit for downloading one image. */
    downloadTimeoutMs: z.number().int().positive().default(10_000),
    /** Time limit for recognising one image (a stuck worker is replaced). */
    imageTimeoutMs: z.number().int().positive().default(10_000),
  })
  .prefault({});

export type OcrConfig = z.output<typeof OcrConfigSchema>;
