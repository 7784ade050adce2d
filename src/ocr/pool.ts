// A pool of recognition workers (tesseract.js workers, or PaddleOCR threads): started once, reused,
// replaced after `recycleAfter` jobs (memory grows with use) or when a job overruns its time limit
// (a stuck worker cannot be interrupted, only terminated).
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import PQueue from 'p-queue';
import { createWorker, OEM, type Worker, type WorkerParams } from 'tesseract.js';

const require = createRequire(import.meta.url);

/** The English LSTM model (integer "best"), shipped as an npm package: nothing is downloaded. */
export function englishDataPath(): string {
  return join(dirname(require.resolve('@tesseract.js-data/eng/package.json')), '4.0.0_best_int');
}

export class OcrTimeout extends Error {}

interface Slot<W> {
  worker: W;
  jobs: number;
}

export interface PoolOptions {
  workers: number;
  recycleAfter: number;
  timeoutMs: number;
}

/** How a pool makes and ends its workers. */
export interface WorkerFactory<W> {
  create(): Promise<W>;
  /** Ends a worker, possibly stuck mid-job; must not throw. */
  destroy(worker: W): Promise<void>;
}

export class WorkerPool<W> {
  private readonly queue: PQueue;
  private readonly idle: Slot<W>[] = [];
  private closed = false;

  private constructor(
    private readonly opts: PoolOptions,
    private readonly factory: WorkerFactory<W>,
  ) {
    this.queue = new PQueue({ concurrency: opts.workers });
  }

  static async start<W>(opts: PoolOptions, factory: WorkerFactory<W>): Promise<WorkerPool<W>> {
    const pool = new WorkerPool(opts, factory);
    const slots = await Promise.all(Array.from({ length: opts.workers }, () => pool.newSlot()));
    pool.idle.push(...slots);
    return pool;
  }

  get size(): number {
    return this.opts.workers;
  }

  private async newSlot(): Promise<Slot<W>> {
    return { worker: await this.factory.create(), jobs: 0 };
  }

  /**
   * Runs `job` on a free worker, with the pool's time limit. The caller has its answer as soon as the
   * job ends; replacing a recycled or stuck worker happens after, while its queue place is still
   * held, so the pool never hands out more workers than it has.
   */
  run<T>(job: (worker: W) => Promise<T>): Promise<T> {
    if (this.closed) return Promise.reject(new Error('OCR pool is closed'));
    return new Promise<T>((resolve, reject) => {
      this.queue
        .add(async () => {
          const slot = this.idle.pop();
          if (!slot) throw new Error('OCR pool has no idle worker');
          let timer: NodeJS.Timeout | undefined;
          const timeout = new Promise<never>((_, fail) => {
            timer = setTimeout(() => fail(new OcrTimeout(`recognition took longer than ${this.opts.timeoutMs} ms`)), this.opts.timeoutMs);
          });
          let failed = false;
          try {
            resolve(await Promise.race([job(slot.worker), timeout]));
          } catch (err) {
            reject(err);
            failed = true;
          } finally {
            clearTimeout(timer);
          }
          slot.jobs++;
          // A failed worker may be stuck mid-job: never hand it out again.
          if (failed || slot.jobs >= this.opts.recycleAfter) await this.replace(slot);
          else this.idle.push(slot);
        })
        .catch(reject);
    });
  }

  private async replace(slot: Slot<W>): Promise<void> {
    void this.factory.destroy(slot.worker);
    if (!this.closed) this.idle.push(await this.newSlot());
  }

  async close(): Promise<void> {
    this.closed = true;
    await this.queue.onIdle();
    await Promise.all(this.idle.splice(0).map((s) => this.factory.destroy(s.worker)));
  }
}

/** tesseract.js workers with the English model from disk. */
export const TesseractPool = {
  start(opts: PoolOptions & { params?: Partial<WorkerParams> }): Promise<WorkerPool<Worker>> {
    return WorkerPool.start(opts, {
      async create() {
        const worker = await createWorker('eng', OEM.LSTM_ONLY, { langPath: englishDataPath(), gzip: true, cacheMethod: 'none' });
        // Automatic page segmentation (PSM 3) measured better on memes than sparse text (PSM 11), which
        // reads photo texture as scattered "words". debug_file silences tesseract's chatter.
        await worker.setParameters({ debug_file: '/dev/null', tessedit_pageseg_mode: '3' as WorkerParams['tessedit_pageseg_mode'], ...opts.params });
        return worker;
      },
      destroy: (worker) => worker.terminate().then(
        () => undefined,
        () => undefined,
      ),
    });
  },
};
