// `toxguard ocr --eval MANIFEST.jsonl`: corpus CER/WER per source and overall, time per image, and
// optionally the same figures for Debian's native `tesseract` CLI measured in the same run, and the
// ROC-AUC of the toxic score on OCR text next to the same figure on the transcribed text.
import { execFile } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
import { promisify } from 'node:util';
import PQueue from 'p-queue';
import { rocAuc } from '../classifier/metrics.js';
import type { Scorer } from '../classifier/scorer.js';
import type { TesseractOcr } from './engine.js';
import { corpusRates, errorCounts, type ErrorCounts } from './text-metrics.js';

const run = promisify(execFile);

export interface ManifestItem {
  file: string;
  text: string;
  label?: number;
  source?: string;
}

export interface EngineFigures {
  cer: number;
  wer: number;
  medianMs: number;
  p90Ms: number;
  failed: number;
  bySource: Record<string, { n: number; cer: number; wer: number }>;
}

export interface EvalReport {
  images: number;
  workers: number;
  wallSeconds: number;
  imagesPerSecond: number;
  toxguard: EngineFigures;
  native?: EngineFigures | { error: string };
  rocAuc?: { ocrText: number; transcribed: number; native?: number };
}

export async function readManifest(path: string): Promise<ManifestItem[]> {
  const lines = (await readFile(path, 'utf8')).split('\n').filter((l) => l.trim());
  return lines.map((line, i) => {
    let item: ManifestItem;
    try {
      item = JSON.parse(line) as ManifestItem;
    } catch {
      throw new Error(`${path} line ${i + 1}: not JSON`);
    }
    if (typeof item.file !== 'string' || typeof item.text !== 'string') throw new Error(`${path} line ${i + 1}: needs "file" and "text"`);
    return item;
  });
}

function quantile(values: number[], q: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted.length ? (sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] as number) : 0;
}

function figures(items: readonly ManifestItem[], texts: readonly (string | undefined)[], ms: readonly number[]): EngineFigures {
  const counts: ErrorCounts[] = [];
  const groups = new Map<string, ErrorCounts[]>();
  let failed = 0;
  items.forEach((item, i) => {
    const text = texts[i];
    if (text === undefined) failed++;
    const c = errorCounts(text ?? '', item.text);
    counts.push(c);
    const key = item.source ?? 'all';
    groups.set(key, [...(groups.get(key) ?? []), c]);
  });
  const bySource = Object.fromEntries([...groups].map(([k, cs]) => [k, { n: cs.length, ...corpusRates(cs) }]));
  return { ...corpusRates(counts), medianMs: quantile([...ms], 0.5), p90Ms: quantile([...ms], 0.9), failed, bySource };
}

/** Whether Debian's `tesseract` CLI is on PATH (a development reference, never a dependency). */
export async function nativeTesseractVersion(): Promise<string | undefined> {
  try {
    const { stdout } = await run('tesseract', ['--version']);
    return stdout.split('\n')[0];
  } catch {
    return undefined;
  }
}

export async function evaluateManifest(options: {
  manifest: string;
  ocr: TesseractOcr;
  native?: boolean;
  scorer?: Scorer;
  onProgress?: () => void;
}): Promise<EvalReport> {
  const items = await readManifest(options.manifest);
  const base = dirname(resolve(options.manifest));
  const ours: (string | undefined)[] = new Array(items.length);
  const oursMs: number[] = new Array(items.length).fill(0);
  // One image per worker at a time: per-image times are the engine's, and the wall time is the pool's.
  const queue = new PQueue({ concurrency: options.ocr.workers });
  const started = performance.now();
  await Promise.all(
    items.map((item, i) =>
      queue.add(async () => {
        const bytes = await readFile(resolve(base, item.file));
        const result = await options.ocr.readBytes(bytes);
        ours[i] = result.ok ? result.text : undefined;
        oursMs[i] = result.ok ? result.ms : 0;
        options.onProgress?.();
      }),
    ),
  );
  const wallSeconds = (performance.now() - started) / 1000;
  const report: EvalReport = {
    images: items.length,
    workers: options.ocr.workers,
    wallSeconds,
    imagesPerSecond: items.length / wallSeconds,
    toxguard: figures(items, ours, oursMs),
  };

  let nativeTexts: (string | undefined)[] | undefined;
  if (options.native) {
    if (!(await nativeTesseractVersion())) {
      report.native = { error: 'the tesseract CLI is not installed (Debian: apt-get install tesseract-ocr)' };
    } else {
      nativeTexts = new Array(items.length);
      const nativeMs: number[] = new Array(items.length).fill(0);
      const nativeQueue = new PQueue({ concurrency: options.ocr.workers });
      await Promise.all(
        items.map((item, i) =>
          nativeQueue.add(async () => {
            const t0 = performance.now();
            try {
              // Default settings, one thread, as a user would run it.
              const { stdout } = await run('tesseract', [resolve(base, item.file), '-'], { env: { ...process.env, OMP_THREAD_LIMIT: '1' }, maxBuffer: 1 << 24 });
              (nativeTexts as (string | undefined)[])[i] = stdout;
            } catch {
              (nativeTexts as (string | undefined)[])[i] = undefined;
            }
            nativeMs[i] = performance.now() - t0;
            options.onProgress?.();
          }),
        ),
      );
      report.native = figures(items, nativeTexts, nativeMs);
    }
  }

  if (options.scorer && items.every((it) => it.label === 0 || it.label === 1)) {
    const labels = items.map((it) => it.label as number);
    const toxic = async (texts: string[]): Promise<number[]> => (await options.scorer!.scoreBatch(texts)).map((p) => p.scores.toxic);
    report.rocAuc = {
      ocrText: rocAuc(await toxic(ours.map((t) => t ?? '')), labels),
      transcribed: rocAuc(await toxic(items.map((it) => it.text)), labels),
      ...(nativeTexts ? { native: rocAuc(await toxic(nativeTexts.map((t) => t ?? '')), labels) } : {}),
    };
  }
  return report;
}
