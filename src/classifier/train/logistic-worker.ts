// A training thread: on each message, computes loss and gradient of its share of the rows into
// its own shared gradient buffer, and answers with the loss.
import { parentPort, workerData } from 'node:worker_threads';
import { lossAndGradient, type KernelData } from './logistic-kernel.js';

const { data, x, grad, from, to } = workerData as { data: KernelData; x: Float64Array; grad: Float64Array; from: number; to: number };

parentPort?.on('message', () => {
  grad.fill(0);
  parentPort?.postMessage(lossAndGradient(data, x, grad, from, to));
});
