import type { Command } from 'commander';
import { readFile } from 'node:fs/promises';
import { loadScorer } from '../../classifier/registry.js';
import { loadConfig } from '../../config/config.js';
import { TesseractOcr } from '../../ocr/index.js';
import { evaluateManifest, readManifest, type EngineFigures, type EvalReport } from '../../ocr/evaluate.js';
import { progressBar } from '../../util/progress.js';

interface OcrOpts {
  json?: boolean;
  eval?: string;
  classify?: boolean;
  native?: boolean;
  workers?: number;
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
    .option('-m, --model <spec>', 'with --classify: the model')
    .option('-q, --quiet', 'no progress bar')
    .action(async (images: string[], opts: OcrOpts) => {
      const config = loadConfig();
      if (!opts.eval && images.length === 0) throw new Error('give image files, or --eval MANIFEST.jsonl');
      const ocr = await TesseractOcr.create({ ...config.ocr, ...(opts.workers ? { workers: opts.workers } : {}) });
      try {
        if (opts.eval) await evaluate(opts.eval, ocr, opts);
        else await readImages(images, ocr, opts.json === true);
      } finally {
        await ocr.close();
      }
    });
}

async function readImages(files: string[], ocr: TesseractOcr, json: boolean): Promise<void> {
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

function row(name: string, f: EngineFigures): string {
  return `${name.padEnd(22)} CER ${f.cer.toFixed(3)}  WER ${f.wer.toFixed(3)}  median ${f.medianMs.toFixed(0)} ms  p90 ${f.p90Ms.toFixed(0)} ms${f.failed ? `  (${f.failed} not read)` : ''}`;
}

async function evaluate(manifest: string, ocr: TesseractOcr, opts: OcrOpts): Promise<void> {
  const items = await readManifest(manifest);
  const bar = progressBar('OCR eval', items.length * (opts.native ? 2 : 1), { quiet: opts.quiet === true || opts.json === true });
  const scorer = opts.classify ? await loadScorer(opts.model ?? loadConfig().model) : undefined;
  let report: EvalReport;
  try {
    report = await evaluateManifest({ manifest, ocr, native: opts.native, scorer, onProgress: () => bar.increment() });
  } finally {
    bar.stop();
  }
  if (opts.json) {
    process.stdout.write(JSON.stringify(report) + '\n');
    return;
  }
  const out = [`${report.images} images, ${report.workers} worker(s): ${report.wallSeconds.toFixed(1)} s, ${report.imagesPerSecond.toFixed(2)} images/s`];
  out.push(row('toxguard', report.toxguard));
  if (report.native) out.push('error' in report.native ? `native tesseract: ${report.native.error}` : row('native tesseract CLI', report.native));
  out.push('per source:');
  for (const [source, f] of Object.entries(report.toxguard.bySource)) {
    const n = report.native && !('error' in report.native) ? report.native.bySource[source] : undefined;
    out.push(`  ${source.padEnd(26)} n=${f.n}  CER ${f.cer.toFixed(3)}  WER ${f.wer.toFixed(3)}${n ? `   native CER ${n.cer.toFixed(3)}  WER ${n.wer.toFixed(3)}` : ''}`);
  }
  if (report.rocAuc) {
    out.push(
      `toxic ROC-AUC vs labels: OCR text ${report.rocAuc.ocrText.toFixed(3)}, transcribed text ${report.rocAuc.transcribed.toFixed(3)}${report.rocAuc.native !== undefined ? `, native OCR text ${report.rocAuc.native.toFixed(3)}` : ''}`,
    );
  }
  process.stdout.write(out.join('\n') + '\n');
}
