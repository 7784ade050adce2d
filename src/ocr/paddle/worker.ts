// One PaddleOCR thread: loads the models from disk, then answers `{ id, image }` messages with the
// recognised lines. Inference blocks its thread for hundreds of milliseconds, so it never runs on the
// bot's event loop; a stuck or recycled thread is terminated by the pool.
import { parentPort, workerData } from 'node:worker_threads';
import { PaddleInference, type PaddleModels, type RgbImage } from './infer.js';

const port = parentPort;
if (!port) throw new Error('paddle worker must run in a worker thread');
try {
  const recogniser = await PaddleInference.load(workerData as PaddleModels);
  port.on('message', (msg: { id: number; image: RgbImage }) => {
    recogniser.read(msg.image).then(
      (lines) => port.postMessage({ id: msg.id, lines }),
      (err: unknown) => port.postMessage({ id: msg.id, error: (err as Error).message }),
    );
  });
  port.postMessage({ ready: true });
} catch (err) {
  port.postMessage({ ready: false, error: (err as Error).message });
}
