// Worker-thread helpers shared by the trainers that split their rows across cores.
import { Worker } from 'node:worker_threads';

/**
 * Starts the worker module `base` (a URL without extension, next to the caller). From dist/ the
 * worker is compiled JS; under tsx or vitest (development, tests) it is TypeScript, so the thread
 * first registers tsx's loader, then imports it.
 */
export function startWorker(base: URL, workerData: unknown): Worker {
  if (!import.meta.url.endsWith('.ts')) return new Worker(new URL(`${base.href}.js`), { workerData });
  const boot = `import('tsx/esm/api').then((m) => { m.register(); return import(${JSON.stringify(`${base.href}.ts`)}); });`;
  return new Worker(boot, { eval: true, workerData });
}

/** Posts `message` and resolves with the worker's next answer (rejects if the worker fails first). */
export function ask<T>(worker: Worker, message: unknown): Promise<T> {
  return new Promise((resolve, reject) => {
    const onError = (err: Error): void => reject(err);
    worker.once('error', onError);
    worker.once('message', (answer: T) => {
      worker.off('error', onError);
      resolve(answer);
    });
    worker.postMessage(message);
  });
}

/** A copy of `a` in shared memory, which worker threads see without copying. */
export function shared<T extends Int8Array | Uint8Array | Int32Array | Float32Array | Float64Array>(a: T): T {
  const Ctor = a.constructor as new (buffer: SharedArrayBuffer) => T;
  const out = new Ctor(new SharedArrayBuffer(a.byteLength));
  out.set(a as never);
  return out;
}
