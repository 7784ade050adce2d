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
import type { OcrEngineName } from './config.js';
import type { ImageOcr } from './engine.js';
import { corpusRates, errorCounts, type ErrorCounts } from './text-metrics.js';

const execRun = promisify(execFile);

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

/** One engine's run over the manifest on its pool. */
export interface EngineRun extends EngineFigures {
  engine: string;
  workers: number;
  /** Wall time of the whole set on the pool, and images per second. */
  wallSeconds: number;
  imagesPerSecond: number;
  /** ROC-AUC of the toxic score on this engine's text (with a scorer and labels). */
  rocAuc?: number;
}

export interface EvalReport {
  images: number;
  /** The engines measured, the configured (default) one first. */
  engines: EngineRun[];
  native?: EngineRun | { error: string };
  /** ROC-AUC of the toxic score on the transcribed text. */
  transcribedRocAuc?: number;
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
    const { stdout } = await execRun('tesseract', ['--version']);
    return stdout.split('\n')[0];
  } catch {
    return undefined;
  }
}

/** Reads every item through `read` with `workers` at a time: texts (undefined when not read) and milliseconds. */
async function runAll(
  items: readonly ManifestItem[],
  workers: number,
  read: (item: ManifestItem) => Promise<{ text?: string; ms: number }>,
  onProgress?: () => void,
): Promise<{ texts: (string | undefined)[]; ms: number[]; wallSeconds: number }> {
  const texts: (string | undefined)[] = new Array(items.length);
  const ms: number[] = new Array(items.length).fill(0);
  const queue = new PQueue({ concurrency: workers });
  const started = performance.now();
  await Promise.all(
    items.map((item, i) =>
      queue.add(async () => {
        const r = await read(item);
        texts[i] = r.text;
        ms[i] = r.ms;
        onProgress?.();
      }),
    ),
  );
  return { texts, ms, wallSeconds: (performance.now() - started) / 1000 };
}

export async function evaluateManifest(options: {
  manifest: string;
  /** Engines to measure, one after the other (never two at once: each pool uses every core). */
  engines: readonly OcrEngineName[];
  start: (engine: OcrEngineName) => Promise<ImageOcr>;
  native?: boolean;
  scorer?: Scorer;
  onProgress?: () => void;
}): Promise<EvalReport> {
  const items = await readManifest(options.manifest);
  const base = dirname(resolve(options.manifest));
  const labelled = options.scorer !== undefined && items.every((it) => it.label === 0 || it.label === 1);
  const labels = items.map((it) => it.label as number);
  const toxic = async (texts: readonly (string | undefined)[]): Promise<number> =>
    rocAuc((await options.scorer!.scoreBatch(texts.map((t) => t ?? ''))).map((p) => p.scores.toxic), labels);
  const measured = async (engine: string, workers: number, run: Awaited<ReturnType<typeof runAll>>): Promise<EngineRun> => ({
    engine,
    workers,
    wallSeconds: run.wallSeconds,
    imagesPerSecond: items.length / run.wallSeconds,
    ...figures(items, run.texts, run.ms),
    ...(labelled ? { rocAuc: await toxic(run.texts) } : {}),
  });

  const report: EvalReport = { images: items.length, engines: [] };
  let workers = 1;
  for (const engine of options.engines) {
    const ocr = await options.start(engine);
    workers = ocr.workers;
    try {
      // One image per worker at a time: `ms` is the engine's time on the image, the wall time the pool's.
      const run = await runAll(
        items,
        ocr.workers,
        async (item) => {
          const result = await ocr.readBytes(await readFile(resolve(base, item.file)));
          return result.ok ? { text: result.text, ms: result.ms } : { ms: 0 };
        },
        options.onProgress,
      );
      report.engines.push(await measured(engine, ocr.workers, run));
    } finally {
      await ocr.close();
    }
  }

  if (options.native) {
    if (!(await nativeTesseractVersion())) {
      report.native = { error: 'the tesseract CLI is not installed (Debian: apt-get install tesseract-ocr)' };
    } else {
      const run = await runAll(
        items,
        workers,
        async (item) => {
          const t0 = performance.now();
          try {
            // Default settings, one thread, as a user would run it.
            const { stdout } = await execRun('tesseract', [resolve(base, item.file), '-'], { env: { ...process.env, OMP_THREAD_LIMIT: '1' }, maxBuffer: 1 << 24 });
            return { text: stdout, ms: performance.now() - t0 };
          } catch {
            return { ms: performance.now() - t0 };
          }
        },
        options.onProgress,
      );
      report.native = await measured('tesseract CLI', workers, run);
    }
  }
  if (labelled) report.transcribedRocAuc = await toxic(items.map((it) => it.text));
  return report;
}
