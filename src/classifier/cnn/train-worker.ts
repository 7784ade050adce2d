// A CNN training thread: on each task, runs its share of the mini-batch into its own gradient
// buffers and lists the embedding rows it touched; the main thread (./train.ts) merges them.
import { parentPort, workerData } from 'node:worker_threads';
import { RowBackprop } from './backprop.js';
import { runShare, type CnnWorkerAnswer, type CnnWorkerData, type CnnWorkerTask } from './train.js';

const data = workerData as CnnWorkerData;
const backprop = new RowBackprop(data.params, data.intercepts, data.rows, data.grads);

parentPort?.on('message', (task: CnnWorkerTask) => {
  const loss = runShare(backprop, data.order, data.keep, task);
  const touched = backprop.touchedList.length;
  data.touched.set(backprop.touchedList);
  backprop.clearTouched();
  parentPort?.postMessage({ loss, touched } satisfies CnnWorkerAnswer);
});
