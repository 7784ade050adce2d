import type { Command } from 'commander';
import { readFile } from 'node:fs/promises';
import { loadScorer } from '../../classifier/registry.js';
import { loadConfig } from '../../config/config.js';
import { ImageOcr, OCR_ENGINES, type OcrEngineName } from '../../ocr/index.js';
import { evaluateManifest, readManifest, type EngineRun, type EvalReport } from '../../ocr/evaluate.js';
import { progressBar } from '../../util/progress.js';

interface OcrOpts {
  json?: boolean;
  eval?: string;
  classify?: boolean;
  native?: boolean;
  workers?: number;
  engine?: string;
  model?: string;
  quiet?: boolean;
}

export function register(program: Command): void {
  program
    .command('ocr')
    .description('read the text inside images (memes, screenshots), or evaluate OCR on a manifest')
    .argument('[images...]', 'image files')
    .option('--json', 'one JSON line per image: {"file", "text", "confidence", "ms"} or {"file", "error"}')
    .option('--eval <manifest>', 'corpus CER/WER on a manifest.jsonl ({"file", "text", "label"?, "source"?} per line)')
    .option('--classify', 'with --eval: ROC-AUC of the toxic score on OCR text vs on the transcribed text')
    .option('--native', "with --eval: also measure Debian's tesseract CLI (default settings) in the same run")
    .option('-w, --workers <n>', 'OCR workers (config ocr.workers, default one per core)', (v) => parseInt(v, 10))
    .option('-e, --engine <names>', `${OCR_ENGINES.join(' | ')} (config ocr.engine); with --eval a comma-separated list (default: the configured engine and the others but auto)`)
    .option('-m, --model <spec>', 'with --classify: the model')
    .option('-q, --quiet', 'no progress bar')
    .action(async (images: string[], opts: OcrOpts) => {
      const config = loadConfig();
      if (!opts.eval && images.length === 0) throw new Error('give image files, or --eval MANIFEST.jsonl');
      const engines = engineList(opts.engine, config.ocr.engine);
      const start = (engine: OcrEngineName): Promise<ImageOcr> => ImageOcr.create({ ...config.ocr, engine, ...(opts.workers ? { workers: opts.workers } : {}) });
      if (opts.eval) return evaluate(opts.eval, engines, start, opts);
      if (engines.length !== 1) throw new Error('give one --engine to read images');
      const ocr = await start(engines[0] as OcrEngineName);
      try {
        await readImages(images, ocr, opts.json === true);
      } finally {
        await ocr.close();
      }
    });
}

function engineList(option: string | undefined, configured: OcrEngineName): OcrEngineName[] {
  if (!option) return [configured];
  const names = option.split(',').map((n) => n.trim());
  for (const n of names) if (!(OCR_ENGINES as readonly string[]).includes(n)) throw new Error(`unknown OCR engine "${n}" (${OCR_ENGINES.join(', ')})`);
  return names as OcrEngineName[];
}

async function readImages(files: string[], ocr: ImageOcr, json: boolean): Promise<void> {
  let failures = 0;
  // Read in parallel across the pool, print in the order given.
  const results = files.map(async (file) => {
    let bytes: Buffer;
    try {
      bytes = await readFile(file);
    } catch (err) {
      return { file, error: `cannot read file: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}` };
    }
    const r = await ocr.readBytes(bytes);
    return r.ok ? { file, text: r.text, confidence: r.confidence, ms: r.ms, ...(r.watermarks?.length ? { watermarks: r.watermarks } : {}) } : { file, error: r.reason };
  });
  for (const pending of results) {
    const r = await pending;
    if ('error' in r) failures++;
    if (json) process.stdout.write(JSON.stringify(r) + '\n');
    else if ('error' in r) process.stdout.write(`${r.file}: not scanned: ${r.error}\n`);
    else process.stdout.write(`${r.file}  (confidence ${r.confidence.toFixed(2)}, ${r.ms} ms)\n${r.text ? r.text.replace(/^/gm, '  ') : '  (no text found)'}\n`);
  }
  if (failures) process.exitCode = 1;
}

function row(r: EngineRun): string {
  const name = r.engine === 'tesseract CLI' ? 'native tesseract CLI' : `toxguard ${r.engine}`;
  return `${name.padEnd(22)} CER ${r.cer.toFixed(3)}  WER ${r.wer.toFixed(3)}  median ${r.medianMs.toFixed(0)} ms  p90 ${r.p90Ms.toFixed(0)} ms  ${r.wallSeconds.toFixed(1)} s on ${r.workers} worker(s), ${r.imagesPerSecond.toFixed(2)} images/s${r.failed ? `  (${r.failed} not read)` : ''}`;
}

async function evaluate(manifest: string, engines: OcrEngineName[], start: (engine: OcrEngineName) => Promise<ImageOcr>, opts: OcrOpts): Promise<void> {
  // Without --engine, every engine but auto (itself a mix of the two) is measured, the configured one first.
  const measured = opts.engine ? engines : [...new Set<OcrEngineName>([...engines, 'paddle', 'tesseract'])];
  const items = await readManifest(manifest);
  const bar = progressBar('OCR eval', items.length * (measured.length + (opts.native ? 1 : 0)), { quiet: opts.quiet === true || opts.json === true });
  const scorer = opts.classify ? await loadScorer(opts.model ?? loadConfig().model) : undefined;
  let report: EvalReport;
  try {
    report = await evaluateManifest({ manifest, engines: measured, start, native: opts.native, scorer, onProgress: () => bar.increment() });
  } finally {
    bar.stop();
  }
  if (opts.json) {
    process.stdout.write(JSON.stringify(report) + '\n');
    return;
  }
  const runs = [...report.engines, ...(report.native && !('error' in report.native) ? [report.native] : [])];
  const out = [`${report.images} images, ${report.engines[0]?.workers ?? 1} worker(s); ms = time spent reading each image`];
  out.push(...runs.map(row));
  if (report.native && 'error' in report.native) out.push(`native tesseract: ${report.native.error}`);
  out.push('per source (CER / WER):');
  const sources = Object.keys(report.engines[0]?.bySource ?? {});
  for (const source of sources) {
    const cells = runs.map((r) => {
      const f = r.bySource[source];
      return f ? `${r.engine} ${f.cer.toFixed(3)} / ${f.wer.toFixed(3)}` : '';
    });
    out.push(`  ${source.padEnd(26)} n=${report.engines[0]?.bySource[source]?.n ?? 0}  ${cells.join('   ')}`);
  }
  if (report.transcribedRocAuc !== undefined) {
    const ocrAuc = runs.map((r) => `${r.engine} OCR text ${r.rocAuc?.toFixed(3)}`).join(', ');
    out.push(`toxic ROC-AUC vs labels: ${ocrAuc}, transcribed text ${report.transcribedRocAuc.toFixed(3)}`);
  }
  process.stdout.write(out.join('\n') + '\n');
}
